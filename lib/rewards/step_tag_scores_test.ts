import assert from "node:assert/strict";
import { stepTagScores, tagPositions } from "./step_tag_scores.ts";

const close = (a: number[], b: number[]) =>
  assert.ok(a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-12), `${a} vs ${b}`);
const sig = (x: number) => 1 / (1 + Math.exp(-x));

Deno.test("math-shepherd: P(+) over {+,-} at every tag token", () => {
  // Vocabulary of 4: 0 "+", 1 "-", 2 text, 3 "ки". Tokens: text ки text ки.
  const ids = [2, 3, 2, 3];
  const logits = [
    9,
    9,
    9,
    9,
    2,
    0,
    5,
    5, // tag 1: logit(+) − logit(−) = 2
    9,
    9,
    9,
    9,
    -1,
    1,
    0,
    0, // tag 2: −2
  ];
  const s = stepTagScores(ids, logits, 4, {
    format: "math-shepherd",
    tagId: 3,
    plusId: 0,
    minusId: 1,
  });
  close(s, [sig(2), sig(-2)]);
});

Deno.test("qwen-prm: class 1 of the 2-class logits at every <extra_0>", () => {
  const ids = [10, 99, 11, 99];
  const logits = [0, 0, 0.5, 1.5, 0, 0, 3, 0];
  close(stepTagScores(ids, logits, 2, { format: "qwen-prm", tagId: 99 }), [sig(1), sig(-3)]);
  assert.throws(
    () => stepTagScores(ids, new Array(12).fill(0), 3, { format: "qwen-prm", tagId: 99 }),
    /expects 2 class logits/,
  );
});

Deno.test("rlhflow: logits of the position predicting each assistant '+'", () => {
  // 0 "+", 1 "-", 5 6 = assistant header; a user "+" (not after the header) is ignored.
  const ids = [7, 0, 8, 5, 6, 0, 9, 5, 6, 0];
  const t = { format: "rlhflow" as const, plusId: 0, minusId: 1, assistantHeader: [5, 6] };
  assert.deepEqual(tagPositions(ids, t), [4, 8]);
  const logits = new Array(ids.length * 10).fill(0);
  logits[4 * 10 + 0] = 1; // P(+) at position 4 = σ(1)
  logits[8 * 10 + 1] = 2; // P(+) at position 8 = σ(−2)
  close(stepTagScores(ids, logits, 10, t), [sig(1), sig(-2)]);
});

Deno.test("stepTagScores rejects logits of the wrong size", () => {
  assert.throws(
    () =>
      stepTagScores([1, 2], [0, 0, 0], 2, {
        format: "math-shepherd",
        tagId: 1,
        plusId: 0,
        minusId: 1,
      }),
    /3 logits for 2 tokens × 2/,
  );
});
