/**
 * Problems by id: every synthetic problem is a pure function of its id, so records can store the
 * id alone and rebuild the problem (plan included) when needed.
 *
 * @example
 * ```ts
 * import { problemById } from "./problem_id.ts";
 * problemById("train-1-0-2-expr")?.form; // "expr"
 * ```
 *
 * @module
 */

import { EVAL_SIZE, evalProblem } from "./eval_split.ts";
import { generateProblem } from "./generate.ts";
import type { ProblemForm, SyntheticProblem } from "./plan.ts";
import { trainProblemOf } from "./train_stream.ts";

/**
 * Rebuild a problem from its id (`eval-<i>`, `train-<seed>-<i>-<level>-<form>` or
 * `gen-<seed>-<i>-<level>-<form>`); null for an id of another shape.
 *
 * @example
 * ```ts
 * problemById("eval-007")?.level; // 3
 * ```
 */
export function problemById(id: string): SyntheticProblem | null {
  let m = /^eval-(\d+)$/.exec(id);
  if (m && Number(m[1]) < EVAL_SIZE) return evalProblem(Number(m[1]));
  m = /^train-(\d+)-(\d+)-([0-5])-(word|expr)$/.exec(id);
  if (m) return trainProblemOf(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as ProblemForm);
  m = /^gen-(\d+)-(\d+)-([0-5])-(word|expr)$/.exec(id);
  if (m) return generateProblem(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as ProblemForm);
  return null;
}
