/**
 * The per-problem records every metric reads, so notebooks and CLIs compute numbers the same way.
 *
 * @module
 */
import type { Problem, SearchResult } from "../core/types.ts";

/**
 * Whether two answers are the same mathematical answer (the grader's equivalence). It is also
 * used as `same(gold, pred)` to grade a sample that has no `correct` flag.
 */
export type Same = (a: string, b: string) => boolean;

/** One sampled solution of one problem. */
export interface SampleRecord {
  /** The extracted final answer; null when none could be extracted (never votes, never correct). */
  answer: string | null;
  /** Whether `answer` matches the gold answer; when absent, metrics grade with `same(gold, answer)`. */
  correct?: boolean;
  /** The verifier / reward-model score (aggregated), for weighted voting and best-of-N. */
  score?: number;
  /** Tokens generated for this sample, for compute curves. */
  tokens?: number;
}

/** All the samples drawn for one problem. */
export interface ProblemRecord {
  /** The problem id (dataset id). */
  id: string;
  /** The gold answer. */
  gold: string;
  /** The samples, in generation order (order matters for ties and for `subsets: "prefix"`). */
  samples: readonly SampleRecord[];
}

/**
 * Whether each sample of a record is correct: its `correct` flag, else `same(gold, answer)`;
 * a null answer is incorrect.
 *
 * @example
 * ```ts
 * const rec = { id: "1", gold: "2", samples: [{ answer: "2" }, { answer: null }] };
 * sampleCorrectness(rec, (a, b) => a === b); // [true, false]
 * ```
 */
export function sampleCorrectness(record: ProblemRecord, same: Same): boolean[] {
  return record.samples.map((s) => s.correct ?? (s.answer !== null && same(record.gold, s.answer)));
}

/**
 * The record of one search: its candidates as samples (answer, score, tokens), graded later
 * against `problem.answer`.
 *
 * @example
 * ```ts
 * declare const problem: import("../core/types.ts").Problem;
 * declare const result: import("../core/types.ts").SearchResult;
 * const record = recordFromSearch(problem, result);
 * ```
 */
export function recordFromSearch(problem: Problem, result: SearchResult): ProblemRecord {
  return {
    id: problem.id,
    gold: problem.answer,
    samples: result.candidates.map((c) => {
      const s: SampleRecord = { answer: c.answer };
      if (c.score !== undefined) s.score = c.score;
      if (c.tokens !== undefined) s.tokens = c.tokens;
      return s;
    }),
  };
}
