/**
 * The output of step labelling: a solution (a path of steps from the problem) with a hard label
 * and a soft Monte-Carlo value per step, `null` where the method did not label the step.
 *
 * @module
 */

/** One labelled solution path. */
export interface LabelledSolution {
  /** Steps from the start of the solution (each keeps its delimiter). */
  steps: string[];
  /** Hard label per step: 1 = the prefix through this step can still reach the answer, 0 = not. */
  labels: (0 | 1 | null)[];
  /** Soft label per step: the Monte-Carlo success fraction of the prefix, where estimated. */
  soft: (number | null)[];
  /** Rollouts spent on each step's estimate (0 where the label was inferred). */
  rollouts: number[];
  /** Whether the whole path is a complete solution judged correct (null if unknown). */
  outcome: boolean | null;
}

/**
 * Index of the first step labelled 0, or −1 when every step is labelled 1; `null` when the labels
 * do not settle it (a gap before any 0).
 *
 * @example
 * ```ts
 * predictedFirstError([1, 1, 0, null]); // 2
 * predictedFirstError([1, null, 1]);    // null
 * ```
 */
export function predictedFirstError(labels: readonly (0 | 1 | null)[]): number | null {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === null) return null;
    if (labels[i] === 0) return i;
  }
  return -1;
}
