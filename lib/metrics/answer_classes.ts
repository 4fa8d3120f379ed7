/**
 * Grouping answers into classes of grader-equal answers, the basis of majority and weighted votes.
 *
 * @module
 */
import type { Same } from "./records.ts";

/** Answer classes of a list of answers. */
export interface AnswerClasses {
  /** Class index of each answer, or -1 for a null answer. Classes are numbered by first occurrence. */
  classOf: number[];
  /** The first answer of each class (its representative). */
  representatives: string[];
}

/**
 * Group answers into classes of grader-equal answers. Answers are taken in order; each joins the
 * first existing class whose representative (first member) it is `same` to, else starts a new
 * class. Identical strings (after trimming) always share a class without calling `same`, so the
 * grader runs once per distinct answer and class. Null answers belong to no class.
 *
 * Because a grader's equivalence need not be transitive, classes depend on answer order; this is
 * the greedy, order-preserving rule (first occurrence wins), as search-and-learn's canonical-form
 * grouping gives for a transitive grader.
 *
 * @example
 * ```ts
 * const same = (a: string, b: string) => Number(a) === Number(b);
 * answerClasses(["0.5", ".5", null, "1"], same);
 * // { classOf: [0, 0, -1, 1], representatives: ["0.5", "1"] }
 * ```
 */
export function answerClasses(answers: readonly (string | null)[], same: Same): AnswerClasses {
  const byText = new Map<string, number>();
  const representatives: string[] = [];
  const classOf = answers.map((answer) => {
    if (answer === null) return -1;
    const key = answer.trim();
    const known = byText.get(key);
    if (known !== undefined) return known;
    let cls = representatives.findIndex((rep) => same(rep, answer));
    if (cls < 0) {
      cls = representatives.length;
      representatives.push(answer);
    }
    byText.set(key, cls);
    return cls;
  });
  return { classOf, representatives };
}
