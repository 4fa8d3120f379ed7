/**
 * Metrics over per-problem records, shared by notebooks and CLIs: accuracy, unbiased pass@k,
 * maj@k with grader-equal answers voting together, reward-weighted vote, best-of-N, seeded
 * bootstrap and Wilson intervals, paired comparisons of two methods, metric tables and compute
 * curves.
 *
 * @example
 * ```ts
 * import { bootstrapCI, majAtKScores, passAtK } from "./mod.ts";
 * passAtK(5, 2, 2); // 0.7
 * const records = [{ id: "1", gold: "\\frac{1}{2}", samples: [{ answer: "0.5" }, { answer: "1" }] }];
 * const maj = majAtKScores(records, 2); // grader-equal answers vote together
 * bootstrapCI(maj, { seed: 0 }); // { mean, lo, hi }
 * ```
 *
 * @module
 */
export * from "./records.ts";
export * from "./accuracy.ts";
export * from "./pass_at_k.ts";
export * from "./answer_classes.ts";
export { bestOfN, majorityVote, type Vote, weightedVote } from "./vote.ts";
export * from "./at_k.ts";
export * from "./same.ts";
export * from "./bootstrap.ts";
export * from "./paired.ts";
export * from "./auc.ts";
export * from "./verifier.ts";
export * from "./wilson.ts";
export * from "./table.ts";
export * from "./curve.ts";
