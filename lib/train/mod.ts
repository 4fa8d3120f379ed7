/**
 * Training-time side of reward models (issue 7): step labelling by Monte-Carlo rollouts
 * (Math-Shepherd, OmegaPRM, AMCS — docs/algorithms.md §8), label quality against a step checker,
 * frozen-feature extraction and hand-written head training (value §5.6, TSMC twist §4.3
 * [UNVERIFIED], PRM, Q# classifier §7.2), head files with cards; AlphaMath value targets from
 * MCTS trees (each node's Q, finals their reward ±1: `mctsValueData`, `mctsFeatures`).
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import { labelProblem, readFeatures, headDataset, trainHead } from "./mod.ts";
 * import type { Judge, LabelItem } from "./mod.ts";
 * import { type FeatureModel, saveHead } from "../rewards/mod.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * declare const featureModel: FeatureModel;
 * const rec = await labelProblem({ method: "amcs", policy, item, judge, budget: 64, seed: 1 });
 * const dir = "results/features/train";
 * const { head } = trainHead(headDataset(await readFeatures(dir), "value"), { kind: "value", seed: 1, featureModel });
 * await saveHead("models/heads/value.json", head);
 * ```
 *
 * @module
 */
export * from "./stats.ts";
export * from "./shuffle.ts";
export * from "./kmeans.ts";
export * from "./rollout.ts";
export * from "./labelled.ts";
export * from "./math_shepherd.ts";
export * from "./adaptive_mc.ts";
export * from "./omegaprm.ts";
export * from "./amcs.ts";
export * from "./label_problem.ts";
export * from "./label_quality.ts";
export * from "./train_head.ts";
export * from "./features.ts";
export * from "./head_dataset.ts";
export * from "./extract.ts";
export * from "./gold_reward.ts";
export * from "./mcts_targets.ts";
export * from "./mcts_data.ts";
export * from "./mcts_features.ts";
