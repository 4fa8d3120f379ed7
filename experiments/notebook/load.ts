/**
 * Loading a notebook's results: the committed full run, or a fresh small run in CI.
 *
 * Modes of {@linkcode loadOrRun}:
 * - `"ci"`: env `REPRO_LIMIT=N` is set (as `deno task render --limit N` does): the experiment is run
 *   fresh on the first N problems into `results/tmp/<name>-<N>` (removed first).
 * - `"committed"`: `results/<name>/summary.json` exists: the full run is read with its records and
 *   traces, nothing is run.
 * - `"fresh"`: there is no committed run: a small run (default 5 problems) goes into
 *   `results/tmp/<name>-<N>`, and the provenance says so.
 *
 * @example
 * ```ts
 * import { planLoad } from "./load.ts";
 * planLoad("alphamath", { env: new Map([["REPRO_LIMIT", "3"]]), resultsDir: "/tmp/r" }).mode; // "ci"
 * ```
 *
 * @module
 */
import type { Trace } from "../../lib/core/types.ts";
import { loadDataset } from "../../lib/datasets/mod.ts";
import { repoPath } from "../../lib/report/mod.ts";
import { readRecords } from "../../lib/runs/mod.ts";
import { type BackendFlags, openBackend } from "../backends.ts";
import {
  type Experiment,
  experimentBackendFlags,
  type ExperimentSummary,
  readSummary,
  runExperiment,
} from "../experiment.ts";
import type { RunRecord } from "../harness.ts";

/**
 * One stored trace: which arm, which problem, and the trace.
 *
 * @example
 * ```ts
 * declare const run: LoadedRun;
 * const rows: TraceRow[] = run.traces.filter((t) => t.config === "mcts@16");
 * ```
 */
export interface TraceRow {
  config: string;
  id: string;
  trace: Trace;
}

/**
 * Where the results a notebook shows come from (see the module doc).
 *
 * @example
 * ```ts
 * const mode: RunMode = planLoad("alphamath", { env: new Map(), resultsDir: "/tmp/none" }).mode; // "fresh"
 * ```
 */
export type RunMode = "ci" | "committed" | "fresh";

/**
 * What {@linkcode loadOrRun} returns.
 *
 * @example
 * ```ts
 * declare const run: LoadedRun;
 * console.log(run.mode, run.note, run.summary.arms.length, run.records.length);
 * ```
 */
export interface LoadedRun {
  summary: ExperimentSummary;
  /** Records of the summarised arms and problems. */
  records: RunRecord[];
  traces: TraceRow[];
  mode: RunMode;
  /** The results folder. */
  dir: string;
  /** One sentence on where the numbers come from (shown by {@linkcode provenance}). */
  note: string;
}

/**
 * Options of {@linkcode loadOrRun}.
 *
 * @example
 * ```ts
 * const options: LoadOptions = { freshLimit: 3, seed: 1, only: ["greedy"], quiet: true };
 * ```
 */
export interface LoadOptions {
  /** Environment to read `REPRO_LIMIT` from (default `Deno.env`). */
  env?: { get(key: string): string | undefined };
  /** Results root (default `<repo>/results`). */
  resultsDir?: string;
  /** Problems of a fresh run when nothing is committed (default 5). */
  freshLimit?: number;
  /** Seed of ci / fresh runs (default 0). */
  seed?: number;
  /**
   * Backend of ci / fresh runs (default {@linkcode backendFromEnv}: the embedded model and heads,
   * or the experiment's own `model` folder).
   */
  backend?: BackendFlags;
  /** Only these arms in ci / fresh runs (default all). */
  only?: string[];
  /** Hide progress lines during ci / fresh runs (default: inside the Jupyter kernel). */
  quiet?: boolean;
}

/**
 * A plan: what {@linkcode loadOrRun} will do, decided from the environment and the disk.
 *
 * @example
 * ```ts
 * const plan: LoadPlan = { mode: "ci", dir: "results/tmp/alphamath-3", limit: 3 };
 * ```
 */
export interface LoadPlan {
  mode: RunMode;
  dir: string;
  /** Problems to run (ci and fresh). */
  limit?: number;
}

/**
 * Decide where results come from (no side effects other than a stat).
 *
 * @example
 * ```ts
 * const plan = planLoad("alphamath", { env: new Map([["REPRO_LIMIT", "3"]]), resultsDir: "/tmp/r" });
 * plan; // { mode: "ci", dir: "/tmp/r/tmp/alphamath-3", limit: 3 }
 * ```
 */
export function planLoad(name: string, options: LoadOptions = {}): LoadPlan {
  const env = options.env ?? Deno.env;
  const root = options.resultsDir ?? repoPath("results");
  const raw = env.get("REPRO_LIMIT");
  if (raw !== undefined && raw !== "") {
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`REPRO_LIMIT must be a positive integer, got ${JSON.stringify(raw)}`);
    }
    return { mode: "ci", dir: `${root}/tmp/${name}-${limit}`, limit };
  }
  const committed = `${root}/${name}`;
  if (exists(`${committed}/summary.json`)) return { mode: "committed", dir: committed };
  const limit = options.freshLimit ?? 5;
  return { mode: "fresh", dir: `${root}/tmp/${name}-${limit}`, limit };
}

