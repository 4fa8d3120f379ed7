/**
 * A run's chart: accuracy against generated tokens per problem, one series per method family
 * (arms grouped by their config label up to `@`, unless a `family` function is given), with 95%
 * CI bands and error bars.
 *
 * @example
 * ```ts
 * import { accuracyVsTokens } from "./charts.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * accuracyVsTokens(summary, { height: 400 });
 * ```
 *
 * @module
 */
import {
  accuracyVsTokens as curveFigure,
  type CurveSeries,
  type HtmlView,
  plot,
  type PlotlyFigure,
} from "../../lib/report/mod.ts";
import type { ArmSummary, ExperimentSummary } from "../experiment.ts";

/**
 * The default method family of an arm: its config label up to `@` (`maj@16` → `maj`).
 *
 * @example
 * ```ts
 * armFamily({ config: "maj@16" }); // "maj"
 * ```
 */
export function armFamily(arm: Pick<ArmSummary, "config">): string {
  const at = arm.config.indexOf("@");
  return at > 0 ? arm.config.slice(0, at) : arm.config;
}

/**
 * Options of {@linkcode accuracyVsTokensSeries} and {@linkcode accuracyVsTokens}.
 *
 * @example
 * ```ts
 * const options: FamilyOptions = { family: (a) => a.method, arms: ["greedy", "maj@16"] };
 * ```
 */
export interface FamilyOptions {
  /** Method family of an arm (default {@linkcode armFamily}). */
  family?: (arm: ArmSummary) => string;
  /** Only these arms. */
  arms?: string[];
}

/**
 * Curve series (one per method family, one point per arm) for lib/report's accuracy-vs-tokens chart.
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * accuracyVsTokensSeries(summary).map((s) => s.name); // ["greedy", "maj", "bon", ...]
 * ```
 */
export function accuracyVsTokensSeries(
  summary: ExperimentSummary,
  options: FamilyOptions = {},
): CurveSeries[] {
  const family = options.family ?? armFamily;
  const byName = new Map<string, CurveSeries & { points: CurveSeries["points"][number][] }>();
  for (const a of summary.arms) {
    if (options.arms && !options.arms.includes(a.config)) continue;
    if (!Number.isFinite(a.accuracy)) continue;
    const name = family(a);
    if (!byName.has(name)) byName.set(name, { name, points: [] });
    byName.get(name)!.points.push({
      tokens: Math.max(1, a.tokens_per_problem),
      value: a.accuracy,
      lo: a.ci95[0],
      hi: a.ci95[1],
    });
  }
  return [...byName.values()];
}

/**
 * The plotly figure: accuracy against generated tokens per problem, one trace per method family
 * with a 95% CI band and error bars at each point.
 *
 * @example
 * ```ts
 * import { plot } from "../../lib/report/mod.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * plot(accuracyVsTokensFigure(summary));
 * ```
 */
export function accuracyVsTokensFigure(
  summary: ExperimentSummary,
  options: FamilyOptions & { title?: string } = {},
): PlotlyFigure {
  const series = accuracyVsTokensSeries(summary, options);
  const fig = curveFigure(series, {
    title: options.title ?? `${summary.title}: accuracy vs generated tokens (${summary.limit} ` +
        `problems, 95% CI)`,
  });
  // Accuracy axis from 0 to just above the highest CI end (not autoscaled around the points).
  const top = Math.max(0.05, ...series.flatMap((s) => s.points.map((p) => p.hi ?? p.value)));
  fig.layout = {
    ...fig.layout,
    yaxis: { ...(fig.layout?.yaxis as object), range: [0, Math.min(1, top * 1.1)] },
  };
  // Error bars on the marker traces, so single-point families show their CI too.
  for (const trace of fig.data) {
    if (trace.fill === "toself") continue;
    const s = series.find((x) => x.name === trace.name);
    if (!s) continue;
    const pts = [...s.points].sort((a, b) => a.tokens - b.tokens);
    trace.error_y = {
      type: "data",
      symmetric: false,
      array: pts.map((p) => (p.hi ?? p.value) - p.value),
      arrayminus: pts.map((p) => p.value - (p.lo ?? p.value)),
      thickness: 1,
      width: 3,
    };
  }
  return fig;
}

/**
 * The accuracy-vs-tokens figure as a displayable plot (needs `preamble()` earlier in the page).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * accuracyVsTokens(run.summary);
 * ```
 */
export function accuracyVsTokens(
  summary: ExperimentSummary,
  options: FamilyOptions & { title?: string; height?: number } = {},
): HtmlView {
  return plot(accuracyVsTokensFigure(summary, options), { height: options.height ?? 460 });
}
