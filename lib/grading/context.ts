/**
 * What every comparison stage shares: the verdict type, the per-comparison context (deadline, seed,
 * size limits) and the recursive comparison callback that shape-level stages use for their parts.
 *
 * @module
 */
import { Timeout } from "./symbolic.ts";

/** Outcome of a comparison. */
export interface Verdict {
  /** True when the prediction matches the gold answer. */
  equal: boolean;
  /** Which stage decided, or why the comparison gave up (`timeout`, `too complex: ...`). */
  reason: string;
}

/** Context of one comparison. */
export interface Ctx {
  /** `performance.now()` after which the comparison gives up. */
  deadline: number;
  /** Seed of the numeric spot-check points. */
  seed: number;
  /** Longest LaTeX handed to the parser. */
  maxLength: number;
  /** Deepest nesting handed to the parser. */
  maxDepth: number;
  /** Variables matter (`f(x)` ≠ `f(y)`); false matches them by position. Default true. */
  strict?: boolean;
  /** A predicted relation is read as its set also against a gold set. Default false. */
  setFromPredictedRelation?: boolean;
}

/** Compare two normalised answers of any shape (the callback parts are compared with). */
export type Compare = (g: string, p: string, ctx: Ctx) => Verdict;

/**
 * An equal verdict.
 *
 * @example
 * ```ts
 * yes("number"); // { equal: true, reason: "number" }
 * ```
 */
export function yes(reason: string): Verdict {
  return { equal: true, reason };
}

/**
 * A not-equal verdict.
 *
 * @example
 * ```ts
 * no("different number"); // { equal: false, reason: "different number" }
 * ```
 */
export function no(reason: string): Verdict {
  return { equal: false, reason };
}

/**
 * Throw {@linkcode Timeout} once the comparison's deadline has passed.
 *
 * @example
 * ```ts
 * checkTime({ deadline: Infinity, seed: 1, maxLength: 1000, maxDepth: 40 });
 * ```
 */
export function checkTime(ctx: Ctx): void {
  if (performance.now() > ctx.deadline) throw new Timeout("timeout");
}
