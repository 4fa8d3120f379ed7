import assert from "node:assert/strict";
import { answerClasses } from "./answer_classes.ts";
import { bestOfN, majorityVote, weightedVote } from "./vote.ts";

/** A toy judge: `\frac{a}{b}` and decimals compare by value, anything else by text. */
function toyJudge(a: string, b: string): boolean {
  const value = (s: string) => {
    const f = /^\\frac\{(-?\d+)\}\{(\d+)\}$/.exec(s.trim());
    return f ? Number(f[1]) / Number(f[2]) : /^-?\d*\.?\d+$/.test(s.trim()) ? Number(s) : NaN;
  };
  const [x, y] = [value(a), value(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? a.trim() === b.trim() : Math.abs(x - y) < 1e-9;
}
const strict = (a: string, b: string) => a === b;

Deno.test("answerClasses: identical strings share a class without calling the judge", () => {
  let calls = 0;
  const counting = (a: string, b: string) => (calls++, toyJudge(a, b));
  const { classOf, representatives } = answerClasses(
    ["0.5", "0.5", " 0.5 ", null, "\\frac{1}{2}", "2", "2"],
    counting,
  );
  assert.deepEqual(classOf, [0, 0, 0, -1, 0, 1, 1]);
  assert.deepEqual(representatives, ["0.5", "2"]);
  assert.equal(calls, 2); // "\frac{1}{2}" vs "0.5", then "2" vs "0.5"
});

Deno.test("majorityVote: grader-equal answers vote together through the injected judge", () => {
  const answers = ["1", "\\frac{1}{2}", "0.5"];
  assert.deepEqual(majorityVote(answers, toyJudge), {
    index: 1,
    answer: "\\frac{1}{2}",
    weight: 2,
  });
  // With plain equality the three answers tie and the first one wins.
  assert.deepEqual(majorityVote(answers, strict), { index: 0, answer: "1", weight: 1 });
});

Deno.test("majorityVote: ties go to the first occurring answer; null answers abstain", () => {
  assert.deepEqual(majorityVote(["b", "a", "a", "b"], strict), {
    index: 0,
    answer: "b",
    weight: 2,
  });
  assert.deepEqual(majorityVote([null, null, "c", "d", "d"], strict), {
    index: 3,
    answer: "d",
    weight: 2,
  });
  assert.equal(majorityVote([null, null], strict), null);
  assert.equal(majorityVote([], strict), null);
});

Deno.test("weightedVote: the class with the largest score sum wins; ties to the first", () => {
  const v = weightedVote(["3", "4", "\\frac{8}{2}"], [0.9, 0.5, 0.45], toyJudge);
  assert.equal(v?.index, 1);
  assert.ok(Math.abs(v!.weight - 0.95) < 1e-12);
  assert.equal(weightedVote(["3", "4", "4"], [0.9, 0.5, 0.3], strict)?.answer, "3");
  assert.equal(weightedVote(["3", "4"], [0.5, 0.5], strict)?.index, 0);
  assert.equal(weightedVote([null, "4"], [5, 0.1], strict)?.answer, "4");
  assert.throws(() => weightedVote(["3"], [0.5, 0.1], strict), /1 answers but 2 scores/);
  assert.throws(() => weightedVote(["3"], [NaN], strict), /not a finite number/);
});

Deno.test("bestOfN: argmax with ties to the first; empty gives -1", () => {
  assert.equal(bestOfN([0.2, 0.9, 0.9, 0.1]), 1);
  assert.equal(bestOfN([-1, -3]), 0);
  assert.equal(bestOfN([]), -1);
  assert.throws(() => bestOfN([0.1, Infinity]), /score 1/);
});
