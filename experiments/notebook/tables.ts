/**
 * A run's tables besides paper vs ours: one row per arm (accuracy, CI, cost, pass@k, maj@k),
 * and the code-step experiment's arms beside greedy decoding (`experiments/tool_search.ts`).
 *
 * @example
 * ```ts
 * import { armRows } from "./tables.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * armRows(summary).map((r) => r["accuracy %"]);
 * ```
 *
 * @module
 */
import { type HtmlView, table } from "../../lib/report/mod.ts";
import type { ExperimentSummary } from "../experiment.ts";
import { TOOL_ARM_TEXT } from "../tool_search.ts";
import { pct, round1 } from "./format.ts";
import type { LoadedRun } from "./load.ts";
import { compareArms } from "./paired.ts";
import { scorerLabel } from "./paper_vs_ours.ts";

/**
 * One row per arm: accuracy with 95% CI, cost, pass@k / maj@k over candidates and, where records
 * carry them, steps per solution.
 *
 * @example
 * ```ts
 * import { table } from "../../lib/report/mod.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * table(armRows(summary));
 * ```
 */
export function armRows(summary: ExperimentSummary): Record<string, unknown>[] {
  const anyShared = summary.arms.some((x) => x.shared_samples);
  return summary.arms.map((a) => {
    const row: Record<string, unknown> = {
      arm: a.config,
      method: a.method,
      scorer: scorerLabel(a),
      n: a.n_problems,
      "accuracy %": pct(a.accuracy),
      "95% CI": `[${pct(a.ci95[0]).toFixed(1)},\u00a0${pct(a.ci95[1]).toFixed(1)}]`,
      "tokens/problem": Math.round(a.tokens_per_problem),
      "s/problem": Math.round(a.s_per_problem * 100) / 100,
      "policy calls/problem": round1(a.policy_calls / Math.max(1, a.n_problems)),
      "scorer calls/problem": round1(a.scorer_calls / Math.max(1, a.n_problems)),
    };
    // an arm that re-read another arm's identical draw paid only for scoring it (shared_samples.ts)
    if (anyShared) {
      row.samples = a.shared_samples
        ? `re-read on ${a.shared_samples} problems (s/problem = scoring only)`
        : "drawn";
    }
    const steps = (a as { steps_per_solution?: number }).steps_per_solution;
    if (steps !== undefined) row["steps/solution"] = round1(steps);
    row["pass@k %"] = a.pass_at_k ? `${pct(a.pass_at_k.value)} (k=${a.pass_at_k.k})` : null;
    row["maj@k %"] = a.maj_at_k ? `${pct(a.maj_at_k.value)} (k=${a.maj_at_k.k})` : null;
    return row;
  });
}

/**
 * The code-step experiment (`experiments/tool_search.ts`; a run from `loadOrRun(toolSearch)`) as a
 * table: each arm in words, its accuracy with 95% CI, problems solved, cost, and its paired
 * difference from `baseline` (default greedy decoding with code execution) on the same problems,
 * with a 95% paired bootstrap CI.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * toolSearchTable(run);
 * ```
 */
export function toolSearchTable(
  run: Pick<LoadedRun, "summary" | "records">,
  baseline = "greedyExec",
): HtmlView {
  const { summary } = run;
  const signed = (x: number) => `${x >= 0 ? "+" : ""}${pct(x).toFixed(1)}`;
  const rows = summary.arms.map((a) => {
    const mine = run.records.filter((r) => r.config === a.config);
    const d = a.config === baseline ? null : compareArms(run.records, a.config, baseline);
    return {
      arm: a.config,
      what: TOOL_ARM_TEXT[a.config] ?? a.method,
      "accuracy %": pct(a.accuracy),
      "95% CI": `[${pct(a.ci95[0]).toFixed(1)},\u00a0${pct(a.ci95[1]).toFixed(1)}]`,
      solved: `${mine.filter((r) => r.correct).length}/${mine.length}`,
      "tokens/problem": Math.round(a.tokens_per_problem),
      "s/problem": Math.round(a.s_per_problem * 100) / 100,
      [`vs ${baseline}, paired (points)`]: d
        ? `${signed(d.diff)} [${signed(d.lo)},\u00a0${signed(d.hi)}]`
        : "",
    };
  });
  const through = summary.policy ? ` through ${summary.policy}` : "";
  return table(rows, {
    caption: `${summary.model}${through}, first ${summary.limit} ${summary.dataset} problems, ` +
      `seed ${summary.seed} (command: ${summary.command})`,
    dtypes: false,
  });
}
