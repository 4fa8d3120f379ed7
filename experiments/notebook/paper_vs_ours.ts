/**
 * Paper vs ours: each arm of a run beside the paper numbers of the method it reproduces (with
 * source and [UNVERIFIED] flag), arms with no paper number, and paper numbers no arm matched.
 *
 * @example
 * ```ts
 * import { paperVsOurs } from "./paper_vs_ours.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * paperVsOurs(summary, { metrics: ["accuracy %"] });
 * ```
 *
 * @module
 */
import {
  concatViews,
  type DataFrame,
  dataFrame,
  escapeHtml,
  escapeMarkdown,
  type HtmlView,
  htmlView,
  table,
} from "../../lib/report/mod.ts";
import pl from "nodejs-polars";
import { methods } from "../../lib/search/registry.ts";
import type { ArmSummary, ExperimentSummary } from "../experiment.ts";
import { pct } from "./format.ts";

/**
 * One row of the paper-vs-ours table (numbers in percent; null where absent).
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * const unmatched: PaperVsOursRow[] = paperVsOursRows(summary).filter((r) => r.arm === null);
 * ```
 */
export interface PaperVsOursRow {
  /** Our arm (config), or null for a paper row with no arm. */
  arm: string | null;
  /** The paper's method name, or null for an arm with no paper row. */
  paper_method: string | null;
  /** The paper's table and setting. */
  paper_setting: string | null;
  paper_metric: string | null;
  paper: number | null;
  /** "[UNVERIFIED]" where the docs flag the number, "not recovered" where it has no value. */
  flag: string;
  source: string | null;
  /** Our accuracy and 95% CI, in percent. */
  ours: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  tokens_per_problem: number | null;
  s_per_problem: number | null;
  scorer: string | null;
  n: number | null;
}

/**
 * The scorer an arm used, naming the token classifier of a method that declares one (Q#: it is
 * not a scorer head kind).
 *
 * @example
 * ```ts
 * scorerLabel({ method: "qsharp", scorer: "none" }); // "qsharp classifier"
 * ```
 */
export function scorerLabel(a: Pick<ArmSummary, "method" | "scorer">): string {
  return methods[a.method]?.needs.classifier ? `${a.method} classifier` : a.scorer;
}

/**
 * Options of {@linkcode paperVsOursRows} and {@linkcode paperVsOurs}.
 *
 * @example
 * ```ts
 * const options: PaperVsOursOptions = { metrics: ["accuracy %"], caption: "MATH500" };
 * ```
 */
export interface PaperVsOursOptions {
  /** Only paper numbers with these metrics (default all), e.g. `["accuracy %"]`. */
  metrics?: string[];
  /** Caption (default the experiment's title), followed by {@linkcode SHAPE_NOT_LEVEL}. */
  caption?: string;
}

/**
 * The rows behind {@linkcode paperVsOurs}: each arm (in arm order) beside every paper number whose
 * `method` equals the arm's `paperMethod`, arms with no paper number, then paper numbers no arm
 * matched.
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * paperVsOursRows(summary).filter((r) => r.arm === null); // paper rows we did not run
 * ```
 */
export function paperVsOursRows(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): PaperVsOursRow[] {
  const rows: PaperVsOursRow[] = [];
  const used = new Set<number>();
  const shown = (i: number) =>
    options.metrics === undefined || options.metrics.includes(summary.paperNumbers[i].metric);
  const ours = (a: ArmSummary) => ({
    arm: a.config,
    ours: Number.isFinite(a.accuracy) ? pct(a.accuracy) : null,
    ci_lo: Number.isFinite(a.ci95[0]) ? pct(a.ci95[0]) : null,
    ci_hi: Number.isFinite(a.ci95[1]) ? pct(a.ci95[1]) : null,
    tokens_per_problem: Math.round(a.tokens_per_problem),
    s_per_problem: Math.round(a.s_per_problem * 100) / 100,
    scorer: scorerLabel(a),
    n: a.n_problems,
  });
  const noArm = {
    arm: null,
    ours: null,
    ci_lo: null,
    ci_hi: null,
    tokens_per_problem: null,
    s_per_problem: null,
    scorer: null,
    n: null,
  };
  const paper = (i: number) => {
    const p = summary.paperNumbers[i];
    return {
      paper_method: p.method,
      paper_setting: `${p.table}: ${p.setting}`,
      paper_metric: p.metric,
      paper: p.value,
      flag: [p.unverified ? "[UNVERIFIED]" : "", p.value === null ? "not recovered" : ""]
        .filter(Boolean).join(" "),
      source: p.source,
    };
  };
  const noPaper = {
    paper_method: null,
    paper_setting: null,
    paper_metric: null,
    paper: null,
    flag: "",
    source: null,
  };
  for (const a of summary.arms) {
    const matched = summary.paperNumbers
      .map((p, i) => ({ p, i }))
      .filter(({ p, i }) => a.paperMethod !== undefined && p.method === a.paperMethod && shown(i));
    if (matched.length === 0) rows.push({ ...noPaper, ...ours(a) });
    for (const { i } of matched) {
      used.add(i);
      rows.push({ ...paper(i), ...ours(a) });
    }
  }
  summary.paperNumbers.forEach((_, i) => {
    if (!used.has(i) && shown(i)) rows.push({ ...paper(i), ...noArm });
  });
  return rows;
}

