/**
 * The grader's version: part of every run's identity, so that records graded by another version
 * of the rules are never resumed into one file. Bump it with any change that can turn a verdict.
 *
 * @example
 * ```ts
 * import { GRADER_VERSION } from "./version.ts";
 * const identity = { grader: GRADER_VERSION };
 * ```
 *
 * @module
 */

/** The current grader version (date of the last verdict-changing change, and a counter). */
export const GRADER_VERSION = "2026-12-06.2";
