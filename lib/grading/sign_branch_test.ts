import assert from "node:assert/strict";
import { isEquivalent } from "./equivalence.ts";

// Pairs that agree at every positive point but are different functions over the reals: the
// sign/branch check (each variable made negative, evaluated over the reals) must tell them apart.
const UNEQUAL: [string, string][] = [
  ["x", "\\sqrt{x^2}"],
  ["\\sqrt{x^2}", "x"],
  ["|x|", "x"],
  ["x", "|x|"],
  ["\\sqrt{x}^2", "x"],
  ["x", "(\\sqrt{x})^2"],
  ["\\ln(x^2)", "2\\ln x"],
  ["e^{\\ln x}", "x"],
  ["\\sqrt{x^2 y^2}", "xy"],
  ["\\frac{|x|}{x}", "1"],
  ["\\sqrt[4]{x^4}", "x"],
  ["x^{2/2}", "\\sqrt{x^2}"],
  ["\\sqrt{(x-1)^2}", "x-1"],
  ["|a|+|b|", "a+b"],
  ["\\sqrt{a^2}+b", "a+b"],
];

// Equal over the reals (or as written): the check must not reject them.
const EQUAL: [string, string][] = [
  ["|x|", "\\sqrt{x^2}"],
  ["\\sqrt[3]{x^3}", "x"],
  ["x^{2/3}", "\\sqrt[3]{x^2}"],
  ["\\sqrt[3]{x}^2", "x^{2/3}"],
  ["\\sqrt{2x}", "\\sqrt{2}\\sqrt{x}"],
  ["\\frac{\\sqrt{x}}{x}", "\\frac{1}{\\sqrt{x}}"],
  ["(x+1)^2", "x^2+2x+1"],
  ["\\ln(x^2)", "2\\ln|x|"],
  ["\\sqrt{x^2}", "|x|"],
  ["2\\sqrt{ab}", "\\sqrt{4ab}"],
];

Deno.test("sign/branch: no false positive when the sides differ for negative values", () => {
  for (const [g, p] of UNEQUAL) {
    const v = isEquivalent(g, p);
    assert.equal(v.equal, false, `${g} vs ${p} graded equal (${v.reason})`);
  }
});

Deno.test("sign/branch: sides equal over the reals stay equal", () => {
  for (const [g, p] of EQUAL) {
    const v = isEquivalent(g, p);
    assert.equal(v.equal, true, `${g} vs ${p} graded unequal (${v.reason})`);
  }
});

Deno.test("sign/branch: the reason names the negative point", () => {
  assert.match(isEquivalent("x", "\\sqrt{x^2}").reason, /negative point/);
  assert.match(isEquivalent("\\sqrt{x}^2", "x").reason, /domain/);
});

Deno.test("no false positive: order where it matters, and no loose tolerance", () => {
  // Bracketed tuples and labelled lists are ordered; bare lists are sets.
  assert.equal(isEquivalent("(7, 3, -1)", "(3, 7, -1)").equal, false);
  assert.equal(isEquivalent("(7, 3, -1)", "3, 7, -1").equal, false);
  assert.equal(isEquivalent("a=7, b=3, c=-1", "3, 7, -1").equal, false);
  assert.equal(isEquivalent("a=7, b=3, c=-1", "7, 3, -1").equal, true);
  assert.equal(isEquivalent("7, 3, -1", "3, 7, -1").equal, true);
  // A decimal is compared at its own precision.
  assert.equal(isEquivalent("100", "100.01").equal, false);
  assert.equal(isEquivalent("100.01", "100").equal, false);
  assert.equal(isEquivalent("3", "3.00001").equal, false);
});
