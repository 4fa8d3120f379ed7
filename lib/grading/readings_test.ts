import assert from "node:assert/strict";
import { clockSeconds, decimalComma } from "./readings.ts";
import { eq } from "./testdata/rule_eq.ts";

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
