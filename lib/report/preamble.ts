/**
 * One preamble for a notebook: plotly.js and the KaTeX stylesheet, both inlined.
 *
 * @module
 */

import { concatViews, type HtmlView } from "./display.ts";
import { type KatexCssOptions, katexPreamble } from "./katex.ts";
import { plotlyPreamble } from "./plotly.ts";

/**
 * Everything a notebook's figures and formulas need to render offline; show it once, as the last
 * expression of the first code cell.
 *
 * @example
 * ```ts
 * import { preamble } from "./preamble.ts";
 * preamble(); // plotly.js (about 4.8 MB) + KaTeX CSS with fonts (about 400 kB)
 * ```
 */
export function preamble(options: KatexCssOptions = {}): HtmlView {
  return concatViews([plotlyPreamble(), katexPreamble(options)]);
}
