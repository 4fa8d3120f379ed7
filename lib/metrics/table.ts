/**
 * A results table over sampled runs: each metric at each k with its bootstrap CI, the numbers a
 * paper table reports (pass@k, maj@k, weighted@k, best-of-N@k).
 *
 * @module
 */
import { type AtKOptions, type Metric, metricAtK } from "./at_k.ts";
import { bootstrapCI } from "./bootstrap.ts";
import type { ProblemRecord } from "./records.ts";

/** One cell group of a metric table. */
export interface TableRow {
  /** Which metric. */
  metric: Metric;
  /** Samples per problem. */
  k: number;
  /** Mean over problems. */
  mean: number;
  /** Lower bound of the bootstrap CI. */
  lo: number;
  /** Upper bound of the bootstrap CI. */
  hi: number;
  /** Problems. */
  n: number;
}

/** Options of {@linkcode metricTable}. */
export interface TableOptions extends AtKOptions {
  /** Seed of the bootstrap (and of random subsets, when used). */
  seed: number;
  /** Metrics to compute; default `["pass", "maj"]` (weighted and best need sample scores). */
  metrics?: readonly Metric[];
  /** Values of k; default the powers of two up to the smallest sample count (as sal). */
  ks?: readonly number[];
  /** Bootstrap resamples; default 1000. */
  resamples?: number;
  /** Confidence level; default 0.95. */
  level?: number;
}

/**
 * Every requested metric at every k over the records, with percentile bootstrap CIs over
 * problems. Rows are ordered by metric, then k.
 *
 * @example
 * ```ts
 * declare const records: import("./records.ts").ProblemRecord[];
 * for (const row of metricTable(records, { seed: 0, metrics: ["pass", "maj", "weighted"] })) {
 *   console.log(`${row.metric}@${row.k}: ${row.mean} [${row.lo}, ${row.hi}]`);
 * }
 * ```
 */
export function metricTable(records: readonly ProblemRecord[], options: TableOptions): TableRow[] {
  if (records.length === 0) throw new RangeError("metricTable: no records");
  const { metrics = ["pass", "maj"], ks, resamples, level, ...atK } = options;
  const minN = Math.min(...records.map((r) => r.samples.length));
  const kList = ks ?? powersOfTwoUpTo(minN);
  const rows: TableRow[] = [];
  for (const metric of metrics) {
    for (const k of kList) {
      const values = metricAtK(records, metric, k, atK);
      const ci = bootstrapCI(values, { seed: options.seed, resamples, level });
      rows.push({ metric, k, mean: ci.mean, lo: ci.lo, hi: ci.hi, n: values.length });
    }
  }
  return rows;
}

function powersOfTwoUpTo(n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= n; k *= 2) out.push(k);
  return out;
}
