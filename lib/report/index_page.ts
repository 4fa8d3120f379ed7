/**
 * The index page of rendered notebooks (`results/html/index.html`): title, date, git commit, and
 * one row per notebook with its status.
 *
 * @module
 */

import { join } from "node:path";
import { escapeHtml } from "./escape.ts";
import { listNotebooks, type NotebookResult, notebookTitle } from "./render_notebooks.ts";
import { REPORT_CSS } from "./styles.ts";

/** One row of the index. */
export interface IndexEntry {
  /** Notebook name (page is `<name>.html`). */
  name: string;
  /** Notebook title. */
  title: string;
  /** "ok" (rendered now), "failed" (this run), "earlier" (page from a previous run), "missing". */
  status: "ok" | "failed" | "earlier" | "missing";
  /** Detail: render time, error, or the earlier page's date. */
  detail: string;
}

/** Page metadata. */
export interface IndexMeta {
  /** Page title. */
  title: string;
  /** When the pages were rendered. */
  date: Date;
  /** Git commit (short hash, with "+dirty" for uncommitted changes), or null. */
  commit: string | null;
}

/**
 * The HTML of the index page (entries link to `<name>.html` when a page exists).
 *
 * @example
 * ```ts
 * import { indexHtml } from "./index_page.ts";
 * indexHtml([{ name: "datasets", title: "Datasets", status: "ok", detail: "4.1 s" }],
 *   { title: "Notebooks", date: new Date(), commit: "abc1234" });
 * ```
 */
export function indexHtml(entries: readonly IndexEntry[], meta: IndexMeta): string {
  const rows = entries.map((e) => {
    const linked = e.status === "ok" || e.status === "earlier";
    const name = linked
      ? `<a href="${escapeHtml(encodeURIComponent(e.name))}.html">${escapeHtml(e.title)}</a>`
      : escapeHtml(e.title);
    return `<tr class="status-${e.status}"><td>${name}</td><td><code>${
      escapeHtml(e.name)
    }.ipynb</code>` +
      `</td><td>${e.status}</td><td>${escapeHtml(e.detail)}</td></tr>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)}</title>
<style>${REPORT_CSS}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:960px;padding:0 1em}
.meta{color:#555}.status-failed td:nth-child(3){color:#c00;font-weight:600}
.status-missing td,.status-earlier td:nth-child(3){color:#888}</style></head>
<body><h1>${escapeHtml(meta.title)}</h1>
<p class="meta">Rendered ${
    escapeHtml(meta.date.toISOString().replace("T", " ").slice(0, 19))
  } UTC` +
    ` · commit <code>${escapeHtml(meta.commit ?? "none")}</code></p>
<table class="repro-table"><thead><tr><th>notebook</th><th>file</th><th>status</th><th>detail</th>` +
    `</tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

/** Short git commit of `dir` with "+dirty" when the tree has changes; null without git or commits. */
export async function gitCommit(dir: string): Promise<string | null> {
  const git = async (...args: string[]) => {
    try {
      const out = await new Deno.Command("git", { args, cwd: dir, stdout: "piped", stderr: "null" })
        .output();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  const head = await git("rev-parse", "--short", "HEAD");
  if (!head) return null;
  const status = await git("status", "--porcelain");
  return status ? `${head}+dirty` : head;
}

/**
 * Write `index.html` in `outDir` for every notebook of `notebooksDir`: this run's results, else a
 * page left by an earlier run, else "missing".
 *
 * @example
 * ```ts
 * import { writeIndex } from "./index_page.ts";
 * await writeIndex("notebooks", "results/html", [], { title: "Notebooks" });
 * ```
 */
export async function writeIndex(
  notebooksDir: string,
  outDir: string,
  results: readonly NotebookResult[],
  meta: Partial<IndexMeta> = {},
): Promise<string> {
  const byName = new Map(results.map((r) => [r.name, r]));
  const entries: IndexEntry[] = listNotebooks(notebooksDir).map((name) => {
    const title = notebookTitle(join(notebooksDir, `${name}.ipynb`)) ?? name;
    const r = byName.get(name);
    if (r) {
      return r.ok
        ? { name, title, status: "ok", detail: `rendered in ${r.seconds.toFixed(1)} s` }
        : { name, title, status: "failed", detail: r.error ?? "failed" };
    }
    try {
      const mtime = Deno.statSync(join(outDir, `${name}.html`)).mtime;
      return {
        name,
        title,
        status: "earlier",
        detail: `page from an earlier run (${mtime?.toISOString().slice(0, 19) ?? "date unknown"})`,
      };
    } catch {
      return { name, title, status: "missing", detail: "not rendered" };
    }
  });
  const file = join(outDir, "index.html");
  Deno.writeTextFileSync(
    file,
    indexHtml(entries, {
      title: meta.title ?? "Rendered notebooks",
      date: meta.date ?? new Date(),
      commit: meta.commit !== undefined ? meta.commit : await gitCommit(notebooksDir),
    }),
  );
  return file;
}
