/**
 * How search methods read and compare final answers: a small injectable {@linkcode AnswerJudge}.
 *
 * Methods never parse answers themselves; majority voting, weighted voting and candidate
 * answers all go through a judge, so a run can swap in a stricter or faster grader. The default
 * judge, {@linkcode defaultJudge} ({@linkcode gradingJudge}), uses the project grader
 * (`lib/grading`: last `\boxed{}` extraction and MARIO_EVAL-style equivalence, docs/algorithms.md
 * §1.4); {@linkcode boxedJudge} is a lighter alternative (last `\boxed{}` and string equality
 * after normalisation).
 *
 * @example
 * ```ts
 * import { defaultJudge } from "./answers.ts";
 * defaultJudge.extract("so \\boxed{\\dfrac{1}{2}}"); // "\\dfrac{1}{2}"
 * defaultJudge.same("\\dfrac{1}{2}", "0.5"); // true
 * ```
 *
 * @module
 */

import {
  extractAnswer as gradeExtract,
  isEquivalent,
  lastBoxed,
  normalizeAnswer,
} from "../grading/mod.ts";

/** Extracts and compares final answers. */
export interface AnswerJudge {
  /** The final answer of a solution text, or null when it has none. */
  extract(text: string): string | null;
  /** Whether two extracted answers are the same answer (symmetric). */
  same(a: string, b: string): boolean;
}

/**
 * A light judge: the grader's last-`\boxed{}` extraction and string equality after its
 * normalisation (no symbolic comparison), for tests and speed.
 */
export const boxedJudge: AnswerJudge = {
  extract: (text) => lastBoxed(text, { openBox: false }),
  same: (a, b) => a === b || normalizeAnswer(a) === normalizeAnswer(b),
};

/**
 * A judge with a memo of `same` verdicts (keyed by the ordered pair), for graders whose
 * comparisons are costly; voting compares each answer with every class representative.
 *
 * @example
 * ```ts
 * import { isEquivalent, lastBoxed } from "../grading/mod.ts";
 * const judge = memoJudge({ extract: lastBoxed, same: (a, b) => isEquivalent(a, b).equal });
 * ```
 */
export function memoJudge(judge: AnswerJudge, maxEntries = 100_000): AnswerJudge {
  const memo = new Map<string, boolean>();
  return {
    extract: (text) => judge.extract(text),
    same(a, b) {
      const key = `${a.length}:${a}\u0000${b}`;
      let v = memo.get(key);
      if (v === undefined) {
        v = judge.same(a, b);
        if (memo.size >= maxEntries) memo.clear();
        memo.set(key, v);
      }
      return v;
    },
  };
}

/**
 * The project grader as a judge: `lib/grading`'s `extractAnswer`, and `isEquivalent(a, b).equal`
 * (the earlier answer in the role of the gold one), memoised.
 */
export const gradingJudge: AnswerJudge = memoJudge({
  // a solution cut off inside its box has no boxed answer yet; voting compares answers both ways
  extract: (text) => gradeExtract(text, { openBox: false }),
  same: (a, b) => a === b || isEquivalent(a, b, { allowSetRelationComp: true }).equal,
});

/** The judge every method uses unless its options pass another one: {@linkcode gradingJudge}. */
export const defaultJudge: AnswerJudge = gradingJudge;

/** {@linkcode defaultJudge}'s `extract`, as a function. */
export function extractAnswer(text: string): string | null {
  return defaultJudge.extract(text);
}

/** {@linkcode defaultJudge}'s `same`, as a function. */
export function sameAnswer(a: string, b: string): boolean {
  return defaultJudge.same(a, b);
}
