/**
 * AlphaMath MCTS (Super_MARIO `agents/mcts.py`, `nodes/mcts_node.py`; docs/algorithms.md §5.4),
 * answered by offline inference on the built tree (§5.5).
 *
 * One iteration (test time, `update_leaf_value = False`):
 * ```
 * leaf = root; while leaf has children (or is terminal):
 *     child = argmax PUCT over non-terminal children (seeded random tie-break)
 *     none → leaf.terminal = true; stop
 * no leaf (the descent ended on a node whose children are all terminal): the search ends
 * sample B2 steps from leaf; v = 2·scorer(leaf) − 1
 * children: prior = exp(cumulativeLogprob / numTokens)
 *   invalid final (no answer at EOS/length, deeper than max_depth) → backup −1 from the child
 *   valid final → queued for a value
 * backup v from leaf to root
 * each queued final f: backup 2·scorer(f) − 1 from f to root
 * ```
 * `PUCT = Q + c_puct · prior · sqrt(N(parent)) / (1 + N(child))`, `Q = W/N` (0 if N = 0);
 * `value` of a node is the first value backed up through it (so a leaf with an invalid child
 * records −1 before its own estimate, exactly as upstream, where the child's backup runs first).
 *
 * The leaf value and the queued finals' values are computed in one scorer call after generation
 * (upstream gets `v` with the generation from its vLLM fork and values finals at the next step);
 * the order in which they are backed up is upstream's. A prompt too long for the value model
 * (upstream: `v = None` → −1, terminal) is not modelled.
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult, Trace } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { decideTree, type OfflineDecision, type OfflineStrategy } from "./mcts_offline.ts";
import { checkInt } from "./options.ts";
import { selectPuct } from "./puct.ts";
import { expandNodes, nodeValues, startRun, type StepSampling } from "./step_expand.ts";
import {
  allNodes,
  backup,
  isValidFinal,
  pathTokens,
  qValue,
  type StepNode,
  treeTrace,
  type TreeTraceNode,
} from "./step_tree.ts";

/** Defaults of {@linkcode mcts} (`configs/mcts_sft.yaml`, `offline_inference.yaml`). */
export const MCTS_DEFAULTS = {
  iterations: 40,
  cPuct: 1.25,
  samplesPerNode: 5,
  maxDepth: 8,
  removeDuplicate: false,
  temperature: 0.6,
  topP: 1,
  maxTokens: 2000,
  seed: 0,
  strategy: "q_value" as OfflineStrategy,
  prune: true,
  beamWidth: 1,
};

/** Options of {@linkcode mcts} (defaults: {@linkcode MCTS_DEFAULTS}). */
export interface MctsOptions extends StepSampling {
  /** Simulations (default 40). */
  iterations?: number;
  /** `c_puct` (default 1.25; also used by the `"puct"` inference strategy). */
  cPuct?: number;
  /** Children per expansion B2 (default 5). */
  samplesPerNode?: number;
  /** Maximum depth (default 8): open children deeper than this are invalid finals. */
  maxDepth?: number;
  /** Drop repeated step texts among a node's samples (default false). */
  removeDuplicate?: boolean;
  /** How the answer is read off the tree (§5.5): ranking strategy (default `"q_value"`). */
  strategy?: OfflineStrategy;
  /** Prune before the descent (default true). */
  prune?: boolean;
  /** B1 of the descent (default 1). */
  beamWidth?: number;
}

/** {@linkcode SearchResult} plus the offline decision that produced the answer. */
export interface MctsResult extends SearchResult {
  /**
   * The finished tree, every node breadth first with its statistics (`visits` = N, `q` = W/N,
   * `valueSum` = W, `value`, `prior`, `status`, `answer`): what offline inference re-decides and
   * what value training reads its targets from (`lib/train/mcts_targets.ts`).
   */
  trace: Trace & { nodes: TreeTraceNode[] };
  /** The decision on the built tree (path, finals ranking, pruned ids). */
  decision: OfflineDecision;
}

/**
 * Build an AlphaMath MCTS tree for one problem and answer by greedy descent on Q.
 *
 * Candidates are every valid final in the tree (score = its Q); the trace (`score` = Q,
 * `visits` = N, plus `q`, `value`, `valueSum`, `prior`, `status`) is what `decideTree`
 * re-decides offline.
 *
 * @example
 * ```ts ignore
 * const r = await mcts(problem, policy, valueModel, { iterations: 40, seed: 1 });
 * const byVisits = decideTree(r.trace, { strategy: "visit_count" });
 * ```
 */
export async function mcts(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: MctsOptions = {},
): Promise<MctsResult> {
  if (scorer === undefined) throw new Error("mcts needs a scorer (the value model)");
  const o = { ...MCTS_DEFAULTS, ...options };
  checkInt("iterations", o.iterations, 0);
  checkInt("samplesPerNode", o.samplesPerNode, 1);
  checkInt("maxDepth", o.maxDepth, 1);
  const rules = { maxDepth: o.maxDepth, removeDuplicate: o.removeDuplicate };
  const { run, root } = startRun(problem, policy, scorer, o);
  const tieBreak = rng(fork(run.seed, "mcts-ties"));

  for (let it = 0; it < o.iterations; it++) {
    const leaf = selectLeaf(root, o.cPuct, tieBreak);
    // upstream's solver gives a tree whose selection found no leaf no further work (its
    // `current_nodes` stay empty): a dead end ends the search for this problem
    if (leaf === null) break;
    const [children] = await expandNodes(run, [leaf], o.samplesPerNode, rules);
    const finals = children.filter(isValidFinal);
    const [v, ...finalValues] = await nodeValues(run, [leaf, ...finals]);
    for (const child of children) if (child.terminal && !isValidFinal(child)) backup(child, -1);
    backup(leaf, v);
    finals.forEach((f, i) => backup(f, finalValues[i]));
  }

  const trace = treeTrace(root, new Set(), qValue);
  const decision = decideTree(trace, {
    strategy: o.strategy,
    prune: o.prune,
    beamWidth: o.beamWidth,
    cPuct: o.cPuct,
  });
  const onPath = new Set(decision.path);
  for (const node of trace.nodes) node.selected = onPath.has(node.id);
  const finals = allNodes(root).filter(isValidFinal);
  const candidates: Candidate[] = finals.map((n) => ({
    text: n.state.text,
    answer: n.answer,
    score: qValue(n),
    tokens: pathTokens(n),
  }));
  return { answer: decision.answer, candidates, cost: run.cost(), trace, decision };
}

/**
 * Super_MARIO `selection`: descend from the root by PUCT over non-terminal children; a node
 * whose children are all terminal is marked terminal. Returns the leaf to expand, or null when
 * the descent ends on a terminal node.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import { createRoot } from "./step_tree.ts";
 * const root = createRoot({ problem: "p", text: "" });
 * selectLeaf(root, 1.25, rng(0)) === root; // true: an unexpanded root is the leaf
 * ```
 */
export function selectLeaf(
  root: StepNode,
  cPuct: number,
  tieBreak: Parameters<typeof selectPuct>[2],
): StepNode | null {
  let node = root;
  while (node.children.length > 0 || node.terminal) {
    const next = selectPuct(node, cPuct, tieBreak);
    if (next === null) {
      node.terminal = true;
      break;
    }
    node = next;
  }
  return node.terminal ? null : node;
}
