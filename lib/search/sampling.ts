/**
 * Independent sampling with answer selection: N full solutions, scored by a PRM when one is
 * given, then majority vote, reward-weighted majority and best-of-N all reported
 * (docs/algorithms.md §2.2 best-of-N, §2.5 `pred_maj` / `pred_weighted` / `pred_naive`, §1.3
 * aggregation).
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { samplingSearch } from "./sampling.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const scorer: Scorer;
 * const res = await samplingSearch(problem, policy, scorer, { n: 16, select: "weighted" });
 * res.selections.majority.answer; // maj@16
 * res.selections.bestOfN.answer; // BoN@16
 * ```
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { fork } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { aggregate, type Aggregation } from "./aggregate.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { splitSteps } from "./steps.ts";
import { traceBuilder } from "./trace.ts";
import { bestOfN, majority, type Selection, weightedMajority } from "./vote.ts";

/** Which selection gives a sampling run's `answer`. */
export type SelectRule = "majority" | "weighted" | "bon";

/** Options of {@linkcode samplingSearch}. */
export interface SamplingOptions extends SearchOptions {
  /** Number of samples N (default 4, sal). */
  n?: number;
  /** Aggregation of PRM step scores (default "last", sal). */
  aggregation?: Aggregation;
  /** Which selection is the run's answer (default "bon" with a scorer, else "majority"). */
  select?: SelectRule;
}

/** Defaults of {@linkcode samplingSearch} (sal `config.py`). */
export const SAMPLING_DEFAULTS = {
  n: 4,
  temperature: 0.8,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
  aggregation: "last" as Aggregation,
};

/** A sampling result: the chosen answer plus all three selections. */
export interface SamplingResult extends SearchResult {
  /** Majority, reward-weighted majority and best-of-N selections over the same candidates. */
  selections: { majority: Selection; weightedMajority: Selection; bestOfN: Selection };
}

/**
 * Sample N solutions to EOS in one policy request (`n = N`, no stop strings), score each
 * (split into `"\n\n"` steps, one scorer request batch), and select.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const res = await samplingSearch("What is 2+3?", policy, undefined, { n: 8 }); // majority vote
 * ```
 */
export async function samplingSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: SamplingOptions = {},
): Promise<SamplingResult> {
  const o = { ...SAMPLING_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const m = meter(policy, scorer);
  const [row] = await m.policy.extend([m.policy.start(text)], {
    n: o.n,
    stop: [],
    temperature: o.temperature,
    topP: o.topP,
    maxTokens: o.maxTokens,
    seed: fork(o.seed, "sampling"),
  });
  const scores = m.scorer
    ? await m.scorer.score(row.map((c) => ({ problem: text, steps: splitSteps(c.text) })))
    : undefined;
  const candidates: Candidate[] = row.map((c, i) => ({
    text: c.text,
    answer: judge.extract(c.text),
    tokens: continuationTokens(c),
    ...(scores ? { stepScores: scores[i], score: aggregate(scores[i], o.aggregation) } : {}),
  }));
  const selections = {
    majority: majority(candidates, judge),
    weightedMajority: weightedMajority(candidates, judge),
    bestOfN: bestOfN(candidates),
  };
  const rule = o.select ?? (scorer ? "bon" : "majority");
  const chosen = rule === "majority"
    ? selections.majority
    : rule === "weighted"
    ? selections.weightedMajority
    : selections.bestOfN;
  const t = traceBuilder("samples");
  const root = t.add({ parent: null, text: "", depth: 0 });
  for (const c of candidates) {
    t.add({
      parent: root,
      text: c.text,
      depth: 1,
      terminal: true,
      answer: c.answer,
      score: c.score,
    });
  }
  if (chosen.index >= 0) t.select(root + 1 + chosen.index);
  return { answer: chosen.answer, candidates, cost: m.cost(), trace: t.trace(), selections };
}
