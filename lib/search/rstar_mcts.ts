/**
 * rStar-Math MCTS, evaluation mode (microsoft/rStar branch `rStar-math`: `solver.py::solve`,
 * `agents/mcts.py`, `nodes/mcts_node.py`; docs/algorithms.md §6.2–§6.4).
 *
 * ```
 * for rollout in 0..iterations-1:
 *   node = root if it has no children, else the best-UCT non-terminal child of the root
 *   repeat max_depth times (stop when node is null, terminal or deeper than max_depth):
 *     node has children → node = best-UCT non-terminal child (none → node.terminal = true; stop)
 *     else expand: sample n steps (duplicates dropped); a sample with a final answer is kept
 *          alone, its siblings dropped (`llm_generate`)
 *          invalid finals: child.update(−1) (own stats, no backup)
 *          PPM-score the valid finals and the unvisited children in one call, v = 2p − 1:
 *            valid final → record (rollout, answer, v); backup v from it to the root
 *            open child  → child.update(v) (own stats only)
 *          node = best-UCT non-terminal child of the expanded node (none → node.terminal = true)
 * answer = the recorded final with the highest score (first on ties)
 * ```
 * `UCT = Q + c · sqrt(ln N(parent) / N(child))`, bonus 0 when `N(parent) = 0` or `N(child) = 0`,
 * `c = 2`, ties → first child, no prior. `value` is the first update of a node.
 *
 * Simplifications (exact): the PPM score `tanh(r/5)` is read from a probability scorer as
 * `2p − 1` (exact when `p = σ(2r/5)`); rStar's stop-string bookkeeping (`<end_of_step>`,
 * `<end_of_code>`, `<end_of_answer>`) is abstracted: "stopped on `<end_of_answer>`" is "the step
 * has an extractable answer", and code execution / `TOO_MANY_CODE_ERRORS` is not modelled; the
 * policy's `maxTokens`/prompt truncation (`max_model_len`) is the backend's. `terminal_sample`
 * (data-generation mode) and training-mode ±1 rewards against the gold answer are not
 * implemented. §6.4's pooling of 64 independent runs is done by the caller: each run returns
 * its best answer and score (`best`), and per-rollout bests (`rolloutBest`).
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { checkInt } from "./options.ts";
import { selectUct } from "./puct.ts";
import { expandNodes, nodeValues, startRun, type StepSampling } from "./step_expand.ts";
import {
  backup,
  isValidFinal,
  pathTo,
  pathTokens,
  qValue,
  type StepNode,
  treeTrace,
  update,
} from "./step_tree.ts";

/** Defaults of {@linkcode rstarMcts} (`config/sft_eval_mcts.yaml`). */
export const RSTAR_DEFAULTS = {
  iterations: 12,
  c: 2,
  samplesPerNode: 32,
  maxDepth: 16,
  temperature: 1,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
};

/** Options of {@linkcode rstarMcts} (defaults: {@linkcode RSTAR_DEFAULTS}). */
export interface RStarOptions extends StepSampling {
  /** Rollouts (default 12). */
  iterations?: number;
  /** UCT exploration constant `c` (default 2). */
  c?: number;
  /** Steps sampled per expansion `n` (default 32). */
  samplesPerNode?: number;
  /** Maximum depth (default 16). */
  maxDepth?: number;
}

/** One valid final answer found by a rollout. */
export interface RStarFinal {
  /** Rollout index that found it. */
  rollout: number;
  /** Trace node id. */
  nodeId: number;
  /** The answer. */
  answer: string;
  /** Its PPM score in [−1, 1]. */
  score: number;
}

/** {@linkcode SearchResult} plus rStar's per-run bookkeeping. */
export interface RStarResult extends SearchResult {
  /** The highest-scored final (what §6.4 pools across runs), or null. */
  best: RStarFinal | null;
  /** For each rollout that found a final, its highest-scored one (`intermediate_metric`). */
  rolloutBest: RStarFinal[];
}

/**
 * Run rStar-Math MCTS on one problem.
 *
 * Candidates are every valid final found, in discovery order, `score` = PPM score; the trace has
 * `score` = Q, `visits` = N and the raw statistics.
 *
 * @example
 * ```ts ignore
 * const r = await rstarMcts(problem, policy, ppm, { iterations: 12, samplesPerNode: 32, seed: 0 });
 * r.best?.answer;
 * ```
 */
export async function rstarMcts(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: RStarOptions = {},
): Promise<RStarResult> {
  if (scorer === undefined) throw new Error("rstarMcts needs a scorer (the PPM)");
  const o = { ...RSTAR_DEFAULTS, ...options };
  checkInt("iterations", o.iterations, 0);
  checkInt("samplesPerNode", o.samplesPerNode, 1);
  checkInt("maxDepth", o.maxDepth, 1);
  const { iterations, c, samplesPerNode: n, maxDepth } = o;
  const rules = { maxDepth, removeDuplicate: true, keepFirstFinal: true };
  const { run, root } = startRun(problem, policy, scorer, o);

  const descend = (node: StepNode): StepNode | null => {
    const next = selectUct(node, c);
    if (next === null) node.terminal = true;
    return next;
  };
  const found: RStarFinal[] = [];
  const foundNodes: StepNode[] = [];
  const rolloutBest: RStarFinal[] = [];
  for (let rollout = 0; rollout < iterations; rollout++) {
    let node: StepNode | null = root.children.length > 0 || root.terminal ? descend(root) : root;
    for (let step = 0; step < maxDepth; step++) {
      if (node === null || node.terminal || node.depth > maxDepth) break;
      if (node.children.length > 0) {
        node = descend(node);
        continue;
      }
      const [children] = await expandNodes(run, [node], n, rules);
      for (const child of children) if (child.terminal && !isValidFinal(child)) update(child, -1);
      const finals = children.filter(isValidFinal);
      const scored = [...finals, ...children.filter((ch) => !isValidFinal(ch) && ch.visits < 1)];
      const values = await nodeValues(run, scored);
      scored.forEach((ch, i) => {
        if (isValidFinal(ch)) {
          const rec = { rollout, nodeId: ch.id, answer: ch.answer as string, score: values[i] };
          found.push(rec);
          foundNodes.push(ch);
          const prev = rolloutBest.at(-1);
          if (prev?.rollout !== rollout) rolloutBest.push(rec);
          else if (rec.score > prev.score) rolloutBest[rolloutBest.length - 1] = rec;
          backup(ch, values[i]);
        } else {
          update(ch, values[i]);
        }
      });
      node = descend(node);
    }
  }

  let bestAt = -1;
  found.forEach((f, i) => {
    if (bestAt < 0 || f.score > found[bestAt].score) bestAt = i;
  });
  const best = bestAt < 0 ? null : found[bestAt];
  const candidates: Candidate[] = found.map((f, i) => ({
    text: foundNodes[i].state.text,
    answer: f.answer,
    score: f.score,
    tokens: pathTokens(foundNodes[i]),
  }));
  const selected = new Set(bestAt < 0 ? [] : pathTo(foundNodes[bestAt]).map((x) => x.id));
  return {
    answer: best?.answer ?? null,
    candidates,
    cost: run.cost(),
    trace: treeTrace(root, selected, qValue),
    best,
    rolloutBest,
  };
}
