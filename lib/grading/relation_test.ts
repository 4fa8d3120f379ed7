import assert from "node:assert/strict";
import { isEquivalent } from "./equivalence.ts";
import { normalizeAnswer } from "./normalize.ts";
import { relationAsInterval } from "./relation.ts";
import { shapeOf } from "./structure.ts";
import { eq } from "./testdata/rule_eq.ts";

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

Deno.test("set/relation asymmetry: a gold set does not take a predicted relation by default", () => {
  // A gold relation is read as its set against a predicted interval (Math-Verify's default) ...
  assert.ok(eq("-2 \\le x \\le 7", "x \\in [-2,7]"));
  assert.ok(eq("-1 \\le t \\le 4", "t \\in [-1,4]"));
  // ... but a gold interval or union does not accept a relation unless asked to.
  assert.ok(!eq("x \\in [-2,7]", "-2 \\le x \\le 7"));
  assert.ok(!eq("(2,\\infty)", "y > 2"));
  assert.ok(!eq("[-1,4]", "-1 \\le t \\le 4"));
  const both = { allowSetRelationComp: true };
  assert.ok(isEquivalent("x \\in [-2,7]", "-2 \\le x \\le 7", both).equal);
  assert.ok(isEquivalent("(2,\\infty)", "y > 2", both).equal);
  assert.ok(!isEquivalent("(2,\\infty)", "y \\ge 2", both).equal);
});
