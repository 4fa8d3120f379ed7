import assert from "node:assert/strict";
import { evalSplit, flawedSolution, goldSteps } from "../tasks/mod.ts";
import { ORACLE_HIGH, oracleScorer } from "./oracle.ts";

const LOW = 1 - ORACLE_HIGH;
const problems = evalSplit().slice(0, 40);

Deno.test("oracle: gold steps score high; from the first wrong step on, low", async () => {
  const scorer = oracleScorer();
  assert.equal(scorer.name, "oracle");
  for (const p of problems.slice(0, 10)) {
    const steps = goldSteps(p).map((s, i, all) => (i < all.length - 1 ? `${s}\n\n` : s));
    const [scores] = await scorer.score([{ problem: p.problem, steps }]);
    assert.deepEqual(scores, steps.map(() => ORACLE_HIGH));
  }
  let checked = 0;
  for (const [i, p] of problems.entries()) {
    const flawed = flawedSolution(p, i);
    if (!flawed) continue;
    const steps = flawed.steps.map((s, k, all) => (k < all.length - 1 ? `${s}\n\n` : s));
    const [scores] = await scorer.score([{ problem: p.problem, steps }]);
    const first = flawed.firstError;
    assert.ok(first >= 0);
    assert.deepEqual(scores, steps.map((_, k) => (k < first ? ORACLE_HIGH : LOW)));
    const [[last]] = await scorer.score([{ problem: p.problem, steps }], { lastOnly: true });
    assert.equal(last, LOW);
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} flawed solutions`);
});

Deno.test("oracle:p flips about p of the verdicts, the same for the same step text", async () => {
  const noisy = oracleScorer({ flip: 0.2, seed: 3 });
  assert.equal(noisy.name, "oracle:0.2");
  let flipped = 0;
  let total = 0;
  for (const p of problems) {
    const gold = goldSteps(p);
    // one step at a time: a first-step verdict is the step's own (possibly flipped) verdict
    for (let k = 0; k < gold.length; k++) {
      const steps = [...gold.slice(0, k).map((s) => `${s}\n\n`), gold[k]];
      const [a] = await noisy.score([{ problem: p.problem, steps }]);
      const [b] = await noisy.score([{ problem: p.problem, steps }]);
      assert.deepEqual(a, b, "same seed, same verdicts");
      if (k === 0) {
        total++;
        if (a[0] === LOW) flipped++;
      }
    }
  }
  const rate = flipped / total;
  assert.ok(rate > 0.08 && rate < 0.35, `flip rate ${rate} on ${total} first steps`);
  const other = oracleScorer({ flip: 0.2, seed: 4 });
  const firsts = (s: typeof noisy) =>
    Promise.all(problems.map(async (p) => {
      const [[x]] = await s.score([{ problem: p.problem, steps: [goldSteps(p)[0]] }]);
      return x;
    }));
  assert.notDeepEqual(await firsts(noisy), await firsts(other), "another seed, other flips");
});

Deno.test("oracle refuses a problem it does not know and a flip outside [0, 1]", async () => {
  await assert.rejects(
    () => oracleScorer().score([{ problem: "What is 2+2?", steps: ["4"] }]),
    /not a known synthetic problem/,
  );
  assert.throws(() => oracleScorer({ flip: 1.5 }), /flip must be in \[0, 1\]/);
});

Deno.test("oracle: a prefix given as one step is judged step by step (particle filtering)", async () => {
  const scorer = oracleScorer();
  for (const [i, p] of problems.slice(0, 20).entries()) {
    const flawed = flawedSolution(p, i);
    if (!flawed) continue;
    const steps = flawed.steps.map((s, k, all) => (k < all.length - 1 ? `${s}\n\n` : s));
    const [[joined]] = await scorer.score([{ problem: p.problem, steps: [steps.join("")] }]);
    assert.equal(joined, LOW);
    const gold = goldSteps(p).map((s, k, all) => (k < all.length - 1 ? `${s}\n\n` : s));
    const [[whole]] = await scorer.score([{ problem: p.problem, steps: [gold.join("")] }]);
    assert.equal(whole, ORACLE_HIGH);
  }
});
