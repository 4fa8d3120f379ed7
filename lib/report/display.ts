/**
 * Displayable objects for the Deno Jupyter kernel.
 *
 * The kernel shows the last expression of a cell through `Deno.jupyter.format`, which calls the
 * method stored under `Symbol.for("Jupyter.display")` (exported by Deno as `Deno.jupyter.$display`)
 * and sends the returned media bundle. Building the objects with the global symbol, not with
 * `Deno.jupyter`, keeps this module usable (and testable) outside the kernel, where
 * `Deno.jupyter` does not exist.
 *
 * Two output modes, chosen when a value is displayed (env `REPRO_OUTPUT`, see
 * {@linkcode outputMode}): `"html"` (the default, what `deno task render` pages show: HTML with
 * styles, inlined plotly.js and KaTeX) and `"static"` (what a notebook committed with its outputs
 * carries, for a code host that shows only text, Markdown and images and strips scripts: a view's
 * Markdown when it has one, a drawing as a figure that `deno task render --commit` turns into a
 * PNG, else its HTML without `<style>` and `<script>` elements).
 *
 * @module
 */

/** The symbol the Deno Jupyter kernel looks up to display a value (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * A Jupyter media bundle: MIME type to data.
 *
 * @example
 * ```ts
 * import type { MediaBundle } from "./display.ts";
 * const bundle: MediaBundle = { "text/plain": "x" };
 * ```
 */
export type MediaBundle = Record<string, string | object>;

/**
 * How views display: `"html"` for rendered pages, `"static"` for notebooks committed with their
 * outputs (see the module doc).
 *
 * @example
 * ```ts
 * import type { OutputMode } from "./display.ts";
 * const mode: OutputMode = "static";
 * ```
 */
export type OutputMode = "html" | "static";

/**
 * The environment variable that selects the {@linkcode OutputMode}: `static` selects static
 * outputs, anything else (or unset) HTML. `deno task render --commit` sets it for the kernel.
 *
 * @example
 * ```ts
 * import { OUTPUT_ENV } from "./display.ts";
 * OUTPUT_ENV; // "REPRO_OUTPUT"
 * ```
 */
export const OUTPUT_ENV = "REPRO_OUTPUT";

/**
 * The MIME type under which a drawing travels in static mode until the render task replaces it
 * with an `image/png` (its data is the drawing's HTML, to be drawn in a browser).
 *
 * @example
 * ```ts
 * import { FIGURE_MIME } from "./display.ts";
 * FIGURE_MIME; // "application/vnd.repro.figure-html"
 * ```
 */
export const FIGURE_MIME = "application/vnd.repro.figure-html";

/**
 * The output mode of this process, from `REPRO_OUTPUT` (HTML when unset or unreadable).
 *
 * @example
 * ```ts
 * import { outputMode } from "./display.ts";
 * outputMode(new Map([["REPRO_OUTPUT", "static"]])); // "static"
 * outputMode(new Map()); // "html"
 * ```
 */
export function outputMode(env: { get(key: string): string | undefined } = Deno.env): OutputMode {
  try {
    return env.get(OUTPUT_ENV) === "static" ? "static" : "html";
  } catch {
    return "html"; // no permission to read the environment
  }
}

/**
 * A value the Deno Jupyter kernel can display, which also keeps its HTML for other uses.
 *
 * @example
 * ```ts
 * import { type HtmlView, htmlView } from "./display.ts";
 * const view: HtmlView = htmlView("<b>x</b>", "x", { markdown: "**x**" });
 * ```
 */
export interface HtmlView {
  /** The HTML fragment shown in the notebook. */
  readonly html: string;
  /** Plain-text fallback for frontends and logs without HTML. */
  readonly text: string;
  /** Markdown shown in static mode instead of the HTML (tables, formulas, prose). */
  readonly markdown?: string;
  /** A drawing (plotly figure, SVG trace): static mode carries it as a PNG image. */
  readonly figure?: boolean;
  /** The kernel's display hook. */
  [JUPYTER_DISPLAY](): MediaBundle;
}

/**
 * What a view shows besides its HTML and text (see {@linkcode HtmlView}).
 *
 * @example
 * ```ts
 * import type { ViewExtras } from "./display.ts";
 * const extras: ViewExtras = { markdown: "**ready**" };
 * ```
 */
