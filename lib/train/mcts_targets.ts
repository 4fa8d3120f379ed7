/**
 * AlphaMath value targets from a finished MCTS tree (Chen et al., arXiv 2405.03553, §3;
 * Super_MARIO `implementation_details.md`, `agents/mcts.py`; docs/algorithms.md §5.6): every
 * state the search evaluated becomes a (state text, target) row, and the target comes from the
 * tree, not from the outcome of one sampled solution:
 *
 * | node | target |
 * |---|---|
 * | valid final answer | +1 if the grader finds its answer equal to the gold one, else −1 |
 * | invalid final (`no_valid_child`, `too_many_steps`) | −1 (upstream's negative reward) |
 * | open node with N > 0 (expanded during the search) | its `Q = W/N`, the mean of every value backed up through it |
 * | open node with N = 0, and the root (the prompt alone) | no row |
 *
 * An open node on the way to a correct answer therefore gets the mean of what the simulations
 * through it found (correct and wrong finals, invalid ends, leaf estimates), not +1. Upstream's
 * trees for training are built with the gold answer (finals rewarded ±1 when created; see
 * `goldRewardScorer`), so there a final's Q equals its reward; the target of a final is taken from
 * the grader either way. Upstream's training examples are paths ending in a terminal node (the
 * last Q ±1); here a visited node whose subtree reached no terminal node is a row as well.
 *
 * @example
 * ```ts
 * import type { TreeTraceNode } from "../search/step_tree.ts";
 * const node = (id: number, parent: number | null, text: string, visits: number, q: number,
 *   status: TreeTraceNode["status"], answer: string | null = null): TreeTraceNode => ({
 *   id, parent, text, depth: parent === null ? 0 : 1, visits, q, valueSum: q * visits,
 *   value: null, prior: 1, status, answer, terminal: status !== "open" });
 * const rows = mctsTargets({ nodes: [
 *   node(0, null, "", 3, 0.2, "open"),
 *   node(1, 0, "x = 2\n\n", 2, 0.25, "open"),
 *   node(2, 0, "\\boxed{4}", 1, 1, "final", "4"),
 * ] }, { gold: "4" });
 * rows.map((r) => r.target); // [0.25, 1]
 * ```
 *
 * @module
 */
import { type AnswerJudge, defaultJudge } from "../search/answers.ts";
import type { NodeStatus, TreeTraceNode } from "../search/step_tree.ts";

/** What a row's node was: open (target Q), a valid final or an invalid final (target ±1). */
export type MctsRowKind = "open" | "final" | "invalid";

/** One (state, target) row of a tree. */
export interface MctsTargetRow {
  /** Node id in the tree. */
  node: number;
  /** Parent node id (0 = the root). */
  parent: number;
  /** Steps from the root (≥ 1). */
  depth: number;
  /** Step texts root → node. */
  steps: string[];
  /** The state: `steps.join("")`, the text the value model reads after the problem. */
  text: string;
  /** The value target in [−1, 1]: Q for open nodes, the outcome reward ±1 for finals. */
  target: number;
  /** Open, valid final or invalid final. */
  kind: MctsRowKind;
  /** The node's status in the tree. */
  status: NodeStatus;
  /** Visit count N. */
  visits: number;
  /** The tree's `Q = W/N` (for a final built without the gold answer it may differ from `target`). */
  q: number;
  /** Extracted answer of a valid final, else null. */
  answer: string | null;
  /** Valid finals: whether the grader finds the answer correct; null for other nodes. */
  correct: boolean | null;
}

/** Options of {@linkcode mctsTargets}. */
export interface MctsTargetOptions {
  /** The gold final answer of the problem. */
  gold: string;
  /** Grader of finals (default the project grader, `defaultJudge`; `same(gold, answer)`). */
  judge?: AnswerJudge;
}

/** A finished tree: the `trace` of an MCTS result (`lib/search/mcts.ts`) or a saved copy of it. */
export interface MctsTree {
  /** Nodes with their statistics; the root has `parent === null`. */
  nodes: readonly TreeTraceNode[];
}

/**
 * Rows of one finished tree, in the tree's node order (breadth first), per the table in the
 * module doc. Throws (one line) when the nodes carry no MCTS statistics or a parent is missing.
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * import { mcts } from "../search/mcts.ts";
 * declare const policy: Policy;
 * declare const valueModel: Scorer;
 * const r = await mcts({ id: "p", problem: "2 + 2?", answer: "4" }, policy, valueModel);
 * const rows = mctsTargets(r.trace, { gold: "4" }); // [{ text, target, kind, visits, q, ... }]
 * ```
 */
export function mctsTargets(tree: MctsTree, o: MctsTargetOptions): MctsTargetRow[] {
  const judge = o.judge ?? defaultJudge;
  const byId = new Map<number, TreeTraceNode>();
  for (const n of tree.nodes) {
    if (typeof n.q !== "number" || typeof n.status !== "string") {
      throw new Error(`mctsTargets: node ${n.id} has no q / status (not an MCTS tree trace)`);
    }
    byId.set(n.id, n);
  }
  const stepsOf = (n: TreeTraceNode): string[] => {
    const steps: string[] = [];
    for (let m: TreeTraceNode | undefined = n; m && m.parent !== null; m = byId.get(m.parent)) {
      steps.push(m.text);
      if (!byId.has(m.parent)) {
        throw new Error(`mctsTargets: node ${m.id}: parent ${m.parent} missing`);
      }
    }
    return steps.reverse();
  };
  const rows: MctsTargetRow[] = [];
  for (const n of tree.nodes) {
    if (n.parent === null) continue;
    const visits = n.visits ?? 0;
    let kind: MctsRowKind, target: number, correct: boolean | null = null;
    if (n.status === "final") {
      kind = "final";
      correct = n.answer !== null && n.answer !== undefined && judge.same(o.gold, n.answer);
      target = correct ? 1 : -1;
    } else if (n.status === "open") {
      if (visits === 0) continue;
      kind = "open";
      target = n.q;
    } else {
      kind = "invalid";
      target = -1;
    }
    const steps = stepsOf(n);
    rows.push({
      node: n.id,
      parent: n.parent,
      depth: steps.length,
      steps,
      text: steps.join(""),
      target,
      kind,
      status: n.status,
      visits,
      q: n.q,
      answer: kind === "final" ? n.answer ?? null : null,
      correct,
    });
  }
  return rows;
}
