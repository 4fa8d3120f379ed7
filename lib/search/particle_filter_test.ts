import assert from "node:assert/strict";
import {
  perfectScorer,
  simProblem,
  simProblemSet,
  simulatedPolicy,
} from "../models/simulated/mod.ts";
import { particleFilterSearch, particleWeights } from "./particle_filter.ts";

Deno.test("PF weights = softmax(logit(r) / T) on a hand case", () => {
  const w = particleWeights([0.5, 0.8, 0.2], 1); // odds 1, 4, 1/4
  [1, 4, 0.25].forEach((x, i) => assert.ok(Math.abs(w[i] - x / 5.25) < 1e-12));
  const w2 = particleWeights([0.5, 0.8, 0.2], 0.5); // odds squared: 1, 16, 1/16
  [1, 16, 1 / 16].forEach((x, i) => assert.ok(Math.abs(w2[i] - x / (17 + 1 / 16)) < 1e-12));
  const w3 = particleWeights([0, 1], 1); // clipped, no NaN
  assert.ok(w3[1] > 0.999999 && w3[0] >= 0);
});

Deno.test("PF: rewards are lastOnly prefix scores; answer is the best last reward", async () => {
  const p = simProblem({ id: "pf", steps: 4, pRight: 0.6, answer: "8" });
  const calls: boolean[] = [];
  const base = perfectScorer();
  const spy = {
    name: "spy",
    score: (reqs: Parameters<typeof base.score>[0], o?: { lastOnly?: boolean }) => {
      calls.push(o?.lastOnly === true && reqs.every((r) => r.steps.length === 1));
      return base.score(reqs, o);
    },
  };
  const res = await particleFilterSearch(p, simulatedPolicy(), spy, { n: 8, seed: 3 });
  assert.ok(calls.length > 0 && calls.every((x) => x));
  assert.equal(res.candidates.length, 8);
  const best = Math.max(...res.candidates.map((c) => c.score!));
  assert.equal(res.answer, res.candidates.find((c) => c.score === best)!.answer);
  for (const c of res.candidates) {
    assert.ok(c.text.includes("\\boxed")); // every particle ran until inactive
    assert.equal(c.stepScores!.length, 5);
  }
  // genealogy: depth-t nodes have depth-(t-1) parents
  for (const x of res.trace.nodes) {
    if (x.parent !== null) assert.equal(res.trace.nodes[x.parent].depth, x.depth - 1);
  }
});

Deno.test("PF with a perfect scorer solves problems where some particle can", async () => {
  const problems = simProblemSet({ count: 20, steps: [3, 5], pRight: [0.6, 0.95], seed: 8 });
  for (const [k, p] of problems.entries()) {
    const res = await particleFilterSearch(p, simulatedPolicy(), perfectScorer(), {
      n: 16,
      seed: k,
    });
    assert.equal(res.answer, p.answer, p.id);
  }
});

Deno.test("PF: maxSteps stops particles; resampleInactive=false keeps finished ones", async () => {
  const p = simProblem({ id: "pf2", steps: 6, pRight: 0.9, answer: "8" });
  const res = await particleFilterSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 4,
    maxSteps: 2,
  });
  for (const c of res.candidates) assert.equal(c.stepScores!.length, 2);
  const res2 = await particleFilterSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 4,
    resampleInactive: false,
    seed: 1,
  });
  assert.equal(res2.candidates.length, 4);
});
