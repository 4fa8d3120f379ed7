import assert from "node:assert/strict";
import { extractAnswer } from "./extract.ts";
import { gradeAnswer } from "./grade.ts";
import { eq } from "./testdata/rule_eq.ts";

Deno.test("several answers: boxes and formulas joined by connectors", () => {
  assert.equal(extractAnswer("so $\\boxed{3}$ and $\\boxed{-5}$."), "3, -5");
  assert.ok(gradeAnswer("\\boxed{-5,3}", "Thus \\boxed{3} and \\boxed{-5}.").correct);
  assert.ok(gradeAnswer("2,4", "$2$ and $4$").correct);
  assert.ok(eq("(9,2) or (2,9)", "(2,9),(9,2)"));
  // Boxes in different paragraphs are not joined.
  assert.equal(extractAnswer("\\boxed{2}.\n\nFinal Answer\n\\boxed{2}"), "2");
});
