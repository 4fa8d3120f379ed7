/**
 * Reward-model scorers behind the core `Scorer` interface: trained heads on the policy's hidden
 * states (value §5.6, PRM, twist §4.3) and the Q# token classifier (§7), and step-tag PRMs in the
 * three input formats of docs/algorithms.md §1.3 (Math-Shepherd `ки`, Qwen2.5-Math-PRM `<extra_0>`,
 * RLHFlow `+`/`-` turns). Step scores become one solution score with `aggregate` (last / min /
 * prod) from `lib/search/aggregate.ts`.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import { aggregate } from "../search/aggregate.ts";
 * import { loadHead, valueHeadScorer } from "./mod.ts";
 * declare const policy: Policy;
 * declare const problem: string;
 * declare const solutionSteps: string[];
 * const scorer = valueHeadScorer(policy, await loadHead("models/heads/value.json", { kind: "value" }));
 * const [steps] = await scorer.score([{ problem, steps: solutionSteps }]);
 * aggregate(steps, "min");
 * ```
 *
 * @module
 */
export * from "./prm_format.ts";
export * from "./step_tag_scores.ts";
export * from "./step_tag_prm.ts";
export * from "./head_scorer.ts";
export * from "./qsharp_classifier.ts";
export * from "./head.ts";
export * from "./head_file.ts";
export * from "./policy_heads.ts";
export * from "./logprob.ts";
export * from "./recompute.ts";
export * from "./oracle.ts";
