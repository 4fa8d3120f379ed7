/**
 * Split a batch of sequences into groups of similar length.
 *
 * A batched decode step pads every row to the longest one, and on a small model a step's time is
 * mostly per row and position (the graph copies the whole K/V cache into `present.*` each step),
 * so one short row beside a long one costs as much as a long one. Running rows in a few groups of
 * similar length instead trades that padding for a fixed cost per extra run.
 *
 * @module
 */

/**
 * Groups (indices into `lengths`) minimising `Σ (splitCost + rows × longest)` over groups, where
 * a sequence `i` brings `weights[i]` rows (default 1) and `splitCost` is the fixed cost of one run
 * in row-positions. Exact, by dynamic programming over the sequences sorted by length; groups come
 * shortest first and each is sorted by length.
 *
 * @example
 * ```ts
 * lengthGroups([30, 300, 32, 310], 100); // [[0, 2], [1, 3]]
 * lengthGroups([30, 300, 32, 310], 10_000); // [[0, 2, 1, 3]]
 * ```
 */
export function lengthGroups(
  lengths: readonly number[],
  splitCost: number,
  weights?: readonly number[],
): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const n = order.length;
  if (n === 0) return [];
  const w = order.map((i) => weights?.[i] ?? 1);
  // best[j]: cheapest cost of the first j sorted sequences; from[j]: where its last group starts
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let j = 1; j <= n; j++) {
    let rows = 0;
    const longest = lengths[order[j - 1]];
    for (let i = j - 1; i >= 0; i--) {
      rows += w[i];
      const cost = best[i] + splitCost + rows * longest;
      if (cost < best[j]) {
        best[j] = cost;
        from[j] = i;
      }
    }
  }
  const groups: number[][] = [];
  for (let j = n; j > 0; j = from[j]) groups.unshift(order.slice(from[j], j));
  return groups;
}
