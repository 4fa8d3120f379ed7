/**
 * Difficulty levels of the synthetic world: which levels exist, how many operations a level's
 * problems have, the number ranges and caps on intermediate values, and the shared draws of
 * fractions and divisors that keep every step an admissible integer.
 *
 * @example
 * ```ts
 * import { CAPS, LEVELS } from "./levels.ts";
 * LEVELS.map((l) => CAPS[l]); // [30, 60, 99, 99, 150]
 * ```
 *
 * @module
 */

import { gcd, type Rat } from "./rational.ts";
import { pick, randInt, type Rng } from "./random.ts";

/**
 * Difficulty levels, easiest first.
 *
 * @example
 * ```ts
 * LEVELS.includes(3); // true
 * ```
 */
export const LEVELS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * Level of one-operation drill problems (`Calculate 47 + 8.`, `Find the remainder when 47 is
 * divided by 5.`): never in the evaluation split; mixed into training with
 * {@linkcode TrainStreamOptions.drillFraction} so a small model sees more arithmetic per token.
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * generateProblem(1, 0, DRILL_LEVEL, "expr").plan.steps.length; // 1
 * ```
 */
export const DRILL_LEVEL = 0;

/**
 * Largest intermediate value at each level (index = level).
 *
 * @example
 * ```ts
 * CAPS[1]; // 30
 * ```
 */
export const CAPS: readonly number[] = [150, 30, 60, 99, 99, 150];

/**
 * Number of operations (steps before the answer step) at a level.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * opsForLevel(mulberry32(1), 2); // 2
 * ```
 */
export function opsForLevel(rng: Rng, level: number): number {
  return [1, 2, 3, 4, randInt(rng, 5, 6), randInt(rng, 7, 8)][level];
}

/**
 * Per-level number ranges: starting amounts, added amounts, factors and box sizes.
 *
 * @example
 * ```ts
 * const r: LevelRanges = RANGES[1]; // { start: 20, add: 9, mul: 5, box: 5 }
 * ```
 */
export interface LevelRanges {
  start: number;
  add: number;
  mul: number;
  box: number;
}

/**
 * The number ranges of each level (index = level).
 *
 * @example
 * ```ts
 * RANGES[5].start; // 60
 * ```
 */
export const RANGES: readonly LevelRanges[] = [
  { start: 99, add: 40, mul: 9, box: 9 },
  { start: 20, add: 9, mul: 5, box: 5 },
  { start: 30, add: 9, mul: 5, box: 9 },
  { start: 50, add: 9, mul: 9, box: 9 },
  { start: 50, add: 9, mul: 9, box: 9 },
  { start: 60, add: 20, mul: 9, box: 9 },
];

/** Denominators used by fraction literals. */
const DENOMS = [2, 3, 4, 5, 6, 8, 10];

/**
 * A random fraction p/q (0 < p < q, lowest terms) with q dividing v, or null.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * fractionFor(mulberry32(1), 12); // e.g. { n: 3, d: 4 }
 * ```
 */
export function fractionFor(rng: Rng, v: number): Rat | null {
  const qs = DENOMS.filter((q) => v % q === 0 && v >= q);
  if (qs.length === 0) return null;
  const q = pick(rng, qs);
  const ps = [];
  for (let p = 1; p < q; p++) if (gcd(p, q) === 1) ps.push(p);
  return { n: pick(rng, ps), d: q };
}

/**
 * Divisors of v in [lo, hi] (v itself excluded).
 *
 * @example
 * ```ts
 * divisors(12, 2, 9); // [2, 3, 4, 6]
 * ```
 */
export function divisors(v: number, lo: number, hi: number): number[] {
  const out = [];
  for (let k = lo; k <= Math.min(hi, v - 1); k++) if (v % k === 0) out.push(k);
  return out;
}
