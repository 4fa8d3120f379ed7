/**
 * The kit every paper notebook uses: get an experiment's results (the committed full run, or a
 * fresh small run in CI) and show them the same way — provenance, paper-vs-ours table, accuracy
 * against generated tokens with 95% CIs, and a drawn search trace.
 *
 * Modes of {@linkcode loadOrRun}:
 * - `"ci"`: env `REPRO_LIMIT=N` is set (as `deno task render --limit N` does): the experiment is run
 *   fresh on the first N problems into `results/tmp/<name>-<N>` (removed first).
 * - `"committed"`: `results/<name>/summary.json` exists: the full run is read with its records and
 *   traces, nothing is run.
 * - `"fresh"`: there is no committed run: a small run (default 5 problems) goes into
 *   `results/tmp/<name>-<N>`, and the provenance says so.
 *
 * Arms are grouped into method families for the plots by their config label: the part before `@`
 * (`maj@4`, `maj@16` → `maj`), unless a `family` function is given.
 *
 * @example
 * ```ts ignore
 * import { accuracyVsTokens, drawTrace, loadOrRun, paperVsOurs, provenance } from "../experiments/notebook.ts";
 * import { alphamath } from "../experiments/alphamath.ts";
 * const run = await loadOrRun(alphamath);
 * provenance(run);
 * paperVsOurs(run.summary);
 * accuracyVsTokens(run.summary);
 * drawTrace(run.traces, "mcts");
 * ```
 *
 * @module
 */
import type { Trace } from "../lib/core/types.ts";
import { loadDataset } from "../lib/datasets/mod.ts";
import { pairedBootstrapCI } from "../lib/metrics/mod.ts";
import {
  accuracyVsTokens as curveFigure,
  concatViews,
  type CurveSeries,
  type DataFrame,
  dataFrame,
  drawTrace as drawTraceSvg,
  escapeHtml,
  type HtmlView,
  htmlView,
  plot,
  type PlotlyFigure,
  repoPath,
  table,
  texHtml,
  type TraceSvgOptions,
} from "../lib/report/mod.ts";
import { readJsonl } from "../lib/runs/mod.ts";
import { type BackendFlags, fromRoot, openBackend } from "./backends.ts";
import {
  type ArmSummary,
  type Experiment,
  type ExperimentSummary,
  readSummary,
  runExperiment,
} from "./experiment.ts";
export { fingerprint } from "./fingerprint.ts";
import type { RunRecord } from "./harness.ts";

/** One stored trace: which arm, which problem, and the trace. */
export interface TraceRow {
  config: string;
  id: string;
  trace: Trace;
}

/** Where the results a notebook shows come from. */
export type RunMode = "ci" | "committed" | "fresh";

/** What {@linkcode loadOrRun} returns. */
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

/** Options of {@linkcode loadOrRun}. */
export interface LoadOptions {
  /** Environment to read `REPRO_LIMIT` from (default `Deno.env`). */
  env?: { get(key: string): string | undefined };
  /** Results root (default `<repo>/results`). */
  resultsDir?: string;
  /** Problems of a fresh run when nothing is committed (default 5). */
  freshLimit?: number;
  /** Seed of ci / fresh runs (default 0). */
  seed?: number;
  /** Backend of ci / fresh runs (default {@linkcode backendFromEnv}: the embedded model and heads). */
  backend?: BackendFlags;
  /** Only these arms in ci / fresh runs (default all). */
  only?: string[];
  /** Hide progress lines during ci / fresh runs (default: inside the Jupyter kernel). */
  quiet?: boolean;
}

/** A plan: what {@linkcode loadOrRun} will do, decided from the environment and the disk. */
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

/** Whether this process is the Deno Jupyter kernel (`Deno.jupyter` throws elsewhere). */
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
 * ```ts ignore
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
  const backend = await openBackend(options.backend ?? backendFromEnv(options.env ?? Deno.env));
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
 * ```ts ignore
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

