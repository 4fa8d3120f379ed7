/**
 * Problem generation: one full record (text, answer, gold solution, plan) from an rng, and
 * {@linkcode generateProblem}, a problem of a chosen level and form determined by a seed and an
 * index alone.
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * generateProblem(7, 0, 3, "word").id; // "gen-7-0-3-word"
 * ```
 *
 * @module
 */

import { answerOf, runPlan } from "./execute.ts";
import { tryExprProblem } from "./expr.ts";
import { CAPS, DRILL_LEVEL, LEVELS } from "./levels.ts";
import type { ProblemForm, SyntheticProblem } from "./plan.ts";
import { hashSeed, mulberry32, type Rng } from "./random.ts";
import { formatAnswerStep } from "./steps.ts";
import { tryWordProblem } from "./word.ts";

/**
 * Build a full record from an rng; retries until the random choices give a valid problem.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * makeProblem(mulberry32(5), "my-id", 2, "word").id; // "my-id"
 * ```
 */
export function makeProblem(
  rng: Rng,
  id: string,
  level: number,
  form: ProblemForm,
): SyntheticProblem {
  if (!LEVELS.includes(level) && level !== DRILL_LEVEL) {
    throw new RangeError(`level must be 0-5, got ${level}`);
  }
  if (level === DRILL_LEVEL) form = "expr";
  for (let attempt = 0; attempt < 10000; attempt++) {
    const made = form === "word" ? tryWordProblem(rng, level) : tryExprProblem(rng, level);
    if (made === null) continue;
    const written = runPlan(made.plan, CAPS[level]);
    if (written === null) continue;
    const answer = answerOf(made.plan, written);
    const solution = [...written.map((s) => s.text), formatAnswerStep(answer)].join("\n\n");
    return { id, problem: made.text, answer, level, solution, form, plan: made.plan };
  }
  throw new Error(`could not generate problem ${id}`);
}

/**
 * Generate one problem of a chosen level and form, determined by `(seed, index)` alone.
 * Its id is `gen-<seed>-<index>-<level>-<form>` ({@linkcode problemById} rebuilds it).
 *
 * @example
 * ```ts
 * const p = generateProblem(7, 0, 3, "word");
 * // p.problem: "Ann has 120 coins. She buys 3 boxes of 8. ..."; p.answer: "152"
 * ```
 */
export function generateProblem(
  seed: number,
  index: number,
  level: number,
  form: ProblemForm,
): SyntheticProblem {
  const rng = mulberry32(hashSeed("gen", seed, index, level, form));
  return makeProblem(rng, `gen-${seed}-${index}-${level}-${form}`, level, form);
}
