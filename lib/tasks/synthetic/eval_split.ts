/**
 * The fixed evaluation split of the synthetic world: 500 problems from seed
 * {@linkcode EVAL_SEED}, 100 per level, 30% word and 70% expression form, and a test of whether a
 * problem text is one of them (the training stream skips those).
 *
 * @example
 * ```ts
 * import { evalSplit, isEvalProblem } from "./eval_split.ts";
 * isEvalProblem(evalSplit()[0].problem); // true
 * ```
 *
 * @module
 */

import { makeProblem } from "./generate.ts";
import type { ProblemForm, SyntheticProblem } from "./plan.ts";
import { hashSeed, mulberry32 } from "./random.ts";

/**
 * Seed of the fixed evaluation split.
 *
 * @example
 * ```ts
 * EVAL_SEED; // 20261125
 * ```
 */
export const EVAL_SEED = 20261125;

/**
 * Number of problems in {@linkcode evalSplit}.
 *
 * @example
 * ```ts
 * evalSplit().length === EVAL_SIZE; // true
 * ```
 */
export const EVAL_SIZE = 500;

/**
 * Share of word problems in the evaluation split and (by default) in the training stream.
 *
 * @example
 * ```ts
 * evalSplit().filter((p) => p.form === "word").length; // 150 = WORD_FRACTION * 500
 * ```
 */
export const WORD_FRACTION = 0.3;

/**
 * Problem `index` of the evaluation split: level `1 + index % 5`; word form in 3 of 10 blocks of 5.
 *
 * @example
 * ```ts
 * evalProblem(7).id; // "eval-007"
 * ```
 */
export function evalProblem(index: number): SyntheticProblem {
  const rng = mulberry32(hashSeed("eval", EVAL_SEED, index));
  const level = 1 + (index % 5);
  const form: ProblemForm = Math.floor(index / 5) % 10 < 3 ? "word" : "expr";
  return makeProblem(rng, `eval-${String(index).padStart(3, "0")}`, level, form);
}

/**
 * The fixed evaluation split: 500 problems, 100 per level, 30% word and 70% expression form
 * (seed {@linkcode EVAL_SEED}); ids `eval-000` ... `eval-499`.
 *
 * @example
 * ```ts
 * const split = evalSplit();
 * split.length; // 500
 * split[0].id; // "eval-000"
 * ```
 */
export function evalSplit(): SyntheticProblem[] {
  return Array.from({ length: EVAL_SIZE }, (_, i) => evalProblem(i));
}

let evalTexts: Set<string> | null = null;

/**
 * Whether a problem statement appears in the evaluation split.
 *
 * @example
 * ```ts
 * isEvalProblem(evalSplit()[3].problem); // true
 * ```
 */
export function isEvalProblem(text: string): boolean {
  evalTexts ??= new Set(evalSplit().map((p) => p.problem));
  return evalTexts.has(text);
}
