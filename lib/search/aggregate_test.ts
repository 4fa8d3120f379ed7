import assert from "node:assert/strict";
import { aggregate } from "./aggregate.ts";
import { splitSteps } from "./steps.ts";

Deno.test("aggregate: last, min, prod (§1.3)", () => {
  assert.equal(aggregate([0.9, 0.5, 0.8], "last"), 0.8);
  assert.equal(aggregate([0.9, 0.5, 0.8], "min"), 0.5);
  assert.ok(Math.abs(aggregate([0.9, 0.5, 0.8], "prod") - 0.36) < 1e-12);
  assert.throws(() => aggregate([], "last"), RangeError);
});

Deno.test("splitSteps keeps delimiters and round-trips", () => {
  assert.deepEqual(splitSteps("a\n\nb\n\nc"), ["a\n\n", "b\n\n", "c"]);
  assert.deepEqual(splitSteps("a\n\nb\n\n"), ["a\n\n", "b\n\n"]);
  assert.deepEqual(splitSteps(""), [""]);
  for (const t of ["x", "\n\n\n\nq", "a\n\n\n"]) assert.equal(splitSteps(t).join(""), t);
});
