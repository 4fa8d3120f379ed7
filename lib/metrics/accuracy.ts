/**
 * Accuracy: the fraction of problems whose final answer is correct.
 *
 * @module
 */

/**
 * Mean correctness of per-problem results, given as booleans, 0/1 numbers, or records with a
 * `correct` flag. Throws on an empty list (an accuracy of nothing is not 0).
 *
 * @example
 * ```ts
 * accuracy([{ correct: true }, { correct: false }, { correct: true }, { correct: true }]); // 0.75
 * accuracy([true, false]); // 0.5
 * ```
 */
export function accuracy(
  results: readonly (boolean | number | { correct: boolean | number })[],
): number {
  if (results.length === 0) throw new RangeError("accuracy of an empty list");
  let total = 0;
  for (const r of results) total += correctValue(r);
  return total / results.length;
}

/**
 * The 0/1 value of each result, for {@linkcode bootstrapCI} and curves.
 *
 * @example
 * ```ts
 * correctValues([{ correct: true }, { correct: false }]); // [1, 0]
 * ```
 */
export function correctValues(
  results: readonly (boolean | number | { correct: boolean | number })[],
): number[] {
  return results.map(correctValue);
}

function correctValue(r: boolean | number | { correct: boolean | number }): number {
  const v = typeof r === "object" ? r.correct : r;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && v >= 0 && v <= 1) return v;
  throw new RangeError(`not a correctness value: ${JSON.stringify(r)}`);
}
