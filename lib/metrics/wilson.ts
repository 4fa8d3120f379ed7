/**
 * The Wilson score interval for a binomial proportion: a closed-form CI for accuracy that stays
 * inside [0, 1] and behaves at 0 and n successes, unlike the normal approximation.
 *
 * @module
 */
import type { Interval } from "./bootstrap.ts";

/**
 * Wilson score interval for `successes` out of `n` (default z = 1.959964, a 95% interval). `mean`
 * is the observed proportion `successes / n`.
 *
 * @example
 * ```ts
 * wilsonInterval(7, 10); // { mean: 0.7, lo: ≈0.3968, hi: ≈0.8922 }
 * ```
 */
export function wilsonInterval(
  successes: number,
  n: number,
  options: { z?: number } = {},
): Interval {
  const z = options.z ?? 1.959963984540054;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`wilson: n must be a positive integer (got ${n})`);
  }
  if (!(successes >= 0 && successes <= n)) {
    throw new RangeError(`wilson: need 0 <= successes <= n (got ${successes} of ${n})`);
  }
  if (!(z > 0) || !Number.isFinite(z)) {
    throw new RangeError(`wilson: z must be positive (got ${z})`);
  }
  const { center, halfWidth } = wilsonCenter(successes, n, z);
  return {
    mean: successes / n,
    lo: Math.max(0, center - halfWidth),
    hi: Math.min(1, center + halfWidth),
  };
}

/**
 * The Wilson interval's center and half-width before clipping to [0, 1]:
 * `center = (p̂ + z²/2n)/(1 + z²/n)`, `halfWidth = z·sqrt(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n)`.
 * AMCS (docs/algorithms.md §8.2) stops sampling when the half-width is small enough. No argument
 * checks: callers pass `n ≥ 1` and `0 ≤ successes ≤ n`.
 *
 * @example
 * ```ts
 * wilsonCenter(8, 10, 1.96).halfWidth; // ≈ 0.213
 * ```
 */
export function wilsonCenter(
  successes: number,
  n: number,
  z: number,
): { center: number; halfWidth: number } {
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  return {
    center: (p + z2 / (2 * n)) / denom,
    halfWidth: (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom,
  };
}
