/**
 * `deno task render [--only NAME]... [--timeout S] [--limit N] [--notebooks DIR] [--out DIR]`
 * `deno task render --commit [--only NAME]...`
 *
 * Executes every `notebooks/*.ipynb` with Jupyter (Deno kernel) into `results/html/<name>.html`,
 * then writes `results/html/index.html` linking them (title, date, git commit). Progress goes to
 * stderr. `--limit N` sets `REPRO_LIMIT=N` for the notebooks (small-limit mode for CI); without it
 * the notebooks see the caller's `REPRO_LIMIT`, if any. Exits 1 when a notebook fails, naming it
 * with the end of nbconvert's error, and 2 on bad arguments.
 *
 * `--commit` executes each notebook into itself instead, with outputs a code host shows (figures
 * as PNG drawn by headless Chromium, tables as Markdown, no plotly.js), for committing; it reads
 * the committed results, so it refuses `--limit` and a set `REPRO_LIMIT`.
 *
 * @example
 * ```sh
 * deno task render --only datasets --limit 50
 * deno task render --commit --only datasets
 * ```
 *
 * @module
 */

import { resolve } from "node:path";
import { renderNotebooks, writeIndex } from "../lib/report/mod.ts";
import { repoPath } from "../lib/report/paths.ts";
import { type Flags, parseCli, usage } from "../lib/runs/cli.ts";

const FLAGS = {
  only: {
    type: "string",
    value: "NAME",
    multiple: true,
    help: "these notebooks only (or NAME,NAME)",
  },
  timeout: { type: "string", value: "SECONDS", help: "time limit of one notebook" },
  limit: { type: "string", value: "N", help: "REPRO_LIMIT for the notebooks (small-limit mode)" },
  notebooks: { type: "string", value: "DIR", help: "notebooks to run (default notebooks)" },
  out: { type: "string", value: "DIR", help: "where the HTML goes (default results/html)" },
  commit: {
    type: "boolean",
    help: "execute the notebooks in place with static outputs (PNG figures), to commit them",
  },
} satisfies Flags;

const USAGE = usage("render", FLAGS, {
  notes: "Runs every notebook into OUT/NAME.html, then writes OUT/index.html linking them;\n" +
    "with --commit, into the notebook itself (outputs a code host shows), no HTML.",
});
const USAGE_LINE = USAGE.split("\n")[0];

/** Run the render task with command-line arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseCli(args, FLAGS, false));
  } catch (e) {
    console.error(`render: ${(e as Error).message}\n${USAGE_LINE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutS = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutS !== undefined && !(timeoutS > 0)) {
    console.error(`render: --timeout must be a positive number of seconds\n${USAGE_LINE}`);
    return 2;
  }
  if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) {
    console.error(`render: --limit must be a positive integer, got "${values.limit}"`);
    return 2;
  }
  if (values.commit && (values.limit !== undefined || Deno.env.get("REPRO_LIMIT"))) {
    console.error(
      "render: --commit shows the committed results: drop --limit and unset REPRO_LIMIT\n" +
        USAGE_LINE,
    );
    return 2;
  }
  if (values.commit && values.out !== undefined) {
    console.error(`render: --commit writes the notebooks themselves: drop --out\n${USAGE_LINE}`);
    return 2;
  }
  const notebooksDir = values.notebooks ? resolve(values.notebooks) : repoPath("notebooks");
  const outDir = values.out ? resolve(values.out) : repoPath("results", "html");
  const started = performance.now();
  let results;
  try {
    results = await renderNotebooks({
      notebooksDir,
      outDir,
      only: values.only?.flatMap((s) => s.split(",")).filter(Boolean),
      timeoutS,
      limit: values.limit,
      inPlace: values.commit,
    });
  } catch (e) {
    console.error(`render: ${(e as Error).message}`);
    return 1;
  }
  const failed = results.filter((r) => !r.ok);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const done = `${results.length - failed.length}/${results.length}`;
  if (values.commit) {
    console.error(`render: ${done} notebooks executed in place in ${secs} s (static outputs)`);
  } else {
    const index = await writeIndex(notebooksDir, outDir, results);
    console.error(`render: ${done} notebooks rendered in ${secs} s; index: ${index}`);
  }
  for (const f of failed) console.error(`render: error: ${f.error}`);
  return failed.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
