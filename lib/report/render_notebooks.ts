/**
 * Execute notebooks with Jupyter (`jupyter nbconvert --execute --to html`, Deno kernel) into
 * standalone HTML pages, and write an index page linking them. Used by `deno task render`.
 *
 * Each notebook runs in its own kernel with the notebook's folder as working directory and the
 * caller's environment (plus `REPRO_LIMIT` when a limit is given). A failing notebook does not
 * stop the others; its stale page, if any, is removed so the index never links outdated output.
 *
 * With `inPlace` (`deno task render --commit`) each notebook is executed into itself instead, in
 * static mode (`REPRO_OUTPUT=static`, see `display.ts`): the committed `.ipynb` carries outputs a
 * code host shows, figures as PNG drawn by one headless Chromium for the whole run
 * (`static_notebook.ts`). A failing notebook is left as it was.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import { OUTPUT_ENV } from "./display.ts";
import { repoPath } from "./paths.ts";
import type { FigureRenderer, NotebookJson } from "./static_notebook.ts";

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
  /**
   * Execute each notebook into itself with static outputs (PNG figures, Markdown tables) for
   * committing, instead of into an HTML page; `outDir` is then unused.
   */
  inPlace?: boolean;
  /** Chromium binary that draws the figures in `inPlace` mode (default `/usr/bin/chromium`). */
  chromiumPath?: string;
}

