/**
 * Execute notebooks with Jupyter (`jupyter nbconvert --execute --to html`, Deno kernel) into
 * standalone HTML pages, and write an index page linking them. Used by `deno task render`.
 *
 * Each notebook runs in its own kernel with the notebook's folder as working directory and the
 * caller's environment (plus `REPRO_LIMIT` when a limit is given). A failing notebook does not
 * stop the others; its stale page, if any, is removed so the index never links outdated output.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import { repoPath } from "./paths.ts";

/** Options of {@linkcode renderNotebooks}. */
export interface RenderOptions {
  /** Folder of `*.ipynb` files (default `notebooks/` of the repository). */
  notebooksDir?: string;
  /** Output folder (default `results/html/` of the repository). */
  outDir?: string;
  /** Render only these notebooks (names with or without `.ipynb`); default all. */
  only?: readonly string[];
  /** Per-cell execution timeout in seconds (`ExecutePreprocessor.timeout`, default 900). */
  timeoutS?: number;
  /** Value of `REPRO_LIMIT` for the notebooks (default: inherited from the environment). */
  limit?: string | number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** The outcome of one notebook. */
export interface NotebookResult {
  /** Notebook name without `.ipynb`. */
  name: string;
  /** Title: the first Markdown heading of the notebook, else its name. */
  title: string;
  /** Whether the HTML page was written. */
  ok: boolean;
  /** Wall time of the nbconvert run, seconds. */
  seconds: number;
  /** Path of the HTML page (when ok). */
  html?: string;
  /** One-line reason (when not ok). */
  error?: string;
  /** Last lines of nbconvert's output (when not ok). */
  tail?: string[];
}

/**
 * nbconvert configuration file passed with `--config`: it keeps outputs that the Deno kernel
 * publishes after a cell's idle status (see the file's docstring).
 */
export const NBCONVERT_CONFIG: string = repoPath("lib", "report", "nbconvert_config.py");

/** Strip ANSI colour codes. */
function plain(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Lines of nbconvert/kernel chatter that say nothing about a failure. */
const NOISE = [
  /Debugger warning|frozen modules|-Xfrozen_modules|PYDEVD_DISABLE_FILE_VALIDATION|Debugging will proceed/,
  /"deno jupyter" is unstable/,
  /^\[NbConvertApp\] (Converting|Executing|Writing)/,
  /MissingIDFieldWarning|validate\(nb\)/,
];

/**
 * The useful end of nbconvert's stderr: the error lines of a `CellExecutionError` (after its last
 * `------------------` rule), else its last lines; and a one-line summary.
 *
 * @example
 * ```ts
 * import { summarizeNbconvertError } from "./render_notebooks.ts";
 * summarizeNbconvertError("...\n------------------\nx\n------------------\n\nError: boom\n").summary;
 * // "Error: boom"
 * ```
 */
export function summarizeNbconvertError(stderr: string): { summary: string; tail: string[] } {
  const lines = plain(stderr).split(/\r?\n/).filter((l) =>
    l.trim() && !NOISE.some((r) => r.test(l))
  );
  const rule = lines.findLastIndex((l) => /^-{10,}$/.test(l.trim()));
  const errorLines = rule >= 0 ? lines.slice(rule + 1) : [];
  const summary = errorLines[0]?.trim() ?? lines.at(-1)?.trim() ??
    "nbconvert failed with no output";
  return { summary, tail: lines.slice(-15) };
}

/** The first Markdown heading of a notebook file, or null. */
export function notebookTitle(ipynb: string): string | null {
  try {
    const nb = JSON.parse(Deno.readTextFileSync(ipynb));
    for (const cell of nb.cells ?? []) {
      if (cell.cell_type !== "markdown") continue;
      const src = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source);
      const m = src.match(/^#{1,3}\s+(.+)$/m);
      if (m) return m[1].trim();
    }
  } catch {
    return null;
  }
  return null;
}

/** Names (without `.ipynb`) of the notebooks in a folder, sorted. */
export function listNotebooks(dir: string): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile && e.name.endsWith(".ipynb") && !e.name.startsWith(".")) {
      names.push(e.name.slice(0, -".ipynb".length));
    }
  }
  return names.sort();
}

/** Whether a command can be started (found on PATH). */
export async function commandExists(cmd: string, args: string[] = ["--version"]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

/**
 * Render notebooks to HTML, one `jupyter nbconvert` run each, in name order.
 *
 * @example
 * ```ts
 * import { renderNotebooks } from "./render_notebooks.ts";
 * const results = await renderNotebooks({ only: ["datasets"], limit: 50 });
 * results.every((r) => r.ok);
 * ```
 */
export async function renderNotebooks(options: RenderOptions = {}): Promise<NotebookResult[]> {
  const dir = options.notebooksDir ?? repoPath("notebooks");
  const outDir = options.outDir ?? repoPath("results", "html");
  const log = options.log ?? ((line: string) => console.error(line));
  const all = listNotebooks(dir);
  const wanted = options.only?.map((n) => basename(n).replace(/\.ipynb$/, ""));
  for (const name of wanted ?? []) {
    if (!all.includes(name)) {
      throw new Error(`no notebook "${name}.ipynb" in ${dir} (have: ${all.join(", ") || "none"})`);
    }
  }
  const names = wanted ? all.filter((n) => wanted.includes(n)) : all;
  Deno.mkdirSync(outDir, { recursive: true });
  const env: Record<string, string> = {};
  if (options.limit !== undefined) env.REPRO_LIMIT = String(options.limit);
  const results: NotebookResult[] = [];
  for (const [i, name] of names.entries()) {
    const ipynb = join(dir, `${name}.ipynb`);
    const title = notebookTitle(ipynb) ?? name;
    const html = join(outDir, `${name}.html`);
    log(`[${i + 1}/${names.length}] executing ${relative(Deno.cwd(), ipynb) || ipynb} ...`);
    const started = performance.now();
    let output: Deno.CommandOutput;
    try {
      output = await new Deno.Command("jupyter", {
        args: [
          "nbconvert",
          "--config",
          NBCONVERT_CONFIG,
          "--execute",
          "--to",
          "html",
          `--ExecutePreprocessor.timeout=${options.timeoutS ?? 900}`,
          "--ExecutePreprocessor.kernel_name=deno",
          "--output-dir",
          outDir,
          "--output",
          name,
          ipynb,
        ],
        cwd: dir,
        env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error("`jupyter` not found: install it with `bash .ci/setup.sh`");
      }
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    if (output.success) {
      const mb = (Deno.statSync(html).size / 1e6).toFixed(1);
      log(
        `  ok ${name} -> ${relative(Deno.cwd(), html) || html} (${seconds.toFixed(1)} s, ${mb} MB)`,
      );
      results.push({ name, title, ok: true, seconds, html });
    } else {
      const { summary, tail } = summarizeNbconvertError(new TextDecoder().decode(output.stderr));
      const error = `notebook ${name}.ipynb failed after ${seconds.toFixed(1)} s: ${summary}`;
      log(`  FAILED ${error}`);
      for (const line of tail) log(`    | ${line}`);
      try {
        Deno.removeSync(html);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      results.push({ name, title, ok: false, seconds, error, tail });
    }
  }
  return results;
}
