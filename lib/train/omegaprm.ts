/**
 * OmegaPRM step labelling (docs/algorithms.md §8.1) with the AMCS variants (§8.2) as options.
 *
 * A tree of step prefixes with Monte-Carlo values MC(s). A candidate pool C holds
 * (state, incorrect rollout) pairs; each search pops the best by
 * `Q(s,r) + U(s)` (AMCS: `(1−w)·Q + w·U`, `w = exp(−t/20)`), with
 * `Q = α^{1−MC(s)} · β^{len(r)/L}` (len in words) and `U = c_puct·sqrt(Σ N)/(1 + N(s))`, then
 * binary-searches the rollout's steps for the first error: `mid = ⌊(l+r)/2⌋`, estimate
 * MC(s + steps[l..mid]); MC = 0 → the error is at or before mid, else continue from the new state
 * after mid. New states with 0 < MC < 1 add their incorrect rollouts to C; states with MC = 1 add
 * their correct rollouts as all-positive paths.
 *
 * Visit counts are kept properly (the openr implementation never increments them): N(s) += 1
 * when s is MC-estimated and when a pair (s, ·) is popped from C. A complete incorrect rollout
 * has MC = 0 by definition, so the binary search never spends rollouts on it.
 *
 * Hard label of a step = MC(prefix through it) > 0; a path is labelled through its first error
 * (`null` after it), as OmegaPRM's PRM data.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import { rng } from "../core/random.ts";
 * import { type Judge, type LabelItem, labelContext } from "./rollout.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * const ctx = labelContext({ policy, item, judge, budget: 96, seed: 1 });
 * const { solutions } = await omegaPrm(ctx, OMEGAPRM_DEFAULTS, rng(1));
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { adaptiveMc, type AdaptiveMcOptions, fixedMc, type McEstimate } from "./adaptive_mc.ts";
import type { LabelledSolution } from "./labelled.ts";
import { type LabelContext, remaining, type Rollout } from "./rollout.ts";

/** OmegaPRM / AMCS settings. */
export interface OmegaPrmOptions {
  /** Rollouts per MC estimate (fixed-k estimation; also used when `adaptive` is unset). */
  k: number;
  /** Q base for 1 − MC (α). */
  alpha: number;
  /** Q base for length (β). */
  beta: number;
  /** Length normaliser L (words). */
  lengthNorm: number;
  /** Exploration constant c_puct. */
  cPuct: number;
  /** Maximum searches (pops from C), N_max. */
  maxSearch: number;
  /** AMCS adaptive MC estimation (unset = fixed k). */
  adaptive?: AdaptiveMcOptions;
  /** AMCS time-varying selection `(1−w)Q + wU`, `w = exp(−t/decay)` (unset = Q + U). */
  timeDecay?: number;
  /** AMCS filter: rollouts with more U+FFFD characters, or more total NLL, never enter C. */
  filter?: { maxReplacementChars: number; maxNll: number };
}

/** OmegaPRM defaults (openr example / AMCS run.py): k 8, α 0.5, β 0.9, L 500, c_puct 0.125. */
export const OMEGAPRM_DEFAULTS: OmegaPrmOptions = {
  k: 8,
  alpha: 0.5,
  beta: 0.9,
  lengthNorm: 500,
  cPuct: 0.125,
  maxSearch: 20,
};

/** One state of the tree. */
export interface TreeState {
  /** Steps from the root. */
  steps: string[];
  /** MC estimate. */
  mc: number;
  /** Visit count N(s). */
  visits: number;
  /** Rollouts drawn for the estimate. */
  rollouts: number;
}

/** What a search returns. */
export interface OmegaPrmResult {
  /** Labelled paths (binary-searched incorrect rollouts and all-positive correct rollouts). */
  solutions: LabelledSolution[];
  /** Every estimated state. */
  states: TreeState[];
  /** Pops from C performed. */
  searches: number;
}

interface Candidate {
  state: TreeState;
  rollout: Rollout;
}

/**
 * Run OmegaPRM (or AMCS, through the options) on one problem until the rollout budget, the search
 * limit or the candidate pool runs out. `r` seeds k-means in adaptive estimation.
 */
