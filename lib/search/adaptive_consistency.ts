/**
 * Self-consistency with early stopping: sample full solutions in rounds of `k` and stop as soon
 * as one answer has a clear majority, then answer by majority vote over every sample drawn.
 *
 * Two stopping rules:
 * - `beta` (default), Adaptive-Consistency (Aggarwal et al., EMNLP 2023, arXiv:2305.11860, §2
 *   "Beta stopping criterion"): with `a` votes for the leading answer and `b` for the runner-up,
 *   the probability that the leader's share `p₁` exceeds the runner-up's `p₂` under a uniform
 *   prior is `P(p₁ > p₂) = 1 − I₀.₅(a + 1, b + 1)`, which for whole counts is
 *   `P(Binomial(a + b + 1, ½) ≤ a)` ({@linkcode majorityConfidence}); stop once it reaches
 *   `threshold` (0.95 in the paper). The paper checks after every sample, i.e. `k = 1`.
 * - `window`, Early-Stopping Self-Consistency (Li et al., ICLR 2024, arXiv:2401.10480, §2):
 *   stop when all `k` answers of the latest round (the window) are the same answer (zero entropy).
 *
 * Sampling stops at `maxSamples` otherwise; samples without an answer never vote. Round `r`
 * draws `k` samples to EOS with seed `fork(seed, "adaptive-consistency", r)`. Candidates carry
 * their answer's vote share as `score`; the trace is one `"samples"` node per sample.
 *
 * A registered method of its own: the registry finds the `method` export of this file.
 *
 * @example
 * ```ts
 * import { simProblem, simulatedPolicy } from "../models/simulated/mod.ts";
 * import { adaptiveConsistency } from "./adaptive_consistency.ts";
 * const p = simProblem({ id: "ac", steps: 2, pRight: 0.9, answer: "7" });
 * const res = await adaptiveConsistency(p, simulatedPolicy(), undefined, { k: 2, maxSamples: 16 });
 * res.samples; // fewer than 16 when the answers agree early
 * ```
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { fork } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { continuationTokens, meter } from "./cost.ts";
import { defineMethod } from "./method_spec.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { traceBuilder } from "./trace.ts";
import { answerClasses, majority } from "./vote.ts";

/** When to stop sampling: Adaptive-Consistency's Beta rule or ESC's unanimous window. */
export type StopRule = "beta" | "window";

/** Options of {@linkcode adaptiveConsistency}. */
export interface AdaptiveConsistencyOptions extends SearchOptions {
  /** Samples per round, also ESC's window (default 4). */
  k?: number;
  /** Most samples in all (default 16). */
  maxSamples?: number;
  /** Stopping rule (default `"beta"`). */
  rule?: StopRule;
  /** Confidence at which the `beta` rule stops (default 0.95, the paper's). */
  threshold?: number;
}

/** Defaults of {@linkcode adaptiveConsistency} (sampling as `sampling`: T 0.8, 2048 tokens). */
export const ADAPTIVE_CONSISTENCY_DEFAULTS = {
  k: 4,
  maxSamples: 16,
  rule: "beta" as StopRule,
  threshold: 0.95,
  temperature: 0.8,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
};

/** {@linkcode SearchResult} plus how much was sampled. */
export interface AdaptiveConsistencyResult extends SearchResult {
  /** Samples drawn. */
  samples: number;
  /** Rounds run. */
  rounds: number;
  /** Whether the rule stopped sampling before `maxSamples`. */
  stoppedEarly: boolean;
}

/**
 * Adaptive-Consistency's confidence that the leading answer (`top` votes) is the true majority
 * over the runner-up (`second` votes): `P(Binomial(top + second + 1, ½) ≤ top)`, which equals
 * `1 − I₀.₅(top + 1, second + 1)`, the Beta posterior probability that `p₁ > p₂`.
 *
 * @example
 * ```ts
 * majorityConfidence(4, 0); // 31/32 ≈ 0.969
 * majorityConfidence(3, 0); // 15/16 = 0.9375
 * majorityConfidence(2, 2); // 0.5
 * ```
 */
