/**
 * The small stylesheet shared by report tables and trace drawings; each view carries it inline
 * so every output renders the same in a live notebook and in the rendered HTML.
 *
 * @module
 */

/**
 * CSS for `.repro-table` and `.repro-trace`, scoped by class so it never restyles the notebook.
 * Cell rules use `table.repro-table.repro-table` to outrank JupyterLab's
 * `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`, which right-aligns every cell in
 * nbconvert pages.
 *
 * @example
 * ```ts
 * import { REPORT_CSS } from "./styles.ts";
 * const html = `<style>${REPORT_CSS}</style><table class="repro-table"></table>`;
 * ```
 */
export const REPORT_CSS = `
.repro-table{border-collapse:collapse;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:4px 0 8px}
.repro-table caption{caption-side:top;text-align:left;font-weight:600;padding:2px 0 6px}
table.repro-table.repro-table th,table.repro-table.repro-table td{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left;vertical-align:top}
table.repro-table.repro-table thead th{border-bottom:2px solid #888;white-space:nowrap}
.repro-table .repro-dtype{display:block;font-weight:400;font-size:11px;color:#888}
table.repro-table.repro-table td.repro-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.repro-table td.repro-null{color:#aaa;font-style:italic}
.repro-table tbody tr:nth-child(even){background:#f7f7f9}
.repro-table tfoot td{color:#666;font-size:12px;border-bottom:none}
.repro-notes{font:12px/1.4 system-ui,-apple-system,sans-serif;color:#555;margin:0 0 10px;padding-left:22px}
.repro-trace{font:11px system-ui,-apple-system,sans-serif}
`.trim();