/** Every row of a JSONL file (none when it does not exist); a bad line throws with file:line. */
async function readRows<T>(path: string): Promise<T[]> {
  if (!exists(path)) return [];
  const out: T[] = [];
  for await (const row of readJsonl<T>(path)) {
    if (row.error !== undefined) throw new Error(row.error);
    out.push(row.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text with formulas
// ---------------------------------------------------------------------------------------------

/**
 * Text with `$...$` (inline) and `$$...$$` (display) formulas as HTML: formulas through KaTeX, the
 * rest escaped; backticks become `<code>`. (Markdown cells must not carry `$...$`: nbconvert's
 * MathJax is not available offline.)
 *
 * @example
 * ```ts
 * texText("weights $w_i \\propto r_i$").includes("katex"); // true
 * ```
 */
export function texText(text: string): string {
  return text.split(/(\$\$[^$]+\$\$|\$[^$]+\$)/).map((part) => {
    if (part.startsWith("$$")) return texHtml(part.slice(2, -2), { display: true });
    if (part.startsWith("$") && part.length > 1) {
      return texHtml(part.slice(1, -1), { display: false });
    }
    return escapeHtml(part).replace(/`([^`]+)`/g, "<code>$1</code>");
  }).join("");
}

/**
 * The experiment's header: title, paper and method description (formulas rendered), for the
 * first cells of a notebook.
 *
 * @example
 * ```ts ignore
 * describeExperiment(alphamath);
 * ```
 */
export function describeExperiment(exp: Experiment): HtmlView {
  return htmlView(
    `<div style="font:14px/1.5 system-ui,sans-serif;max-width:60em">` +
      `<p><b>Paper.</b> ${escapeHtml(exp.paper)}</p>` +
      `<p><b>Method.</b> ${texText(exp.description)}</p></div>`,
    `${exp.title}\n${exp.paper}\n${exp.description}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Provenance
// ---------------------------------------------------------------------------------------------

/** A path relative to the repository root when it is inside it (as recorded in summaries). */
export const repoRelative: (path: string) => string = fromRoot;

/** The provenance facts of a run, as label/value pairs. */
export function provenanceFacts(run: ExperimentSummary | LoadedRun): [string, string][] {
  const s = "summary" in run ? run.summary : run;
  const facts: [string, string][] = [
    ["paper", s.paper],
    ["model", repoRelative(s.model)],
    ["data", `${s.dataset} (first ${s.limit} problems)`],
    ["seed", String(s.seed)],
    ["limit", String(s.limit)],
    ["command", s.command],
    ["finished", s.finished],
  ];
  const extra = s.extra ?? {};
  if (typeof extra.model_sha256 === "string") facts.push(["model sha256", extra.model_sha256]);
  const heads = extra.heads_sha256 as Record<string, string> | undefined;
  if (heads && Object.keys(heads).length > 0) {
    facts.push([
      "heads sha256",
      Object.entries(heads).map(([k, v]) => `${k} ${v.slice(0, 16)}…`).join(", "),
    ]);
  }
  if ("summary" in run) facts.push(["source", `${run.mode}: ${run.note}`]);
  return facts;
}

/**
 * Where our numbers come from (model, data, seed, limit, command, date, mode), as HTML.
 *
 * @example
 * ```ts ignore
 * provenance(await loadOrRun(alphamath));
 * ```
 */
export function provenance(run: ExperimentSummary | LoadedRun): HtmlView {
  const facts = provenanceFacts(run);
  const rows = facts.map(([k, v]) =>
    `<tr><th>${escapeHtml(k)}</th><td>${
      k === "command" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)
    }</td></tr>`
  ).join("");
  return htmlView(
    `<table class="repro-table" style="font:13px system-ui,sans-serif">` +
      `<caption style="text-align:left;font-weight:600">Provenance of our numbers</caption>` +
      `<tbody>${rows}</tbody></table>`,
    facts.map(([k, v]) => `${k}: ${v}`).join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// Paper vs ours
// ---------------------------------------------------------------------------------------------

/** One row of the paper-vs-ours table (numbers in percent; null where absent). */
export interface PaperVsOursRow {
  /** Our arm (config), or null for a paper row with no arm. */
  arm: string | null;
  /** The paper's method name, or null for an arm with no paper row. */
  paper_method: string | null;
  /** The paper's table and setting. */
  paper_setting: string | null;
  paper_metric: string | null;
  paper: number | null;
  /** "[UNVERIFIED]" where the docs flag the number, "not recovered" where it has no value. */
  flag: string;
  source: string | null;
  /** Our accuracy and 95% CI, in percent. */
  ours: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  tokens_per_problem: number | null;
  s_per_problem: number | null;
  scorer: string | null;
  n: number | null;
}

/** The scorer an arm used, naming Q#'s token classifier (it is not a scorer head kind). */
export function scorerLabel(a: Pick<ArmSummary, "method" | "scorer">): string {
  return a.method === "qsharp" ? "qsharp classifier" : a.scorer;
}

/** Options of {@linkcode paperVsOursRows} and {@linkcode paperVsOurs}. */
export interface PaperVsOursOptions {
  /** Only paper numbers with these metrics (default all), e.g. `["accuracy %"]`. */
  metrics?: string[];
  /** Caption (default the experiment's title), followed by {@linkcode SHAPE_NOT_LEVEL}. */
  caption?: string;
}

/** Paper numbers are in percent, ours in [0, 1]: scale ours. */
const pct = (x: number) => Math.round(x * 1000) / 10;

/**
 * The rows behind {@linkcode paperVsOurs}: each arm (in arm order) beside every paper number whose
 * `method` equals the arm's `paperMethod`, arms with no paper number, then paper numbers no arm
 * matched.
 *
 * @example
 * ```ts ignore
 * paperVsOursRows(summary).filter((r) => r.arm === null); // paper rows we did not run
 * ```
 */
export function paperVsOursRows(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): PaperVsOursRow[] {
  const rows: PaperVsOursRow[] = [];
  const used = new Set<number>();
  const shown = (i: number) =>
    options.metrics === undefined || options.metrics.includes(summary.paperNumbers[i].metric);
  const ours = (a: ArmSummary) => ({
    arm: a.config,
    ours: Number.isFinite(a.accuracy) ? pct(a.accuracy) : null,
    ci_lo: Number.isFinite(a.ci95[0]) ? pct(a.ci95[0]) : null,
    ci_hi: Number.isFinite(a.ci95[1]) ? pct(a.ci95[1]) : null,
    tokens_per_problem: Math.round(a.tokens_per_problem),
    s_per_problem: Math.round(a.s_per_problem * 100) / 100,
    scorer: scorerLabel(a),
    n: a.n_problems,
  });
  const noArm = {
    arm: null,
    ours: null,
    ci_lo: null,
    ci_hi: null,
    tokens_per_problem: null,
    s_per_problem: null,
    scorer: null,
    n: null,
  };
  const paper = (i: number) => {
    const p = summary.paperNumbers[i];
    return {
      paper_method: p.method,
      paper_setting: `${p.table}: ${p.setting}`,
      paper_metric: p.metric,
      paper: p.value,
      flag: [p.unverified ? "[UNVERIFIED]" : "", p.value === null ? "not recovered" : ""]
        .filter(Boolean).join(" "),
      source: p.source,
    };
  };
  const noPaper = {
    paper_method: null,
    paper_setting: null,
    paper_metric: null,
    paper: null,
    flag: "",
    source: null,
  };
  for (const a of summary.arms) {
    const matched = summary.paperNumbers
      .map((p, i) => ({ p, i }))
      .filter(({ p, i }) => a.paperMethod !== undefined && p.method === a.paperMethod && shown(i));
    if (matched.length === 0) rows.push({ ...noPaper, ...ours(a) });
    for (const { i } of matched) {
      used.add(i);
      rows.push({ ...paper(i), ...ours(a) });
    }
  }
  summary.paperNumbers.forEach((_, i) => {
    if (!used.has(i) && shown(i)) rows.push({ ...paper(i), ...noArm });
  });
  return rows;
}

/** The caption every paper-vs-ours table carries: the comparison is of shape, not level. */
export const SHAPE_NOT_LEVEL =
  "Paper numbers are for real 7B-scale models on MATH/GSM8K; ours are on the embedded ~1M-parameter " +
  "model and the synthetic arithmetic world, so compare the shape (ordering of methods, gains over " +
  "the baseline, cost) — not the level. Accuracy in %, our 95% CI is a percentile bootstrap over problems.";

/**
 * The paper-vs-ours rows as a polars DataFrame.
 *
 * @example
 * ```ts ignore
 * paperVsOursFrame(summary).filter(pl.col("arm").isNotNull());
 * ```
 */
export function paperVsOursFrame(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): DataFrame {
  return dataFrame(paperVsOursRows(summary, options) as unknown as Record<string, unknown>[]);
}

/**
 * Paper numbers (with source and [UNVERIFIED] flag) beside our accuracy with its 95% CI,
 * tokens/problem and s/problem, as a polars-backed HTML table with numbered sources below it.
 *
 * @example
 * ```ts ignore
 * paperVsOurs(run.summary);
 * ```
 */
export function paperVsOurs(
  summary: ExperimentSummary,
  options: PaperVsOursOptions = {},
): HtmlView {
  const rows = paperVsOursRows(summary, options);
  const sources: string[] = [];
  const display = rows.map((r) => {
    let ref = "";
    if (r.source) {
      let k = sources.indexOf(r.source);
      if (k < 0) k = sources.push(r.source) - 1;
      ref = `[${k + 1}]`;
    }
    return {
      arm: r.arm,
      scorer: r.scorer,
      "ours %": r.ours,
      "95% CI": r.ci_lo === null ? null : `[${r.ci_lo.toFixed(1)},\u00a0${r.ci_hi!.toFixed(1)}]`,
      "tokens/problem": r.tokens_per_problem,
      "s/problem": r.s_per_problem,
      n: r.n,
      "paper method": r.paper_method,
      paper: r.paper,
      "paper setting (metric)": r.paper_setting === null
        ? null
        : `${r.paper_setting} (${r.paper_metric})`,
      flag: r.flag,
      src: ref,
    };
  });
  const caption = `${options.caption ?? summary.title} — ${SHAPE_NOT_LEVEL}`;
  const notes = `<ol class="repro-notes">${
    sources.map((s) => `<li>${escapeHtml(s)}</li>`).join("")
  }</ol>`;
  return concatViews([
    table(dataFrame(display), { caption, digits: 1, dtypes: false, maxRows: 200 }),
    htmlView(notes, sources.map((s, i) => `[${i + 1}] ${s}`).join("\n")),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Arms table and accuracy vs tokens
// ---------------------------------------------------------------------------------------------

/** The default method family of an arm: its config label up to `@` (`maj@16` → `maj`). */
export function armFamily(arm: Pick<ArmSummary, "config">): string {
  const at = arm.config.indexOf("@");
  return at > 0 ? arm.config.slice(0, at) : arm.config;
}

/**
 * One row per arm: accuracy with 95% CI, cost, pass@k / maj@k over candidates and, where records
 * carry them, steps per solution.
 *
 * @example
 * ```ts ignore
 * table(armRows(summary));
 * ```
 */
export function armRows(summary: ExperimentSummary): Record<string, unknown>[] {
  return summary.arms.map((a) => {
    const row: Record<string, unknown> = {
      arm: a.config,
      method: a.method,
      scorer: scorerLabel(a),
      n: a.n_problems,
      "accuracy %": pct(a.accuracy),
      "95% CI": `[${pct(a.ci95[0]).toFixed(1)},\u00a0${pct(a.ci95[1]).toFixed(1)}]`,
      "tokens/problem": Math.round(a.tokens_per_problem),
      "s/problem": Math.round(a.s_per_problem * 100) / 100,
      "policy calls/problem": round1(a.policy_calls / Math.max(1, a.n_problems)),
      "scorer calls/problem": round1(a.scorer_calls / Math.max(1, a.n_problems)),
    };
    const steps = (a as { steps_per_solution?: number }).steps_per_solution;
    if (steps !== undefined) row["steps/solution"] = round1(steps);
    row["pass@k %"] = a.pass_at_k ? `${pct(a.pass_at_k.value)} (k=${a.pass_at_k.k})` : null;
    row["maj@k %"] = a.maj_at_k ? `${pct(a.maj_at_k.value)} (k=${a.maj_at_k.k})` : null;
    return row;
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Options of {@linkcode accuracyVsTokensSeries} and {@linkcode accuracyVsTokens}. */
export interface FamilyOptions {
  /** Method family of an arm (default {@linkcode armFamily}). */
  family?: (arm: ArmSummary) => string;
  /** Only these arms. */
  arms?: string[];
}

/**
 * Curve series (one per method family, one point per arm) for lib/report's accuracy-vs-tokens chart.
 *
 * @example
 * ```ts ignore
 * accuracyVsTokensSeries(summary).map((s) => s.name); // ["greedy", "maj", "bon", ...]
 * ```
 */
export function accuracyVsTokensSeries(
  summary: ExperimentSummary,
  options: FamilyOptions = {},
): CurveSeries[] {
  const family = options.family ?? armFamily;
  const byName = new Map<string, CurveSeries & { points: CurveSeries["points"][number][] }>();
  for (const a of summary.arms) {
    if (options.arms && !options.arms.includes(a.config)) continue;
    if (!Number.isFinite(a.accuracy)) continue;
    const name = family(a);
    if (!byName.has(name)) byName.set(name, { name, points: [] });
    byName.get(name)!.points.push({
      tokens: Math.max(1, a.tokens_per_problem),
      value: a.accuracy,
      lo: a.ci95[0],
      hi: a.ci95[1],
    });
  }
  return [...byName.values()];
}

/**
 * The plotly figure: accuracy against generated tokens per problem, one trace per method family
 * with a 95% CI band and error bars at each point.
 *
 * @example
 * ```ts ignore
 * plot(accuracyVsTokensFigure(summary));
 * ```
 */
export function accuracyVsTokensFigure(
  summary: ExperimentSummary,
  options: FamilyOptions & { title?: string } = {},
): PlotlyFigure {
  const series = accuracyVsTokensSeries(summary, options);
  const fig = curveFigure(series, {
    title: options.title ?? `${summary.title}: accuracy vs generated tokens (${summary.limit} ` +
        `problems, 95% CI)`,
  });
  // Accuracy axis from 0 to just above the highest CI end (not autoscaled around the points).
  const top = Math.max(0.05, ...series.flatMap((s) => s.points.map((p) => p.hi ?? p.value)));
  fig.layout = {
    ...fig.layout,
    yaxis: { ...(fig.layout?.yaxis as object), range: [0, Math.min(1, top * 1.1)] },
  };
  // Error bars on the marker traces, so single-point families show their CI too.
  for (const trace of fig.data) {
    if (trace.fill === "toself") continue;
    const s = series.find((x) => x.name === trace.name);
    if (!s) continue;
    const pts = [...s.points].sort((a, b) => a.tokens - b.tokens);
    trace.error_y = {
      type: "data",
      symmetric: false,
      array: pts.map((p) => (p.hi ?? p.value) - p.value),
      arrayminus: pts.map((p) => p.value - (p.lo ?? p.value)),
      thickness: 1,
      width: 3,
    };
  }
  return fig;
}

/**
 * The accuracy-vs-tokens figure as a displayable plot (needs `preamble()` earlier in the page).
 *
 * @example
 * ```ts ignore
 * accuracyVsTokens(run.summary);
 * ```
 */
export function accuracyVsTokens(
  summary: ExperimentSummary,
  options: FamilyOptions & { title?: string; height?: number } = {},
): HtmlView {
  return plot(accuracyVsTokensFigure(summary, options), { height: options.height ?? 460 });
}

// ---------------------------------------------------------------------------------------------
// Paired comparison
// ---------------------------------------------------------------------------------------------

/** Accuracy of arm `a` minus arm `b` on the problems both solved, with a paired bootstrap CI. */
export interface ArmDifference {
  a: string;
  b: string;
  /** Problems in both arms. */
  n: number;
  /** Accuracy difference a − b (fraction). */
  diff: number;
  lo: number;
  hi: number;
  /** Mean tokens per problem of each arm on those problems. */
  tokensA: number;
  tokensB: number;
}

/**
 * Compare two arms on the same problems: accuracy difference with a 95% paired bootstrap CI, and
 * the tokens each spent (null when they share no problem).
 *
 * @example
 * ```ts ignore
 * const d = compareArms(run.records, "pf@16", "maj@16");
 * d && d.lo > 0; // PF better than majority voting beyond noise
 * ```
 */
export function compareArms(
  records: readonly RunRecord[],
  a: string,
  b: string,
  seed = 0,
): ArmDifference | null {
  const byId = (config: string) =>
    new Map(records.filter((r) => r.config === config).map((r) => [r.id, r]));
  const ra = byId(a);
  const rb = byId(b);
  const ids = [...ra.keys()].filter((id) => rb.has(id));
  if (ids.length === 0) return null;
  const xa = ids.map((id) => (ra.get(id)!.correct ? 1 : 0));
  const xb = ids.map((id) => (rb.get(id)!.correct ? 1 : 0));
  const ci = pairedBootstrapCI(xa, xb, { seed });
  const tokens = (m: Map<string, RunRecord>) =>
    ids.reduce((s, id) => s + m.get(id)!.tokens, 0) / ids.length;
  return {
    a,
    b,
    n: ids.length,
    diff: ci.mean,
    lo: ci.lo,
    hi: ci.hi,
    tokensA: tokens(ra),
    tokensB: tokens(rb),
  };
}

/**
 * A table of paired comparisons (accuracy differences in points with 95% CI, and token ratios),
 * with a verdict per row: "better", "worse" or "no detectable difference".
 *
 * @example
 * ```ts ignore
 * comparisons(run.records, [["pf@16", "maj@16"], ["sbs@16", "maj@16"]]);
 * ```
 */
export function comparisons(
  records: readonly RunRecord[],
  pairs: readonly [string, string][],
  caption = "Paired comparisons on the same problems (95% paired bootstrap CI)",
): HtmlView {
  const rows = pairs.map(([a, b]) => {
    const d = compareArms(records, a, b);
    if (!d) return { a, b, n: 0, "Δ accuracy (points)": null, "95% CI": null, verdict: "not run" };
    return {
      a,
      b,
      n: d.n,
      "Δ accuracy (points)": pct(d.diff),
      "95% CI": `[${pct(d.lo).toFixed(1)},\u00a0${pct(d.hi).toFixed(1)}]`,
      "tokens a/b": round1(d.tokensA / Math.max(1, d.tokensB)),
      verdict: d.lo > 0 ? "a better" : d.hi < 0 ? "a worse" : "no detectable difference",
    };
  });
  return table(rows, { caption, digits: 1, dtypes: false });
}

/**
 * Plain sentences about a run, computed from its numbers (so they hold in every mode): sample
 * size and CI width, the most accurate arm, the cheapest arm statistically tied with it, and a
 * verdict for each pair (paired bootstrap).
 *
 * @example
 * ```ts ignore
 * readingLines(run, [["pf@16", "maj@16"]]);
 * ```
 */
export function readingLines(
  run: Pick<LoadedRun, "summary" | "records">,
  pairs: readonly [string, string][] = [],
): string[] {
  const arms = run.summary.arms.filter((a) => Number.isFinite(a.accuracy));
  if (arms.length === 0) return ["No arm has results."];
  const halfWidth = arms.reduce((s, a) => s + (a.ci95[1] - a.ci95[0]) / 2, 0) / arms.length;
  const best = arms.reduce((b, a) => (a.accuracy > b.accuracy ? a : b));
  const tied = arms
    .filter((a) => {
      const d = compareArms(run.records, a.config, best.config);
      return d !== null && d.hi >= 0 && d.lo <= 0;
    })
    .sort((a, b) => a.tokens_per_problem - b.tokens_per_problem);
  const fmt = (a: ArmSummary) =>
    `${a.config} (${pct(a.accuracy).toFixed(1)}% [${pct(a.ci95[0]).toFixed(1)}, ${
      pct(a.ci95[1]).toFixed(1)
    }], ${Math.round(a.tokens_per_problem)} tokens/problem)`;
  const lines = [
    `${run.summary.limit} problems: a single arm's 95% CI is about ±${
      pct(halfWidth).toFixed(0)
    } points wide, so only large differences can show.`,
    `Most accurate arm: ${fmt(best)}.`,
  ];
  const cheapest = tied[0];
  if (cheapest && cheapest.config !== best.config) {
    lines.push(
      `Cheapest arm not detectably worse than it (paired 95% CI of the difference includes 0): ${
        fmt(cheapest)
      }.`,
    );
  }
  for (const [a, b] of pairs) {
    const d = compareArms(run.records, a, b);
    if (!d) continue;
    const verdict = d.lo > 0 ? "better" : d.hi < 0 ? "worse" : "no detectable difference";
    lines.push(
      `${a} vs ${b}: ${d.diff >= 0 ? "+" : ""}${pct(d.diff).toFixed(1)} points [${
        pct(d.lo).toFixed(1)
      }, ${pct(d.hi).toFixed(1)}] at ${
        (d.tokensA / Math.max(1, d.tokensB)).toFixed(1)
      }× the tokens: ${verdict}.`,
    );
  }
  return lines;
}

/**
 * {@linkcode readingLines} as a displayable bullet list.
 *
 * @example
 * ```ts ignore
 * reading(run, [["sbs@(3,5)", "greedy"]]);
 * ```
 */
export function reading(
  run: Pick<LoadedRun, "summary" | "records">,
  pairs: readonly [string, string][] = [],
): HtmlView {
  const lines = readingLines(run, pairs);
  return htmlView(
    `<ul style="font:14px/1.5 system-ui,sans-serif">${
      lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")
    }</ul>`,
    lines.join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// Traces
// ---------------------------------------------------------------------------------------------

/**
 * The stored trace of an arm: the given problem, else the first one stored (null when none).
 *
 * @example
 * ```ts ignore
 * pickTrace(run.traces, "mcts@16")?.trace.nodes.length;
 * ```
 */
export function pickTrace(
  traces: readonly TraceRow[],
  config: string,
  id?: string,
): TraceRow | null {
  return traces.find((t) => t.config === config && (id === undefined || t.id === id)) ?? null;
}

/**
 * Draw an arm's search tree or particle genealogy (lib/report's SVG drawing).
 *
 * @example
 * ```ts ignore
 * drawTrace(run.traces, "pf@8");
 * ```
 */
export function drawTrace(
  traces: readonly TraceRow[],
  config: string,
  options: TraceSvgOptions & { id?: string } = {},
): HtmlView {
  const row = pickTrace(traces, config, options.id);
  if (!row) {
    const have = [...new Set(traces.map((t) => t.config))].join(", ") || "none";
    return htmlView(
      `<p><i>No stored trace for arm ${escapeHtml(config)} (arms with traces: ${
        escapeHtml(have)
      }).</i></p>`,
      `no trace for ${config}`,
    );
  }
  const { id: _id, ...svgOptions } = options;
  return drawTraceSvg(row.trace, {
    title: `${config} on problem ${row.id} (${row.trace.nodes.length} nodes)`,
    ...svgOptions,
  });
}

const TOOL_METHODS: Record<string, string> = {
  greedyNoExec: "greedy, code not run (the model writes each output itself)",
  greedyExec: "greedy, code run in the sandbox",
  majorityExec: "majority vote over sampled solutions, code run",
  sbsExec: "SBS(2, 5), code run, step value = exact checker (oracle)",
  mctsExec: "MCTS (40 simulations, 5 children), code run, step value = exact checker (oracle)",
};

/**
 * The code-step measurement of `bench/tool_search.ts` (default `results/tool_search.json`) as a
 * table: each method's accuracy with its 95% CI, tokens, seconds, and its paired difference from
 * greedy decoding with code execution. A note when the file does not exist yet.
 *
 * @example
 * ```ts ignore
 * await toolSearchTable();
 * ```
 */
export async function toolSearchTable(
  path = repoPath("results", "tool_search.json"),
): Promise<HtmlView> {
  let r: {
    command: string;
    model: string;
    problems: string;
    methods: Record<string, {
      accuracy: number;
      ci95: [number, number];
      correct: number;
      n: number;
      tokensPerProblem: number;
      seconds: number;
    }>;
    vsGreedyExec: Record<string, { difference: number; ci95: [number, number] }>;
  };
  try {
    r = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return htmlView(
      `<p>No code-step measurement in ${escapeHtml(repoRelative(path))} yet.</p>`,
      `No code-step measurement in ${repoRelative(path)} yet.`,
    );
  }
  const rows = Object.entries(r.methods).map(([name, m]) => {
    const d = r.vsGreedyExec[name];
    return {
      method: name,
      what: TOOL_METHODS[name] ?? name,
      "accuracy %": pct(m.accuracy),
      "95% CI": `[${pct(m.ci95[0])}, ${pct(m.ci95[1])}]`,
      solved: `${m.correct}/${m.n}`,
      "tokens/problem": m.tokensPerProblem,
      "s/problem": Math.round((m.seconds / m.n) * 100) / 100,
      "vs greedy with code, paired (points)": d
        ? `${d.difference >= 0 ? "+" : ""}${pct(d.difference)} [${pct(d.ci95[0])}, ${
          pct(d.ci95[1])
        }]`
        : "",
    };
  });
  return table(rows, {
    caption: `${r.model} on ${r.problems} (command: ${r.command})`,
    dtypes: false,
  });
}
