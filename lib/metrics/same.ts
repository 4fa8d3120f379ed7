/**
 * The default answer equivalence of the metrics: lib/grading's `isEquivalent`, so votes and
 * grades use the same judge as the rest of the workspace.
 *
 * @module
 */
import { isEquivalent } from "../grading/mod.ts";
import type { Same } from "./records.ts";

/**
 * `isEquivalent(a, b).equal` from lib/grading, with `a` in the gold position: when voting, the
 * class representative; when grading, the gold answer.
 *
 * @example
 * ```ts
 * graderSame("\\frac{1}{2}", "0.5"); // true
 * ```
 */
export const graderSame: Same = (a, b) => isEquivalent(a, b).equal;
