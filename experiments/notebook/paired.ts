/**
 * Paired comparisons of two arms of a run on the same problems (the statistics are
 * {@linkcode pairedDifference} of lib/metrics): the difference with its 95% paired bootstrap CI,
 * the token ratio, and a verdict.
 *
 * @example
 * ```ts
 * import { comparisons } from "./paired.ts";
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * comparisons(run.records, [["pf@16", "maj@16"]]);
 * ```
 *
 * @module
 */
import { type PairedDifference, pairedDifference } from "../../lib/metrics/mod.ts";
import { type HtmlView, table } from "../../lib/report/mod.ts";
import type { RunRecord } from "../harness.ts";
import { pct, round1 } from "./format.ts";

/**
 * Accuracy of arm `a` minus arm `b` on the problems both ran, with a paired bootstrap CI, and the
 * mean tokens per problem of each arm on those problems.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * const d: ArmDifference | null = compareArms(run.records, "pf@16", "maj@16");
 * ```
 */
export interface ArmDifference extends PairedDifference {
  /** Arm a (config). */
  a: string;
  /** Arm b (config). */
  b: string;
}

/**
 * Compare two arms on the same problems: accuracy difference with a 95% paired bootstrap CI, and
 * the tokens each spent (null when they share no problem).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * const d = compareArms(run.records, "pf@16", "maj@16");
 * d && d.lo > 0; // PF better than majority voting beyond noise
 * ```
 */
export function compareArms(
  records: readonly RunRecord[],
  a: string,
  b: string,
  seed = 0,
): ArmDifference | null {
  const d = pairedDifference(
    records.filter((r) => r.config === a),
    records.filter((r) => r.config === b),
    { seed },
  );
  return d === null ? null : { a, b, ...d };
}

/**
 * A table of paired comparisons (accuracy differences in points with 95% CI, and token ratios),
 * with a verdict per row: "better", "worse" or "no detectable difference".
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * comparisons(run.records, [["pf@16", "maj@16"], ["sbs@16", "maj@16"]]);
 * ```
 */
export function comparisons(
  records: readonly RunRecord[],
  pairs: readonly [string, string][],
  caption = "Paired comparisons on the same problems (95% paired bootstrap CI)",
): HtmlView {
  const rows = pairs.map(([a, b]) => {
    const d = compareArms(records, a, b);
    if (!d) return { a, b, n: 0, "Δ accuracy (points)": null, "95% CI": null, verdict: "not run" };
    return {
      a,
      b,
      n: d.n,
      "Δ accuracy (points)": pct(d.diff),
      "95% CI": `[${pct(d.lo).toFixed(1)},\u00a0${pct(d.hi).toFixed(1)}]`,
      "tokens a/b": round1(d.tokensA / Math.max(1, d.tokensB)),
      verdict: d.lo > 0 ? "a better" : d.hi < 0 ? "a worse" : "no detectable difference",
    };
  });
  return table(rows, { caption, digits: 1, dtypes: false });
}
