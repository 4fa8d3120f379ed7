import assert from "node:assert/strict";
import { accuracy, correctValues } from "./accuracy.ts";

Deno.test("accuracy: records, booleans and 0/1 values", () => {
  assert.equal(
    accuracy([{ correct: true }, { correct: false }, { correct: true }, { correct: true }]),
    0.75,
  );
  assert.equal(accuracy([true, false]), 0.5);
  assert.equal(accuracy([1, 0, 0, 0]), 0.25);
  assert.deepEqual(correctValues([{ correct: true }, false, 0.5]), [1, 0, 0.5]);
});

Deno.test("accuracy: empty lists and non-correctness values are errors", () => {
  assert.throws(() => accuracy([]), /empty/);
  assert.throws(() => accuracy([2]), /not a correctness value/);
  // @ts-expect-error a record without a correct flag
  assert.throws(() => accuracy([{ answer: "1" }]), /not a correctness value/);
});
