/**
 * Options shared by every search method in this folder, and reading a problem argument.
 *
 * @example
 * ```ts
 * import { problemText } from "./options.ts";
 * problemText("What is 2+3?"); // "What is 2+3?"
 * ```
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import type { AnswerJudge } from "./answers.ts";

/** Sampling and bookkeeping options every method accepts. */
export interface SearchOptions {
  /** Seed of every random choice of the method and of the policy requests it makes (default 0). */
  seed?: number;
  /** Policy sampling temperature (default 0.8, sal). */
  temperature?: number;
  /** Policy nucleus mass (default 1). */
  topP?: number;
  /** Maximum new tokens per policy request (default 2048, sal). */
  maxTokens?: number;
  /** Answer extraction and equivalence (default {@linkcode defaultJudge}). */
  judge?: AnswerJudge;
}

/** The problem statement of a {@linkcode Problem} or a bare string. */
export function problemText(problem: Problem | string): string {
  return typeof problem === "string" ? problem : problem.problem;
}

/** Throw a `RangeError` unless `x` is an integer ≥ `min`. */
export function checkInt(name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) throw new RangeError(`${name} must be an integer ≥ ${min}`);
}
