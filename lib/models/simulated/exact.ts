/**
 * Closed forms under the simulated world, for tests and notebooks.
 *
 * @example
 * ```ts
 * import { passAtN, probabilityCorrect, simProblem } from "./mod.ts";
 * const p = simProblem({ id: "e", steps: 3, pRight: 0.8 });
 * passAtN(probabilityCorrect(p.problem), 4); // 1 - (1 - 0.512)^4
 * ```
 *
 * @module
 */
import { readSpec } from "./spec.ts";

/** Probability that one temperature-1 sample of the problem ends with the gold answer. */
export function probabilityCorrect(problemText: string): number {
  return readSpec(problemText).pRight.reduce((a, p) => a * p, 1);
}

/** Probability that at least one of `n` independent samples is correct: `1 - (1 - p)^n`. */
export function passAtN(p: number, n: number): number {
  return 1 - (1 - p) ** n;
}

/**
 * Probability of each final answer of one temperature-1 sample (gold answer first).
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * const problemText = simProblem({ id: "e", steps: 3, pRight: 0.8, answer: "42" }).problem;
 * answerDistribution(problemText); // Map { "42" => 0.512, "43" => 0.1627, ... }
 * ```
 */
export function answerDistribution(problemText: string): Map<string, number> {
  const spec = readSpec(problemText);
  const pc = probabilityCorrect(problemText);
  const out = new Map<string, number>([[spec.answer, pc]]);
  spec.wrongAnswers.forEach((a, i) => out.set(a, (1 - pc) * spec.wrongWeights[i]));
  return out;
}
