/**
 * Offline inference on a saved search tree (Super_MARIO `offline_inference.py`,
 * docs/algorithms.md §5.5): rebuild the tree from a saved {@linkcode Trace}, optionally prune it,
 * then descend level by level keeping the top `B1` children by a strategy, collect valid finals,
 * and answer with the top final by the same strategy. This is how AlphaMath's "MCTS (N=40)" row
 * is scored (`q_value`, prune, B1 = 1) and how an SBS tree can be re-decided (`value`).
 *
 * Online search builds the tree with the policy; this module only re-decides a saved tree, so a
 * notebook can compare strategies on the same trees without any model.
 *
 * @module
 */
import type { Trace, TraceNode } from "../core/types.ts";
import { puctFromQ } from "./puct.ts";

/** How children are ranked (`mcts_infer_strategy`). */
export type OfflineStrategy = "q_value" | "value" | "visit_count" | "puct";

/** Options of {@linkcode decideTree} (defaults: `configs/offline_inference.yaml`). */
export interface OfflineOptions {
  /** Ranking key (default `"q_value"`). */
  strategy?: OfflineStrategy;
  /** Prune leaves that are not valid finals and inner nodes whose children are all pruned (default true). */
  prune?: boolean;
  /** Nodes kept per level, `B1` (default 1). */
  beamWidth?: number;
  /** `c_puct` for the `"puct"` strategy (default 1.25). */
  cPuct?: number;
}

/** What {@linkcode decideTree} decided. */
export interface OfflineDecision {
  /** The chosen final answer; null when the tree has no reachable valid final (or the root was pruned). */
  answer: string | null;
  /** Id of the chosen final node. */
  nodeId: number | null;
  /** Ids root → chosen final (empty when none). */
  path: number[];
  /** Valid finals reached by the descent, best first by the strategy. */
  finals: { id: number; answer: string; key: number }[];
  /** Ids of pruned nodes (empty without pruning). */
  pruned: number[];
}

/** A saved node: any {@linkcode TraceNode}, with the statistics of `TreeTraceNode` where present. */
export type SavedNode = TraceNode & {
  q?: number;
  value?: number | null;
  prior?: number;
  status?: string;
};

interface InferNode {
  saved: SavedNode;
  parent: InferNode | null;
  children: InferNode[];
  depth: number;
  prune: boolean;
}

const INVALID = new Set(["no_valid_child", "too_many_steps", "too_many_code_errors"]);

/**
 * Re-decide a saved tree (`get_solution`).
 *
 * Field defaults follow `InferNode`: `q` 0, `visits` 0, `prior` 1; a `value` never set
 * (Super_MARIO's −100 sentinel) ranks as −100. A valid final is a leaf with an answer and a status
 * that is not one of the invalid finals. The descent runs `tree depth` rounds; in each the
 * non-pruned children of the kept nodes are sorted (stable, best first) and the top `B1` kept;
 * a kept valid final is collected (B1 −= 1), a kept childless non-final is dropped (B1 −= 1).
 *
 * @example
 * ```ts
 * const trace = {
 *   kind: "tree" as const,
 *   nodes: [
 *     { id: 0, parent: null, text: "", depth: 0 },
 *     { id: 1, parent: 0, text: "a", depth: 1, terminal: true, answer: "3", q: 0.9, status: "final" },
 *     { id: 2, parent: 0, text: "b", depth: 1, terminal: true, answer: "4", q: 0.1, status: "final" },
 *   ],
 * };
 * decideTree(trace).answer; // "3"
 * ```
 */
