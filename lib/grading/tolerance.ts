/**
 * When two numbers count as equal. Documented in lib/grading/README.md:
 * - both sides exact (no decimal point anywhere): relative 1e-9 (floating noise only);
 * - a decimal literal on either side: relative 1e-4 (MARIO_EVAL uses 1e-3 relative below 1 and
 *   5e-3 absolute above; Math-Verify rounds to 6 decimals); two plain decimals must moreover agree
 *   when the finer one is rounded to the coarser one's decimals (`.35625` is not `.35626`);
 * - the gold is a decimal with k >= 2 decimals and the prediction is an exact expression: also
 *   equal when the prediction rounds to the gold at k decimals (`7.78` vs `\frac{70}{9}`).
 *
 * @module
 */

/** Relative and absolute tolerance. */
export interface Tolerance {
  /** Relative to the larger magnitude. */
  rel: number;
  /** Floor for values near zero. */
  abs: number;
}

/** Tolerance when no decimal literal is involved: floating-point noise only. */
export const EXACT_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-10 };
/** Tolerance when either side was written with a decimal point. */
export const DECIMAL_TOLERANCE: Tolerance = { rel: 1e-4, abs: 1e-8 };

/**
 * `|a - b| <= max(rel * max(|a|, |b|), abs)`; equal infinities are equal.
 *
 * @example
 * ```ts
 * close(3.1416, Math.PI, DECIMAL_TOLERANCE); // true
 * close(3.14, Math.PI, DECIMAL_TOLERANCE); // false
 * ```
 */
export function close(a: number, b: number, tol: Tolerance): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(tol.rel * Math.max(Math.abs(a), Math.abs(b)), tol.abs);
}

/**
 * True when `exact` rounds to `gold` at `decimals` places (half a unit in the last place).
 *
 * @example
 * ```ts
 * roundsTo(70 / 9, 7.78, 2); // true
 * ```
 */
export function roundsTo(exact: number, gold: number, decimals: number): boolean {
  const half = 0.5 * 10 ** -decimals;
  return Math.abs(exact - gold) <= half * (1 + 1e-9) + 1e-12;
}

/**
 * True when `decimal`, written with `decimals` digits after the point, is `exact` rounded or cut
 * (truncated) to that precision, give or take float noise. So `3.14` is pi, `0.667` and `0.666` are
 * 2/3, but `3.15` is not pi and `100.01` is not 100.
 *
 * @example
 * ```ts
 * withinPrecision(Math.PI, 3.14, 2); // true
 * withinPrecision(100, 100.01, 2); // false
 * ```
 */
export function withinPrecision(exact: number, decimal: number, decimals: number): boolean {
  const ulp = 10 ** -decimals;
  const noise = 4 * Number.EPSILON * Math.max(1, Math.abs(exact), Math.abs(decimal));
  const diff = Math.abs(exact - decimal);
  if (diff <= 0.5 * ulp * (1 + 1e-9) + noise) return true;
  const cut = Math.sign(exact) === Math.sign(decimal) && Math.abs(decimal) <= Math.abs(exact);
  return cut && diff < ulp * (1 - 1e-9) + noise;
}
