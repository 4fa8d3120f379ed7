/**
 * Choosing one answer from many samples: majority vote, reward-weighted vote and best-of-N, with
 * the tie rules of search-and-learn (`utils/math.py`): a tie goes to the answer occurring first.
 *
 * @module
 */
import { answerClasses } from "./answer_classes.ts";
import type { Same } from "./records.ts";

/** The outcome of a vote. */
export interface Vote {
  /** Index of the chosen sample: the first sample of the winning class. */
  index: number;
  /** Its answer. */
  answer: string;
  /** Votes (majority) or summed score (weighted) of the winning class. */
  weight: number;
}

/**
 * Majority vote over answers where grader-equal answers vote together (classes from
 * {@linkcode answerClasses}). Null answers do not vote. A tie between classes goes to the class
 * whose first member occurs first; the chosen sample is that first member. Returns null when no
 * answer is non-null.
 *
 * @example
 * ```ts
 * const same = (a: string, b: string) => Number(a) === Number(b);
 * majorityVote(["1", "0.5", ".5", "1", null, "0.50"], same); // { index: 1, answer: "0.5", weight: 3 }
 * ```
 */
export function majorityVote(answers: readonly (string | null)[], same: Same): Vote | null {
  const { classOf } = answerClasses(answers, same);
  const index = voteOn(classOf, allIndices(answers.length));
  return index < 0 ? null : { index, answer: answers[index]!, weight: countOf(classOf, index) };
}

/**
 * Reward-weighted vote: each class of grader-equal answers gets the sum of its samples' scores
 * (search-and-learn's `find_answer_with_largest_sum`); the largest sum wins, a tie goes to the
 * class occurring first. Null answers do not vote. Scores must be finite numbers.
 *
 * @example
 * ```ts
 * const same = (a: string, b: string) => a === b;
 * weightedVote(["3", "4", "4"], [0.9, 0.3, 0.4], same); // { index: 0, answer: "3", weight: 0.9 }
 * ```
 */
export function weightedVote(
  answers: readonly (string | null)[],
  scores: readonly number[],
  same: Same,
): Vote | null {
  if (scores.length !== answers.length) {
    throw new RangeError(`weightedVote: ${answers.length} answers but ${scores.length} scores`);
  }
  checkScores(scores);
  const { classOf } = answerClasses(answers, same);
  const subset = allIndices(answers.length);
  const index = voteOn(classOf, subset, scores);
  if (index < 0) return null;
  let weight = 0;
  for (const i of subset) if (classOf[i] === classOf[index]) weight += scores[i];
  return { index, answer: answers[index]!, weight };
}

/**
 * Best-of-N: the index of the highest score (first one on ties); -1 for no scores. Scores must
 * be finite numbers.
 *
 * @example
 * ```ts
 * bestOfN([0.2, 0.9, 0.9]); // 1
 * ```
 */
export function bestOfN(scores: readonly number[]): number {
  checkScores(scores);
  let best = -1;
  for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best]) best = i;
  return best;
}

/**
 * Vote among the samples `subset` (indices in increasing order) given each sample's class (-1 =
 * no vote) and optional weights (default 1 each). Returns the index of the first sample of the
 * winning class, ties going to the class whose first member comes first; -1 if nobody votes.
 * Internal to lib/metrics.
 */
export function voteOn(
  classOf: readonly number[],
  subset: readonly number[],
  weights?: readonly number[],
): number {
  const total = new Map<number, number>();
  for (const i of subset) {
    const c = classOf[i];
    if (c >= 0) total.set(c, (total.get(c) ?? 0) + (weights ? weights[i] : 1));
  }
  let best = -1;
  let bestTotal = -Infinity;
  const seen = new Set<number>();
  for (const i of subset) {
    const c = classOf[i];
    if (c < 0 || seen.has(c)) continue;
    seen.add(c);
    if (total.get(c)! > bestTotal) {
      best = i;
      bestTotal = total.get(c)!;
    }
  }
  return best;
}

/** Throw unless every score is a finite number. Internal to lib/metrics. */
export function checkScores(scores: readonly number[], where = ""): void {
  for (let i = 0; i < scores.length; i++) {
    if (typeof scores[i] !== "number" || !Number.isFinite(scores[i])) {
      throw new RangeError(`${where}score ${i} is not a finite number (got ${scores[i]})`);
    }
  }
}

function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function countOf(classOf: readonly number[], index: number): number {
  return classOf.filter((c) => c === classOf[index]).length;
}
