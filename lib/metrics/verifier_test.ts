import assert from "node:assert/strict";
import { type ScoredCandidate, verifierReport } from "./verifier.ts";

const same = (a: string, b: string) => a === b;
const c = (answer: string, correct: boolean, stepScores: number[], stepTruth?: boolean[]) =>
  ({ answer, correct, stepScores, stepTruth }) as ScoredCandidate;

Deno.test("verifierReport: within-problem AUC ignores which problem is easy", () => {
  // problem 0: everything scores high; problem 1: everything low; within each, right > wrong
  const problems = [
    [c("5", true, [0.95]), c("6", false, [0.9]), c("6", false, [0.9])],
    [c("7", true, [0.2]), c("8", false, [0.1])],
  ];
  const r = verifierReport(problems, { seed: 0, same });
  assert.equal(r.finalAuc, 1);
  assert.equal(r.bestOfN.mean, 1);
  // majority picks the wrong "6" on problem 0
  assert.equal(r.majority.mean, 0.5);
  assert.equal(r.bestOfNVsMajority.mean, 0.5);
  assert.equal(r.passAtN, 1);
  assert.ok(Math.abs(r.random - (1 / 3 + 1 / 2) / 2) < 1e-12);
});

Deno.test("verifierReport: step AUC compares steps at one index of one problem only", () => {
  // the scores fall with the step index, as the truth does: pooled, that would look perfect
  const problems = [[
    c("1", true, [0.9, 0.5], [true, true]),
    c("2", false, [0.95, 0.6], [true, false]),
  ]];
  const r = verifierReport(problems, { seed: 0, same });
  assert.equal(r.stepAuc, 0, "at index 1 the wrong step scores higher; index 0 has no pair");
  assert.equal(r.finalAuc, 0);
  assert.equal(r.bestOfN.mean, 0, "the argmax is the wrong candidate");
  assert.equal(r.weightedMajority.mean, 0);
});

Deno.test("verifierReport: ties go to the first candidate, as best-of-N does", () => {
  const r = verifierReport([[c("3", false, [0.5]), c("4", true, [0.5])]], { seed: 0, same });
  assert.equal(r.bestOfN.mean, 0);
  assert.equal(r.finalAuc, 0.5);
});