/**
 * Whether this process is the Deno Jupyter kernel (`Deno.jupyter` throws elsewhere).
 *
 * @example
 * ```ts
 * inJupyter(); // false under `deno test`
 * ```
 */
export function inJupyter(): boolean {
  try {
    return typeof (Deno as unknown as { jupyter?: { display?: unknown } }).jupyter?.display ===
      "function";
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Results of an experiment for a notebook: run fresh in CI mode (`REPRO_LIMIT`), else the
 * committed full run, else a small fresh run (see the module doc).
 *
 * @example
 * ```ts
 * import { alphamath } from "../alphamath.ts";
 * const { summary, records, traces, mode } = await loadOrRun(alphamath);
 * ```
 */
export async function loadOrRun(exp: Experiment, options: LoadOptions = {}): Promise<LoadedRun> {
  const plan = planLoad(exp.name, options);
  if (plan.mode === "committed") {
    const summary = await readSummary(plan.dir);
    if (!summary) throw new Error(`${plan.dir}/summary.json disappeared`);
    return {
      ...(await readRunFiles(plan.dir, summary)),
      summary,
      mode: "committed",
      dir: plan.dir,
      note: `Committed full run read from results/${exp.name}/ (nothing was run here).`,
    };
  }
  const seed = options.seed ?? 0;
  await Deno.remove(plan.dir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  await Deno.mkdir(plan.dir, { recursive: true });
  const backend = await openBackend(
    experimentBackendFlags(exp, options.backend ?? backendFromEnv(options.env ?? Deno.env)),
  );
  let summary: ExperimentSummary;
  // Inside the Jupyter kernel, progress lines (console.error) would fill the cell: hold them back.
  const quiet = options.quiet ?? inJupyter();
  const stderr = console.error;
  if (quiet) console.error = () => {};
  try {
    const rel = plan.dir.replace(repoPath() + "/", "");
    summary = await runExperiment(exp, {
      backend,
      dir: plan.dir,
      seed,
      limit: plan.limit,
      only: options.only,
      command: `deno task repro ${exp.name} --limit ${plan.limit} --seed ${seed} --out ${rel}` +
        (options.only ? ` --only ${options.only.join(",")}` : ""),
    });
  } finally {
    console.error = stderr;
    await backend.close();
  }
  const note = plan.mode === "ci"
    ? `CI mode: REPRO_LIMIT=${plan.limit}, run fresh on the first ${plan.limit} problems ` +
      `(small-sample numbers; the full run is results/${exp.name}/).`
    : `No committed run in results/${exp.name}/: run fresh on only ${plan.limit} problems ` +
      `(run \`deno task repro ${exp.name}\` for the full table).`;
  return {
    ...(await readRunFiles(plan.dir, summary)),
    summary,
    mode: plan.mode,
    dir: plan.dir,
    note,
  };
}

/**
 * Backend flags from the environment, for ci / fresh runs: `REPRO_MODEL` (ONNX folder),
 * `REPRO_ENDPOINT` (comma-separated URLs), `REPRO_HEADS` (heads folder); unset means the embedded
 * model and `models/heads`.
 *
 * @example
 * ```ts
 * backendFromEnv(new Map([["REPRO_HEADS", "/tmp/heads"]])); // { heads: "/tmp/heads" }
 * ```
 */
export function backendFromEnv(env: { get(key: string): string | undefined }): BackendFlags {
  const flags: BackendFlags = {};
  const model = env.get("REPRO_MODEL");
  const endpoint = env.get("REPRO_ENDPOINT");
  const heads = env.get("REPRO_HEADS");
  if (model) flags.model = model;
  if (endpoint) flags.endpoint = endpoint.split(",").map((s) => s.trim()).filter(Boolean);
  if (heads) flags.heads = heads;
  return flags;
}

/**
 * Read the records and traces of a run folder, keeping only the summarised arms and the first
 * `summary.limit` problems of the dataset (a record file can hold more from a larger earlier run).
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * const { records, traces } = await readRunFiles("results/alphamath", summary);
 * ```
 */
export async function readRunFiles(
  dir: string,
  summary: ExperimentSummary,
): Promise<{ records: RunRecord[]; traces: TraceRow[] }> {
  const ids = new Set(
    (await loadDataset(summary.dataset, { limit: summary.limit })).map((p) => p.id),
  );
  const configs = new Set(summary.arms.map((a) => a.config));
  const keep = (r: { config: string; id: string }) => configs.has(r.config) && ids.has(r.id);
  return {
    records: (await readRows<RunRecord>(`${dir}/records.jsonl`)).filter(keep),
    traces: (await readRows<TraceRow>(`${dir}/traces.jsonl`)).filter(keep),
  };
}

/**
 * Every row of a JSONL file (none when it does not exist) past its identity line; a torn last
 * line is skipped with a warning, any other bad line throws with file:line.
 */
function readRows<T>(path: string): Promise<T[]> {
  // a torn last line is a row a killed run was writing: skipped (the next run sets it aside)
  const onTorn = (error: string) => console.warn(`warning: ${error} (skipped)`);
  return exists(path) ? readRecords<T>(path, { onTorn }) : Promise.resolve([]);
}
