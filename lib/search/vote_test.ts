import assert from "node:assert/strict";
import type { Candidate } from "../core/types.ts";
import { lastBoxed } from "../grading/mod.ts";
import { type AnswerJudge, boxedJudge, defaultJudge } from "./answers.ts";
import { answerClasses, bestOfN, majority, weightedMajority } from "./vote.ts";

const c = (answer: string | null, score?: number): Candidate => ({ text: "", answer, score });

Deno.test("majority: largest class, grader-equal answers vote together, first wins ties", () => {
  // "\\dfrac{1}{2}", "\\frac{1}{2}" and "0.5" are one class under the default judge
  const cs = [c("3"), c("\\dfrac{1}{2}"), c("\\frac{1}{2}"), c("3"), c(null), c("0.5")];
  assert.deepEqual(majority(cs), { answer: "\\dfrac{1}{2}", index: 1 });
  assert.deepEqual(majority(cs, boxedJudge), { answer: "3", index: 0 }); // 2 vs 2 vs 1: first
  assert.deepEqual(majority([c("a"), c("b"), c("b"), c("a")]), { answer: "a", index: 0 });
  assert.deepEqual(majority([c(null)]), { answer: null, index: -1 });
});

Deno.test("weighted majority: largest score sum; the judge decides the classes", () => {
  const cs = [c("7", 0.9), c("8", 0.3), c("8", 0.3), c("8", 0.2)];
  assert.deepEqual(majority(cs), { answer: "8", index: 1 });
  assert.deepEqual(weightedMajority(cs), { answer: "7", index: 0 }); // 0.9 > 0.8
  // exact string equality keeps "7" and "7.0" apart (0.5 | 0.7 | 0.4 → "8"); a numeric judge,
  // the light boxed judge (grader normalisation) and the default judge merge them (0.9 vs 0.7)
  const ds = [c("7", 0.5), c("8", 0.3), c("8", 0.3), c("7.0", 0.4), c("8", 0.1)];
  const numeric: AnswerJudge = { extract: lastBoxed, same: (a, b) => Number(a) === Number(b) };
  const exact: AnswerJudge = { extract: lastBoxed, same: (a, b) => a === b };
  assert.deepEqual(weightedMajority(ds, exact), { answer: "8", index: 1 });
  assert.deepEqual(weightedMajority(ds, boxedJudge), { answer: "7", index: 0 });
  assert.equal(answerClasses(ds, numeric).length, 2);
  assert.deepEqual(weightedMajority(ds, numeric), { answer: "7", index: 0 });
  assert.deepEqual(weightedMajority(ds), { answer: "7", index: 0 });
  assert.deepEqual(weightedMajority([c("1"), c("2")]), { answer: null, index: -1 });
});

Deno.test("best-of-N: the highest score, first on ties, unscored skipped", () => {
  assert.deepEqual(bestOfN([c("a", 0.2), c("b", 0.7), c("c", 0.7), c("d")]), {
    answer: "b",
    index: 1,
  });
  assert.deepEqual(bestOfN([c("a"), c(null, 0.1)]), { answer: null, index: 1 });
  assert.deepEqual(bestOfN([]), { answer: null, index: -1 });
});

Deno.test("boxed judge: last boxed, nested braces, light normalisation", () => {
  assert.equal(boxedJudge.extract("\\boxed{1} so \\boxed{\\frac{a}{b}}."), "\\frac{a}{b}");
  assert.equal(boxedJudge.extract("no answer"), null);
  assert.equal(boxedJudge.extract("\\boxed{unclosed"), null, "cut off inside its box");
  assert.equal(defaultJudge.extract("\\boxed{x \\in [1,2]} then \\boxed{1 \\le x"), "x \\in [1,2]");
  assert.ok(defaultJudge.same("(2,\\infty)", "x > 2") && defaultJudge.same("x > 2", "(2,\\infty)"));
  assert.ok(boxedJudge.same("\\left( 1, 2 \\right)", "(1,2)"));
  assert.ok(!boxedJudge.same("12", "21"));
});
