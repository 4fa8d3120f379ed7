/**
 * LaTeX rendered to HTML with KaTeX, and the KaTeX stylesheet for offline viewing.
 *
 * {@linkcode katexPreamble} inlines `katex.min.css` from the installed `katex` package with its
 * woff2 fonts embedded as `data:` URIs (about 400 kB), so formulas render with KaTeX's own fonts
 * in a rendered HTML file opened without network. With `{ fonts: "system" }` the `@font-face`
 * rules are dropped instead (about 23 kB): layout stays right but glyphs fall back to the
 * browser's serif font.
 *
 * @module
 */

import katex from "katex";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Buffer } from "node:buffer";
import { type HtmlView, htmlView } from "./display.ts";

/** Options of {@linkcode texHtml} and {@linkcode tex}. */
export interface TexOptions {
  /** Display (block) mode instead of inline (default true). */
  display?: boolean;
  /** KaTeX macros, e.g. `{"\\RR": "\\mathbb{R}"}`. */
  macros?: Record<string, string>;
}

/**
 * LaTeX to an HTML string (HTML plus MathML). Errors in the LaTeX are shown in red in place of
 * the formula, not thrown.
 *
 * @example
 * ```ts
 * import { texHtml } from "./katex.ts";
 * texHtml("\\frac{a}{b}").includes("katex"); // true
 * ```
 */
export function texHtml(latex: string, options: TexOptions = {}): string {
  return katex.renderToString(latex, {
    displayMode: options.display ?? true,
    throwOnError: false,
    output: "htmlAndMathml",
    macros: options.macros ? { ...options.macros } : undefined,
  });
}

/**
 * A formula as Markdown math (`$$...$$` on its own lines for display, `$...$` inline), which
 * Jupyter and code hosts typeset: the static-mode form of {@linkcode tex}.
 *
 * @example
 * ```ts
 * import { texMarkdown } from "./katex.ts";
 * texMarkdown("x^2", { display: false }); // "$x^2$"
 * ```
 */
export function texMarkdown(latex: string, options: Pick<TexOptions, "display"> = {}): string {
  return options.display ?? true ? `$$\n${latex.trim()}\n$$` : `$${latex.trim()}$`;
}

/**
 * A displayable formula (needs {@linkcode katexPreamble} earlier in the notebook for styling; in
 * static mode Markdown math, {@linkcode texMarkdown}).
 *
 * @example
 * ```ts
 * import { tex } from "./katex.ts";
 * tex("\\hat{a} = \\arg\\max_a \\sum_i w_i \\mathbb{1}[a_i = a]");
 * ```
 */
export function tex(latex: string, options: TexOptions = {}): HtmlView {
  return htmlView(texHtml(latex, options), latex, { markdown: texMarkdown(latex, options) });
}

/** Options of {@linkcode katexCss} and {@linkcode katexPreamble}. */
export interface KatexCssOptions {
  /** "inline": woff2 fonts as data URIs (default); "system": no KaTeX fonts. */
  fonts?: "inline" | "system";
}

const require = createRequire(import.meta.url);

/**
 * KaTeX's stylesheet with fonts inlined (or dropped, see the module doc).
 *
 * @example
 * ```ts
 * import { katexCss } from "./katex.ts";
 * katexCss().includes("data:font/woff2;base64,"); // true
 * ```
 */
export function katexCss(options: KatexCssOptions = {}): string {
  const dist = dirname(require.resolve("katex"));
  const css = Deno.readTextFileSync(join(dist, "katex.min.css"));
  if (options.fonts === "system") return css.replace(/@font-face\{[^}]*\}/g, "");
  return css.replace(/@font-face\{([^}]*)\}/g, (_rule, body: string) => {
    const woff2 = body.match(/url\((fonts\/[^)]+\.woff2)\)/)?.[1];
    if (!woff2) return `@font-face{${body}}`;
    const data = Buffer.from(Deno.readFileSync(join(dist, woff2))).toString("base64");
    const src = `src:url(data:font/woff2;base64,${data}) format("woff2")`;
    return `@font-face{${body.replace(/src:[^;}]*/, src)}}`;
  });
}

/**
 * The KaTeX stylesheet as a displayable `<style>` element; show it once per notebook.
 *
 * @example
 * ```ts
 * import { katexPreamble } from "./katex.ts";
 * katexPreamble(); // in an early cell
 * ```
 */
export function katexPreamble(options: KatexCssOptions = {}): HtmlView {
  const version = (katex as { version?: string }).version ?? "";
  return htmlView(
    `<style>/* KaTeX ${version} (MIT) */\n${katexCss(options)}</style>`,
    `KaTeX ${version} stylesheet embedded`,
    { markdown: "" },
  );
}
