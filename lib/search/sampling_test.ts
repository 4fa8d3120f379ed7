import assert from "node:assert/strict";
import {
  answerDistribution,
  passAtN,
  perfectScorer,
  probabilityCorrect,
  simProblem,
  simProblemSet,
  simulatedPolicy,
} from "../models/simulated/mod.ts";
import { bestOfNSearch } from "./best_of_n.ts";
import { greedySearch } from "./greedy.ts";
import { samplingSearch } from "./sampling.ts";

Deno.test("best-of-N with a perfect scorer reaches pass@N (closed form)", async () => {
  const problems = simProblemSet({ count: 300, steps: [2, 5], pRight: [0.4, 0.95], seed: 11 });
  const n = 4;
  let solved = 0, expected = 0, variance = 0, majSolved = 0;
  for (const [k, p] of problems.entries()) {
    const res = await bestOfNSearch(p, simulatedPolicy(), perfectScorer(), {
      n,
      seed: k,
      temperature: 1,
    });
    if (res.answer === p.answer) solved++;
    if (res.selections.majority.answer === p.answer) majSolved++;
    const q = passAtN(probabilityCorrect(p.problem), n);
    expected += q;
    variance += q * (1 - q);
  }
  assert.ok(
    Math.abs(solved - expected) < 4 * Math.sqrt(variance),
    `solved ${solved}, pass@${n} predicts ${expected.toFixed(1)} ± ${
      Math.sqrt(variance).toFixed(1)
    }`,
  );
  assert.ok(majSolved < solved); // the verifier adds something over voting
});

Deno.test("sampling reports all three selections; weighted majority with perfect values = pass@N", async () => {
  const p = simProblem({ id: "w", steps: 3, pRight: 0.5, answer: "9", wrongAnswers: ["1"] });
  const res = await samplingSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 8,
    seed: 4,
    select: "weighted",
  });
  assert.equal(res.candidates.length, 8);
  const anyRight = res.candidates.some((c) => c.answer === "9");
  assert.equal(res.answer === "9", anyRight);
  assert.equal(res.selections.bestOfN.answer === "9", anyRight);
  // with a single wrong answer (prob 7/8 per sample) the majority is wrong here
  assert.ok(answerDistribution(p.problem).get("1")! > 0.8);
  for (const c of res.candidates) {
    assert.equal(c.score, c.answer === "9" ? 1 : 0);
    assert.equal(c.stepScores!.length, 4); // 3 steps + the answer
    assert.equal(c.tokens, c.text.length);
  }
  assert.equal(res.cost.policyCalls, 1);
  assert.equal(res.cost.scorerCalls, 1);
  assert.equal(res.cost.tokens, res.candidates.reduce((a, c) => a + c.text.length, 0));
  assert.equal(res.trace.nodes.length, 9);
  assert.equal(res.trace.nodes.filter((x) => x.selected).length, 2); // root + the pick
});

Deno.test("sampling without a scorer: majority vote", async () => {
  const p = simProblem({ id: "m", steps: 1, pRight: 0.9, answer: "5" });
  const res = await samplingSearch(p, simulatedPolicy(), undefined, { n: 9, seed: 1 });
  assert.equal(res.answer, res.selections.majority.answer);
  assert.equal(res.selections.bestOfN.answer, null);
  assert.equal(res.cost.scorerCalls, 0);
  await assert.rejects(() => bestOfNSearch(p, simulatedPolicy(), undefined, {}), TypeError);
});

Deno.test("greedy: the most likely path, one call", async () => {
  const p = simProblem({ id: "g", steps: 2, pRight: [0.9, 0.2], answer: "5" });
  const res = await greedySearch(p, simulatedPolicy(), perfectScorer(), {});
  assert.equal(res.candidates[0].text, "step 1: ok\n\nstep 2: slip\n\n\\boxed{6}");
  assert.equal(res.answer, "6");
  assert.deepEqual(res.candidates[0].stepScores, [0.2, 0, 0]);
  assert.deepEqual([res.cost.policyCalls, res.cost.scorerCalls, res.cost.tokens], [1, 1, 35]);
});