/** The outcome of one notebook. */
export interface NotebookResult {
  /** Notebook name without `.ipynb`. */
  name: string;
  /** Title: the first Markdown heading of the notebook, else its name. */
  title: string;
  /** Whether the HTML page (or, in place, the notebook) was written. */
  ok: boolean;
  /** Wall time of the nbconvert run, seconds. */
  seconds: number;
  /** Path of the HTML page (when ok). */
  html?: string;
  /** Path of the notebook written with its outputs (when ok, in place). */
  ipynb?: string;
  /** Figures stored as PNG (in place). */
  figures?: number;
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
 * Render notebooks to HTML, one `jupyter nbconvert` run each, in name order (or, with `inPlace`,
 * execute each into itself with static outputs).
 *
 * @example
 * ```ts
 * import { renderNotebooks } from "./render_notebooks.ts";
 * const results = await renderNotebooks({ only: ["datasets"], limit: 50 });
 * results.every((r) => r.ok);
 * await renderNotebooks({ only: ["datasets"], inPlace: true }); // notebooks/datasets.ipynb
 * ```
 */
export async function renderNotebooks(options: RenderOptions = {}): Promise<NotebookResult[]> {
  const dir = options.notebooksDir ?? repoPath("notebooks");
  if (options.inPlace) {
    const tmp = await Deno.makeTempDir({ prefix: "render_commit_" });
    let renderer: FigureRenderer | undefined;
    const { finishStaticNotebook, notebookText, openFigureRenderer } = await import(
      "./static_notebook.ts"
    );
    try {
      return await runNotebooks(dir, tmp, options, async (name, ipynb, sourceText) => {
        const executed = JSON.parse(
          await Deno.readTextFile(join(tmp, `${name}.ipynb`)),
        ) as NotebookJson;
        const { notebook, figures } = await finishStaticNotebook(
          executed,
          JSON.parse(sourceText),
          async () => (renderer ??= await openFigureRenderer({
            chromiumPath: options.chromiumPath,
          })),
        );
        if ((await Deno.readTextFile(ipynb)) !== sourceText) {
          throw new Error(`${name}.ipynb changed while it ran: not overwritten, run it again`);
        }
        const text = notebookText(notebook);
        await Deno.writeTextFile(ipynb, text);
        return { path: ipynb, bytes: new TextEncoder().encode(text).length, figures };
      });
    } finally {
      await renderer?.close();
      await Deno.remove(tmp, { recursive: true });
    }
  }
  const outDir = options.outDir ?? repoPath("results", "html");
  Deno.mkdirSync(outDir, { recursive: true });
  return runNotebooks(dir, outDir, options, (name) => {
    const html = join(outDir, `${name}.html`);
    return Promise.resolve({ path: html, bytes: Deno.statSync(html).size });
  });
}

/** What the last step of one notebook wrote. */
interface Written {
  path: string;
  bytes: number;
  figures?: number;
}

/**
 * Execute the selected notebooks of `dir` one by one with nbconvert into `outDir` (HTML, or a
 * notebook in `inPlace` mode), calling `finish` after each success; a failure of nbconvert or of
 * `finish` marks that notebook failed (its stale HTML page, if any, removed) and goes on.
 */
async function runNotebooks(
  dir: string,
  outDir: string,
  options: RenderOptions,
  finish: (name: string, ipynb: string, sourceText: string) => Promise<Written>,
): Promise<NotebookResult[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const all = listNotebooks(dir);
  const wanted = options.only?.map((n) => basename(n).replace(/\.ipynb$/, ""));
  for (const name of wanted ?? []) {
    if (!all.includes(name)) {
      throw new Error(`no notebook "${name}.ipynb" in ${dir} (have: ${all.join(", ") || "none"})`);
    }
  }
  const names = wanted ? all.filter((n) => wanted.includes(n)) : all;
  const inPlace = options.inPlace ?? false;
  const env: Record<string, string> = { [OUTPUT_ENV]: inPlace ? "static" : "html" };
  if (options.limit !== undefined) env.REPRO_LIMIT = String(options.limit);
  const results: NotebookResult[] = [];
  for (const [i, name] of names.entries()) {
    const ipynb = join(dir, `${name}.ipynb`);
    const title = notebookTitle(ipynb) ?? name;
    const html = join(outDir, `${name}.html`);
    const sourceText = await Deno.readTextFile(ipynb);
    log(`[${i + 1}/${names.length}] executing ${relative(Deno.cwd(), ipynb) || ipynb} ...`);
    const started = performance.now();
    const execute = async (): Promise<Deno.CommandOutput> => {
      try {
        return await new Deno.Command("jupyter", {
          args: [
            "nbconvert",
            "--config",
            NBCONVERT_CONFIG,
            "--execute",
            "--to",
            inPlace ? "notebook" : "html",
            `--ExecutePreprocessor.timeout=${options.timeoutS ?? 900}`,
            "--ExecutePreprocessor.record_timing=False",
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
    };
    let output = await execute();
    // The Deno kernel now and then sends a corrupted message frame (jupyter_client: "Invalid
    // Signature"): a transport fault, not the notebook's, so the notebook runs once more.
    if (!output.success && /Invalid Signature/.test(new TextDecoder().decode(output.stderr))) {
      log(`  kernel message corrupted (Invalid Signature); executing ${name} once more`);
      output = await execute();
    }
    let seconds = (performance.now() - started) / 1000;
    let failure: { summary: string; tail: string[] } | undefined;
    if (output.success) {
      try {
        const written = await finish(name, ipynb, sourceText);
        seconds = (performance.now() - started) / 1000;
        const size = written.bytes >= 1e6
          ? `${(written.bytes / 1e6).toFixed(1)} MB`
          : `${Math.round(written.bytes / 1e3)} kB`;
        const figures = written.figures === undefined ? "" : `, ${written.figures} figures as PNG`;
        log(
          `  ok ${name} -> ${relative(Deno.cwd(), written.path) || written.path} ` +
            `(${seconds.toFixed(1)} s, ${size}${figures})`,
        );
        results.push({
          name,
          title,
          ok: true,
          seconds,
          ...(inPlace ? { ipynb: written.path, figures: written.figures } : { html: written.path }),
        });
      } catch (e) {
        failure = { summary: (e as Error).message, tail: [] };
      }
    } else {
      failure = summarizeNbconvertError(new TextDecoder().decode(output.stderr));
    }
    if (failure) {
      const { summary, tail } = failure;
      const error = `notebook ${name}.ipynb failed after ${seconds.toFixed(1)} s: ${summary}`;
      log(`  FAILED ${error}`);
      for (const line of tail) log(`    | ${line}`);
      if (!inPlace) {
        try {
          Deno.removeSync(html);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
      results.push({ name, title, ok: false, seconds, error, tail });
    }
  }
  return results;
}
