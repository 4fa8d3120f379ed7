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

Deno.test("extractAnswer: inline math stays on one line; display math may span lines", () => {
  assert.equal(extractAnswer("Answer $$ \n 9 \n $$"), "9");
  assert.equal(extractAnswer("Answer \\[ \n 9 \n \\]"), "9");
  assert.equal(extractAnswer("It costs $5.\nThen $x$ is 2 and $y=3$"), "y=3");
  // Not a formula: the last-number fallback applies, or nothing in latexOnly mode.
  assert.equal(extractAnswer("Answer $ \n 9 \n $"), "9");
  assert.equal(extractAnswer("Answer $ \n 9 \n $", { latexOnly: true }), null);
  assert.equal(extractAnswer("Answer \\( \n 9 \n \\)", { latexOnly: true }), null);
});

Deno.test("extractAnswer: latexOnly takes boxes and formulas, never bare text or numbers", () => {
  const latex = { latexOnly: true };
  assert.equal(extractAnswer("Answer $ 9 $", latex), "9");
  assert.equal(extractAnswer("so $\\boxed{\\frac{1}{3}}$", latex), "\\frac{1}{3}");
  assert.equal(extractAnswer("The final answer is $7$. I hope it is correct.", latex), "7");
  assert.equal(extractAnswer("The final answer is 7. I hope it is correct.", latex), null);
  assert.equal(extractAnswer("I computed 40 then 42", latex), null);
  assert.equal(extractAnswer("9", latex), null);
});

Deno.test("extractAnswer: a stray $ in words is a currency sign; the number is the answer", () => {
  assert.equal(extractAnswer("Soucis : 2,74 $ a.."), "2,74");
  assert.equal(extractAnswer("costs $5 each"), "5");
  // No words: still a bare answer with the stray sign dropped.
  assert.equal(extractAnswer("$\\frac{1}{2}"), "\\frac{1}{2}");
  assert.equal(extractAnswer("$1,000.99"), "1,000.99");
});

Deno.test("extractAnswer: a last box whose brace never closes runs to the end of its line", () => {
  assert.equal(extractAnswer("so \\boxed{x = 1"), "x = 1");
  assert.equal(
    extractAnswer("\\\\boxed{W(n) = 1 \\\\text{ and } W(n) = -1"),
    "W(n) = 1 \\\\text{ and } W(n) = -1",
  );
  assert.equal(extractAnswer("\\boxed{5 $.\nmore text"), "5");
  // An open brace before a closed box does not hide the box.
  assert.equal(extractAnswer("\\boxed{ {x} then \\boxed{3}"), "3");
});
