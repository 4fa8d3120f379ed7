/**
 * Number formats shared by the notebook tables and sentences.
 *
 * @example
 * ```ts
 * import { pct, round1 } from "./format.ts";
 * pct(0.4567); // 45.7
 * round1(2.345); // 2.3
 * ```
 *
 * @module
 */

/**
 * A fraction in [0, 1] as percent with one decimal (paper numbers are in percent, ours in [0, 1]).
 *
 * @example
 * ```ts
 * pct(0.5); // 50
 * ```
 */
export const pct = (x: number): number => Math.round(x * 1000) / 10;

/**
 * Round to one decimal.
 *
 * @example
 * ```ts
 * round1(3.14159); // 3.1
 * ```
 */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
