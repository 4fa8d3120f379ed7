import assert from "node:assert/strict";
import { isEquivalent } from "./equivalence.ts";
import { sameStructure } from "./structural.ts";

const ctx = { deadline: Infinity, seed: 1, maxLength: 1000, maxDepth: 40 };

Deno.test("sameStructure: canonical trees, sums and products in any order", () => {
  const s = "\\sum_{k=0}^{n-1} F_k F_{n-k-1}";
  assert.ok(sameStructure(s, "\\sum_{k=0}^{n-1} F_{n-k-1} F_k", ctx));
  assert.ok(sameStructure(s, "\\sum_{k=0}^{n-1} F_{n-1-k} F_k", ctx)); // n-1-k = n-k-1 by value
  assert.ok(sameStructure("\\sum_{k=1}^{n} k^2", "\\sum_{k=1}^{n} k \\cdot k", ctx));
  assert.ok(!sameStructure(s, "\\sum_{k=0}^{n-2} F_k F_{n-k-2}", ctx));
  assert.ok(!sameStructure(s, "\\sum_{k=1}^{n-1} F_k F_{n-k-1}", ctx));
  // Evaluable parts go through the sign/branch check: no false positive from positive points.
  assert.ok(!sameStructure("\\sum_{k=1}^{n} \\sqrt{x^2} k", "\\sum_{k=1}^{n} x k", ctx));
});

Deno.test("expressions that cannot be evaluated are compared by structure", () => {
  const g = "F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}";
  assert.ok(isEquivalent(g, "F_n = \\sum_{k=0}^{n-1} F_{n-k-1} F_k").equal);
  assert.ok(!isEquivalent(g, "F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}").equal);
  assert.equal(
    isEquivalent("\\sum_{k=0}^{n-1} F_k", "\\sum_{k=0}^{n-1} F_k + 0").reason,
    "same canonical structure",
  );
});
