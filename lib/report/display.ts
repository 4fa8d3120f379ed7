/**
 * Displayable objects for the Deno Jupyter kernel.
 *
 * The kernel shows the last expression of a cell through `Deno.jupyter.format`, which calls the
 * method stored under `Symbol.for("Jupyter.display")` (exported by Deno as `Deno.jupyter.$display`)
 * and sends the returned media bundle. Building the objects with the global symbol, not with
 * `Deno.jupyter`, keeps this module usable (and testable) outside the kernel, where
 * `Deno.jupyter` does not exist.
 *
 * @module
 */

/** The symbol the Deno Jupyter kernel looks up to display a value (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A Jupyter media bundle: MIME type to data. */
export type MediaBundle = Record<string, string | object>;

/** A value the Deno Jupyter kernel can display, which also keeps its HTML for other uses. */
export interface HtmlView {
  /** The HTML fragment shown in the notebook. */
  readonly html: string;
  /** Plain-text fallback for frontends and logs without HTML. */
  readonly text: string;
  /** The kernel's display hook. */
  [JUPYTER_DISPLAY](): MediaBundle;
}

/**
 * Wrap an HTML fragment as a displayable value (`text/html`, with a `text/plain` fallback).
 *
 * @example
 * ```ts
 * import { htmlView } from "./display.ts";
 * const view = htmlView("<b>ready</b>", "ready");
 * view.html; // "<b>ready</b>"
 * // As the last expression of a notebook cell, `view` renders as bold "ready".
 * ```
 */
export function htmlView(html: string, text = "[HTML output]"): HtmlView {
  return {
    html,
    text,
    [JUPYTER_DISPLAY]: () => ({ "text/html": html, "text/plain": text }),
  };
}

/**
 * Join several views (or raw HTML strings) into one displayable block, in order.
 *
 * @example
 * ```ts
 * import { concatViews, htmlView } from "./display.ts";
 * concatViews([htmlView("<p>a</p>"), "<p>b</p>"]).html; // "<p>a</p>\n<p>b</p>"
 * ```
 */
export function concatViews(parts: readonly (HtmlView | string)[]): HtmlView {
  return htmlView(
    parts.map((p) => typeof p === "string" ? p : p.html).join("\n"),
    parts.map((p) => typeof p === "string" ? "[HTML output]" : p.text).join("\n"),
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
