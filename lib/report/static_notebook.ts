/**
 * Notebooks committed with their outputs, in a form a code host shows: after a notebook has run
 * in static mode (`REPRO_OUTPUT=static`, see `display.ts`), every drawing output (plotly figure,
 * SVG trace) is drawn in headless Chromium and stored as an `image/png`; cell ids are made stable
 * and the file is written the way nbformat writes it (sorted keys, one-space indent), so running
 * a notebook again on unchanged results leaves the file unchanged.
 *
 * Used by `deno task render --commit` (`renderNotebooks({ inPlace: true })`); one browser draws
 * every figure of a run.
 *
 * @example
 * ```ts
 * import { finishStaticNotebook, notebookText, openFigureRenderer } from "./static_notebook.ts";
 * import type { NotebookJson } from "./static_notebook.ts";
 * declare const executed: NotebookJson, source: NotebookJson;
 * const renderer = await openFigureRenderer();
 * try {
 *   const { notebook } = await finishStaticNotebook(executed, source, renderer);
 *   await Deno.writeTextFile("notebooks/datasets.ipynb", notebookText(notebook));
 * } finally {
 *   await renderer.close();
 * }
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { Browser, Page } from "playwright-core";
import { FIGURE_MIME } from "./display.ts";
import { katexCss } from "./katex.ts";
import { plotlySource } from "./plotly.ts";
import { REPORT_CSS } from "./styles.ts";

/**
 * A notebook file as JSON (nbformat 4).
 *
 * @example
 * ```ts
 * import type { NotebookJson } from "./static_notebook.ts";
 * const nb: NotebookJson = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
 * ```
 */
export interface NotebookJson {
  cells: CellJson[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/**
 * One cell of a {@linkcode NotebookJson}.
 *
 * @example
 * ```ts
 * import type { CellJson } from "./static_notebook.ts";
 * const cell: CellJson = { cell_type: "code", source: "1 + 1", execution_count: null, outputs: [] };
 * ```
 */
export interface CellJson {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: OutputJson[];
  [key: string]: unknown;
}

/**
 * One output of a code cell.
 *
 * @example
 * ```ts
 * import type { OutputJson } from "./static_notebook.ts";
 * const out: OutputJson = { output_type: "display_data", data: { "text/plain": "2" }, metadata: {} };
 * ```
 */
export interface OutputJson {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  [key: string]: unknown;
}

/**
 * Draws drawing HTML (a figure's `<div>` and script, or an SVG) into PNG bytes.
 *
 * @example
 * ```ts
 * import type { FigureRenderer } from "./static_notebook.ts";
 * declare const renderer: FigureRenderer;
 * const png: Uint8Array = await renderer.png("<svg width='10' height='10'></svg>");
 * ```
 */
export interface FigureRenderer {
  /** The PNG of one drawing. */
  png(html: string): Promise<Uint8Array>;
  /** Close the browser. */
  close(): Promise<void>;
}

/**
 * Options of {@linkcode openFigureRenderer}.
 *
 * @example
 * ```ts
 * import type { FigureRendererOptions } from "./static_notebook.ts";
 * const options: FigureRendererOptions = { chromiumPath: "/usr/bin/chromium", width: 800 };
 * ```
 */
export interface FigureRendererOptions {
  /** Chromium binary (default env `CHROMIUM_PATH`, else `/usr/bin/chromium`). */
  chromiumPath?: string;
  /** Width of the drawing area in CSS pixels (default 960). */
  width?: number;
}

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * Start headless Chromium with one page that has plotly.js, the KaTeX stylesheet and the report
 * stylesheet loaded; each {@linkcode FigureRenderer.png} call draws one drawing in it (its scripts
 * run, plotly's drawing is awaited) and screenshots it. The page makes no network requests.
 *
 * @example
 * ```ts
 * import { openFigureRenderer } from "./static_notebook.ts";
 * import { figureHtml } from "./plotly.ts";
 * const renderer = await openFigureRenderer();
 * try {
 *   const png = await renderer.png(figureHtml({ data: [{ type: "bar", x: ["a"], y: [1] }] }));
 *   png.length > 0; // true
 * } finally {
 *   await renderer.close();
 * }
 * ```
 */
export async function openFigureRenderer(
  options: FigureRendererOptions = {},
): Promise<FigureRenderer> {
  const executablePath = options.chromiumPath ?? Deno.env.get("CHROMIUM_PATH") ??
    "/usr/bin/chromium";
  const width = options.width ?? 960;
  const { chromium } = await import("playwright-core");
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new Error(
      `cannot start Chromium (${executablePath}) to draw the figures as PNG: ` +
        `${(e as Error).message.split("\n")[0]}; install it with \`bash .ci/setup.sh\``,
    );
  }
  let page: Page;
  try {
    page = await browser.newPage({
      viewport: { width: width + 16, height: 800 },
      deviceScaleFactor: 1,
    });
    await page.route("**/*", (route) => {
      const url = route.request().url();
      return url.startsWith("data:") || url === "about:blank" ? route.continue() : route.abort();
    });
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>` +
        `html,body{margin:0;background:#fff;font:14px/1.4 system-ui,sans-serif}` +
        `#stage{width:${width}px;padding:4px 8px;display:flow-root;box-sizing:content-box}` +
        `</style><style>${katexCss()}</style><style>${REPORT_CSS}</style></head>` +
        `<body><div id="stage"></div></body></html>`,
    );
    await page.addScriptTag({ content: plotlySource().source });
    await page.evaluate(`(() => {
      const plotly = window.Plotly;
      const newPlot = plotly.newPlot.bind(plotly);
      window.__reproPending = [];
      plotly.newPlot = (...args) => {
        const drawn = newPlot(...args);
        window.__reproPending.push(drawn);
        return drawn;
      };
    })()`);
  } catch (e) {
    await browser.close();
    throw e;
  }
  return {
    async png(html: string): Promise<Uint8Array> {
      await page.evaluate(
        `(async (html) => {
          const stage = document.getElementById("stage");
          for (const el of stage.querySelectorAll(".js-plotly-plot")) window.Plotly.purge(el);
          stage.replaceChildren();
          window.__reproPending = [];
          stage.append(document.createRange().createContextualFragment(html));
          await Promise.all(window.__reproPending);
          await document.fonts.ready;
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        })(${JSON.stringify(html)})`,
      );
      return new Uint8Array(
        await page.locator("#stage").screenshot({ animations: "disabled", type: "png" }),
      );
    },
    close: () => browser.close(),
  };
}

/** A cell's source as one string. */
function sourceText(cell: CellJson): string {
  return Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? "");
}

/** FNV-1a of a string, 8 hex digits. */
function hash8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * Turn an executed notebook into its committed form: drawings as PNG (drawn by `renderer`, or by
 * the renderer `renderer()` opens on the first drawing), cell ids taken from the source notebook
 * or made from the cell's position and source when it has none (nbconvert would invent random
 * ones), and execution timings dropped. Returns the notebook and the number of figures drawn.
 *
 * @example
 * ```ts
 * import { finishStaticNotebook, openFigureRenderer } from "./static_notebook.ts";
 * import type { NotebookJson } from "./static_notebook.ts";
 * declare const executed: NotebookJson, source: NotebookJson;
 * const { notebook, figures } = await finishStaticNotebook(executed, source, openFigureRenderer);
 * ```
 */
