/**
 * Choosing a final answer from scored candidates: majority vote, reward-weighted majority and
 * best-of-N (docs/algorithms.md §2.5: sal `pred_maj`, `pred_weighted`, `pred_naive`; §9 BoN row).
 *
 * Answers are grouped into classes with the judge's `same` (grader-equal answers vote
 * together; each class is named by its first member's answer). Candidates without an answer
 * never win a vote. Ties go to the class (or candidate) that occurs first, as in sal.
 *
 * @example
 * ```ts
 * import { bestOfN, majority, weightedMajority } from "./vote.ts";
 * const cs = [
 *   { text: "", answer: "1", score: 0.9 },
 *   { text: "", answer: "2", score: 0.4 },
 *   { text: "", answer: "2", score: 0.4 },
 * ];
 * majority(cs).answer; // "2"
 * weightedMajority(cs).answer; // "1" (0.9 > 0.4 + 0.4)
 * bestOfN(cs).answer; // "1"
 * ```
 *
 * @module
 */
import type { Candidate } from "../core/types.ts";
import { type AnswerJudge, defaultJudge } from "./answers.ts";

/** A selected answer and the candidate that represents it (-1 when nothing had an answer). */
export interface Selection {
  /** The chosen answer, or null. */
  answer: string | null;
  /** Index of the representative candidate: first member of the class, or the argmax. */
  index: number;
}

/** One equivalence class of answers. */
export interface AnswerClass {
  /** The first member's answer. */
  answer: string;
  /** Indices of the member candidates, in order. */
  members: number[];
  /** Sum of the members' scores (missing scores count 0). */
  scoreSum: number;
}

/** Group candidates with an answer into equivalence classes, in order of first occurrence. */
export function answerClasses(
  candidates: readonly Candidate[],
  judge: AnswerJudge = defaultJudge,
): AnswerClass[] {
  const classes: AnswerClass[] = [];
  candidates.forEach((c, i) => {
    if (c.answer === null) return;
    const k = classes.find((cl) => judge.same(cl.answer, c.answer!));
    if (k) {
      k.members.push(i);
      k.scoreSum += c.score ?? 0;
    } else {
      classes.push({ answer: c.answer, members: [i], scoreSum: c.score ?? 0 });
    }
  });
  return classes;
}

function pick(classes: AnswerClass[], key: (c: AnswerClass) => number): Selection {
  let best: AnswerClass | null = null;
  for (const c of classes) if (best === null || key(c) > key(best)) best = c;
  return best ? { answer: best.answer, index: best.members[0] } : { answer: null, index: -1 };
}

/**
 * Majority vote: the largest answer class (§2.5 `pred_maj`).
 *
 * @example
 * ```ts
 * majority([{ text: "", answer: "a" }, { text: "", answer: "b" }, { text: "", answer: "b" }]); // { answer: "b", index: 1 }
 * ```
 */
export function majority(candidates: readonly Candidate[], judge?: AnswerJudge): Selection {
  return pick(answerClasses(candidates, judge), (c) => c.members.length);
}

/**
 * Reward-weighted majority: the answer class with the largest sum of candidate scores
 * (§2.5 `pred_weighted`, `find_answer_with_largest_sum`).
 *
 * @example
 * ```ts
 * weightedMajority([{ text: "", answer: "a", score: 0.9 }, { text: "", answer: "b", score: 0.5 },
 *   { text: "", answer: "b", score: 0.3 }]); // { answer: "a", index: 0 }
 * ```
 */
export function weightedMajority(candidates: readonly Candidate[], judge?: AnswerJudge): Selection {
  if (!candidates.some((c) => c.answer !== null && c.score !== undefined)) {
    return { answer: null, index: -1 };
  }
  return pick(answerClasses(candidates, judge), (c) => c.scoreSum);
}

/**
 * Best-of-N: the answer of the highest-scoring candidate (§2.2, §2.5 `pred_naive`); candidates
 * without a score are skipped. The winner may have no answer (then `answer` is null), as in sal.
 *
 * @example
 * ```ts
 * bestOfN([{ text: "", answer: "a", score: 0.2 }, { text: "", answer: "b", score: 0.7 }]); // { answer: "b", index: 1 }
 * ```
 */
export function bestOfN(candidates: readonly Candidate[]): Selection {
  let index = -1;
  candidates.forEach((c, i) => {
    if (c.score !== undefined && (index < 0 || c.score > candidates[index].score!)) index = i;
  });
  return { answer: index < 0 ? null : candidates[index].answer, index };
}
