import assert from "node:assert/strict";
import { findStop } from "./stops.ts";

Deno.test("a stop spanning the previous delta is found", () => {
  // text grew from "x =" to "x = 1": the stop "= 1" starts before the new delta
  assert.deepEqual(findStop("x = 1", ["= 1"], 3), { stop: "= 1", start: 2, end: 5 });
  assert.equal(findStop("x = 2", ["= 1"], 3), null);
});

Deno.test("the stop that ends first wins, then the longest", () => {
  assert.deepEqual(findStop("ab\n\ncd", ["cd", "\n\n"], 0)?.stop, "\n\n");
  assert.deepEqual(findStop("a\n\n", ["\n", "\n\n"], 1)?.stop, "\n");
  assert.deepEqual(findStop("xyz", ["z", "yz"], 2), { stop: "yz", start: 1, end: 3 });
});

Deno.test("matches wholly before the look-back window are not reported again", () => {
  assert.equal(findStop("ab--cd", ["ab"], 4), null);
  assert.equal(findStop("abc", [""], 0), null);
});
