import assert from "node:assert/strict";
import { isEquivalent } from "./equivalence.ts";
import { extractAnswer } from "./extract.ts";
import { gradeAnswer } from "./grade.ts";
import { isLabel, unlabel } from "./labels.ts";
import { normalizeAnswer } from "./normalize.ts";
import { clockSeconds, decimalComma } from "./readings.ts";
import { relationAsInterval } from "./relation.ts";
import { shapeOf } from "./structure.ts";
import { withinPrecision } from "./tolerance.ts";

const eq = (g: string, p: string) => isEquivalent(g, p).equal;

Deno.test("relation <-> interval: one-sided, two-sided, |z| bounds", () => {
  const rel = (s: string) => {
    const sh = shapeOf(normalizeAnswer(s));
    return sh.kind === "relation" ? relationAsInterval(sh) : null;
  };
  assert.equal(rel("y > 2"), "(2,\\infty)");
  assert.equal(rel("x \\le 3"), "(-\\infty,3]");
  assert.equal(rel("-1 \\le t \\le 4"), "[-1,4]");
  assert.equal(rel("x+y > 2"), null);
  assert.ok(eq("-1 \\le t \\le 4", "t \\in [-1,4]"));
  assert.ok(eq("-1 \\le t \\le 4", "[-1,4]"));
  assert.ok(eq("y > 2", "(2,\\infty)"));
  assert.ok(eq("0<g(t)<1", "(0,1)"));
  assert.ok(eq("1\\leq|z|\\leq \\frac{3}{2}", "[-\\frac{3}{2}, -1] \\cup [1, \\frac{3}{2}]"));
  assert.ok(!eq("y > 2", "[2,\\infty)"));
  assert.ok(!eq("-1 < t \\le 4", "[-1,4]"));
});

Deno.test("several answers: boxes and formulas joined by connectors", () => {
  assert.equal(extractAnswer("so $\\boxed{3}$ and $\\boxed{-5}$."), "3, -5");
  assert.ok(gradeAnswer("\\boxed{-5,3}", "Thus \\boxed{3} and \\boxed{-5}.").correct);
  assert.ok(gradeAnswer("2,4", "$2$ and $4$").correct);
  assert.ok(eq("(9,2) or (2,9)", "(2,9),(9,2)"));
  // Boxes in different paragraphs are not joined.
  assert.equal(extractAnswer("\\boxed{2}.\n\nFinal Answer\n\\boxed{2}"), "2");
});

Deno.test("labels: name = value, ratios, fractions of names, |PQ|", () => {
  assert.ok(isLabel("PQ") && isLabel("|PQ|") && isLabel("A_1:A_2") && isLabel("\\frac{PM}{MQ}"));
  assert.ok(!isLabel("2x") && !isLabel("\\pi"));
  assert.deepEqual(unlabel(["m = 12", "n = 5"])?.values, ["12", "5"]);
  assert.ok(eq("PQ=6, RS=8", "6, 8"));
  assert.ok(eq("m = 12, n = 5", "12, 5"));
  assert.ok(eq("a=3,b=1;a=5,b=1", "(3,1),(5,1)"));
  assert.ok(eq("A_1:A_2=3:5", "3:5"));
  assert.ok(eq("\\frac{PM}{MQ}=\\frac{2}{\\sqrt3}", "\\frac{2}{\\sqrt3}"));
  assert.ok(eq("|PQ|=7", "7"));
  assert.ok(eq("y_1 = 2x+1, y_2 = x-3", "2x+1, x-3"));
  assert.ok(!eq("7 = 11a+c", "11a+c"));
});

Deno.test("decimal comma, units, times, mixed numbers, plain-text math", () => {
  assert.equal(decimalComma("2500,75"), "2500.75");
  assert.equal(decimalComma("1,234"), null);
  assert.ok(eq("2500.75", "2500,75"));
  assert.ok(!eq("1,2", "12") && eq("1,234", "1234") && !eq("\\{1,2\\}", "1.2"));
  for (const u of ["4m", "\\text{4 m}", "4 apples", "4s"]) assert.ok(eq("4", u), u);
  assert.equal(clockSeconds("14:05"), clockSeconds("14:05:00"));
  assert.ok(eq("14:05", "14:05:00") && eq("20:34", "08:34 \\text{P.M.}") && !eq("12:00", "1:00"));
  assert.ok(eq("\\frac{5}{2}", "2 1\\frac{1}{4}"));
  assert.ok(eq("\\frac{9}{2}", "1 \\frac{1}{2} + 3"));
  assert.ok(eq("x^3", "x**3") && eq("\\infty", "oo"));
});

Deno.test("precision-aware decimals, both directions", () => {
  assert.ok(withinPrecision(2 / 3, 0.667, 3) && withinPrecision(Math.PI, 3.14, 2));
  assert.ok(eq("\\frac{2}{3}", "0.667") && eq("0.667", "\\frac{2}{3}"));
  assert.ok(eq("2.667", "\\frac23+2") && eq("\\pi", "3.14") && eq("3.14", "\\pi"));
  assert.ok(!eq("\\frac{1}{3}", "0.3") && !eq("100", "100.01") && !eq("\\pi", "3.15"));
});
