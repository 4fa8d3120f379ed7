/**
 * The evaluation AlphaMath uses while building trees for training (Super_MARIO `agents/mcts.py`,
 * `eval_final_answer` with a `ground_truth`): a final answer is not valued by the value model but
 * rewarded by the grader against the gold answer, +1 when correct and −1 when not, and that reward
 * is backed up through the tree. Every other state keeps the value model's estimate.
 *
 * As a {@linkcode Scorer} wrapper this needs no change to the search: the trees value a prefix as
 * `2p − 1`, so a final step scores `p = 1` (correct) or `p = 0` (wrong). A step is a final when it
 * announces an answer (`isFinal`, default the searches' `isFinalStep`) and the judge extracts a
 * non-empty answer from it, which is exactly when the step search makes it a valid final node;
 * an open leaf never ends with such a step, so leaves still go to the value model.
 *
 * @example
 * ```ts
 * import { perfectScorer } from "../models/simulated/mod.ts";
 * const scorer = goldRewardScorer(perfectScorer(), "42");
 * const [[p]] = await scorer.score([{ problem: "q", steps: ["\\boxed{42}"] }], { lastOnly: true });
 * p; // 1
 * ```
 *
 * @module
 */
import type { Scorer, ScoreRequest } from "../core/types.ts";
import { type AnswerJudge, defaultJudge } from "../search/answers.ts";
import { isFinalStep } from "../search/step_expand.ts";

/** Options of {@linkcode goldRewardScorer}. */
export interface GoldRewardOptions {
  /** Answer extraction and comparison (default the project grader, `defaultJudge`). */
  judge?: AnswerJudge;
  /** Whether a step announces the final answer (default `isFinalStep`, as the searches). */
  isFinal?: (stepText: string) => boolean;
}

/**
 * `value`, except that a prefix whose step (the last one with `lastOnly`, each one otherwise) is
 * a final answer scores 1 when the judge finds it equal to `gold` and 0 when not. Prefixes that go
 * to `value` go in one call, in request order.
 *
 * @example
 * ```ts
 * import type { Scorer } from "../core/types.ts";
 * import { boxedJudge } from "../search/answers.ts";
 * declare const valueModel: Scorer;
 * const scorer = goldRewardScorer(valueModel, "4", { judge: boxedJudge });
 * ```
 */
export function goldRewardScorer(value: Scorer, gold: string, o: GoldRewardOptions = {}): Scorer {
  const judge = o.judge ?? defaultJudge;
  const isFinal = o.isFinal ?? isFinalStep;
  /** 1 / 0 for a final step with an answer, undefined for any other step. */
  const reward = (step: string | undefined): number | undefined => {
    if (step === undefined || !isFinal(step)) return undefined;
    const answer = judge.extract(step);
    if (answer === null || answer === "") return undefined;
    return judge.same(gold, answer) ? 1 : 0;
  };
  return {
    name: `${value.name}+gold-reward`,
    async score(requests: readonly ScoreRequest[], options: { lastOnly?: boolean } = {}) {
      if (!options.lastOnly) {
        const scores = requests.length > 0 ? await value.score(requests, options) : [];
        return scores.map((s, i) => s.map((p, k) => reward(requests[i].steps[k]) ?? p));
      }
      const rewards = requests.map((r) => reward(r.steps.at(-1)));
      const rest = requests.filter((_, i) => rewards[i] === undefined);
      const values = rest.length > 0 ? await value.score(rest, options) : [];
      let at = 0;
      return rewards.map((r) => r === undefined ? values[at++] : [r]);
    },
  };
}
