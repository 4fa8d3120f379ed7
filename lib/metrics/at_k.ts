/**
 * Per-problem metrics at k samples — pass@k, maj@k, weighted@k and best-of-N@k — over
 * {@linkcode ProblemRecord}s that hold n ≥ k samples each. Each function returns one value in
 * [0, 1] per record (same order), ready for {@linkcode bootstrapCI} or a mean.
 *
 * How k samples are chosen from n (`subsets`):
 * - `"expected"` (default): the expected value over a uniformly random k-subset of the n samples
 *   (kept in generation order, so "first occurring" ties still refer to generation order). This
 *   is what a run with only k samples would score on average, and uses all n samples.
 *   pass@k uses the unbiased estimator; best-of-N is exact (closed form over score ranks);
 *   maj@k and weighted@k are exact by enumerating all C(n, k) subsets when there are at most
 *   `exactLimit` (default 5000) of them, and otherwise the mean over `subsetDraws` (default 1000)
 *   random subsets drawn from a stream seeded by `seed` (default 0) and the problem id, so each
 *   problem's value does not depend on the other records.
 * - `"prefix"`: the first k samples only, as search-and-learn's `utils/score.py` (which keeps
 *   groups of M beams contiguous); use it to reproduce sal's tables. pass@k is still unbiased.
 *
 * Correctness of a sample is its `correct` flag, else `same(gold, answer)`. Answers group into
 * classes with `same` (see {@linkcode answerClasses}: classes are formed once over all n samples).
 *
 * @module
 */
import { fork, rng } from "../core/random.ts";
import { answerClasses } from "./answer_classes.ts";
import { passAtK } from "./pass_at_k.ts";
import { type ProblemRecord, type Same, sampleCorrectness } from "./records.ts";
import { graderSame } from "./same.ts";
import { checkScores, voteOn } from "./vote.ts";

/** How k of n samples are chosen; see the module documentation. */
export type Subsets = "expected" | "prefix";

/** Options of the at-k metrics. */
export interface AtKOptions {
  /** Answer equivalence; default {@linkcode graderSame} (lib/grading's `isEquivalent`). */
  same?: Same;
  /** `"expected"` over random k-subsets (default) or the first k samples (`"prefix"`). */
  subsets?: Subsets;
  /** Seed of the random subsets (only used when enumeration is too large); default 0. */
  seed?: number;
  /** Random subsets drawn per problem when not enumerating; default 1000. */
  subsetDraws?: number;
  /** Enumerate all subsets when C(n, k) is at most this; default 5000. */
  exactLimit?: number;
}

/** The metrics computed by {@linkcode metricAtK}. */
export type Metric = "pass" | "maj" | "weighted" | "best";

/**
 * Unbiased pass@k of each record (Chen et al. 2021; see {@linkcode passAtK}).
 *
 * @example
 * ```ts
 * const rec = { id: "1", gold: "4", samples: [{ answer: "4" }, { answer: "5" }, { answer: null }] };
 * passAtKScores([rec], 2, { same: (a, b) => a === b }); // [2/3]
 * ```
 */
export function passAtKScores(
  records: readonly ProblemRecord[],
  k: number,
  options: AtKOptions = {},
): number[] {
  const same = options.same ?? graderSame;
  return records.map((r) => {
    checkK(r, k);
    const c = sampleCorrectness(r, same).filter((x) => x).length;
    return passAtK(r.samples.length, c, k);
  });
}

/**
 * maj@k of each record: the majority answer among k samples (grader-equal answers vote together,
 * null answers abstain, ties go to the class occurring first) is correct. With
 * `subsets: "expected"` it is the expected value over random k-subsets (module docs).
 *
 * @example
 * ```ts
 * const same = (a: string, b: string) => Number(a) === Number(b);
 * const rec = { id: "1", gold: "0.5", samples: ["0.5", ".5", "3"].map((answer) => ({ answer })) };
 * majAtKScores([rec], 3, { same }); // [1]
 * majAtKScores([rec], 1, { same }); // [2/3]
 * ```
 */
