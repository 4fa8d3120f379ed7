/**
 * "Paper vs ours" tables: the paper's number with its citation beside our estimate with its 95%
 * confidence interval, and the model, data and seed that produced ours.
 *
 * @module
 */

import { type HtmlView, htmlView } from "./display.ts";
import { escapeHtml } from "./escape.ts";
import { REPORT_CSS } from "./styles.ts";
import { type DataFrame, dataFrame } from "./table.ts";

/** A number quoted from a paper, with where it comes from. */
export interface PaperValue {
  /** The number as the paper reports it (same units as `ours`). */
  value: number;
  /** The source, e.g. "arXiv 2502.20548 (NeurIPS 2025), Table 1". */
  citation: string;
  /** Public URL of the source, when there is one. */
  url?: string;
}

/** Our estimate with a 95% confidence interval (`lo <= value <= hi`). */
export interface Estimate {
  /** Point estimate. */
  value: number;
  /** Lower end of the 95% CI. */
  lo: number;
  /** Upper end of the 95% CI. */
  hi: number;
}

/** One row of a paper-vs-ours table. */
export interface PaperVsOursRow {
  /** Method name, e.g. "beam search (N=16)". */
  method: string;
  /** The paper's number; null or absent when the paper has none for this row. */
  paper?: PaperValue | null;
  /** Our number; null or absent when it has not been run yet. */
  ours?: Estimate | null;
  /** Policy (and scorer) we ran. */
  model: string;
  /** Data set and split (and limit) we ran on. */
  data: string;
  /** Seed(s) of our run. */
  seed: number | string;
}

/** Options of {@linkcode paperVsOursTable}. */
export interface PaperVsOursOptions {
  /** Caption above the table. */
  caption?: string;
  /** Fraction digits of every number (default 1). */
  digits?: number;
}

/**
 * The rows as a polars DataFrame with columns method, paper, citation, ours, ci_lo, ci_hi, model,
 * data, seed (missing numbers are null), for further analysis or export.
 *
 * @example
 * ```ts
 * import { paperVsOursFrame } from "./paper_vs_ours.ts";
 * const df = paperVsOursFrame([{
 *   method: "Q#", paper: { value: 46.7, citation: "arXiv 2502.20548, Table 1" },
 *   ours: { value: 44.9, lo: 40.6, hi: 49.3 }, model: "qwen-0.5b", data: "MATH500", seed: 0,
 * }]);
 * df.columns; // ["method", "paper", "citation", "ours", "ci_lo", "ci_hi", "model", "data", "seed"]
 * ```
 */
export function paperVsOursFrame(rows: readonly PaperVsOursRow[]): DataFrame {
  return dataFrame(rows.map((r) => ({
    method: r.method,
    paper: r.paper?.value ?? null,
    citation: r.paper?.citation ?? null,
    ours: r.ours?.value ?? null,
    ci_lo: r.ours?.lo ?? null,
    ci_hi: r.ours?.hi ?? null,
    model: r.model,
    data: r.data,
    seed: String(r.seed),
  })));
}

/**
 * A displayable paper-vs-ours HTML table. Paper numbers carry numbered citation marks that refer
 * to a source list under the table (linked when a URL is given); our numbers show the 95% CI.
 * Rows without a number show "—" ("not reported" or "not run yet" as a tooltip).
 *
 * @example
 * ```ts
 * import { paperVsOursTable } from "./paper_vs_ours.ts";
 * paperVsOursTable([{
 *   method: "Q#", paper: { value: 46.7, citation: "arXiv 2502.20548, Table 1" },
 *   ours: null, model: "qwen-0.5b", data: "MATH500", seed: 0,
 * }], { caption: "MATH500 pass@1 (%)" });
 * ```
 */
export function paperVsOursTable(
  rows: readonly PaperVsOursRow[],
  options: PaperVsOursOptions = {},
): HtmlView {
  const { caption, digits = 1 } = options;
  const fmt = (x: number) => Number.isFinite(x) ? x.toFixed(digits) : String(x);
  const sources: PaperValue[] = [];
  const sourceIndex = new Map<string, number>();
  const cite = (p: PaperValue) => {
    const key = `${p.citation}\u0000${p.url ?? ""}`;
    let i = sourceIndex.get(key);
    if (i === undefined) {
      i = sources.push(p);
      sourceIndex.set(key, i);
    }
    return i;
  };
  const dash = (why: string) => `<td class="repro-null" title="${why}">—</td>`;
  const body = rows.map((r) => {
    const paper = r.paper
      ? `<td class="repro-num">${escapeHtml(fmt(r.paper.value))} <sup>[${cite(r.paper)}]</sup></td>`
      : dash("not reported by the paper");
    const ours = r.ours
      ? `<td class="repro-num">${escapeHtml(fmt(r.ours.value))} <small>[${
        escapeHtml(fmt(r.ours.lo))
      }, ${escapeHtml(fmt(r.ours.hi))}]</small></td>`
      : dash("not run yet");
    return `<tr><td>${escapeHtml(r.method)}</td>${paper}${ours}<td>${escapeHtml(r.model)}</td>` +
      `<td>${escapeHtml(r.data)}</td><td>${escapeHtml(String(r.seed))}</td></tr>`;
  }).join("\n");
  const notes = sources.length
    ? `<ol class="repro-notes">${
      sources.map((s) =>
        `<li>${escapeHtml(s.citation)}${
          s.url ? ` — <a href="${escapeHtml(s.url)}">${escapeHtml(s.url)}</a>` : ""
        }</li>`
      ).join("")
    }</ol>`
    : "";
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  const html = `<style>${REPORT_CSS}</style>\n<table class="repro-table">${cap}<thead><tr>` +
    "<th>method</th><th>paper</th><th>ours (95% CI)</th><th>model</th><th>data</th><th>seed</th>" +
    `</tr></thead><tbody>\n${body}\n</tbody></table>${notes}`;
  const text = rows.map((r) =>
    `${r.method}: paper ${r.paper ? fmt(r.paper.value) : "—"}, ours ${
      r.ours ? `${fmt(r.ours.value)} [${fmt(r.ours.lo)}, ${fmt(r.ours.hi)}]` : "—"
    } (${r.model}, ${r.data}, seed ${r.seed})`
  ).join("\n");
  return htmlView(html, text);
}
