/**
 * Math answer grading: final-answer extraction from model outputs, MARIO_EVAL-style normalisation,
 * and equivalence of numbers, expressions, sets, tuples, intervals, matrices and relations — bounded
 * in time and size so that no comparison hangs a run.
 *
 * @example
 * ```ts
 * import { extractAnswer, gradeAnswer, isEquivalent } from "./mod.ts";
 * extractAnswer("... so the answer is $\\boxed{\\dfrac{1}{2}}$."); // "\\dfrac{1}{2}"
 * isEquivalent("\\frac{1}{2}", "0.5"); // { equal: true, reason: "number" }
 * gradeAnswer("(1,2)", "The point is $\\boxed{(1, 2)}$.").correct; // true
 * ```
 *
 * @module
 */
export { extractAnswer, type ExtractOptions, lastBoxed } from "./extract.ts";
export { normalizeAnswer } from "./normalize.ts";
export {
  DEFAULT_LIMITS,
  type EquivalenceOptions,
  equivalent,
  isEquivalent,
  type Verdict,
} from "./equivalence.ts";
export { type Grade, gradeAnswer, type GradeOptions } from "./grade.ts";
export { DECIMAL_TOLERANCE, EXACT_TOLERANCE, type Tolerance } from "./tolerance.ts";
export { warmUp } from "./symbolic.ts";
export { type ConformanceCase, runSuite, type SuiteReport, SUITES } from "./conformance.ts";
export { gradeFile, type GradeSummary } from "./cli.ts";
export { GRADER_VERSION } from "./version.ts";
