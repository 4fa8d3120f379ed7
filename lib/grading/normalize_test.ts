import assert from "node:assert/strict";
import { normalizeAnswer } from "./normalize.ts";

Deno.test("normalizeAnswer: fractions, sizing and spacing commands", () => {
  assert.equal(normalizeAnswer("\\dfrac{1}{2}"), "\\frac{1}{2}");
  assert.equal(normalizeAnswer("\\tfrac83"), "\\frac{8}{3}");
  assert.equal(normalizeAnswer("\\left( 1, \\dfrac{3}{4} \\right)"), "(1,\\frac{3}{4})");
  assert.equal(normalizeAnswer("\\sqrt3 + \\!\\,x"), "\\sqrt{3}+x");
  assert.equal(normalizeAnswer("$\\boxed{7}$."), "7");
  assert.equal(normalizeAnswer("\\\\frac{1}{2}"), "\\frac{1}{2}");
});

Deno.test("normalizeAnswer: units, text, currency, thousands, mixed numbers", () => {
  assert.equal(normalizeAnswer("10\\text{ cm}^2"), "10");
  assert.equal(normalizeAnswer("15\\mbox{ cm}^2"), "15");
  assert.equal(normalizeAnswer("10 square units"), "10");
  assert.equal(normalizeAnswer("10cm"), "10"); // a short unit right after a whole-answer number
  assert.equal(normalizeAnswer("3s^2"), "3s^2"); // but not when it is raised to a power
  assert.equal(normalizeAnswer("\\$10,\\!000"), "10000");
  assert.equal(normalizeAnswer("7,425,000"), "7425000");
  assert.equal(normalizeAnswer("32, 349"), "32,349");
  assert.equal(normalizeAnswer("7 3/4"), "\\frac{31}{4}");
  assert.equal(normalizeAnswer("2\\frac58"), "\\frac{21}{8}");
  assert.equal(normalizeAnswer("\\text{Evelyn}"), "Evelyn");
  assert.equal(normalizeAnswer(".5"), "0.5");
});

Deno.test("normalizeAnswer: percent, degrees, relations, x \\in, approximations", () => {
  assert.equal(normalizeAnswer("28 percent"), "28\\%");
  assert.equal(normalizeAnswer("28%"), "28\\%");
  assert.equal(normalizeAnswer("90^\\circ"), "90^{\\circ}");
  assert.equal(normalizeAnswer("45°"), "45^{\\circ}");
  assert.equal(normalizeAnswer("x >= 5"), "x\\ge5");
  assert.equal(normalizeAnswer("x \\leq 5"), "x\\le5");
  assert.equal(normalizeAnswer("x \\in [0, 1)"), "[0,1)");
  assert.equal(normalizeAnswer("x=1/3\\approx0.33"), "x=1/3");
  assert.equal(normalizeAnswer("x\\approx 11"), "x=11");
  assert.equal(normalizeAnswer("\\pi r^2"), "\\pi r^2");
});
