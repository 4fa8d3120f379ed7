/**
 * Compute curves for notebooks: accuracy (with a bootstrap CI) against tokens spent per problem,
 * one point per budget (a run at budget N, or k samples of one large run).
 *
 * @module
 */
import { correctValues } from "./accuracy.ts";
import { type AtKOptions, type Metric, metricAtK, tokensAtK } from "./at_k.ts";
import { bootstrapCI, mean } from "./bootstrap.ts";
import type { ProblemRecord } from "./records.ts";

/** One point of a compute curve. */
export interface CurvePoint {
  /** The budget's label (N, k, a config name). */
  label: string | number;
  /** Mean tokens per problem. */
  tokens: number;
  /** Mean accuracy over problems. */
  accuracy: number;
  /** Lower bound of the bootstrap CI of the accuracy. */
  lo: number;
  /** Upper bound of the bootstrap CI of the accuracy. */
  hi: number;
  /** Problems behind the point. */
  n: number;
}

/** Per-problem results of one budget: correctness (0/1 or expected) and tokens spent. */
export interface CurveRun {
  /** The budget's label. */
  label: string | number;
  /** One entry per problem. */
  records: readonly { correct: boolean | number; tokens: number }[];
}

/** Options of the curve helpers. */
export interface CurveOptions {
  /** Seed of the bootstrap (each point uses this seed). */
  seed: number;
  /** Bootstrap resamples; default 1000. */
  resamples?: number;
  /** Confidence level; default 0.95. */
  level?: number;
}

/**
 * One curve point per run: mean tokens per problem against accuracy with its percentile
 * bootstrap CI over problems.
 *
 * @example
 * ```ts
 * const runs = [
 *   { label: 4, records: [{ correct: true, tokens: 800 }, { correct: false, tokens: 900 }] },
 *   { label: 16, records: [{ correct: true, tokens: 3300 }, { correct: true, tokens: 3500 }] },
 * ];
 * computeCurve(runs, { seed: 0 }); // [{ label: 4, tokens: 850, accuracy: 0.5, ... }, ...]
 * ```
 */
export function computeCurve(runs: readonly CurveRun[], options: CurveOptions): CurvePoint[] {
  return runs.map(({ label, records }) => {
    if (records.length === 0) throw new RangeError(`curve point ${label}: no records`);
    const tokens = records.map((r, i) => {
      if (!Number.isFinite(r.tokens)) {
        throw new RangeError(`curve point ${label}: record ${i} has no token count`);
      }
      return r.tokens;
    });
    const ci = bootstrapCI(correctValues(records), options);
    return {
      label,
      tokens: mean(tokens),
      accuracy: ci.mean,
      lo: ci.lo,
      hi: ci.hi,
      n: records.length,
    };
  });
}

/**
 * A curve from one run with n samples per problem: for each k in `ks`, the metric at k (see
 * {@linkcode metricAtK}) against the tokens of k samples ({@linkcode tokensAtK}), so BoN / maj@k
 * curves at every budget come from one run. Every sample needs `tokens`.
 *
 * @example
 * ```ts
 * declare const records: import("./records.ts").ProblemRecord[];
 * const points = curveAtK(records, { metric: "maj", ks: [1, 2, 4, 8], seed: 0 });
 * ```
 */
export function curveAtK(
  records: readonly ProblemRecord[],
  options: CurveOptions & AtKOptions & { metric: Metric; ks: readonly number[] },
): CurvePoint[] {
  const { metric, ks, resamples, level, ...atK } = options;
  return computeCurve(
    ks.map((k) => {
      const values = metricAtK(records, metric, k, atK);
      const tokens = tokensAtK(records, k, atK.subsets);
      return { label: k, records: values.map((correct, i) => ({ correct, tokens: tokens[i] })) };
    }),
    { seed: options.seed, resamples, level },
  );
}
