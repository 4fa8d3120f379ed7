/**
 * AlphaMath step-level beam search SBS(B1, B2) (Super_MARIO `agents/step_beam.py` + `solver.py`,
 * docs/algorithms.md §5.3).
 *
 * ```
 * candidates = [root]; top = B1
 * for step in 0..max_depth-1:
 *   current = top-`top` candidates by value (stable, desc)
 *   each valid final in current → finals, top -= 1; each other terminal (or too deep) → dropped, top -= 1
 *   stop when no current node can be extended
 *   n = step == 0 ? B1·B2 : B2; sample n steps per current node (remove_duplicate drops repeated texts)
 *   candidates = all new children; value_i = 2·scorer(prefix_i) − 1
 * answer = the final with the highest value (first on ties)
 * ```
 *
 * Values come from the scorer as the tanh-range `2p − 1` (see `step_expand.ts`). Without a
 * scorer every value stays at Super_MARIO's −100 sentinel and the stable sort keeps sampling
 * order (as `sbs_greedy.yaml`, which runs without a value function). The selection loop copies
 * the kept list before removing from it (as §5.3 and `offline_inference.py`; the upstream
 * `select_next_step` iterates the list it removes from, which skips the element after a removed
 * one).
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { checkInt } from "./options.ts";
import { expandNodes, nodeValues, startRun, type StepSampling } from "./step_expand.ts";
import { isValidFinal, pathTo, pathTokens, type StepNode, treeTrace } from "./step_tree.ts";

/** Options of {@linkcode sbs} (defaults: {@linkcode SBS_DEFAULTS}). */
export interface SbsOptions extends StepSampling {
  /** Beam width B1: nodes kept per step (default 1). */
  beamWidth?: number;
  /** Samples per kept node B2 (default 5; the first step samples B1·B2 from the root). */
  samplesPerNode?: number;
  /** Maximum steps (default 10). */
  maxDepth?: number;
  /** Drop repeated step texts among a node's samples (default true). */
  removeDuplicate?: boolean;
}

/** Defaults of {@linkcode sbs} (`configs/sbs_sft.yaml`; `max_tokens` from `config.py`). */
export const SBS_DEFAULTS = {
  beamWidth: 1,
  samplesPerNode: 5,
  maxDepth: 10,
  removeDuplicate: true,
  temperature: 0.6,
  topP: 1,
  maxTokens: 2000,
  seed: 0,
};

/** Super_MARIO's "no value" sentinel. */
export const NO_VALUE = -100;

/**
 * Run SBS(B1, B2) on one problem.
 *
 * Candidates are the collected finals, best value first (Super_MARIO's `solutions`; SBS(5,5)
 * "1 run + Maj@5" votes over them); the trace holds every node, `score` = value, the chosen path
 * `selected`.
 *
 * @example
 * ```ts ignore
 * const result = await sbs(problem, policy, scorer, { beamWidth: 2, samplesPerNode: 5, seed: 42 });
 * result.answer; // the highest-value final answer
 * ```
 */
export async function sbs(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: SbsOptions = {},
): Promise<SearchResult> {
  const o = { ...SBS_DEFAULTS, ...options };
  checkInt("beamWidth", o.beamWidth, 1);
  checkInt("samplesPerNode", o.samplesPerNode, 1);
  checkInt("maxDepth", o.maxDepth, 1);
  const { beamWidth: b1, samplesPerNode: b2, maxDepth } = o;
  const rules = { maxDepth, removeDuplicate: o.removeDuplicate };
  const { run, root } = startRun(problem, policy, scorer, o);

  const value = (n: StepNode) => n.value ?? NO_VALUE;
  const finals: StepNode[] = [];
  let top = b1;
  let current: StepNode[] = [root];
  for (let step = 0; step < maxDepth; step++) {
    const open = current.filter((n) => !n.terminal && n.depth <= maxDepth);
    if (open.length === 0) break;
    const n = step === 0 ? b1 * b2 : b2;
    const candidates = (await expandNodes(run, open, n, rules)).flat();
    if (scorer !== undefined) {
      const values = await nodeValues(run, candidates);
      candidates.forEach((c, i) => c.value = values[i]);
    }
    current = candidates.slice().sort((a, b) => value(b) - value(a)).slice(0, Math.max(top, 0));
    for (const node of current.slice()) {
      if (isValidFinal(node)) {
        finals.push(node);
        current.splice(current.indexOf(node), 1);
        top -= 1;
      } else if (node.terminal || node.depth > maxDepth) {
        current.splice(current.indexOf(node), 1);
        top -= 1;
      }
    }
  }

  const ranked = finals.slice().sort((a, b) => value(b) - value(a));
  const best = ranked[0];
  const candidates: Candidate[] = ranked.map((n) => ({
    text: n.state.text,
    answer: n.answer,
    score: value(n),
    stepScores: pathTo(n).slice(1).map(value),
    tokens: pathTokens(n),
  }));
  const selected = new Set(best === undefined ? [] : pathTo(best).map((n) => n.id));
  return {
    answer: best?.answer ?? null,
    candidates,
    cost: run.cost(),
    trace: treeTrace(root, selected, (n) => n.value ?? undefined),
  };
}
