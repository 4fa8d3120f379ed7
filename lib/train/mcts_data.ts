/**
 * AlphaMath value training data from search (Chen et al., arXiv 2405.03553, §3; docs/algorithms.md
 * §5.6): run AlphaMath MCTS (`lib/search/mcts.ts`) on each training problem through the `Policy`
 * and `Scorer` interfaces, with the gold answer rewarding finals as upstream builds its training
 * trees ({@linkcode goldRewardScorer}; leaves still valued by the given value model), and turn each
 * finished tree into (state text, target) rows with {@linkcode mctsTargets}: open nodes the
 * search expanded get their Q, finals their outcome reward ±1.
 *
 * Problem `i` searches with seed `fork(seed, id)`, so the rows of a problem depend on the seed and
 * the problem only (not on the order, the other problems or `concurrency`): same seed, same rows.
 *
 * @example
 * ```ts
 * import { perfectScorer, simProblemSet, simulatedPolicy } from "../models/simulated/mod.ts";
 * const problems = simProblemSet({ count: 2, steps: [2, 3], pRight: [0.5, 0.8], seed: 1 });
 * const trees = await mctsValueData(problems, {
 *   policy: simulatedPolicy({ seed: 0 }),
 *   scorer: perfectScorer(),
 *   seed: 1,
 *   search: { iterations: 10, samplesPerNode: 3 },
 * });
 * trees[0].rows[0].target; // the Q of the first node under the root
 * ```
 *
 * @module
 */
import type { Cost, Policy, Problem, Scorer } from "../core/types.ts";
import { fork } from "../core/random.ts";
import { type AnswerJudge, defaultJudge } from "../search/answers.ts";
import { mcts, type MctsOptions } from "../search/mcts.ts";
import { goldRewardScorer } from "./gold_reward.ts";
import { type MctsTargetRow, mctsTargets } from "./mcts_targets.ts";

/** Options of {@linkcode mctsValueData}. */
export interface MctsDataOptions {
  /** The policy that expands the trees. */
  policy: Policy;
  /** The value model that values leaves (AlphaMath: the previous round's value model). */
  scorer: Scorer;
  /** Base seed; problem `id` searches with `fork(seed, id)`. */
  seed: number;
  /** MCTS settings (default `MCTS_DEFAULTS`: 40 simulations, B2 = 5, c_puct 1.25, T 0.6). */
  search?: Omit<MctsOptions, "seed" | "judge">;
  /** Grader of finals, in the search and for the targets (default the project grader). */
  judge?: AnswerJudge;
  /**
   * Reward finals by the grader against the gold answer while searching, as upstream's training
   * trees (default true); false values them with `scorer`, as at test time (their targets are
   * still the grader's ±1).
   */
  goldRewards?: boolean;
  /** Problems searched at once (default 1; their policy calls may then batch together). */
  concurrency?: number;
  /** Called after each finished problem with the number done. */
  onProblem?: (done: number) => void;
}

/** One problem's tree as rows. */
export interface MctsTreeRows {
  /** Problem id. */
  id: string;
  /** Seed the search ran with. */
  seed: number;
  /** The search's own answer (offline decision on the tree). */
  answer: string | null;
  /** Nodes in the tree, the root included. */
  nodes: number;
  /** The (state, target) rows, in the tree's node order. */
  rows: MctsTargetRow[];
  /** Compute the search spent. */
  cost: Cost;
}

/**
 * Search every problem and return its rows (in problem order); see the module doc.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * declare const problems: Problem[];
 * declare const policy: Policy;
 * declare const valueModel: Scorer;
 * const trees = await mctsValueData(problems, { policy, scorer: valueModel, seed: 1 });
 * const rows = trees.flatMap((t) => t.rows.map((r) => ({ id: t.id, text: r.text, target: r.target })));
 * ```
 */
export async function mctsValueData(
  problems: readonly Problem[],
  o: MctsDataOptions,
): Promise<MctsTreeRows[]> {
  const judge = o.judge ?? defaultJudge;
  const out: MctsTreeRows[] = new Array(problems.length);
  let next = 0, done = 0;
  const worker = async () => {
    while (next < problems.length) {
      const i = next++;
      const p = problems[i];
      const seed = fork(o.seed, p.id);
      const scorer = o.goldRewards === false
        ? o.scorer
        : goldRewardScorer(o.scorer, p.answer, { judge, isFinal: o.search?.isFinal });
      const r = await mcts(p, o.policy, scorer, { ...o.search, seed, judge });
      out[i] = {
        id: p.id,
        seed,
        answer: r.answer,
        nodes: r.trace.nodes.length,
        rows: mctsTargets(r.trace, { gold: p.answer, judge }),
        cost: r.cost,
      };
      o.onProblem?.(++done);
    }
  };
  const k = Math.max(1, Math.min(o.concurrency ?? 1, problems.length));
  await Promise.all(Array.from({ length: k }, worker));
  return out;
}
