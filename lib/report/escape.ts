/**
 * Escaping for the HTML and SVG that the report helpers build as strings.
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML/SVG element content or a quoted attribute value.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./escape.ts";
 * escapeHtml(`a < b & "c"`); // "a &lt; b &amp; &quot;c&quot;"
 * ```
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Serialize a value as JSON that is safe to inline in a `<script>` element: `<`, `>`, `&` and the
 * JavaScript-only line terminators U+2028/U+2029 are written as `\uXXXX` escapes, so no string
 * inside the data can close the script or open a comment.
 *
 * @example
 * ```ts
 * import { scriptJson } from "./escape.ts";
 * scriptJson({ t: "</script>" }); // '{"t":"\\u003c/script\\u003e"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Make JavaScript source safe to inline in a `<script>` element by breaking every `</script`
 * (case-insensitive) into `<\/script`, which means the same inside JS strings, regexes and comments.
 *
 * @example
 * ```ts
 * import { inlineScriptSource } from "./escape.ts";
 * inlineScriptSource('x = "</script>"'); // 'x = "<\\/script>"'
 * ```
 */
export function inlineScriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1");
}

/**
 * Escape text for Markdown inline content, table cells included: backslash-escapes the characters
 * that start emphasis, code, links, HTML, math (`$`), strikethrough or a cell boundary (`|`), and
 * writes line breaks as `<br>`. An underscore inside a word is left alone (it starts no emphasis).
 *
 * @example
 * ```ts
 * import { escapeMarkdown } from "./escape.ts";
 * escapeMarkdown("a|b *c* $x$ orm_bon"); // "a\\|b \\*c\\* \\$x\\$ orm_bon"
 * ```
 */
export function escapeMarkdown(text: unknown): string {
  return String(text)
    .replace(/[\\`*[\]<>|$~&]|_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])_/gu, (c) => `\\${c}`)
    .replace(/\r?\n/g, "<br>");
}

/**
 * {@linkcode escapeMarkdown} for prose that marks code with backticks: code spans stay code (a
 * `|` inside one is escaped, as a table cell needs), the rest is escaped.
 *
 * @example
 * ```ts
 * import { markdownProse } from "./escape.ts";
 * markdownProse("run `deno task repro tsmc` for *all*"); // "run `deno task repro tsmc` for \\*all\\*"
 * ```
 */
export function markdownProse(text: string): string {
  return text.split(/(`[^`\n]+`)/).map((part, i) =>
    i % 2 === 1 ? part.replaceAll("|", "\\|") : escapeMarkdown(part)
  ).join("");
}
