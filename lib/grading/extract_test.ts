import assert from "node:assert/strict";
import { extractAnswer, lastBoxed } from "./extract.ts";

Deno.test("extractAnswer: last \\boxed with nested braces, \\fbox and \\boxed 5", () => {
  assert.equal(
    extractAnswer("first $\\boxed{1}$, then $\\boxed{\\frac{\\sqrt{2}}{2}}$."),
    "\\frac{\\sqrt{2}}{2}",
  );
  assert.equal(extractAnswer("the answer is \\fbox{42}"), "42");
  assert.equal(extractAnswer("so \\boxed 5 is it"), "5");
  assert.equal(
    extractAnswer("\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}"),
    "\\left( 3, \\frac{\\pi}{2} \\right)",
  );
  assert.equal(lastBoxed("$\\boxed{1}\\boxed{2}$"), "1, 2");
  assert.equal(lastBoxed("no box"), null);
});

Deno.test("extractAnswer: Minerva, PRM800K, GSM8K, 'The answer is'", () => {
  assert.equal(
    extractAnswer(
      "work...\nFinal Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.",
    ),
    "\\frac{3}{4}",
  );
  assert.equal(extractAnswer("Final Answer: The largest $n$ is 34."), "34");
  assert.equal(extractAnswer("We get 6 and then 5.\n\n# Answer\n\n5"), "5");
  assert.equal(extractAnswer("48/2 = 24 clips.\n#### 1,234"), "1,234");
  assert.equal(extractAnswer("Thus the answer is $x^2+1$. Done."), "x^2+1");
  assert.equal(extractAnswer("The answer is 7."), "7");
});

Deno.test("extractAnswer: multiple choice, last number, bare answers, null", () => {
  assert.equal(extractAnswer("The correct option is (B)."), "(B)");
  assert.equal(extractAnswer("so the answer is C"), "C");
  assert.equal(extractAnswer("I computed 40 then 41 and finally 42"), "42");
  assert.equal(extractAnswer("$\\frac{1}{2}$"), "\\frac{1}{2}");
  assert.equal(extractAnswer("x^2 + 2x + 1"), "x^2 + 2x + 1");
  assert.equal(extractAnswer("\\text{Evelyn}"), "\\text{Evelyn}");
  assert.equal(extractAnswer("Therefore $x \\geq 5$ is the solution."), "x \\geq 5");
  assert.equal(extractAnswer("no digits here at all"), null);
  assert.equal(extractAnswer(""), null);
  assert.equal(extractAnswer("5."), "5");
});
