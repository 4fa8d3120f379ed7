/**
 * Resampling schemes for particle methods: multinomial, stratified, systematic and ordered
 * stratified (docs/algorithms.md §3.2 uses multinomial; §4.2 TSMC uses
 * `ordered_stratified_resampling_multi`).
 *
 * Each takes normalised or unnormalised non-negative weights and returns `n` ancestor indices
 * (default `n = weights.length`); every scheme is unbiased: the expected number of offspring of
 * particle `i` is `n · w_i / Σw`.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import { orderedStratified } from "./resampling.ts";
 * orderedStratified([0.1, 0.6, 0.3], rng(0)); // e.g. [2, 1, 1]
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";

/** A resampling scheme. */
export type Resampler = (weights: readonly number[], r: Rng, n?: number) => number[];

function normalised(weights: readonly number[]): number[] {
  let total = 0;
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`resampling: bad weight ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new RangeError("resampling: weights sum to zero");
  return weights.map((w) => w / total);
}

/** Index j = number of entries of `cs` that are ≤ u (numpy `searchsorted(side="right")`). */
function searchRight(cs: readonly number[], u: number): number {
  let lo = 0, hi = cs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cs[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inverse-CDF lookup at sorted points `us` over `w` in the given `order`. */
function invert(w: readonly number[], order: readonly number[], us: readonly number[]): number[] {
  const cs: number[] = [];
  let acc = 0;
  for (const i of order) cs.push(acc += w[i]);
  cs[cs.length - 1] = Math.max(cs[cs.length - 1], 1); // rounding: the last bin reaches 1
  return us.map((u) => {
    let j = Math.min(searchRight(cs, u), order.length - 1);
    while (w[order[j]] === 0 && j > 0) j--; // rounding landed on an empty bin at the top
    return order[j];
  });
}

/**
 * Multinomial: `n` independent draws from the weights (§3.2 PF: `np.random.choice(..., p=w)`).
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * multinomial([1, 1], rng(1), 4); // four draws from {0, 1}
 * ```
 */
export function multinomial(weights: readonly number[], r: Rng, n = weights.length): number[] {
  const w = normalised(weights);
  return Array.from({ length: n }, () => r.categorical(w));
}

/**
 * Stratified: one uniform per stratum, `u_k = (k + U_k) / n`, inverted through the CDF in the
 * given order.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * stratified([0.5, 0.5], rng(1)); // one index from each half: [0, 1]
 * ```
 */
export function stratified(weights: readonly number[], r: Rng, n = weights.length): number[] {
  const w = normalised(weights);
  const us = Array.from({ length: n }, (_, k) => (k + r.uniform()) / n);
  return invert(w, w.map((_, i) => i), us);
}

/**
 * Systematic: one uniform for all strata, `u_k = (k + U) / n`.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * systematic([0.25, 0.75], rng(1), 4); // [0, 1, 1, 1]
 * ```
 */
export function systematic(weights: readonly number[], r: Rng, n = weights.length): number[] {
  const w = normalised(weights);
  const u = r.uniform();
  const us = Array.from({ length: n }, (_, k) => (k + u) / n);
  return invert(w, w.map((_, i) => i), us);
}

/**
 * Ordered stratified, exactly TSMC's `ordered_stratified_resampling_multi` for one row (§4.2):
 * `u = (arange(n) + rand(n)) / n`; sort the weights ascending; `cs = cumsum(sorted)`;
 * `j = searchsorted(cs, u, side="right")`; return `sorted_idx[j]`. Ties in the sort keep index
 * order (stable), where numpy's default sort is not stable.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * orderedStratified([0.7, 0.1, 0.2], rng(3)); // mostly 0s, ordered by ascending weight
 * ```
 */
export function orderedStratified(
  weights: readonly number[],
  r: Rng,
  n = weights.length,
): number[] {
  const w = normalised(weights);
  const us = Array.from({ length: n }, (_, k) => (k + r.uniform()) / n);
  const order = w.map((_, i) => i).sort((a, b) => w[a] - w[b] || a - b);
  return invert(w, order, us);
}

/** The schemes by name, for options and flags. */
export const RESAMPLERS: Readonly<Record<string, Resampler>> = {
  multinomial,
  stratified,
  systematic,
  ordered_stratified: orderedStratified,
};
