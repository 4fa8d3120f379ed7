/**
 * Reporting for notebooks and the render task: polars tables, plotly figures embedded for offline
 * viewing, KaTeX formulas and search-trace drawings (the paper-vs-ours table of a run is
 * `experiments/notebook/paper_vs_ours.ts`). Every `view` returned here is displayable by the Deno
 * Jupyter kernel (last expression of a cell, or `await show(view)`), and carries its HTML in
 * `view.html`.
 *
 * @example
 * ```ts
 * // in a notebook: from "../lib/report/mod.ts"
 * import { barChart, drawTrace, plot, preamble, table, tex } from "./mod.ts";
 * preamble(); // first cell: plotly.js + KaTeX CSS, once per notebook
 * table([{ level: 1, n: 43 }, { level: 2, n: 90 }], { caption: "Problems per level" });
 * plot(barChart(["L1", "L2"], [{ name: "problems", values: [43, 90] }]));
 * tex("\\mathrm{acc} = \\tfrac{1}{n} \\sum_i \\mathbb{1}[\\hat a_i = a_i]");
 * ```
 *
 * @module
 */

export * from "./display.ts";
export * from "./escape.ts";
export * from "./table.ts";
export * from "./plotly.ts";
export * from "./charts.ts";
export * from "./katex.ts";
export * from "./preamble.ts";
export * from "./color_scale.ts";
export * from "./trace_layout.ts";
export * from "./trace_svg.ts";
export * from "./paths.ts";
export * from "./render_notebooks.ts";
export * from "./index_page.ts";
