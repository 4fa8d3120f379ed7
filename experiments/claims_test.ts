import assert from "node:assert/strict";
import { loadDataset } from "../lib/datasets/mod.ts";
import "./all.ts";
import { type Claim, claimRows, CLAIMS, runLines, testClaims } from "./claims.ts";
import { experiments } from "./registry.ts";

Deno.test("CLAIMS: every claim compares two arms its experiment runs, at the same budget", () => {
  for (const c of CLAIMS) {
    const exp = experiments[c.experiment];
    assert.ok(exp, `${c.experiment} is not an experiment`);
    const arm = (config: string) => exp.arms.find((a) => a.config === config);
    assert.ok(arm(c.a), `${c.experiment} has no arm ${c.a}`);
    assert.ok(arm(c.b), `${c.experiment} has no arm ${c.b}`);
    assert.notEqual(c.a, c.b);
  }
  // every paper reproduction has at least one claim
  const tested = new Set(CLAIMS.map((c) => c.experiment));
  for (const name of Object.keys(experiments)) {
    if (name !== "verifier_sweep") assert.ok(tested.has(name), `${name} has no claim`);
  }
});

/** A results folder with one experiment whose arm "a" is right on `aRight` of 3 problems. */
async function fixture(
  aRight: boolean[],
  bRight: boolean[],
  identity?: object,
  extra: object = {},
): Promise<string> {
  const root = await Deno.makeTempDir();
  const dir = `${root}/toy`;
  await Deno.mkdir(dir);
  const ids = (await loadDataset("synthetic", { limit: 3 })).map((p) => p.id);
  const summary = {
    name: "toy",
    dataset: "synthetic",
    limit: 3,
    command: "deno task repro toy --limit 3",
    finished: "2026-12-06T00:00:00.000Z",
    // a run records its verifiers in the identity line and in the summary alike
    ...(identity ? { extra: { verifiers: (identity as { verifiers?: unknown }).verifiers } } : {}),
    ...extra,
    arms: [
      { config: "a", method: "best_of_n", scorer: "prm" },
      { config: "b", method: "sampling", scorer: "none" },
    ],
  };
  await Deno.writeTextFile(`${dir}/summary.json`, JSON.stringify(summary));
  const rows = ids.flatMap((id, i) => [
    { config: "a", id, correct: aRight[i], tokens: 20 },
    { config: "b", id, correct: bRight[i], tokens: 10 },
  ]);
  const lines = [...(identity ? [{ identity }] : []), ...rows].map((r) => JSON.stringify(r));
  await Deno.writeTextFile(`${dir}/records.jsonl`, lines.join("\n") + "\n");
  return root;
}

const claim: Claim = {
  experiment: "toy",
  paper: "Toy et al.",
  where: "Table 1",
  claim: "a beats b",
  a: "a",
  b: "b",
};

Deno.test("testClaims: the paired difference decides held, not held and reversed", async () => {
  const held = await fixture([true, true, true], [false, false, false], {
    verifiers: { prm: "recompute-head" },
  });
  const [h] = await testClaims(held, [claim]);
  assert.equal(h.verdict, "held");
  assert.equal(h.n, 3);
  assert.equal(h.diff, 1);
  assert.equal(h.verifier, "recompute-head");
  assert.equal(h.command, "deno task repro toy --limit 3");

  const [r] = await testClaims(await fixture([false, false, false], [true, true, true]), [claim]);
  assert.equal(r.verdict, "reversed");
  assert.equal(r.diff, -1);
  assert.match(r.verifier, /^prm head \(run before identity lines\)/);

  const [n] = await testClaims(await fixture([true, false, true], [false, true, true]), [claim]);
  assert.equal(n.verdict, "not held");
  assert.equal(n.diff, 0);
  assert.ok(n.lo! < 0 && n.hi! > 0);
});

Deno.test("testClaims: a missing run or arm is 'not run', and the table says which command", async () => {
  const root = await fixture([true, true, true], [false, false, false]);
  const [missingRun] = await testClaims(root, [{ ...claim, experiment: "absent" }]);
  assert.equal(missingRun.verdict, "not run");
  const [missingArm] = await testClaims(root, [{ ...claim, a: "c" }]);
  assert.equal(missingArm.verdict, "not run");
  const rows = claimRows([missingRun, missingArm]);
  assert.equal(rows[0]["ours: a − b (points, 95% CI)"], "`a` vs `b`: not run");
  assert.match(runLines([missingRun, missingArm]), /results\/absent`: no committed run/);
  assert.match(runLines([missingRun, missingArm]), /deno task repro toy --limit 3` \(2026-12-06\)/);
});

Deno.test("claimRows: points with signs and the CI", async () => {
  const [h] = await testClaims(await fixture([true, true, true], [false, false, true]), [claim]);
  const row = claimRows([h])[0];
  assert.match(row["ours: a − b (points, 95% CI)"], /^`a` − `b`: \+66\.7 \[/);
  assert.equal(row.problems, "3");
});

Deno.test("runLines: a run merged from several commands names each, earliest first", async () => {
  const root = await fixture([true, true, true], [false, false, false], undefined, {
    merged: [{ command: "deno task repro toy --limit 3 --only b", finished: "x" }],
  });
  const rows = await testClaims(root, [claim]);
  assert.match(
    runLines(rows),
    /`deno task repro toy --limit 3 --only b`; `deno task repro toy --limit 3` \(2026-12-06\)/,
  );
});
