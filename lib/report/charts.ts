/**
 * Ready-made plotly figures for paper tables: accuracy against generated tokens with confidence
 * bands, and grouped bar charts with optional error bars. Each returns a plain
 * {@linkcode PlotlyFigure}; show it with `plot(figure)`.
 *
 * @module
 */

import type { PlotlyFigure } from "./plotly.ts";

/** Default colours (colour-blind safe, Okabe–Ito order). */
export const PALETTE: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
  "#000000",
];

/** `#rrggbb` to `rgba(r,g,b,alpha)`. */
function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** One point of a compute curve: mean accuracy at a token budget, with an optional 95% CI. */
export interface CurvePoint {
  /** Generated tokens (per problem, averaged), the x value. */
  tokens: number;
  /** Accuracy (or any score) at that budget. */
  value: number;
  /** Lower end of the 95% CI. */
  lo?: number;
  /** Upper end of the 95% CI. */
  hi?: number;
}

/** One method's curve. */
export interface CurveSeries {
  /** Legend name. */
  name: string;
  /** Points (sorted by tokens when drawn). */
  points: readonly CurvePoint[];
  /** Line colour (default: next palette colour). */
  color?: string;
}

/** Options of {@linkcode accuracyVsTokens}. */
export interface CurveOptions {
  /** Figure title. */
  title?: string;
  /** x-axis title (default "generated tokens per problem"). */
  xTitle?: string;
  /** y-axis title (default "accuracy"). */
  yTitle?: string;
  /** Logarithmic x axis (default true). */
  logX?: boolean;
  /** Horizontal reference lines, e.g. a paper's number. */
  references?: readonly { name: string; value: number }[];
}

/**
 * Accuracy against generated tokens: one line per method, a shaded 95% CI band where points have
 * `lo`/`hi`.
 *
 * @example
 * ```ts
 * import { accuracyVsTokens } from "./charts.ts";
 * import { plot } from "./plotly.ts";
 * plot(accuracyVsTokens([{ name: "beam", points: [
 *   { tokens: 512, value: 0.31, lo: 0.27, hi: 0.35 },
 *   { tokens: 2048, value: 0.38, lo: 0.34, hi: 0.42 },
 * ] }]));
 * ```
 */
export function accuracyVsTokens(
  series: readonly CurveSeries[],
  options: CurveOptions = {},
): PlotlyFigure {
  const data: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = [...s.points].sort((a, b) => a.tokens - b.tokens);
    const band = pts.filter((p) => p.lo !== undefined && p.hi !== undefined);
    if (band.length > 0) {
      data.push({
        type: "scatter",
        mode: "lines",
        name: `${s.name} 95% CI`,
        legendgroup: s.name,
        showlegend: false,
        hoverinfo: "skip",
        x: [...band.map((p) => p.tokens), ...band.map((p) => p.tokens).reverse()],
        y: [...band.map((p) => p.hi), ...band.map((p) => p.lo).reverse()],
        fill: "toself",
        fillcolor: withAlpha(color, 0.18),
        line: { width: 0, color },
      });
    }
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      legendgroup: s.name,
      x: pts.map((p) => p.tokens),
      y: pts.map((p) => p.value),
      line: { color, width: 2 },
      marker: { color, size: 6 },
      text: pts.map((p) =>
        p.lo !== undefined && p.hi !== undefined
          ? `95% CI [${p.lo.toFixed(3)}, ${p.hi.toFixed(3)}]`
          : ""
      ),
      hovertemplate: `${s.name}<br>%{x} tokens<br>%{y:.3f} %{text}<extra></extra>`,
    });
  });
  const shapes = (options.references ?? []).map((r) => ({
    type: "line",
    xref: "paper",
    x0: 0,
    x1: 1,
    y0: r.value,
    y1: r.value,
    line: { dash: "dot", color: "#555", width: 1 },
  }));
  const annotations = (options.references ?? []).map((r) => ({
    xref: "paper",
    x: 1,
    xanchor: "right",
    y: r.value,
    yanchor: "bottom",
    text: r.name,
    showarrow: false,
    font: { size: 11, color: "#555" },
  }));
  return {
    data,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      xaxis: {
        title: { text: options.xTitle ?? "generated tokens per problem" },
        type: options.logX === false ? "linear" : "log",
      },
      yaxis: { title: { text: options.yTitle ?? "accuracy" } },
      shapes,
      annotations,
      margin: { t: options.title ? 50 : 20, r: 20, b: 50, l: 60 },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/** One group of bars: a value per category, with an optional 95% CI per value. */
export interface BarSeries {
  /** Legend name. */
  name: string;
  /** One value per category. */
  values: readonly number[];
  /** Lower CI ends, one per category. */
  lo?: readonly number[];
  /** Upper CI ends, one per category. */
  hi?: readonly number[];
  /** Bar colour (default: next palette colour). */
  color?: string;
}

/** Options of {@linkcode barChart}. */
export interface BarOptions {
  /** Figure title. */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
  /** Horizontal bars (default false). */
  horizontal?: boolean;
}

/**
 * A grouped bar chart over `categories`, error bars where a series has `lo` and `hi`.
 *
 * @example
 * ```ts
 * import { barChart } from "./charts.ts";
 * import { plot } from "./plotly.ts";
 * plot(barChart(["L1", "L2"], [{ name: "problems", values: [43, 90] }], { yTitle: "count" }));
 * ```
 */
export function barChart(
  categories: readonly (string | number)[],
  series: readonly BarSeries[],
  options: BarOptions = {},
): PlotlyFigure {
  const data = series.map((s, i) => {
    if (s.values.length !== categories.length) {
      throw new RangeError(
        `barChart: series "${s.name}" has ${s.values.length} values for ${categories.length} categories`,
      );
    }
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const cats = categories.map(String);
    const trace: Record<string, unknown> = {
      type: "bar",
      name: s.name,
      marker: { color },
      orientation: options.horizontal ? "h" : "v",
      x: options.horizontal ? s.values : cats,
      y: options.horizontal ? cats : s.values,
    };
    if (s.lo && s.hi) {
      const err = {
        type: "data",
        symmetric: false,
        array: s.values.map((v, j) => s.hi![j] - v),
        arrayminus: s.values.map((v, j) => v - s.lo![j]),
        color: "#333",
        thickness: 1.2,
      };
      trace[options.horizontal ? "error_x" : "error_y"] = err;
    }
    return trace;
  });
  return {
    data,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      barmode: "group",
      xaxis: { title: { text: options.xTitle ?? "" }, automargin: true },
      yaxis: { title: { text: options.yTitle ?? "" }, automargin: true },
      margin: { t: options.title ? 50 : 20, r: 20, b: 60, l: 60 },
      showlegend: series.length > 1,
    },
  };
}
