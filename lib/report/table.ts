/**
 * Tables: plain rows to a nodejs-polars DataFrame, and a DataFrame to an escaped HTML table that
 * the Deno Jupyter kernel displays.
 *
 * @module
 */

import pl from "nodejs-polars";
import { type HtmlView, htmlView } from "./display.ts";
import { escapeHtml, escapeMarkdown } from "./escape.ts";
import { REPORT_CSS } from "./styles.ts";

/** A nodejs-polars DataFrame. */
export type DataFrame = pl.DataFrame;

/** One table row: column name to a cell value. */
export type Row = Record<string, unknown>;

/** Options of {@linkcode tableHtml} and {@linkcode table}. */
export interface TableOptions {
  /** Caption shown above the table. */
  caption?: string;
  /** Most rows shown (default 50); the rest are summarised in a footer. */
  maxRows?: number;
  /** Fraction digits for non-integer numbers (default 3). */
  digits?: number;
  /** Show each column's polars dtype under its name (default true). */
  dtypes?: boolean;
}

/**
 * Build a DataFrame from plain row objects (columns in first-seen order; missing cells are null).
 *
 * @example
 * ```ts
 * import { dataFrame } from "./table.ts";
 * const df = dataFrame([{ level: 1, n: 43 }, { level: 2, n: 90 }]);
 * df.height; // 2
 * ```
 */
export function dataFrame(rows: readonly Row[]): DataFrame {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const data: Record<string, unknown[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] ?? null);
  return pl.DataFrame(data);
}

/** Format one cell for display (numbers with `digits`, null as "null"). */
function formatCell(value: unknown, digits: number): { text: string; cls?: string } {
  if (value === null || value === undefined) return { text: "null", cls: "repro-null" };
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { text: "NaN", cls: "repro-num" };
    const text = Number.isInteger(value) ? String(value) : value.toFixed(digits);
    return { text, cls: "repro-num" };
  }
  if (typeof value === "bigint") return { text: String(value), cls: "repro-num" };
  if (value instanceof Date) return { text: value.toISOString() };
  if (typeof value === "object") return { text: JSON.stringify(value) };
  return { text: String(value) };
}

/** Short polars dtype name ("Float64", "String", ...). */
function dtypeName(dtype: unknown): string {
  const variant = (dtype as { variant?: string }).variant;
  return variant ?? String(dtype).replace(/^DataType\((.*)\)$/, "$1");
}

/** Column names, dtype names and the first `maxRows` rows of a DataFrame. */
interface Snapshot {
  names: string[];
  dtypes: string[];
  height: number;
  rows: unknown[][];
}

/**
 * Read a DataFrame through `getColumns()` only: nodejs-polars DataFrames are proxies on which a
 * column shadows the method of the same name (`df.rows` is the column "rows" when there is one).
 */
function snapshot(df: DataFrame, maxRows: number): Snapshot {
  const series = df.getColumns();
  const height = series.length > 0 ? series[0].length : 0;
  const shown = Math.min(height, maxRows);
  const values = series.map((s) => (shown < height ? s.head(shown) : s).toArray() as unknown[]);
  return {
    names: series.map((s) => s.name),
    dtypes: series.map((s) => dtypeName(s.dtype)),
    height,
    rows: Array.from({ length: shown }, (_, i) => values.map((col) => col[i])),
  };
}

/**
 * Render a DataFrame (or rows) as an HTML table; every header and cell is HTML-escaped.
 *
 * @example
 * ```ts
 * import { dataFrame, tableHtml } from "./table.ts";
 * const html = tableHtml(dataFrame([{ answer: "<b>" }]), { caption: "Escaped" });
 * html.includes("&lt;b&gt;"); // true
 * ```
 */
