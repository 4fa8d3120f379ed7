import assert from "node:assert/strict";
import { isLabel, unlabel } from "./labels.ts";
import { eq } from "./testdata/rule_eq.ts";

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
