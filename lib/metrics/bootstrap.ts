/**
 * Seeded percentile-bootstrap confidence intervals over per-problem values: resample problems
 * with replacement, recompute the statistic, take the empirical quantiles. The same seed gives
 * the same interval on every run and platform.
 *
 * @module
 */
import { fork, rng } from "../core/random.ts";

/** A point estimate and its confidence interval. */
export interface Interval {
  /** The statistic on the full data (the mean, for the default statistic). */
  mean: number;
  /** Lower bound. */
  lo: number;
  /** Upper bound. */
  hi: number;
}

/** Options of {@linkcode bootstrapCI}. */
export interface BootstrapOptions {
  /** Seed of the resampling stream (required: intervals must be reproducible). */
  seed: number;
  /** Bootstrap resamples; default 1000. */
  resamples?: number;
  /** The statistic; default the mean. */
  stat?: (values: readonly number[]) => number;
  /** Confidence level; default 0.95. */
  level?: number;
}

/**
 * Arithmetic mean; throws on an empty list.
 *
 * @example
 * ```ts
 * mean([1, 0, 1, 1]); // 0.75
 * ```
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of an empty list");
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/**
 * Percentile bootstrap CI of `stat(values)` (default: 95% CI of the mean from 1000 resamples).
 * Quantiles interpolate linearly between order statistics (numpy's default). Values must be
 * finite; an empty list throws.
 *
 * @example
 * ```ts
 * const correct = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1];
 * const { mean, lo, hi } = bootstrapCI(correct, { seed: 0 }); // mean 0.7, lo ≈ 0.4, hi ≈ 1
 * ```
 */
export function bootstrapCI(values: readonly number[], options: BootstrapOptions): Interval {
  const { resamples, stat, level } = checkOptions(values, options);
  const r = rng(fork(options.seed, "metrics/bootstrap"));
  const n = values.length;
  const sample = new Array<number>(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = values[r.int(n)];
    stats[b] = stat(sample);
  }
  return { mean: stat(values), ...percentiles(stats, level) };
}

/**
 * Paired bootstrap CI of `stat(a) - stat(b)` for two methods scored on the same problems
 * (`a[i]`, `b[i]` are problem i): both are resampled with the same indices, which is what makes
 * the comparison honest. An interval excluding 0 says the difference is unlikely to be noise.
 *
 * @example
 * ```ts
 * const beam = [1, 1, 0, 1, 1, 0, 1, 1];
 * const bon = [1, 0, 0, 1, 0, 0, 1, 1];
 * pairedBootstrapCI(beam, bon, { seed: 0 }); // mean 0.25, lo and hi around it
 * ```
 */
export function pairedBootstrapCI(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions,
): Interval {
  if (a.length !== b.length) {
    throw new RangeError(`paired bootstrap needs equal lengths (got ${a.length} and ${b.length})`);
  }
  checkOptions(b, options);
  const { resamples, stat, level } = checkOptions(a, options);
  const r = rng(fork(options.seed, "metrics/paired-bootstrap"));
  const n = a.length;
  const sa = new Array<number>(n);
  const sb = new Array<number>(n);
  const stats = new Float64Array(resamples);
  for (let t = 0; t < resamples; t++) {
    for (let i = 0; i < n; i++) {
      const j = r.int(n);
      sa[i] = a[j];
      sb[i] = b[j];
    }
    stats[t] = stat(sa) - stat(sb);
  }
  return { mean: stat(a) - stat(b), ...percentiles(stats, level) };
}

/**
 * The q-quantile of values, interpolating linearly between order statistics (numpy's default).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError("quantile of an empty list");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1] (got ${q})`);
  const sorted = Float64Array.from(values).sort();
  return sortedQuantile(sorted, q);
}

function sortedQuantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < sorted.length ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

function percentiles(stats: Float64Array, level: number): { lo: number; hi: number } {
  stats.sort();
  const alpha = (1 - level) / 2;
  return { lo: sortedQuantile(stats, alpha), hi: sortedQuantile(stats, 1 - alpha) };
}

function checkOptions(values: readonly number[], options: BootstrapOptions) {
  if (values.length === 0) throw new RangeError("bootstrap of an empty list");
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`bootstrap: value ${i} is not finite (${values[i]})`);
    }
  }
  if (typeof options?.seed !== "number" || !Number.isFinite(options.seed)) {
    throw new RangeError("bootstrap: a numeric seed is required");
  }
  const resamples = options.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`bootstrap: resamples must be a positive integer (got ${resamples})`);
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`bootstrap: level must be in (0, 1) (got ${level})`);
  }
  return { resamples, stat: options.stat ?? mean, level };
}