export function decideTree(trace: Trace, options: OfflineOptions = {}): OfflineDecision {
  const strategy = options.strategy ?? "q_value";
  const prune = options.prune ?? true;
  const cPuct = options.cPuct ?? 1.25;
  const none: OfflineDecision = { answer: null, nodeId: null, path: [], finals: [], pruned: [] };
  const { root, depth } = rebuild(trace.nodes as readonly SavedNode[]);
  if (root === null) return none;

  const pruned: number[] = [];
  if (prune) {
    pruneNode(root, pruned);
    if (root.prune) return { ...none, pruned };
  }

  const key = (n: InferNode): number => {
    const s = n.saved;
    switch (strategy) {
      case "value":
        return s.value ?? -100;
      case "q_value":
        return s.q ?? 0;
      case "visit_count":
        return s.visits ?? 0;
      case "puct":
        return puctFromQ(
          s.q ?? 0,
          s.visits ?? 0,
          s.prior ?? 1,
          n.parent?.saved.visits ?? 0,
          cPuct,
        );
      default:
        throw new Error(`strategy ${strategy as string} not implemented`);
    }
  };
  const sortBy = (nodes: InferNode[]) => nodes.slice().sort((a, b) => key(b) - key(a));

  const finals: InferNode[] = [];
  let top = options.beamWidth ?? 1;
  let current: InferNode[] = [root];
  for (let d = 0; d < depth; d++) {
    const candidates = current.flatMap((n) => n.children.filter((c) => !c.prune));
    current = sortBy(candidates).slice(0, Math.max(top, 0));
    for (const node of current.slice()) {
      if (isValidFinal(node)) {
        finals.push(node);
        current.splice(current.indexOf(node), 1);
        top -= 1;
      } else if (node.children.length === 0) {
        current.splice(current.indexOf(node), 1);
        top -= 1;
      }
    }
  }
  if (finals.length === 0) return { ...none, pruned };
  const ranked = sortBy(finals);
  const best = ranked[0];
  const path: number[] = [];
  for (let n: InferNode | null = best; n !== null; n = n.parent) path.push(n.saved.id);
  return {
    answer: best.saved.answer ?? null,
    nodeId: best.saved.id,
    path: path.reverse(),
    finals: ranked.map((n) => ({ id: n.saved.id, answer: n.saved.answer as string, key: key(n) })),
    pruned,
  };
}

/** Whether a saved node is a valid final answer (`is_valid_final_answer_node`, offline form). */
export function isSavedValidFinal(node: SavedNode, hasChildren: boolean): boolean {
  if (hasChildren || node.answer === null || node.answer === undefined || node.answer === "") {
    return false;
  }
  if (node.status !== undefined) return node.status === "final" || !INVALID.has(node.status);
  return node.terminal === true;
}

function isValidFinal(n: InferNode): boolean {
  return isSavedValidFinal(n.saved, n.children.length > 0);
}

function rebuild(nodes: readonly SavedNode[]): { root: InferNode | null; depth: number } {
  const byId = new Map<number, InferNode>();
  for (const saved of nodes) {
    byId.set(saved.id, { saved, parent: null, children: [], depth: 0, prune: false });
  }
  let root: InferNode | null = null;
  for (const node of byId.values()) {
    const p = node.saved.parent;
    if (p === null) {
      if (root !== null) throw new Error("saved tree has more than one root");
      root = node;
    } else {
      const parent = byId.get(p);
      if (parent === undefined) throw new Error(`node ${node.saved.id}: parent ${p} missing`);
      node.parent = parent;
      parent.children.push(node);
    }
  }
  if (root === null) return { root: null, depth: 0 };
  let depth = 0;
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const c of queue[i].children) {
      c.depth = queue[i].depth + 1;
      depth = Math.max(depth, c.depth);
      queue.push(c);
    }
  }
  return { root, depth };
}

function pruneNode(node: InferNode, pruned: number[]): boolean {
  if (node.children.length > 0) {
    let all = true;
    for (const c of node.children) if (!pruneNode(c, pruned)) all = false;
    if (all) node.prune = true;
  } else if (!isValidFinal(node)) {
    node.prune = true;
  }
  if (node.prune) pruned.push(node.saved.id);
  return node.prune;
}