export function tableHtml(data: DataFrame | readonly Row[], options: TableOptions = {}): string {
  const df = Array.isArray(data) ? dataFrame(data) : data as DataFrame;
  const { caption, maxRows = 50, digits = 3, dtypes = true } = options;
  const snap = snapshot(df, maxRows);
  const width = snap.names.length;
  const head = snap.names.map((c, i) => {
    const dt = dtypes ? `<span class="repro-dtype">${escapeHtml(snap.dtypes[i])}</span>` : "";
    return `<th>${escapeHtml(c)}${dt}</th>`;
  }).join("");
  const body = snap.rows.map((row) =>
    "<tr>" + row.map((v) => {
      const { text, cls } = formatCell(v, digits);
      return `<td${cls ? ` class="${cls}"` : ""}>${escapeHtml(text)}</td>`;
    }).join("") + "</tr>"
  ).join("\n");
  const more = snap.height - snap.rows.length;
  const foot = more > 0
    ? `<tfoot><tr><td colspan="${width}">${more} more rows (${snap.height} × ${width})</td></tr></tfoot>`
    : "";
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<style>${REPORT_CSS}</style>\n<table class="repro-table">${cap}<thead><tr>${head}</tr></thead>` +
    `<tbody>\n${body}\n</tbody>${foot}</table>`;
}

/** Plain-text rendering: tab-separated header and the first rows. */
function tableText(df: DataFrame, options: TableOptions): string {
  const snap = snapshot(df, Math.min(options.maxRows ?? 50, 20));
  const lines = [
    snap.names.join("\t"),
    ...snap.rows.map((r) => r.map((v) => formatCell(v, options.digits ?? 3).text).join("\t")),
  ];
  if (snap.height > snap.rows.length) lines.push(`… ${snap.height - snap.rows.length} more rows`);
  return (options.caption ? `${options.caption}\n` : "") + lines.join("\n");
}

/** Whether a polars dtype name is numeric (right-aligned in Markdown). */
function numericDtype(name: string): boolean {
  return /^(U?Int\d+|Float\d+|Decimal)/.test(name);
}

/**
 * Render a DataFrame (or rows) as a Markdown (GFM) table, for static notebook outputs that a code
 * host shows: the caption in bold above it, numeric columns right-aligned, null as "–", every
 * cell escaped ({@linkcode escapeMarkdown}), rows past `maxRows` summarised below it. The dtype
 * row of the HTML table is left out.
 *
 * @example
 * ```ts
 * import { tableMarkdown } from "./table.ts";
 * tableMarkdown([{ method: "beam", acc: 0.412 }], { caption: "Accuracy", digits: 1 });
 * // "**Accuracy**\n\n| method | acc |\n| :-- | --: |\n| beam | 0.4 |"
 * ```
 */
export function tableMarkdown(
  data: DataFrame | readonly Row[],
  options: TableOptions = {},
): string {
  const df = Array.isArray(data) ? dataFrame(data) : data as DataFrame;
  const { caption, maxRows = 50, digits = 3 } = options;
  const snap = snapshot(df, maxRows);
  const title = caption ? `**${escapeMarkdown(caption)}**\n\n` : "";
  if (snap.names.length === 0) return `${title}_(no columns)_`;
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const lines = [
    line(snap.names.map(escapeMarkdown)),
    line(snap.dtypes.map((d) => (numericDtype(d) ? "--:" : ":--"))),
    ...snap.rows.map((row) =>
      line(
        row.map((
          v,
        ) => (v === null || v === undefined ? "–" : escapeMarkdown(formatCell(v, digits).text))),
      )
    ),
  ];
  const more = snap.height - snap.rows.length;
  if (more > 0) lines.push("", `_${more} more rows (${snap.height} × ${snap.names.length})_`);
  return title + lines.join("\n");
}

/**
 * A displayable table: the last expression of a notebook cell renders it as HTML (as Markdown in
 * static mode, see `display.ts`).
 *
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * table([{ method: "beam", acc: 0.412 }], { caption: "Accuracy", digits: 1 });
 * ```
 */
export function table(data: DataFrame | readonly Row[], options: TableOptions = {}): HtmlView {
  const df = Array.isArray(data) ? dataFrame(data) : data as DataFrame;
  return htmlView(tableHtml(df, options), tableText(df, options), {
    markdown: tableMarkdown(df, options),
  });
}
