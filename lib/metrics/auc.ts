/**
 * ROC AUC, pooled and within groups: how well scores rank positives above negatives, and how well
 * they do so among one problem's candidates (what a search choosing between them needs).
 *
 * @module
 */

/**
 * Area under the ROC curve of `scores` against binary `labels` (1 = positive), with ties counted
 * as one half (the Mann-Whitney U statistic divided by n₊·n₋). NaN when one class is missing.
 *
 * @example
 * ```ts
 * auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 * ```
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`auc: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // 1-based average rank of the tie block
    for (let t = i; t <= j; t++) {
      if (labels[order[t]] > 0) {
        pos++;
        rankSumPos += midRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * ROC AUC over pairs from the same group only (pooled over groups, ties one half): how well the
 * scores rank a positive above a negative **of the same problem**, which is what a search choosing
 * among one problem's candidates needs. Plain {@linkcode auc} also rewards telling easy problems
 * from hard ones. NaN when no group has both classes.
 *
 * @example
 * ```ts
 * // across groups the ranking is perfect, within each group it is inverted
 * withinGroupAuc([0.9, 0.8, 0.2, 0.1], [0, 1, 0, 1], [0, 0, 1, 1]); // 0
 * ```
 */
export function withinGroupAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: ArrayLike<number>,
): number {
  const by = new Map<number, { s: number[]; l: number[] }>();
  for (let i = 0; i < scores.length; i++) {
    const g = by.get(groups[i]) ?? { s: [], l: [] };
    g.s.push(scores[i]);
    g.l.push(labels[i] > 0 ? 1 : 0);
    by.set(groups[i], g);
  }
  let pairs = 0;
  let wins = 0;
  for (const { s, l } of by.values()) {
    const pos = l.reduce((a, b) => a + b, 0);
    const neg = l.length - pos;
    if (pos === 0 || neg === 0) continue;
    const a = auc(s, l);
    pairs += pos * neg;
    wins += a * pos * neg;
  }
  return pairs === 0 ? NaN : wins / pairs;
}
