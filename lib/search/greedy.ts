/**
 * Greedy decoding: one temperature-0 solution to EOS (the "pass@1 greedy" baseline of the
 * paper tables, e.g. AlphaMath `sbs_greedy.yaml` in docs/algorithms.md §5.1).
 *
 * @example
 * ```ts
 * import type { Policy, Problem } from "../core/types.ts";
 * import { greedySearch } from "./greedy.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * const res = await greedySearch(problem, policy, undefined, {});
 * res.answer; // the greedy answer
 * ```
 *
 * @module
 */
import type { Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { defaultJudge } from "./answers.ts";
import { aggregate, type Aggregation } from "./aggregate.ts";
import { meter } from "./cost.ts";
import { problemText } from "./options.ts";
import { splitSteps } from "./steps.ts";
import { traceBuilder } from "./trace.ts";
import type { AnswerJudge } from "./answers.ts";

/** Options of {@linkcode greedySearch}. */
export interface GreedyOptions {
  /** Maximum new tokens (default 2048). */
  maxTokens?: number;
  /** Aggregation of step scores when a scorer is given (default "last"). */
  aggregation?: Aggregation;
  /** Answer extraction (default {@linkcode defaultJudge}). */
  judge?: AnswerJudge;
}

/** Defaults of {@linkcode greedySearch}. */
export const GREEDY_DEFAULTS = { maxTokens: 2048, aggregation: "last" as Aggregation };

/**
 * Decode one solution at temperature 0 with no stop strings; when a scorer is given, its
 * `"\n\n"`-step scores are attached to the candidate (the answer does not depend on them).
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const { answer, cost } = await greedySearch("What is 2+3?", policy, undefined, { maxTokens: 512 });
 * ```
 */
export async function greedySearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: GreedyOptions = {},
): Promise<SearchResult> {
  const o = { ...GREEDY_DEFAULTS, ...options };
  const judge = options.judge ?? defaultJudge;
  const m = meter(policy, scorer);
  const [[c]] = await m.policy.extend([m.policy.start(problemText(problem))], {
    n: 1,
    temperature: 0,
    stop: [],
    maxTokens: o.maxTokens,
  });
  const answer = judge.extract(c.text);
  let stepScores: number[] | undefined;
  if (m.scorer) {
    [stepScores] = await m.scorer.score([{
      problem: problemText(problem),
      steps: splitSteps(c.text),
    }]);
  }
  const t = traceBuilder("samples");
  const root = t.add({ parent: null, text: "", depth: 0 });
  const score = stepScores ? aggregate(stepScores, o.aggregation) : undefined;
  t.select(t.add({ parent: root, text: c.text, depth: 1, terminal: true, answer, score }));
  return {
    answer,
    candidates: [{
      text: c.text,
      answer,
      tokens: c.tokens.length || c.logprobs.length,
      ...(stepScores ? { stepScores, score } : {}),
    }],
    cost: m.cost(),
    trace: t.trace(),
  };
}
