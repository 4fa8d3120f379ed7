/**
 * Best-of-N (docs/algorithms.md §2.2): N independent solutions, the one with the highest aggregated
 * PRM score wins. A thin wrapper over {@linkcode samplingSearch} with `select: "bon"`; the
 * result also carries the majority and weighted-majority answers of the same samples.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { bestOfNSearch } from "./best_of_n.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const res = await bestOfNSearch(problem, policy, prm, { n: 16, aggregation: "last" });
 * ```
 *
 * @module
 */
import type { Policy, Problem, Scorer } from "../core/types.ts";
import { type SamplingOptions, type SamplingResult, samplingSearch } from "./sampling.ts";

/** Options of {@linkcode bestOfNSearch}: those of sampling without `select`. */
export type BestOfNOptions = Omit<SamplingOptions, "select">;

/**
 * Run best-of-N; requires a scorer.
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const { answer } = await bestOfNSearch("What is 2+3?", policy, prm, { n: 4 });
 * ```
 */
export function bestOfNSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: BestOfNOptions = {},
): Promise<SamplingResult> {
  if (!scorer) return Promise.reject(new TypeError("best-of-N needs a scorer"));
  return samplingSearch(problem, policy, scorer, { ...options, select: "bon" });
}
