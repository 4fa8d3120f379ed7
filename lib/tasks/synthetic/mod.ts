/**
 * The embedded default world: a seeded synthetic multi-step arithmetic task with an exact step
 * checker.
 *
 * Every problem has a hidden {@linkcode Plan}: a list of binary operations whose operands are
 * literals from the problem text or results of earlier operations. The gold solution writes one
 * operation per step, in plan order, then a final answer step; steps are joined with `"\n\n"`
 * (PRM800K / search-and-learn step format):
 *
 * ```text
 * Step 1: 5 * 12 = 60
 *
 * Step 2: 23 + 60 = 83
 *
 * Step 3: 83 / 4 = 20 R 3
 *
 * The answer is \boxed{3}.
 * ```
 *
 * A step is `Step <k>: <x> <op> <y> = <z>` with `op` one of `+ - * /`, numbers written as
 * non-negative integers or fractions `p/q` (no spaces inside a number, spaces around the operator),
 * and `<z>` written `<q> R <r>` for a division with remainder. {@linkcode checkSteps} judges every
 * step exactly against the plan.
 *
 * The world lives in one module per concept: `plan.ts` (plans and records), `rational.ts`
 * (exact numbers), `steps.ts` (the step text format), `execute.ts` (running a plan, the gold
 * solution), `levels.ts`, `word.ts` and `expr.ts` (the generators), `generate.ts`,
 * `eval_split.ts`, `train_stream.ts` and `problem_id.ts` (which problems), `flawed.ts` (solutions
 * with one mistake) and `checker.ts` (the step checker).
 *
 * All randomness comes from {@linkcode mulberry32} seeded by {@linkcode hashSeed}, so the same seed
 * gives the same problems on any machine.
 *
 * @example
 * ```ts
 * import { checkSteps, evalSplit, flawedSolution } from "./mod.ts";
 * const p = evalSplit()[0];
 * checkSteps(p, p.solution).solved; // true
 * const f = flawedSolution(p, 1);
 * if (f) checkSteps(p, f.solution).firstError === f.firstError; // true
 * ```
 *
 * @module
 */
export { hashSeed, mulberry32, type Rng } from "./random.ts";
export type { Op, Operand, Plan, PlanStep, ProblemForm, SyntheticProblem } from "./plan.ts";
export { DRILL_LEVEL, LEVELS } from "./levels.ts";
export { CHARSET, extractBoxed, formatAnswerStep, formatStep, splitSteps } from "./steps.ts";
export { goldSteps } from "./execute.ts";
export { generateProblem } from "./generate.ts";
export { EVAL_SEED, EVAL_SIZE, evalSplit, isEvalProblem, WORD_FRACTION } from "./eval_split.ts";
export { trainStream, type TrainStreamOptions } from "./train_stream.ts";
export { problemById } from "./problem_id.ts";
export { type FlawedSolution, flawedSolution, type MistakeKind } from "./flawed.ts";
export { type CheckResult, checkSteps, type StepKind, type StepVerdict } from "./checker.ts";
