/**
 * Test-time search methods: greedy, sampling with majority / weighted majority / best-of-N,
 * beam search, DVTS, particle filtering and TSMC (docs/algorithms.md §2–§4), their building blocks
 * (aggregation, voting, resampling, cost metering, traces) and the method registry.
 *
 * Every method has the signature
 * `(problem: Problem | string, policy: Policy, scorer: Scorer | undefined, options) => Promise<SearchResult>`.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { beamSearch, methods } from "./mod.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const res = await beamSearch(problem, policy, prm, { n: 16, m: 4 });
 * const same = await methods.beam.run(problem, policy, prm, { n: 16, m: 4 });
 * ```
 *
 * @module
 */
export * from "./answers.ts";
export * from "./aggregate.ts";
export * from "./steps.ts";
export * from "./options.ts";
export * from "./cost.ts";
export * from "./trace.ts";
export * from "./vote.ts";
export * from "./resampling.ts";
export * from "./greedy.ts";
export * from "./sampling.ts";
export * from "./best_of_n.ts";
export * from "./beam.ts";
export * from "./dvts.ts";
export * from "./particle_filter.ts";
export * from "./tsmc.ts";
export * from "./step_tree.ts";
export * from "./step_expand.ts";
export * from "./puct.ts";
export * from "./sbs.ts";
export * from "./mcts.ts";
export * from "./mcts_offline.ts";
export * from "./rstar_mcts.ts";
export * from "./qsharp.ts";
export * from "./registry.ts";
