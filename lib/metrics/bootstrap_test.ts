import assert from "node:assert/strict";
import { bootstrapCI, mean, pairedBootstrapCI, quantile } from "./bootstrap.ts";
import { wilsonInterval } from "./wilson.ts";

// 30 correct out of 100 problems.
const values = Array.from({ length: 100 }, (_, i) => (i % 10 < 3 ? 1 : 0));

Deno.test("bootstrapCI: identical for the same seed, different for another seed", () => {
  const a = bootstrapCI(values, { seed: 7 });
  assert.deepEqual(bootstrapCI(values, { seed: 7 }), a);
  const b = bootstrapCI(values, { seed: 8 });
  assert.equal(b.mean, a.mean);
  assert.ok(a.lo !== b.lo || a.hi !== b.hi, "another seed gives another interval");
});

Deno.test("bootstrapCI: covers the mean and agrees with Wilson on a known case", () => {
  const ci = bootstrapCI(values, { seed: 0, resamples: 2000 });
  assert.equal(ci.mean, 0.3);
  assert.ok(ci.lo < 0.3 && 0.3 < ci.hi, JSON.stringify(ci));
  // Normal approximation: 0.3 ± 1.96·sqrt(0.3·0.7/100) = [0.210, 0.390].
  assert.ok(Math.abs(ci.lo - 0.21) < 0.03 && Math.abs(ci.hi - 0.39) < 0.03, JSON.stringify(ci));
  const w = wilsonInterval(30, 100);
  assert.ok(Math.abs(ci.lo - w.lo) < 0.03 && Math.abs(ci.hi - w.hi) < 0.03);
});

Deno.test("bootstrapCI: constant data has a zero-width interval; lower level is narrower", () => {
  assert.deepEqual(bootstrapCI([1, 1, 1, 1], { seed: 1 }), { mean: 1, lo: 1, hi: 1 });
  const wide = bootstrapCI(values, { seed: 3 });
  const narrow = bootstrapCI(values, { seed: 3, level: 0.5 });
  assert.ok(narrow.hi - narrow.lo < wide.hi - wide.lo);
});

Deno.test("bootstrapCI: a custom statistic", () => {
  const median = (xs: readonly number[]) => quantile(xs, 0.5);
  const ci = bootstrapCI([1, 2, 3, 4, 100], { seed: 0, stat: median });
  assert.equal(ci.mean, 3);
  assert.ok(ci.lo >= 1 && ci.hi <= 100 && ci.lo <= 3 && ci.hi >= 3);
});

Deno.test("bootstrapCI: empty data, missing seed, non-finite values are errors", () => {
  assert.throws(() => bootstrapCI([], { seed: 0 }), /empty/);
  // @ts-expect-error the seed is required
  assert.throws(() => bootstrapCI([1], {}), /seed is required/);
  assert.throws(() => bootstrapCI([1, NaN], { seed: 0 }), /value 1 is not finite/);
  assert.throws(() => bootstrapCI([1], { seed: 0, resamples: 0 }), /resamples/);
  assert.throws(() => bootstrapCI([1], { seed: 0, level: 1 }), /level/);
});

Deno.test("pairedBootstrapCI: a consistent gain excludes 0; identical methods give 0", () => {
  const b = values;
  const a = b.map((v, i) => (i % 10 === 5 ? 1 : v)); // +10 points on the same problems
  const diff = pairedBootstrapCI(a, b, { seed: 0 });
  assert.ok(Math.abs(diff.mean - 0.1) < 1e-12);
  assert.ok(diff.lo > 0 && diff.hi < 0.2, JSON.stringify(diff));
  assert.deepEqual(pairedBootstrapCI(b, b, { seed: 0 }), { mean: 0, lo: 0, hi: 0 });
  assert.deepEqual(pairedBootstrapCI(a, b, { seed: 0 }), diff);
  assert.throws(() => pairedBootstrapCI([1], [1, 0], { seed: 0 }), /equal lengths/);
});

Deno.test("mean and quantile", () => {
  assert.equal(mean([1, 0, 1, 1]), 0.75);
  assert.throws(() => mean([]), /empty/);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([4, 1, 3, 2], 0), 1);
  assert.equal(quantile([4, 1, 3, 2], 1), 4);
  assert.ok(Math.abs(quantile([1, 2, 3, 4, 5], 0.1) - 1.4) < 1e-12);
});
