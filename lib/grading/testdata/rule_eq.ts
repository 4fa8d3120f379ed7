/**
 * The grading rule tests' comparison: `isEquivalent(gold, pred).equal` with a 10 s budget per
 * comparison. Those tests check the rules, and under the full parallel test run a symbolic
 * comparison can pass the default 200 ms, where a timeout reads as unequal.
 *
 * @module
 */
import { isEquivalent } from "../equivalence.ts";

/** Whether `pred` grades equal to `gold`, with time enough for any rule to finish. */
export const eq = (gold: string, pred: string): boolean =>
  isEquivalent(gold, pred, { timeLimitMs: 10_000 }).equal;