export function majAtKScores(
  records: readonly ProblemRecord[],
  k: number,
  options: AtKOptions = {},
): number[] {
  const same = options.same ?? graderSame;
  return records.map((r) => {
    checkK(r, k);
    const correct = sampleCorrectness(r, same);
    const { classOf } = answerClasses(r.samples.map((s) => s.answer), same);
    return overSubsets(r, k, options, (subset) => {
      const winner = voteOn(classOf, subset);
      return winner >= 0 && correct[winner] ? 1 : 0;
    });
  });
}

/**
 * Weighted@k of each record: the answer class with the largest sum of sample scores among k
 * samples (ties to the class occurring first) is correct. Every sample needs a finite `score`.
 *
 * @example
 * ```ts
 * const rec = {
 *   id: "1", gold: "3",
 *   samples: [{ answer: "3", score: 0.9 }, { answer: "4", score: 0.5 }, { answer: "4", score: 0.3 }],
 * };
 * weightedAtKScores([rec], 3, { same: (a, b) => a === b }); // [1]
 * ```
 */
export function weightedAtKScores(
  records: readonly ProblemRecord[],
  k: number,
  options: AtKOptions = {},
): number[] {
  const same = options.same ?? graderSame;
  return records.map((r) => {
    checkK(r, k);
    const scores = scoresOf(r);
    const correct = sampleCorrectness(r, same);
    const { classOf } = answerClasses(r.samples.map((s) => s.answer), same);
    return overSubsets(r, k, options, (subset) => {
      const winner = voteOn(classOf, subset, scores);
      return winner >= 0 && correct[winner] ? 1 : 0;
    });
  });
}

/**
 * Best-of-N@k of each record: the highest-scored of k samples (first on ties) is correct. With
 * `subsets: "expected"` this is exact: ranking samples by (score desc, index asc), the sample at
 * rank r wins a random k-subset with probability C(n-1-r, k-1) / C(n, k).
 *
 * @example
 * ```ts
 * const rec = { id: "1", gold: "3", samples: [{ answer: "4", score: 0.2 }, { answer: "3", score: 0.8 }] };
 * bestOfNAtKScores([rec], 2, { same: (a, b) => a === b }); // [1]
 * bestOfNAtKScores([rec], 1, { same: (a, b) => a === b }); // [0.5]
 * ```
 */
export function bestOfNAtKScores(
  records: readonly ProblemRecord[],
  k: number,
  options: AtKOptions = {},
): number[] {
  const same = options.same ?? graderSame;
  return records.map((r) => {
    checkK(r, k);
    const scores = scoresOf(r);
    const correct = sampleCorrectness(r, same);
    const n = scores.length;
    const best = (subset: readonly number[]) =>
      subset.reduce((b, i) => (scores[i] > scores[b] ? i : b), subset[0]);
    if ((options.subsets ?? "expected") === "prefix") {
      return correct[best(prefix(k))] ? 1 : 0;
    }
    const ranked = prefix(n).sort((a, b) => scores[b] - scores[a] || a - b);
    let p = k / n; // probability that rank 0 wins
    let value = 0;
    for (let rank = 0; rank <= n - k && p > 0; rank++) {
      if (correct[ranked[rank]]) value += p;
      p *= (n - rank - k) / (n - 1 - rank);
    }
    return Math.min(1, value);
  });
}

/**
 * One of the at-k metrics by name, for tables and curves.
 *
 * @example
 * ```ts
 * const recs = [{ id: "1", gold: "4", samples: [{ answer: "4" }, { answer: "5" }] }];
 * metricAtK(recs, "maj", 1, { same: (a, b) => a === b }); // [0.5]
 * ```
 */
