/**
 * The hidden structure of a synthetic problem and its record: a {@linkcode Plan} is a list of
 * binary operations whose operands are literals from the problem text or results of earlier
 * operations; a {@linkcode SyntheticProblem} carries the text, the answer, the gold solution and
 * the plan the step checker judges against.
 *
 * @example
 * ```ts
 * import type { Plan } from "./plan.ts";
 * const plan: Plan = { // 5 * 12 = 60, then 23 + 60 = 83
 *   steps: [{ op: "*", a: { lit: "5" }, b: { lit: "12" } }, { op: "+", a: { lit: "23" }, b: { ref: 0 } }],
 *   answer: { ref: 1, part: "value" },
 * };
 * ```
 *
 * @module
 */

import type { Problem } from "../../core/types.ts";

/**
 * A binary operator of the task. `/` is exact division, or division with remainder.
 *
 * @example
 * ```ts
 * const op: Op = "*";
 * ```
 */
export type Op = "+" | "-" | "*" | "/";

/**
 * An operand of a plan step: a literal from the problem text (`"17"`, `"3/4"`) or the result of
 * an earlier step (0-based index; for a remainder step its quotient).
 *
 * @example
 * ```ts
 * const a: Operand = { lit: "17" };
 * const b: Operand = { ref: 0 }; // the result of step 1
 * ```
 */
export type Operand = { lit: string } | { ref: number };

/**
 * One operation of a plan. With `rem: true` the step is a division with remainder, written
 * `x / y = q R r`.
 *
 * @example
 * ```ts
 * const s: PlanStep = { op: "*", a: { lit: "5" }, b: { lit: "12" } }; // "Step 1: 5 * 12 = 60"
 * ```
 */
export interface PlanStep {
  op: Op;
  a: Operand;
  b: Operand;
  rem?: boolean;
  /** Word problems: the sentence this step works on, quoted at the start of the step. */
  cue?: string;
}

/**
 * The hidden structure of a problem: the operations in solution order and which result is the
 * answer (`part: "rem"` takes the remainder of a remainder step).
 *
 * @example
 * ```ts
 * const plan: Plan = {
 *   steps: [{ op: "+", a: { lit: "2" }, b: { lit: "3" } }, { op: "*", a: { ref: 0 }, b: { lit: "4" } }],
 *   answer: { ref: 1, part: "value" },
 * };
 * ```
 */
export interface Plan {
  steps: PlanStep[];
  answer: { ref: number; part: "value" | "rem" };
}

/**
 * Surface form of a problem: a word problem or an expression to calculate.
 *
 * @example
 * ```ts
 * const form: ProblemForm = "word";
 * ```
 */
export type ProblemForm = "word" | "expr";

/**
 * A synthetic problem record: `solution` is the gold solution in steps joined by `"\n\n"`, ending
 * with the `\boxed{answer}` step; `plan` is the hidden structure the step checker uses.
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * const p: SyntheticProblem = generateProblem(1, 0, 2, "expr");
 * console.log(p.problem, p.answer, p.solution.split("\n\n").length);
 * ```
 */
export interface SyntheticProblem extends Problem {
  level: number;
  solution: string;
  form: ProblemForm;
  plan: Plan;
}
