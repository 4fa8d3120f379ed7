/**
 * Math-Shepherd step labels: for each step prefix of a sampled solution, `k` rollouts to the end;
 * the hard estimate is 1 iff any rollout reaches the right answer, the soft estimate is the
 * fraction that do. The last step of a finished solution is labelled by its own answer (its only
 * "rollout" is itself), spending nothing.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import { type Judge, type LabelItem, labelContext } from "./rollout.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * const ctx = labelContext({ policy, item, judge, budget: 64, seed: 1 });
 * const solutions = await mathShepherd(ctx, { k: 4 });
 * solutions[0].labels; // e.g. [1, 1, 0, 0]
 * ```
 *
 * @module
 */
import type { LabelledSolution } from "./labelled.ts";
import { type LabelContext, remaining, rollouts, rolloutsMany } from "./rollout.ts";

/** Math-Shepherd settings. */
export interface MathShepherdOptions {
  /** Rollouts per step prefix (Math-Shepherd used 8). */
  k: number;
  /** Stop after this many solutions (default: until the budget is spent). */
  maxSolutions?: number;
}

/**
 * Label every step of a given solution with `k` rollouts per prefix. `finished` says the solution
 * ended (EOS), so its last step is labelled by `outcome` for free. Steps the budget does not
 * reach stay `null`.
 *
 * @example
 * ```ts
 * import type { LabelContext } from "./rollout.ts";
 * declare const ctx: LabelContext;
 * const s = await mathShepherdSolution(ctx, ["Step 1: 1 + 1 = 2\n\n", "\\boxed{2}"], 4, true, true);
 * ```
 */
export async function mathShepherdSolution(
  ctx: LabelContext,
  steps: readonly string[],
  k: number,
  finished: boolean,
  outcome: boolean | null,
): Promise<LabelledSolution> {
  const n = steps.length;
  const out: LabelledSolution = {
    steps: [...steps],
    labels: new Array(n).fill(null),
    soft: new Array(n).fill(null),
    rollouts: new Array(n).fill(0),
    outcome: finished ? outcome : null,
  };
  // Every prefix's estimate is independent: draw them all in one batched call (budget permitting,
  // earlier prefixes first).
  const free = finished && outcome !== null;
  const estimated = free ? n - 1 : n;
  const prefixes = Array.from({ length: estimated }, (_, i) => steps.slice(0, i + 1));
  const rs = await rolloutsMany(ctx, prefixes, k);
  for (let i = 0; i < estimated; i++) {
    if (rs[i].length === 0) break;
    const wins = rs[i].filter((r) => r.correct).length;
    out.soft[i] = wins / rs[i].length;
    out.labels[i] = wins > 0 ? 1 : 0;
    out.rollouts[i] = rs[i].length;
  }
  if (free && (estimated === 0 || out.labels[estimated - 1] !== null)) {
    out.labels[n - 1] = outcome ? 1 : 0;
    out.soft[n - 1] = outcome ? 1 : 0;
  }
  return out;
}

/**
 * Sample solutions from the problem (one rollout each) and label their steps, until the budget
 * (or `maxSolutions`) runs out.
 *
 * @example
 * ```ts
 * import type { LabelContext } from "./rollout.ts";
 * declare const ctx: LabelContext;
 * const labelled = await mathShepherd(ctx, { k: 8 });
 * ```
 */
export async function mathShepherd(
  ctx: LabelContext,
  { k, maxSolutions = Infinity }: MathShepherdOptions,
): Promise<LabelledSolution[]> {
  const out: LabelledSolution[] = [];
  while (remaining(ctx) > 0 && out.length < maxSolutions) {
    const [sample] = await rollouts(ctx, [], 1);
    if (!sample || sample.steps.length === 0) break;
    const finished = sample.finishReason !== "length";
    out.push(await mathShepherdSolution(ctx, sample.steps, k, finished, sample.correct));
  }
  return out;
}
