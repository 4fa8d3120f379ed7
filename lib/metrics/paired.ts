/**
 * Paired comparison of two methods run on the same problems: the accuracy difference a − b over
 * the problems both have, with a paired bootstrap CI (both methods resampled with the same
 * problems), and the tokens each spent there.
 *
 * @example
 * ```ts
 * import { pairedDifference } from "./paired.ts";
 * const a = [{ id: "1", correct: true, tokens: 90 }, { id: "2", correct: true, tokens: 110 }];
 * const b = [{ id: "1", correct: false, tokens: 30 }, { id: "2", correct: true, tokens: 30 }];
 * pairedDifference(a, b, { seed: 0 }); // { n: 2, diff: 0.5, lo, hi, tokensA: 100, tokensB: 30 }
 * ```
 *
 * @module
 */
import { type BootstrapOptions, pairedBootstrapCI } from "./bootstrap.ts";

/**
 * One problem's outcome under one method.
 *
 * @example
 * ```ts
 * const o: PairedOutcome = { id: "eval-007", correct: true, tokens: 412 };
 * ```
 */
export interface PairedOutcome {
  /** Problem id: the outcomes of two methods are paired by it. */
  id: string;
  /** Whether the method's answer was right. */
  correct: boolean;
  /** Tokens the method generated for the problem. */
  tokens: number;
}

/**
 * Accuracy of method a minus method b on the problems both have, with a paired bootstrap CI.
 *
 * @example
 * ```ts
 * const d: PairedDifference | null = pairedDifference([], [], { seed: 0 }); // null: no problem in common
 * ```
 */
export interface PairedDifference {
  /** Problems in both. */
  n: number;
  /** Accuracy difference a − b (fraction). */
  diff: number;
  /** Lower end of the CI of the difference. */
  lo: number;
  /** Upper end of the CI of the difference. */
  hi: number;
  /** Mean tokens per problem of a on those problems. */
  tokensA: number;
  /** Mean tokens per problem of b on those problems. */
  tokensB: number;
}

/**
 * Compare two methods on the problems both have (matched by id, in a's order; where an id occurs
 * twice the later outcome counts): accuracy difference with a paired bootstrap CI
 * ({@linkcode pairedBootstrapCI} over the 0/1 correctness of each), and the mean tokens each
 * spent. Null when they share no problem.
 *
 * @example
 * ```ts
 * const a = [{ id: "1", correct: true, tokens: 90 }, { id: "2", correct: false, tokens: 110 }];
 * const b = [{ id: "2", correct: false, tokens: 30 }, { id: "3", correct: true, tokens: 30 }];
 * pairedDifference(a, b, { seed: 0 })?.n; // 1
 * ```
 */
export function pairedDifference(
  a: readonly PairedOutcome[],
  b: readonly PairedOutcome[],
  options: BootstrapOptions,
): PairedDifference | null {
  const ra = new Map(a.map((r) => [r.id, r]));
  const rb = new Map(b.map((r) => [r.id, r]));
  const ids = [...ra.keys()].filter((id) => rb.has(id));
  if (ids.length === 0) return null;
  const xa = ids.map((id) => (ra.get(id)!.correct ? 1 : 0));
  const xb = ids.map((id) => (rb.get(id)!.correct ? 1 : 0));
  const ci = pairedBootstrapCI(xa, xb, options);
  const tokens = (m: Map<string, PairedOutcome>) =>
    ids.reduce((s, id) => s + m.get(id)!.tokens, 0) / ids.length;
  return {
    n: ids.length,
    diff: ci.mean,
    lo: ci.lo,
    hi: ci.hi,
    tokensA: tokens(ra),
    tokensB: tokens(rb),
  };
}
