import assert from "node:assert/strict";
import { withinPrecision } from "./tolerance.ts";
import { eq } from "./testdata/rule_eq.ts";

Deno.test("precision-aware decimals, both directions", () => {
  assert.ok(withinPrecision(2 / 3, 0.667, 3) && withinPrecision(Math.PI, 3.14, 2));
  assert.ok(eq("\\frac{2}{3}", "0.667") && eq("0.667", "\\frac{2}{3}"));
  assert.ok(eq("2.667", "\\frac23+2") && eq("\\pi", "3.14") && eq("3.14", "\\pi"));
  assert.ok(!eq("\\frac{1}{3}", "0.3") && !eq("100", "100.01") && !eq("\\pi", "3.15"));
});
