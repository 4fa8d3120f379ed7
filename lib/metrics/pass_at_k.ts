/**
 * The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained
 * on Code": the probability that at least one of k samples drawn without replacement from n
 * samples, c of them correct, is correct.
 *
 * @module
 */

/**
 * Unbiased pass@k: `1 - C(n-c, k) / C(n, k)`, computed as the stable product
 * `1 - Π_{i=n-c+1}^{n} (1 - k/i)` (as search-and-learn's `utils/score.py`), so large n never
 * overflows. Requires integers `0 ≤ c ≤ n` and `1 ≤ k ≤ n`; throws a RangeError otherwise.
 *
 * @example
 * ```ts
 * passAtK(5, 2, 2); // 0.7
 * passAtK(10, 3, 1); // 0.3 (k = 1 is c/n)
 * ```
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) {
    throw new RangeError(`passAtK: n, c and k must be integers (got n=${n}, c=${c}, k=${k})`);
  }
  if (n < 1 || c < 0 || c > n) {
    throw new RangeError(`passAtK: need 0 <= c <= n and n >= 1 (got n=${n}, c=${c})`);
  }
  if (k < 1 || k > n) {
    throw new RangeError(`passAtK: need 1 <= k <= n (got k=${k}, n=${n})`);
  }
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}