export function majorityConfidence(top: number, second: number): number {
  const n = top + second + 1;
  // log C(n, j) - n log 2, summed over j ≤ top in log space (no underflow for large n)
  let logTerm = -n * Math.LN2;
  let max = logTerm;
  const logs = [logTerm];
  for (let j = 1; j <= top; j++) {
    logTerm += Math.log((n - j + 1) / j);
    logs.push(logTerm);
    max = Math.max(max, logTerm);
  }
  return Math.min(1, Math.exp(max) * logs.reduce((s, l) => s + Math.exp(l - max), 0));
}

/**
 * Sample in rounds until the stopping rule fires or `maxSamples` are drawn; the answer is the
 * majority over all samples (ties to the first, as `majority`). The scorer is unused.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const res = await adaptiveConsistency("What is 2+3?", policy, undefined, { k: 1, rule: "beta" });
 * console.log(res.answer, res.samples, res.stoppedEarly);
 * ```
 */
export async function adaptiveConsistency(
  problem: Problem | string,
  policy: Policy,
  _scorer: Scorer | undefined,
  options: AdaptiveConsistencyOptions = {},
): Promise<AdaptiveConsistencyResult> {
  const o = { ...ADAPTIVE_CONSISTENCY_DEFAULTS, ...options };
  checkInt("k", o.k, 1);
  checkInt("maxSamples", o.maxSamples, 1);
  if (o.rule !== "beta" && o.rule !== "window") {
    throw new RangeError(`rule must be "beta" or "window" (got ${o.rule})`);
  }
  if (!(o.threshold > 0 && o.threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1] (got ${o.threshold})`);
  }
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const m = meter(policy);
  const root = m.policy.start(text);
  const candidates: Candidate[] = [];
  let rounds = 0;
  let stop = false;
  while (!stop && candidates.length < o.maxSamples) {
    const n = Math.min(o.k, o.maxSamples - candidates.length);
    const [row] = await m.policy.extend([root], {
      n,
      stop: [],
      temperature: o.temperature,
      topP: o.topP,
      maxTokens: o.maxTokens,
      seed: fork(o.seed, "adaptive-consistency", rounds),
    });
    rounds++;
    const fresh = row.map((c) => ({
      text: c.text,
      answer: judge.extract(c.text),
      tokens: continuationTokens(c),
    }));
    candidates.push(...fresh);
    if (o.rule === "window") {
      const window = answerClasses(fresh, judge);
      stop = n === o.k && window.length === 1 && window[0].members.length === n;
    } else {
      const votes = answerClasses(candidates, judge).map((c) => c.members.length)
        .sort((a, b) => b - a);
      stop = majorityConfidence(votes[0] ?? 0, votes[1] ?? 0) >= o.threshold;
    }
  }
  const stoppedEarly = stop && candidates.length < o.maxSamples;
  const classes = answerClasses(candidates, judge);
  for (const cl of classes) {
    for (const i of cl.members) candidates[i].score = cl.members.length / candidates.length;
  }
  const chosen = majority(candidates, judge);
  const t = traceBuilder("samples");
  const top = t.add({ parent: null, text: "", depth: 0 });
  for (const c of candidates) {
    t.add({
      parent: top,
      text: c.text,
      depth: 1,
      terminal: true,
      answer: c.answer,
      score: c.score,
    });
  }
  if (chosen.index >= 0) t.select(top + 1 + chosen.index);
  return {
    answer: chosen.answer,
    candidates,
    cost: m.cost(),
    trace: t.trace(),
    samples: candidates.length,
    rounds,
    stoppedEarly,
  };
}

/**
 * The registry entry (found by the registry under this file's name, `adaptive_consistency`).
 *
 * @example
 * ```ts
 * method.defaults.k; // 4
 * method.needsScorer; // false
 * ```
 */
export const method = defineMethod(adaptiveConsistency, {
  defaults: ADAPTIVE_CONSISTENCY_DEFAULTS,
  describe: "self-consistency with early stopping: rounds of k samples until one answer has a " +
    "clear majority (Adaptive-Consistency arXiv:2305.11860, ESC arXiv:2401.10480)",
});