/**
 * The caption every paper-vs-ours table carries: the comparison is of shape, not level.
 *
 * @example
 * ```ts
 * SHAPE_NOT_LEVEL.includes("not the level"); // true
 * ```
 */
export const SHAPE_NOT_LEVEL: string =
  "Paper numbers are for real 7B-scale models on MATH/GSM8K; ours are on the embedded ~1M-parameter " +
  "model and the synthetic arithmetic world, so compare the shape (ordering of methods, gains over " +
  "the baseline, cost) — not the level. Accuracy in %, our 95% CI is a percentile bootstrap over problems.";

/**
 * The paper-vs-ours rows as a polars DataFrame.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * paperVsOursFrame(summary).filter(pl.col("arm").isNotNull());
 * ```
 */
export function paperVsOursFrame(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): DataFrame {
  return dataFrame(paperVsOursRows(summary, options) as unknown as Record<string, unknown>[]);
}

/**
 * Paper numbers (with source and [UNVERIFIED] flag) beside our accuracy with its 95% CI,
 * tokens/problem and s/problem, as a polars-backed HTML table of the aligned rows only (no empty
 * cells), with numbered sources below it and, in words, our arms without a paper number and the
 * paper numbers without an arm or not recovered.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * paperVsOurs(run.summary);
 * ```
 */
export function paperVsOurs(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): HtmlView {
  const all = paperVsOursRows(summary, options);
  // One row per arm and paper number both present; the rest are named below the table.
  const rows = all.filter((r) => r.arm !== null && r.paper !== null);
  const armsOnly = all.filter((r) => r.paper_method === null).map((r) => r.arm!);
  const paperOnly = all.filter((r) =>
    r.arm === null || (r.paper_method !== null && r.paper === null)
  )
    .map((r) =>
      `${r.paper_method} (${r.paper_setting}${r.paper === null ? ", not recovered" : ""}${
        r.arm === null ? ", no arm" : `, beside ${r.arm}`
      }; ${r.source})`
    );
  const sources: string[] = [];
  const refOf = (r: PaperVsOursRow) => {
    if (!r.source) return "";
    let k = sources.indexOf(r.source);
    if (k < 0) k = sources.push(r.source) - 1;
    return `[${k + 1}]`;
  };
  const toDisplay = (r: PaperVsOursRow, ref: string) => {
    return {
      arm: r.arm,
      scorer: r.scorer,
      "ours %": r.ours,
      "95% CI": r.ci_lo === null ? null : `[${r.ci_lo.toFixed(1)},\u00a0${r.ci_hi!.toFixed(1)}]`,
      "tokens/problem": r.tokens_per_problem,
      "s/problem": r.s_per_problem,
      n: r.n,
      "paper method": r.paper_method,
      paper: r.paper,
      "paper setting (metric)": r.paper_setting === null
        ? null
        : `${r.paper_setting} (${r.paper_metric})`,
      flag: r.flag,
      src: ref,
    };
  };
  const display = rows.map((r) => toDisplay(r, refOf(r)));
  // with no aligned row the table keeps its header (and says so below it)
  const frame = display.length > 0 || all.length === 0
    ? dataFrame(display)
    : pl.DataFrame(Object.fromEntries(Object.keys(toDisplay(all[0], "")).map((k) => [k, []])));
  const caption = `${options.caption ?? summary.title} — ${SHAPE_NOT_LEVEL}`;
  const rest = [
    display.length ? "" : "No paper number aligns with an arm of this run.",
    armsOnly.length ? `Our arms without a paper number: ${armsOnly.join(", ")}.` : "",
    paperOnly.length ? `Paper numbers without one of ours: ${paperOnly.join("; ")}.` : "",
  ].filter(Boolean);
  const notes = `<ol class="repro-notes">${
    sources.map((s) => `<li>${escapeHtml(s)}</li>`).join("")
  }</ol>${rest.map((t) => `<p class="repro-notes">${escapeHtml(t)}</p>`).join("")}`;
  return concatViews([
    table(frame, { caption, digits: 1, dtypes: false, maxRows: 200 }),
    htmlView(notes, [...sources.map((s, i) => `[${i + 1}] ${s}`), ...rest].join("\n"), {
      markdown: [
        sources.map((s, i) => `${i + 1}. ${escapeMarkdown(s)}`).join("\n"),
        ...rest.map(escapeMarkdown),
      ].filter(Boolean).join("\n\n"),
    }),
  ]);
}
