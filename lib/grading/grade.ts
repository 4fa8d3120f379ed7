/**
 * Grade one prediction against one gold answer: extract the final answer from each (either may be a
 * whole solution or a bare answer), then compare with {@linkcode isEquivalent}.
 *
 * @module
 */
import { type EquivalenceOptions, isEquivalent } from "./equivalence.ts";
import { extractAnswer, type ExtractOptions } from "./extract.ts";

/** Options of {@linkcode gradeAnswer}: extraction (`latexOnly`) and comparison options. */
export interface GradeOptions extends EquivalenceOptions, ExtractOptions {}

/** Result of {@linkcode gradeAnswer}. */
export interface Grade {
  /** Answer extracted from the prediction, or null when none was found. */
  extracted: string | null;
  /** Answer extracted from the gold field (the gold itself when it is a bare answer). */
  goldAnswer: string | null;
  /** True when the extracted prediction matches the gold answer. */
  correct: boolean;
  /** Why: the deciding stage, or why grading gave up. */
  reason: string;
}

/**
 * Extract and compare.
 *
 * @example
 * ```ts
 * gradeAnswer("\\frac{1}{2}", "so the answer is $\\boxed{0.5}$.");
 * // { extracted: "0.5", goldAnswer: "\\frac{1}{2}", correct: true, reason: "number" }
 * gradeAnswer("$9$", "Answer $ \n 9 \n $", { latexOnly: true }).correct; // false: no formula
 * ```
 */
export function gradeAnswer(gold: string, pred: string, opts?: GradeOptions): Grade {
  const extracted = extractAnswer(pred, opts);
  const goldAnswer = extractAnswer(gold, opts);
  if (goldAnswer === null) {
    return { extracted, goldAnswer, correct: false, reason: "no gold answer" };
  }
  if (extracted === null) {
    return { extracted, goldAnswer, correct: false, reason: "no answer extracted" };
  }
  const v = isEquivalent(goldAnswer, extracted, opts);
  return { extracted, goldAnswer, correct: v.equal, reason: v.reason };
}
