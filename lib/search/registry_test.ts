import assert from "node:assert/strict";
import type { SearchResult } from "../core/types.ts";
import {
  noisyScorer,
  simProblem,
  simulatedPolicy,
  simulatedTokenPolicy,
} from "../models/simulated/mod.ts";
import { methodOptions, methods, neededOptions } from "./registry.ts";

const problem = simProblem({ id: "det", steps: 4, pRight: 0.6, answer: "12" });
const withoutWall = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });

/** The methods of this test's world (others register their own tests). */
const MINE = ["greedy", "sampling", "best_of_n", "beam", "dvts", "particle_filter", "tsmc"];

for (const name of MINE) {
  const spec = methods[name];
  Deno.test(`${name}: same seed ⇒ same result, whatever the policy's own seed`, async () => {
    const opts = { n: 8, m: 4, seed: 7 };
    const flags = Object.fromEntries(Object.entries(opts).filter(([k]) => k in spec.defaults));
    const run = (policySeed: number, seed: number) =>
      spec.run(problem, simulatedPolicy({ seed: policySeed }), noisyScorer({ noise: 1, seed: 2 }), {
        ...flags,
        seed,
      });
    const a = await run(1, 7);
    const b = await run(2, 7);
    assert.deepEqual(withoutWall(a), withoutWall(b));
    assert.ok(a.cost.tokens > 0 && a.cost.policyCalls > 0);
    assert.ok(a.candidates.length >= 1);
    if (name !== "greedy") {
      const c = await run(1, 8);
      // searches may converge on one solution; what they explored differs
      assert.notDeepEqual(a.trace, c.trace);
    }
  });
}

Deno.test("registry: every method also runs on the token-level policy", async () => {
  for (const name of MINE) {
    const res = await methods[name].run(
      problem,
      simulatedTokenPolicy(),
      noisyScorer({ noise: 0.5 }),
      {},
    );
    assert.ok(res.candidates.every((c) => c.text.length > 0));
  }
});

Deno.test("methodOptions: kebab-case flags, typed by the defaults", () => {
  assert.deepEqual(methodOptions("beam", { n: "16", m: 4, "filter-duplicates": "true" }), {
    n: 16,
    m: 4,
    filterDuplicates: true,
  });
  assert.deepEqual(methodOptions("tsmc", { "stop-steps": "3", tau: 0.5, vote: "majority" }), {
    stopSteps: 3,
    tau: 0.5,
    vote: "majority",
  });
  assert.throws(() => methodOptions("beam", { bogus: 1 }), RangeError);
  assert.throws(() => methodOptions("beam", { n: "x" }), RangeError);
  assert.throws(() => methodOptions("nope", {}), RangeError);
  for (const spec of Object.values(methods)) assert.ok(spec.describe.length > 0);
});

Deno.test("registry: needs declare what each method takes (needsScorer and role follow them)", () => {
  for (const [name, spec] of Object.entries(methods)) {
    assert.equal(spec.needsScorer, spec.needs.scorer !== undefined, name);
    assert.equal(spec.role, spec.needs.scorer ?? spec.needs.optionalScorer ?? "prm", name);
  }
  assert.deepEqual(methods.qsharp.needs, { classifier: true });
  assert.deepEqual(methods.tsmc.needs, { scorer: "twist" });
  assert.deepEqual(methods.sbs.needs, { optionalScorer: "value" });
});

Deno.test("registry: every lib/search file exporting `method` is registered under its name", async () => {
  const dir = new URL("./", import.meta.url);
  const found: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ts") || e.name.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(new URL(e.name, dir));
    if (/^export const method\b/m.test(text)) found.push(e.name.slice(0, -3));
  }
  for (const name of found) {
    const spec = methods[name];
    assert.ok(spec, `${name} is registered`);
    const mod = await import(new URL(`${name}.ts`, dir).href);
    assert.equal(mod.method, spec, name);
    methodOptions(name, {}); // its defaults are flag-able
    if (spec.needs.classifier) continue;
    const run = (seed: number) =>
      spec.run(problem, simulatedPolicy({ seed }), noisyScorer({ noise: 1, seed: 2 }), { seed: 7 });
    const [a, b] = [await run(1), await run(2)];
    assert.deepEqual(withoutWall(a), withoutWall(b), `${name}: same seed ⇒ same result`);
    assert.ok(a.candidates.length >= 1 && a.cost.tokens > 0, name);
  }
});

Deno.test("neededOptions: a classifier only for a method that declares one", async () => {
  const classifier = { scoreCandidates: () => Promise.resolve(new Float32Array()) };
  const provider = { classifier: () => Promise.resolve(classifier) };
  assert.deepEqual(await neededOptions(methods.qsharp, provider), { classifier });
  for (const name of Object.keys(methods).filter((n) => n !== "qsharp")) {
    assert.deepEqual(await neededOptions(methods[name], provider), {}, name);
  }
});