export async function finishStaticNotebook(
  executed: NotebookJson,
  source: NotebookJson,
  renderer: FigureRenderer | (() => Promise<FigureRenderer>),
): Promise<{ notebook: NotebookJson; figures: number }> {
  if (executed.cells.length !== source.cells.length) {
    throw new Error(
      `the executed notebook has ${executed.cells.length} cells, its source ${source.cells.length}`,
    );
  }
  let opened: FigureRenderer | undefined = typeof renderer === "function" ? undefined : renderer;
  const draw = async (html: string) => {
    opened ??= await (renderer as () => Promise<FigureRenderer>)();
    return opened.png(html);
  };
  const used = new Set(source.cells.map((c) => c.id).filter((id): id is string => !!id));
  let figures = 0;
  const cells: CellJson[] = [];
  for (const [i, cell] of executed.cells.entries()) {
    const out: CellJson = { ...cell, metadata: { ...(cell.metadata ?? {}) } };
    delete out.metadata!.execution;
    let id = source.cells[i].id;
    if (!id) {
      id = hash8(`${i}\n${sourceText(source.cells[i])}`);
      while (used.has(id)) id = hash8(`${id}+`);
      used.add(id);
    }
    out.id = id;
    if (cell.outputs) {
      out.outputs = [];
      for (const output of cell.outputs) {
        const data = output.data;
        const figure = data?.[FIGURE_MIME];
        if (figure === undefined) {
          out.outputs.push(output);
          continue;
        }
        const html = Array.isArray(figure) ? figure.join("") : String(figure);
        const png = await draw(html);
        figures++;
        const rest = Object.fromEntries(Object.entries(data!).filter(([k]) => k !== FIGURE_MIME));
        out.outputs.push({
          ...output,
          data: { ...rest, "image/png": Buffer.from(png).toString("base64") },
        });
      }
    }
    cells.push(out);
  }
  return { notebook: { ...executed, cells }, figures };
}

/** A value with every object's keys sorted (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * A notebook as nbformat writes it: keys sorted, one-space indent, a final newline.
 *
 * @example
 * ```ts
 * import { notebookText } from "./static_notebook.ts";
 * notebookText({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }).startsWith('{\n "cells": []');
 * // true
 * ```
 */
export function notebookText(nb: NotebookJson): string {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

/** Joined text of a string or nbformat list of lines. */
function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

/**
 * What keeps a notebook from being a committed, executed notebook a code host can show: code
 * cells never run, error outputs, drawings not turned into PNG, outputs carrying a `<script>`
 * (plotly.js inlined) or outputs over `maxOutputBytes` (default 400 kB). Empty when it is fine.
 *
 * @example
 * ```ts
 * import { staticOutputProblems } from "./static_notebook.ts";
 * staticOutputProblems({
 *   nbformat: 4, nbformat_minor: 5, metadata: {},
 *   cells: [{ cell_type: "code", source: "1", execution_count: null, outputs: [] }],
 * }); // ["cell 1: never executed"]
 * ```
 */
export function staticOutputProblems(
  nb: NotebookJson,
  maxOutputBytes = 400_000,
): string[] {
  const problems: string[] = [];
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const where = `cell ${i + 1}`;
    if (typeof cell.execution_count !== "number") problems.push(`${where}: never executed`);
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error") {
        problems.push(`${where}: error output ${String(output.ename)}: ${String(output.evalue)}`);
      }
      for (const [mime, value] of Object.entries(output.data ?? {})) {
        const text = joined(value);
        if (mime === FIGURE_MIME) problems.push(`${where}: a drawing not stored as PNG`);
        if (/<script\b/i.test(text)) problems.push(`${where}: ${mime} output has a <script>`);
        if (text.length > maxOutputBytes) {
          problems.push(`${where}: ${mime} output of ${text.length} bytes`);
        }
      }
    }
  }
  return problems;
}
