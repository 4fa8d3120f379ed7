import assert from "node:assert/strict";
import type { SearchResult } from "../core/types.ts";
import {
  noisyScorer,
  simProblem,
  simulatedPolicy,
  simulatedTokenPolicy,
} from "../models/simulated/mod.ts";
import { methodOptions, methods } from "./registry.ts";

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