export interface ViewExtras {
  /** Markdown for static mode. */
  markdown?: string;
  /** Whether the view is a drawing (a PNG in static mode). */
  figure?: boolean;
}

/**
 * HTML without its `<style>` and `<script>` elements (static mode: a code host strips them, and
 * some show their text).
 *
 * @example
 * ```ts
 * import { staticHtml } from "./display.ts";
 * staticHtml("<style>b{}</style><b>x</b><script>f()</script>"); // "<b>x</b>"
 * ```
 */
export function staticHtml(html: string): string {
  return html.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "").trim();
}

/**
 * The media bundle of a view in an output mode (the display hook passes the process's mode).
 *
 * @example
 * ```ts
 * import { htmlView, mediaBundle } from "./display.ts";
 * const view = htmlView("<b>x</b>", "x", { markdown: "**x**" });
 * mediaBundle(view, "html"); // { "text/html": "<b>x</b>", "text/plain": "x" }
 * mediaBundle(view, "static"); // { "text/markdown": "**x**", "text/plain": "x" }
 * ```
 */
export function mediaBundle(
  view: Pick<HtmlView, "html" | "text" | "markdown" | "figure">,
  mode: OutputMode = outputMode(),
): MediaBundle {
  if (mode === "html") return { "text/html": view.html, "text/plain": view.text };
  if (view.figure) return { [FIGURE_MIME]: view.html, "text/plain": view.text };
  if (view.markdown !== undefined) {
    return { "text/markdown": view.markdown, "text/plain": view.text };
  }
  return { "text/html": staticHtml(view.html), "text/plain": view.text };
}

/**
 * Wrap an HTML fragment as a displayable value (`text/html`, with a `text/plain` fallback; in
 * static mode the `extras` decide, see {@linkcode mediaBundle}).
 *
 * @example
 * ```ts
 * import { htmlView } from "./display.ts";
 * const view = htmlView("<b>ready</b>", "ready", { markdown: "**ready**" });
 * view.html; // "<b>ready</b>"
 * // As the last expression of a notebook cell, `view` renders as bold "ready".
 * ```
 */
export function htmlView(
  html: string,
  text = "[HTML output]",
  extras: ViewExtras = {},
): HtmlView {
  const view: HtmlView = {
    html,
    text,
    ...(extras.markdown !== undefined ? { markdown: extras.markdown } : {}),
    ...(extras.figure ? { figure: true } : {}),
    [JUPYTER_DISPLAY]: () => mediaBundle(view),
  };
  return view;
}

/**
 * Join several views (or raw HTML strings) into one displayable block, in order. It is a drawing
 * when any part is one; it has Markdown when every part has.
 *
 * @example
 * ```ts
 * import { concatViews, htmlView } from "./display.ts";
 * concatViews([htmlView("<p>a</p>"), "<p>b</p>"]).html; // "<p>a</p>\n<p>b</p>"
 * ```
 */
export function concatViews(parts: readonly (HtmlView | string)[]): HtmlView {
  const views = parts.map((p) => typeof p === "string" ? undefined : p);
  const figure = views.some((v) => v?.figure);
  const markdown = !figure && views.every((v) => v?.markdown !== undefined)
    ? views.map((v) => v!.markdown).join("\n\n")
    : undefined;
  return htmlView(
    parts.map((p) => typeof p === "string" ? p : p.html).join("\n"),
    parts.map((p) => typeof p === "string" ? "[HTML output]" : p.text).join("\n"),
    { markdown, figure },
  );
}

/**
 * Show a value now (not only as the last expression of a cell): calls `Deno.jupyter.display`
 * inside the Deno kernel; outside it prints the plain-text fallback to stdout.
 *
 * @example
 * ```ts
 * import { htmlView, show } from "./display.ts";
 * await show(htmlView("<i>step 1 done</i>", "step 1 done"));
 * ```
 */
export async function show(view: HtmlView): Promise<void> {
  const jupyter = (Deno as unknown as { jupyter?: { display(o: unknown): Promise<void> } }).jupyter;
  if (jupyter) await jupyter.display(view);
  else console.log(view.text);
}