export async function omegaPrm(
  ctx: LabelContext,
  o: OmegaPrmOptions,
  r: Rng,
): Promise<OmegaPrmResult> {
  const states: TreeState[] = [];
  const pool: Candidate[] = [];
  const solutions: LabelledSolution[] = [];

  const estimate = async (steps: string[]): Promise<[TreeState, McEstimate]> => {
    const est = o.adaptive
      ? await adaptiveMc(ctx, steps, o.adaptive, r)
      : await fixedMc(ctx, steps, o.k);
    const s: TreeState = { steps, mc: est.mc, visits: 1, rollouts: est.rollouts.length };
    if (est.rollouts.length > 0) states.push(s);
    return [s, est];
  };
  const admissible = (x: Rollout) =>
    !o.filter ||
    ((x.text.match(/\uFFFD/g)?.length ?? 0) <= o.filter.maxReplacementChars &&
      x.nll <= o.filter.maxNll);
  const expand = (s: TreeState, est: McEstimate) => {
    if (s.mc === 1) {
      for (const x of est.rollouts) {
        if (x.correct && x.steps.length > 0) solutions.push(positivePath(s, x));
      }
    } else if (s.mc > 0 && s.mc < 1) {
      for (const x of est.rollouts) {
        if (!x.correct && x.steps.length > 0 && admissible(x)) pool.push({ state: s, rollout: x });
      }
    }
  };

  const [root, rootEst] = await estimate([]);
  if (rootEst.rollouts.length === 0) return { solutions, states, searches: 0 };
  expand(root, rootEst);

  let searches = 0;
  while (pool.length > 0 && remaining(ctx) > 0 && searches < o.maxSearch) {
    const t = searches + 1;
    const totalN = states.reduce((a, s) => a + s.visits, 0);
    let best = 0, bestScore = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const { state, rollout } = pool[i];
      const q = o.alpha ** (1 - state.mc) * o.beta ** (rollout.words / o.lengthNorm);
      const u = (o.cPuct * Math.sqrt(totalN)) / (1 + state.visits);
      const w = o.timeDecay ? Math.exp(-t / o.timeDecay) : null;
      const score = w === null ? q + u : (1 - w) * q + w * u;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    const [{ state: start, rollout }] = pool.splice(best, 1);
    start.visits++;
    searches++;
    solutions.push(await binarySearch(start, rollout));
  }
  return { solutions, states, searches };

  /** Binary search of `x`'s steps from `start` for the first error; returns the labelled path. */
  async function binarySearch(start: TreeState, x: Rollout): Promise<LabelledSolution> {
    const base = start.steps.length, len = x.steps.length;
    const path = [...start.steps, ...x.steps];
    const labels: (0 | 1 | null)[] = new Array(path.length).fill(null);
    const soft: (number | null)[] = new Array(path.length).fill(null);
    const spent: number[] = new Array(path.length).fill(0);
    for (let j = 0; j < base; j++) labels[j] = 1; // prefixes of a state with MC > 0
    if (base > 0) {
      soft[base - 1] = start.mc;
      spent[base - 1] = start.rollouts;
    }
    let lo = 0, hi = len - 1, resolved = true;
    let zeroAt = -1; // smallest index known to have MC = 0
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      let mc: number;
      if (mid === len - 1) {
        mc = 0; // the complete rollout is incorrect: no rollouts needed
      } else {
        if (remaining(ctx) <= 0) {
          resolved = false;
          break;
        }
        const [s, est] = await estimate(path.slice(0, base + mid + 1));
        if (est.rollouts.length === 0) {
          resolved = false;
          break;
        }
        mc = s.mc;
        soft[base + mid] = mc;
        spent[base + mid] = est.rollouts.length;
        expand(s, est);
      }
      if (mc === 0) {
        zeroAt = mid;
        hi = mid - 1;
      } else {
        for (let j = base; j <= base + mid; j++) labels[j] = 1;
        lo = mid + 1;
      }
    }
    if (resolved && lo < len) labels[base + lo] = 0;
    else if (!resolved && zeroAt >= 0) labels[base + zeroAt] = 0;
    if (resolved && lo === len - 1) soft[base + lo] = 0;
    return { steps: path, labels, soft, rollouts: spent, outcome: false };
  }
}

function positivePath(s: TreeState, x: Rollout): LabelledSolution {
  const steps = [...s.steps, ...x.steps];
  const soft: (number | null)[] = new Array(steps.length).fill(null);
  const spent: number[] = new Array(steps.length).fill(0);
  if (s.steps.length > 0) {
    soft[s.steps.length - 1] = s.mc;
    spent[s.steps.length - 1] = s.rollouts;
  }
  soft[steps.length - 1] = 1;
  return { steps, labels: new Array(steps.length).fill(1), soft, rollouts: spent, outcome: true };
}
