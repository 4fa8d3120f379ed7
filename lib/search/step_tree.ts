/**
 * The step tree shared by AlphaMath SBS, AlphaMath MCTS and rStar-Math MCTS: plain node objects
 * with the MCTS statistics of Super_MARIO's `MCTSNode` (`N`, `W`, `Q = W/N`, the first backed-up
 * `value`, the step `prior`), the two update rules, and the conversion to a drawable, saveable
 * {@linkcode Trace} (docs/algorithms.md §5.4, §6.2).
 *
 * A saved trace keeps every statistic the offline decision needs (§5.5), so a tree written as
 * JSON can be re-decided later with `decideTree` (see `mcts_offline.ts`).
 *
 * @module
 */
import type { SeqState, Trace, TraceNode } from "../core/types.ts";

/**
 * Why a node ends (or not). `"final"` is a valid final answer; the other terminal kinds are
 * Super_MARIO's invalid finals: `NO_VALID_CHILD` (unparsable step, EOS or length limit without
 * an answer) and `TOO_MANY_STEPS` (deeper than `max_depth`).
 */
export type NodeStatus = "open" | "final" | "no_valid_child" | "too_many_steps";

/** One step of a search tree (the root holds the empty solution). */
export interface StepNode {
  /** Unique in its tree; the root is 0 and ids grow in creation order. */
  id: number;
  /** Parent node, null for the root. */
  parent: StepNode | null;
  /** Children in creation order. */
  children: StepNode[];
  /** Number of steps from the root (root 0). */
  depth: number;
  /** The step text this node added ("" for the root). */
  text: string;
  /** The policy state after this step. */
  state: SeqState;
  /** Step texts root → this node (what the scorer sees). */
  steps: string[];
  /** Step prior `exp(cumulativeLogprob / numTokens)` (AlphaMath); 1 for the root. */
  prior: number;
  /** Tokens generated for this step. */
  tokens: number;
  /** Valid final, invalid final, or open. */
  status: NodeStatus;
  /** Terminal: a final of any kind, or an inner node whose children are all terminal. */
  terminal: boolean;
  /** Extracted final answer (valid finals only). */
  answer: string | null;
  /** First backed-up value (MCTS) or the value estimate (SBS); null until set. */
  value: number | null;
  /** Visit count N. */
  visits: number;
  /** Sum of backed-up values W. */
  valueSum: number;
}

/**
 * The root of a new tree.
 *
 * @example
 * ```ts
 * const root = createRoot({ problem: "1+1?", text: "" });
 * ```
 */
export function createRoot(state: SeqState): StepNode {
  return {
    id: 0,
    parent: null,
    children: [],
    depth: 0,
    text: "",
    state,
    steps: [],
    prior: 1,
    tokens: 0,
    status: "open",
    terminal: false,
    answer: null,
    value: null,
    visits: 0,
    valueSum: 0,
  };
}

/** Whether a node is a valid final answer (`is_valid_final_answer_node`). */
export function isValidFinal(node: StepNode): boolean {
  return node.status === "final";
}

/**
 * `Q = W / N`, and 0 when `N = 0` (Super_MARIO `MCTSNode.q_value`, §5.4).
 *
 * @example
 * ```ts
 * const root = createRoot({ problem: "p", text: "" });
 * update(root, 0.5);
 * qValue(root); // 0.5
 * ```
 */
export function qValue(node: Pick<StepNode, "visits" | "valueSum">): number {
  return node.visits === 0 ? 0 : node.valueSum / node.visits;
}

/**
 * `MCTSNode.update(v)`: the first call also sets `value`; then `N += 1`, `W += v`.
 *
 * @example
 * ```ts
 * const n = createRoot({ problem: "p", text: "" });
 * update(n, -1); // n.value === -1, n.visits === 1, n.valueSum === -1
 * ```
 */
export function update(node: StepNode, value: number): void {
  if (node.value === null) node.value = value;
  node.visits += 1;
  node.valueSum += value;
}

/**
 * `update_recursive(v, root)`: update the node and every ancestor up to the root.
 *
 * @example
 * ```ts
 * const root = createRoot({ problem: "p", text: "" });
 * backup(root, 1); // root.visits === 1
 * ```
 */
export function backup(node: StepNode, value: number): void {
  for (let n: StepNode | null = node; n !== null; n = n.parent) update(n, value);
}

/** Nodes root → `node`. */
export function pathTo(node: StepNode): StepNode[] {
  const path: StepNode[] = [];
  for (let n: StepNode | null = node; n !== null; n = n.parent) path.push(n);
  return path.reverse();
}

/** Every node of the tree under `root`, breadth first (children in creation order). */
export function allNodes(root: StepNode): StepNode[] {
  const out: StepNode[] = [root];
  for (let i = 0; i < out.length; i++) out.push(...out[i].children);
  return out;
}

/** Total tokens on the path root → `node`. */
export function pathTokens(node: StepNode): number {
  let t = 0;
  for (let n: StepNode | null = node; n !== null; n = n.parent) t += n.tokens;
  return t;
}

/**
 * A {@linkcode TraceNode} with everything a tree search kept: `score` is `Q` for MCTS trees and
 * the value for SBS trees; `q`, `value`, `valueSum`, `prior`, `status` are the raw statistics
 * that offline inference (§5.5) re-decides a saved tree from.
 */
export interface TreeTraceNode extends TraceNode {
  /** `Q = W/N` (0 when unvisited). */
  q: number;
  /** First backed-up value (MCTS) or value estimate (SBS); null when never set. */
  value: number | null;
  /** `W`. */
  valueSum: number;
  /** Step prior. */
  prior: number;
  /** Node status (`"final"` = valid final answer). */
  status: NodeStatus;
}

/**
 * The drawable (and JSON-saveable) trace of a tree; nodes listed breadth first, `selected`
 * marks the ids in `selected`, `score` is taken from `score(node)`.
 *
 * @example
 * ```ts
 * const root = createRoot({ problem: "p", text: "" });
 * const trace = treeTrace(root, new Set([0]), qValue);
 * trace.nodes[0].selected; // true
 * ```
 */
export function treeTrace(
  root: StepNode,
  selected: ReadonlySet<number>,
  score: (node: StepNode) => number | undefined,
): Trace & { nodes: TreeTraceNode[] } {
  const nodes = allNodes(root).map((n): TreeTraceNode => {
    const s = score(n);
    return {
      id: n.id,
      parent: n.parent === null ? null : n.parent.id,
      text: n.text,
      depth: n.depth,
      ...(s === undefined ? {} : { score: s }),
      visits: n.visits,
      terminal: n.terminal,
      selected: selected.has(n.id),
      answer: n.answer,
      q: qValue(n),
      value: n.value,
      valueSum: n.valueSum,
      prior: n.prior,
      status: n.status,
    };
  });
  return { kind: "tree", nodes };
}
