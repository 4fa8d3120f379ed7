import assert from "node:assert/strict";
import { binaryMetrics, bootstrapCi, wilson } from "./stats.ts";
import { rng } from "../core/random.ts";

Deno.test("wilson interval matches the closed form", () => {
  const w = wilson(8, 10);
  // center = (0.8 + 1.96²/20)/(1 + 1.96²/10) = 0.7167; hw = 0.2265
  assert.ok(Math.abs(w.lo - 0.4902) < 1e-3, `lo ${w.lo}`);
  assert.ok(Math.abs(w.hi - 0.9433) < 1e-3, `hi ${w.hi}`);
  assert.equal(wilson(0, 0).halfWidth, 0.5);
  assert.ok(wilson(0, 5).lo === 0 && wilson(5, 5).hi === 1);
});

Deno.test("binaryMetrics counts and F1", () => {
  const m = binaryMetrics([1, 0, 1, 1], [1, 0, 0, 1]);
  assert.deepEqual([m.tp, m.fp, m.tn, m.fn], [2, 1, 1, 0]);
  assert.equal(m.accuracy, 0.75);
  assert.equal(m.f1, 0.8);
});

Deno.test("bootstrapCi brackets the mean and is seeded", () => {
  const xs = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
  const a = bootstrapCi(xs, mean, rng(1));
  const b = bootstrapCi(xs, mean, rng(1));
  assert.deepEqual(a, b);
  assert.ok(a.lo < 0.25 && a.hi > 0.25 && a.hi - a.lo < 0.2);
});
