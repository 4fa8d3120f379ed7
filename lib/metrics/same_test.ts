import assert from "node:assert/strict";
import { majAtKScores } from "./at_k.ts";
import { graderSame } from "./same.ts";
import { majorityVote } from "./vote.ts";

Deno.test("graderSame: lib/grading's equivalence", () => {
  assert.equal(graderSame("\\frac{1}{2}", "0.5"), true);
  assert.equal(graderSame("3", "4"), false);
});

Deno.test("maj@k by default groups \\frac{1}{2} with 0.5 through lib/grading", () => {
  assert.equal(majorityVote(["1", "\\frac{1}{2}", "0.5"], graderSame)?.weight, 2);
  const record = {
    id: "half",
    gold: "\\dfrac{1}{2}",
    samples: ["1", "\\frac{1}{2}", "0.5"].map((answer) => ({ answer })),
  };
  assert.deepEqual(majAtKScores([record], 3), [1]);
  assert.deepEqual(majAtKScores([record], 3, { same: (a, b) => a === b }), [0]);
});
