import assert from "node:assert/strict";
import { fork, type Rng, rng } from "../core/random.ts";
import {
  multinomial,
  orderedStratified,
  RESAMPLERS,
  stratified,
  systematic,
} from "./resampling.ts";

Deno.test("resampling: every scheme is unbiased (mean offspring = N·w_i)", () => {
  const w = [0.05, 0.3, 0, 0.15, 0.4, 0.1];
  const n = w.length;
  const draws = 20_000;
  for (const [name, scheme] of Object.entries(RESAMPLERS)) {
    const r = rng(fork(1, name));
    const counts = new Array(n).fill(0);
    for (let d = 0; d < draws; d++) for (const i of scheme(w, r)) counts[i]++;
    for (let i = 0; i < n; i++) {
      const mean = counts[i] / draws;
      // multinomial variance bounds the others: Var(offspring_i) ≤ N w_i (1 - w_i)
      const se = Math.sqrt(n * w[i] * (1 - w[i]) / draws);
      assert.ok(
        Math.abs(mean - n * w[i]) <= 4 * se + 1e-12,
        `${name} ${i}: ${mean} vs ${n * w[i]}`,
      );
    }
  }
});

Deno.test("resampling: stratified schemes keep offspring within floor/ceil of N·w_i", () => {
  const w = [0.12, 0.38, 0.5];
  const r = rng(5);
  for (const scheme of [systematic, orderedStratified]) {
    for (let d = 0; d < 2000; d++) {
      const counts = [0, 0, 0];
      for (const i of scheme(w, r, 10)) counts[i]++;
      w.forEach((wi, i) => {
        assert.ok(counts[i] >= Math.floor(10 * wi) - (scheme === systematic ? 0 : 1));
        assert.ok(counts[i] <= Math.ceil(10 * wi) + (scheme === systematic ? 0 : 1));
      });
    }
  }
  // stratified never exceeds the strata a weight covers: w=[0.5,0.5], n=2 → one of each
  for (let d = 0; d < 100; d++) assert.deepEqual(stratified([1, 1], r).sort(), [0, 1]);
});

Deno.test("ordered stratified: exactly §4.2 on a hand case", () => {
  const half: Rng = { uniform: () => 0.5, normal: () => 0, int: () => 0, categorical: () => 0 };
  // u = [1/6, 1/2, 5/6]; ascending order [1 (0.2), 2 (0.3), 0 (0.5)]; cs = [0.2, 0.5, 1]
  // searchsorted right: 1/6 → 0, 1/2 → 2, 5/6 → 2  ⇒ sorted_idx[[0, 2, 2]] = [1, 0, 0]
  assert.deepEqual(orderedStratified([0.5, 0.2, 0.3], half), [1, 0, 0]);
  assert.deepEqual(systematic([0.25, 0.75], half, 4), [0, 1, 1, 1]);
  assert.throws(() => multinomial([0, 0], half), RangeError);
  assert.throws(() => stratified([1, NaN], half), RangeError);
});
