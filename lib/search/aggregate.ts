/**
 * Aggregation of per-step PRM scores into one solution score (docs/algorithms.md §1.3,
 * sal `utils/score.py::aggregate_scores`).
 *
 * @example
 * ```ts
 * import { aggregate } from "./aggregate.ts";
 * aggregate([0.9, 0.5, 0.8], "min"); // 0.5
 * ```
 *
 * @module
 */

/** How step scores become one score: `last` (sal default), `min` or `prod`. */
export type Aggregation = "last" | "min" | "prod";

/** All aggregation strategies, for flag validation. */
export const AGGREGATIONS: readonly Aggregation[] = ["last", "min", "prod"];

/**
 * Aggregate step scores (§1.3): `last` → `scores[-1]`, `min` → minimum, `prod` → product.
 * Throws `RangeError` on an empty list (sal would fail too).
 *
 * @example
 * ```ts
 * aggregate([0.5, 0.5], "prod"); // 0.25
 * ```
 */
export function aggregate(scores: readonly number[], how: Aggregation): number {
  if (scores.length === 0) throw new RangeError("aggregate: no step scores");
  switch (how) {
    case "last":
      return scores[scores.length - 1];
    case "min":
      return Math.min(...scores);
    case "prod":
      return scores.reduce((a, b) => a * b, 1);
    default:
      throw new RangeError(`unknown aggregation ${how as string}`);
  }
}
