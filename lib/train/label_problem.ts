/**
 * One entry point for the three labelling methods, and the JSONL record they produce per problem:
 * problem id, labelled solutions (steps, hard labels, soft values, rollouts per step), total
 * rollouts used, and — where a step checker exists (synthetic task) — the true per-step labels.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import type { Judge, LabelItem } from "./rollout.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * const rec = await labelProblem({ method: "omegaprm", policy, item, judge, budget: 64, seed: 1 });
 * rec.rollouts; // ≤ 64
 * ```
 *
 * @module
 */
import type { Policy } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { amcs } from "./amcs.ts";
import type { LabelledSolution } from "./labelled.ts";
import { mathShepherd } from "./math_shepherd.ts";
import { omegaPrm, OMEGAPRM_DEFAULTS, type OmegaPrmOptions } from "./omegaprm.ts";
import { type Judge, labelContext, type LabelItem, type RolloutSampling } from "./rollout.ts";

/** The labelling methods. */
export type LabelMethod = "math-shepherd" | "omegaprm" | "amcs";

/** Every labelling method. */
export const LABEL_METHODS: readonly LabelMethod[] = ["math-shepherd", "omegaprm", "amcs"];

/** A labelled solution as stored, with the checker's truth where known. */
export interface StoredSolution extends LabelledSolution {
  /** True per-step labels (1 = prefix still correct) from a step checker, where one exists. */
  truth?: number[];
}

/** One JSONL record: everything labelled for one problem. */
export interface LabelRecord {
  /** Problem id (the resume key, with method/budget/seed in the file name or flags). */
  id: string;
  /** Method. */
  method: LabelMethod;
  /** Rollout budget per problem. */
  budget: number;
  /** Seed. */
  seed: number;
  /** Rollouts actually used (every completion counted). */
  rollouts: number;
  /** Labelled solutions. */
  solutions: StoredSolution[];
}

/** Inputs of {@linkcode labelProblem}. */
export interface LabelProblemOptions {
  /** Which method. */
  method: LabelMethod;
  /** Rollout source. */
  policy: Policy;
  /** The problem. */
  item: LabelItem;
  /** Answer checker. */
  judge: Judge;
  /** Total rollouts for the problem. */
  budget: number;
  /** Seed. */
  seed: number;
  /** Math-Shepherd rollouts per step and OmegaPRM rollouts per estimate (default 8). */
  k?: number;
  /** Tree-search overrides for OmegaPRM / AMCS. */
  tree?: Partial<OmegaPrmOptions>;
  /** Sampling settings of rollouts. */
  sampling?: RolloutSampling;
  /** Step checker: true labels of a path (synthetic task). */
  truth?: (steps: readonly string[]) => number[];
}

/**
 * Label one problem with the chosen method within `budget` rollouts.
 */
export async function labelProblem(o: LabelProblemOptions): Promise<LabelRecord> {
  const ctx = labelContext({
    policy: o.policy,
    item: o.item,
    judge: o.judge,
    budget: o.budget,
    seed: o.seed,
    sampling: o.sampling,
  });
  const k = o.k ?? 8;
  const r = rng(fork(o.seed, o.item.id, "tree"));
  let solutions: LabelledSolution[];
  if (o.method === "math-shepherd") solutions = await mathShepherd(ctx, { k });
  else if (o.method === "omegaprm") {
    solutions = (await omegaPrm(ctx, { ...OMEGAPRM_DEFAULTS, k, ...o.tree }, r)).solutions;
  } else solutions = (await amcs(ctx, { k, ...o.tree }, r)).solutions;
  return {
    id: o.item.id,
    method: o.method,
    budget: o.budget,
    seed: o.seed,
    rollouts: ctx.used,
    solutions: solutions.map((s) => (o.truth ? { ...s, truth: o.truth(s.steps) } : s)),
  };
}
