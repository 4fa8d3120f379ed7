/**
 * One preamble for a notebook: plotly.js and the KaTeX stylesheet, both inlined.
 *
 * @module
 */

import { concatViews, type HtmlView, htmlView } from "./display.ts";
import { type KatexCssOptions, katexPreamble } from "./katex.ts";
import { plotlyPreamble, STATIC_FIGURES_NOTE } from "./plotly.ts";

/**
 * Everything a notebook's figures and formulas need to render offline; show it once, as the last
 * expression of the first code cell. In static mode (a notebook committed with its outputs) it
 * shows only a one-line note ({@linkcode STATIC_FIGURES_NOTE}): nothing heavy is stored.
 *
 * @example
 * ```ts
 * import { preamble } from "./preamble.ts";
 * preamble(); // plotly.js (about 4.8 MB) + KaTeX CSS with fonts (about 400 kB)
 * ```
 */
export function preamble(options: KatexCssOptions = {}): HtmlView {
  const both = concatViews([plotlyPreamble(), katexPreamble(options)]);
  return htmlView(both.html, both.text, { markdown: STATIC_FIGURES_NOTE });
}
