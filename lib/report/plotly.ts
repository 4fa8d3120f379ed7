/**
 * Plotly figures as self-contained HTML for notebooks that must work offline.
 *
 * plotly.js is embedded once per notebook: show {@linkcode plotlyPreamble} (a `<script>` holding
 * the minified source of the `plotly.js-dist-min` package, read from `node_modules`) in an early
 * cell; every {@linkcode plot} output is then only a `<div>` and a small script calling
 * `Plotly.newPlot` with the figure's JSON. A figure shown without the preamble prints a message in
 * its div instead of failing silently.
 *
 * @module
 */

import { createRequire } from "node:module";
import { type HtmlView, htmlView } from "./display.ts";
import { escapeHtml, inlineScriptSource, scriptJson } from "./escape.ts";

/** A plotly figure as plain JSON-able data (see https://plotly.com/javascript/reference/). */
export interface PlotlyFigure {
  /** Traces. */
  data: Record<string, unknown>[];
  /** Layout (title, axes, legend, size...). */
  layout?: Record<string, unknown>;
  /** Config (responsive, mode bar...); merged over `{responsive: true, displaylogo: false}`. */
  config?: Record<string, unknown>;
}

/** Options of {@linkcode plot}. */
export interface PlotOptions {
  /** Height of the plot div in pixels (default 420). */
  height?: number;
  /** Element id of the div (default: unique per call). */
  id?: string;
}

const require = createRequire(import.meta.url);

/**
 * What the preambles show in static mode instead of inlining plotly.js: the figures are images.
 *
 * @example
 * ```ts
 * import { STATIC_FIGURES_NOTE } from "./plotly.ts";
 * STATIC_FIGURES_NOTE.includes("deno task render"); // true
 * ```
 */
export const STATIC_FIGURES_NOTE: string =
  "_Static outputs: figures are PNG images, tables Markdown, formulas Markdown math. " +
  "`deno task render` makes the interactive page (results/html/)._";
let plotlySourceCache: { version: string; source: string } | undefined;

/** The plotly.js-dist-min version and minified source (read once per process). */
export function plotlySource(): { version: string; source: string } {
  if (!plotlySourceCache) {
    const file = require.resolve("plotly.js-dist-min");
    const source = Deno.readTextFileSync(file);
    const version = source.match(/plotly\.js v(\d+\.\d+\.\d+)/)?.[1] ?? "unknown";
    plotlySourceCache = { version, source };
  }
  return plotlySourceCache;
}

/**
 * The plotly.js preamble: a script that defines `window.Plotly` (skipped when already defined).
 * Show it once, before the first figure of the notebook.
 *
 * @example
 * ```ts
 * import { plotlyPreamble } from "./plotly.ts";
 * plotlyPreamble(); // last expression of the first cell: embeds plotly.js (about 4.8 MB)
 * ```
 */
export function plotlyPreamble(): HtmlView {
  const { version, source } = plotlySource();
  // `module`, `exports` and `define` are shadowed so that the UMD wrapper always takes its
  // browser branch (which sets window.Plotly), even on pages where an AMD loader is present.
  const html = `<script>/* plotly.js-dist-min ${version} (MIT), inlined for offline viewing */\n` +
    `if (typeof window.Plotly === "undefined") { (function (module, exports, define) {\n` +
    `${inlineScriptSource(source)}\n}).call(window); }\n</script>\n` +
    `<div class="repro-plotly-preamble" style="font:12px sans-serif;color:#888">` +
    `plotly.js ${escapeHtml(version)} embedded for offline figures.</div>`;
  return htmlView(html, `plotly.js ${version} embedded`, { markdown: STATIC_FIGURES_NOTE });
}

let plotCounter = 0;

/** FNV-1a hash of a string, as 8 hex digits (stable element ids). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * The HTML of one figure: a div and a script that draws it with the page's `window.Plotly`.
 *
 * @example
 * ```ts
 * import { figureHtml } from "./plotly.ts";
 * const html = figureHtml({ data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }] });
 * html.includes("Plotly.newPlot"); // true
 * ```
 */
export function figureHtml(figure: PlotlyFigure, options: PlotOptions = {}): string {
  const json = scriptJson({
    data: figure.data,
    layout: figure.layout ?? {},
    config: { responsive: true, displaylogo: false, ...figure.config },
  });
  const id = options.id ?? `repro-plot-${++plotCounter}-${shortHash(json)}`;
  const height = options.height ?? 420;
  return `<div id="${escapeHtml(id)}" class="repro-plot" style="width:100%;height:${height}px">` +
    `</div>\n<script>(function () {\n` +
    `  var el = document.getElementById(${scriptJson(id)});\n` +
    `  var fig = ${json};\n` +
    `  if (typeof window.Plotly === "undefined") {\n` +
    `    el.style.height = "auto";\n` +
    `    el.textContent = "plotly.js is not loaded: show plotlyPreamble() in an earlier cell.";\n` +
    `    return;\n  }\n` +
    `  window.Plotly.newPlot(el, fig.data, fig.layout, fig.config);\n})();</script>`;
}

/**
 * A displayable plotly figure (needs {@linkcode plotlyPreamble} earlier in the notebook; in static
 * mode a drawing that `deno task render --commit` stores as a PNG).
 *
 * @example
 * ```ts
 * import { plot } from "./plotly.ts";
 * plot({ data: [{ type: "scatter", x: [1, 2, 3], y: [2, 1, 3] }], layout: { title: { text: "t" } } });
 * ```
 */
export function plot(figure: PlotlyFigure, options: PlotOptions = {}): HtmlView {
  const title = (figure.layout?.title as { text?: string } | undefined)?.text;
  return htmlView(
    figureHtml(figure, options),
    `[plotly figure${title ? `: ${title}` : ""}, ${figure.data.length} traces]`,
    { figure: true },
  );
}
