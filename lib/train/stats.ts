/**
 * Small statistics used to judge labels and heads: ROC AUC, Wilson score intervals, binary
 * classification counts (accuracy, F1) and a seeded percentile bootstrap.
 *
 * The Wilson interval is the one AMCS uses for adaptive Monte-Carlo estimation (docs/algorithms.md
 * §8.2); its formula lives in `lib/metrics/wilson.ts`, this wrapper adds the half-width.
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { wilsonCenter } from "../metrics/wilson.ts";

/** A Wilson score interval. */
export interface Interval {
  /** Point estimate (successes / n; NaN when n = 0). */
  estimate: number;
  /** Lower end, clipped to [0, 1]. */
  lo: number;
  /** Upper end, clipped to [0, 1]. */
  hi: number;
  /** Half-width of the interval around its (Wilson) center. */
  halfWidth: number;
}

/**
 * Wilson score interval for `successes` out of `n` (z = 1.96 by default), as in AMCS §8.2.
 * With n = 0 the interval is [0, 1] with half-width 0.5.
 *
 * @example
 * ```ts
 * wilson(8, 10).lo; // ≈ 0.490
 * ```
 */
export function wilson(successes: number, n: number, z = 1.96): Interval {
  if (n <= 0) return { estimate: NaN, lo: 0, hi: 1, halfWidth: 0.5 };
  const { center, halfWidth } = wilsonCenter(successes, n, z);
  return {
    estimate: successes / n,
    lo: Math.max(0, center - halfWidth),
    hi: Math.min(1, center + halfWidth),
    halfWidth,
  };
}

/** Counts and derived metrics of binary predictions against binary truth. */
export interface BinaryMetrics {
  /** Number of pairs compared. */
  n: number;
  /** Predicted 1, truth 1. */
  tp: number;
  /** Predicted 1, truth 0. */
  fp: number;
  /** Predicted 0, truth 0. */
  tn: number;
  /** Predicted 0, truth 1. */
  fn: number;
  /** (tp + tn) / n. */
  accuracy: number;
  /** Harmonic mean of precision and recall of the positive class (NaN when undefined). */
  f1: number;
}

/**
 * Confusion counts, accuracy and F1 of `predicted` against `truth` (both 0/1). Choose which class
 * is "positive" by what you map to 1 (label quality tables use "step is an error" = 1).
 *
 * @example
 * ```ts
 * binaryMetrics([1, 0, 1, 1], [1, 0, 0, 1]).f1; // 0.8
 * ```
 */
export function binaryMetrics(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
): BinaryMetrics {
  if (predicted.length !== truth.length) {
    throw new Error(`binaryMetrics: ${predicted.length} predictions but ${truth.length} truths`);
  }
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] > 0, t = truth[i] > 0;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  const n = predicted.length;
  const f1 = 2 * tp + fp + fn === 0 ? NaN : (2 * tp) / (2 * tp + fp + fn);
  return { n, tp, fp, tn, fn, accuracy: n === 0 ? NaN : (tp + tn) / n, f1 };
}

/**
 * Seeded percentile bootstrap: resample the `units` with replacement `rounds` times, compute
 * `stat` on each resample and return the [α/2, 1−α/2] percentiles (α = 0.05 by default).
 * Resample whole units (problems), not steps, when steps of one problem are correlated.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
 * const ci = bootstrapCi([1, 0, 1, 1], mean, rng(7));
 * ```
 */
export function bootstrapCi<T>(
  units: readonly T[],
  stat: (sample: T[]) => number,
  random: Rng,
  { rounds = 1000, alpha = 0.05 }: { rounds?: number; alpha?: number } = {},
): { lo: number; hi: number } {
  if (units.length === 0) return { lo: NaN, hi: NaN };
  const values: number[] = [];
  const sample: T[] = new Array(units.length);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < units.length; i++) {
      sample[i] = units[random.int(units.length)];
    }
    const v = stat(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return { lo: NaN, hi: NaN };
  values.sort((a, b) => a - b);
  const at = (q: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return { lo: at(alpha / 2), hi: at(1 - alpha / 2) };
}
