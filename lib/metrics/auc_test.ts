import assert from "node:assert/strict";
import { auc, withinGroupAuc } from "./auc.ts";

Deno.test("auc matches a hand-counted case, with ties as one half", () => {
  // Positives {0.35, 0.8}, negatives {0.1, 0.4}: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3/4.
  assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  // One tie (0.5 vs 0.5) counts 1/2: pairs (0.5,0.2)=1, (0.5,0.5)=0.5 → 1.5/2.
  assert.equal(auc([0.5, 0.5, 0.2], [1, 0, 0]), 0.75);
  assert.equal(auc([3, 2, 1], [1, 1, 0]), 1);
  assert.equal(auc([1, 2, 3], [1, 1, 0]), 0);
  assert.ok(Number.isNaN(auc([1, 2], [1, 1])));
});

Deno.test("withinGroupAuc counts only pairs from one group", () => {
  // across groups the ranking is perfect, within each group inverted
  const scores = [0.9, 0.8, 0.2, 0.1];
  const labels = [0, 1, 0, 1];
  const groups = [0, 0, 1, 1];
  assert.equal(withinGroupAuc(scores, labels, groups), 0);
  assert.equal(auc([0.9, 0.2], [1, 0]), 1);
  // pooled by pairs: group 0 has 2×1 pairs (both right), group 1 has 1×1 (wrong) → 2/3
  assert.equal(withinGroupAuc([3, 2, 1, 5, 6], [1, 1, 0, 1, 0], [0, 0, 0, 1, 1]), 2 / 3);
  // a group with one class only adds nothing; no mixed group at all is NaN
  assert.ok(Number.isNaN(withinGroupAuc([1, 2], [1, 0], [0, 1])));
});