export function metricAtK(
  records: readonly ProblemRecord[],
  metric: Metric,
  k: number,
  options: AtKOptions = {},
): number[] {
  switch (metric) {
    case "pass":
      return passAtKScores(records, k, options);
    case "maj":
      return majAtKScores(records, k, options);
    case "weighted":
      return weightedAtKScores(records, k, options);
    case "best":
      return bestOfNAtKScores(records, k, options);
    default:
      throw new RangeError(`unknown metric "${metric}" (pass, maj, weighted, best)`);
  }
}

/**
 * Tokens spent on k samples of each record: k × the mean tokens per sample (`"expected"`) or the
 * sum over the first k samples (`"prefix"`). Every sample needs a finite `tokens`.
 *
 * @example
 * ```ts
 * const rec = { id: "1", gold: "1", samples: [{ answer: "1", tokens: 10 }, { answer: "2", tokens: 30 }] };
 * tokensAtK([rec], 1); // [20]
 * tokensAtK([rec], 1, "prefix"); // [10]
 * ```
 */
export function tokensAtK(
  records: readonly ProblemRecord[],
  k: number,
  subsets: Subsets = "expected",
): number[] {
  return records.map((r) => {
    checkK(r, k);
    const tokens = r.samples.map((s, i) => {
      if (typeof s.tokens !== "number" || !Number.isFinite(s.tokens)) {
        throw new RangeError(`problem ${r.id}: sample ${i} has no token count`);
      }
      return s.tokens;
    });
    if (subsets === "prefix") return tokens.slice(0, k).reduce((a, b) => a + b, 0);
    return (k * tokens.reduce((a, b) => a + b, 0)) / tokens.length;
  });
}

function checkK(record: ProblemRecord, k: number): void {
  const n = record.samples.length;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`problem ${record.id}: need 1 <= k <= n samples (got k=${k}, n=${n})`);
  }
}

function scoresOf(record: ProblemRecord): number[] {
  const scores = record.samples.map((s) => s.score as number);
  checkScores(scores, `problem ${record.id}: `);
  return scores;
}

function prefix(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** Mean of `value(subset)` over the k-subsets the options ask for (module docs). */
function overSubsets(
  record: ProblemRecord,
  k: number,
  options: AtKOptions,
  value: (subset: readonly number[]) => number,
): number {
  const n = record.samples.length;
  if ((options.subsets ?? "expected") === "prefix") return value(prefix(k));
  const exactLimit = options.exactLimit ?? 5000;
  if (binomialAtMost(n, k, exactLimit)) {
    let total = 0;
    let count = 0;
    const subset = prefix(k);
    while (true) {
      total += value(subset);
      count++;
      if (!nextCombination(subset, n)) break;
    }
    return total / count;
  }
  const draws = options.subsetDraws ?? 1000;
  if (!Number.isInteger(draws) || draws < 1) {
    throw new RangeError(`subsetDraws must be a positive integer (got ${draws})`);
  }
  const r = rng(fork(options.seed ?? 0, "metrics/subsets", record.id, k));
  const pool = prefix(n);
  let total = 0;
  for (let t = 0; t < draws; t++) {
    for (let i = 0; i < k; i++) {
      const j = i + r.int(n - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    total += value(pool.slice(0, k).sort((a, b) => a - b));
  }
  return total / draws;
}

/** Whether C(n, k) ≤ limit, without overflowing. */
function binomialAtMost(n: number, k: number, limit: number): boolean {
  const m = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= m; i++) {
    c = (c * (n - m + i)) / i;
    if (c > limit) return false;
  }
  return c <= limit;
}

/** Advance `subset` (increasing indices in [0, n)) to the next combination; false at the end. */
function nextCombination(subset: number[], n: number): boolean {
  const k = subset.length;
  let i = k - 1;
  while (i >= 0 && subset[i] === n - k + i) i--;
  if (i < 0) return false;
  subset[i]++;
  for (let j = i + 1; j < k; j++) subset[j] = subset[j - 1] + 1;
  return true;
}
