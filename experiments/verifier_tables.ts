/**
 * The verifier tables, computed from the committed results (never typed): the quality of every
 * verifier on one fixed set of candidates (`results/verifiers/summary.json`) and the sweep of
 * search methods against verifier quality (`results/verifier_sweep/summary.json`, with best-of-N
 * and weighted majority from the verifiers run). Used by `notebooks/verifiers.ipynb`; as a CLI it
 * prints both as Markdown, and with `--readme` writes them into the README between their markers:
 *
 * ```sh
 * deno run -A experiments/verifier_tables.ts [--readme]
 * ```
 *
 * @module
 */
import type { Interval } from "../lib/metrics/mod.ts";
import { ROOT } from "./backends.ts";
import type { ExperimentSummary } from "./experiment.ts";
import type { RunRecord } from "./harness.ts";
import { pairedVsMajority } from "./verifier_sweep.ts";
import { readRecords } from "../lib/runs/mod.ts";
import type { VerifierRow } from "./verifiers.ts";
import { SWEEP_METHODS, SWEEP_N, SWEEP_VERIFIERS } from "./verifier_sweep.ts";

/** `results/verifiers/summary.json`. */
export interface VerifiersSummary {
  model: string;
  limit: number;
  n: number;
  temperature: number;
  seed: number;
  command: string;
  finished: string;
  verifiers: VerifierRow[];
}

/** Read a JSON summary, or null when the run has not been made. */
export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(`${path}: ${e instanceof Error ? e.message : e}`);
  }
}

const pct = (x: number) => (100 * x).toFixed(1);
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${pct(Math.abs(x))}`;
const diff = (d: { mean: number; lo: number; hi: number }) =>
  `${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`;
const ci = (i: Interval) => `${pct(i.mean)} [${pct(i.lo)}, ${pct(i.hi)}]`;

/** What the sweep tables need from a run: accuracy and paired difference per config. */
export interface SweepState {
  /** Accuracy per config. */
  accuracy: Record<string, { n: number; mean: number }>;
  /** Paired difference to maj@16 per config. */
  vsMajority: Record<string, { n: number; mean: number; lo: number; hi: number }>;
  /** The runs' commands (each resumed the same folder), oldest first, when a summary was written. */
  commands?: string[];
}

/**
 * The sweep's state from its records (so a run still going shows what it has done).
 *
 * @example
 * ```ts
 * const state = await sweepState("results/verifier_sweep", 0);
 * ```
 */
export async function sweepState(dir: string, seed: number): Promise<SweepState | null> {
  let records: RunRecord[];
  try {
    records = await readRecords<RunRecord>(`${dir}/records.jsonl`);
  } catch (e) {
    if (e instanceof Error && /cannot open/.test(e.message)) return null;
    throw e;
  }
  const accuracy: SweepState["accuracy"] = {};
  for (const r of records) {
    const a = accuracy[r.config] ??= { n: 0, mean: 0 };
    a.mean = (a.mean * a.n + (r.correct ? 1 : 0)) / (a.n + 1);
    a.n++;
  }
  const summary = await readJson<ExperimentSummary>(`${dir}/summary.json`);
  return {
    accuracy,
    vsMajority: pairedVsMajority(records, seed),
    ...(summary
      ? {
        commands: [
          ...new Set([...(summary.merged ?? []), summary].map((m) => m.command.replace(OUT, ""))),
        ],
      }
      : {}),
  };
}

/** An `--out` naming the default folder, however spelled (left out of the commands shown). */
const OUT = / --out \S*results\/verifier_sweep\/?(?= |$)/;

/** Heads trained on a label source's paths (`recompute-head=results/label_sources/...`). */
const LABEL_SOURCE_HEAD = /^recompute-head=results\/label_sources\/(.+)\.json$/;

/**
 * Whether a verifier spec is one of the label-source heads (their own table, not the main one).
 *
 * @example
 * ```ts
 * isLabelSourceHead("recompute-head=results/label_sources/amcs.json"); // true
 * ```
 */
export const isLabelSourceHead = (spec: string): boolean => LABEL_SOURCE_HEAD.test(spec);

/** One row per verifier, best final AUC first (label-source heads have their own table). */
export function verifierRows(s: VerifiersSummary): Record<string, string>[] {
  return s.verifiers.filter((v) => !isLabelSourceHead(v.verifier)).sort((a, b) =>
    b.finalAuc - a.finalAuc
  ).map((v) => ({
    verifier: v.verifier,
    "final AUC (within problem)": v.finalAuc.toFixed(3),
    "step AUC (problem, index)": v.stepAuc === null ? "—" : v.stepAuc.toFixed(3),
    [`BoN@${s.n} %`]: ci(v.bestOfN),
    [`BoN − maj@${s.n}`]: diff(v.bestOfNVsMajority),
    [`weighted maj@${s.n} %`]: pct(v.weightedMajority.mean),
    [`wmaj − maj@${s.n}`]: diff(v.weightedVsMajority),
  }));
}

/** `results/label_sources/quality.json` (`deno task label --quality`): one row per labeller. */
export interface LabelQualityFile {
  command: string;
  rows: {
    method: string;
    quality: {
      labelledSteps: number;
      accuracy: { estimate: number; lo: number; hi: number };
      firstError: { estimate: number; lo: number; hi: number };
    };
  }[];
}

/** What a label-source row needs from a head file's card. */
export interface HeadCard {
  card: { data: { rows: number; problems: number; labels: string; source: string } };
}

/**
 * Label source → PRM quality → best-of-N: one row per head trained on one labeller's paths, with
 * that labeller's agreement with the step checker, and the head's ranking and best-of-16 on the
 * verifiers run's candidates. `heads` maps a head file's name (`amcs`, `truth-amcs`) to its card.
 */
export function labelSourceRows(
  verifiers: VerifiersSummary,
  quality: LabelQualityFile,
  heads: Record<string, HeadCard>,
): Record<string, string>[] {
  const q = new Map(quality.rows.map((r) => [r.method, r.quality]));
  const rows: { order: string; row: Record<string, string> }[] = [];
  for (const v of verifiers.verifiers) {
    const name = LABEL_SOURCE_HEAD.exec(v.verifier)?.[1];
    const head = name ? heads[name] : undefined;
    if (!name || !head) continue;
    const truth = name.startsWith("truth-");
    const paths = truth ? name.slice("truth-".length) : name;
    const labeller = q.get(paths);
    const data = head.card.data;
    rows.push({
      order: `${paths} ${truth ? 0 : 1}`,
      row: {
        "paths of": paths,
        labels: truth ? "step checker" : `${paths} (Monte Carlo)`,
        "label accuracy %": truth ? "100" : labeller ? ci2(labeller.accuracy) : "—",
        "first error found %": truth ? "100" : labeller ? ci2(labeller.firstError) : "—",
        "training steps": `${data.rows} (${data.problems} problems)`,
        "final AUC": v.finalAuc.toFixed(3),
        "step AUC": v.stepAuc === null ? "—" : v.stepAuc.toFixed(3),
        [`BoN@${verifiers.n} %`]: ci(v.bestOfN),
        [`BoN − maj@${verifiers.n}`]: diff(v.bestOfNVsMajority),
        [`wmaj − maj@${verifiers.n}`]: diff(v.weightedVsMajority),
      },
    });
  }
  return rows.sort((a, b) => a.order.localeCompare(b.order)).map((r) => r.row);
}

const ci2 = (e: { estimate: number; lo: number; hi: number }) =>
  `${pct(e.estimate)} [${pct(e.lo)}, ${pct(e.hi)}]`;

/**
 * The label-source table from the committed files (`results/label_sources/`), or null before
 * those runs.
 *
 * @example
 * ```ts
 * const rows = await readLabelSourceRows(); // null until deno task label has run
 * ```
 */
export async function readLabelSourceRows(): Promise<Record<string, string>[] | null> {
  const dir = `${ROOT}results/label_sources`;
  const verifiers = await readJson<VerifiersSummary>(`${ROOT}results/verifiers/summary.json`);
  const quality = await readJson<LabelQualityFile>(`${dir}/quality.json`);
  if (!verifiers || !quality) return null;
  const heads: Record<string, HeadCard> = {};
  for (const v of verifiers.verifiers) {
    const name = LABEL_SOURCE_HEAD.exec(v.verifier)?.[1];
    const card = name ? await readJson<HeadCard>(`${dir}/${name}.json`) : null;
    if (name && card) heads[name] = card;
  }
  const rows = labelSourceRows(verifiers, quality, heads);
  return rows.length ? rows : null;
}

/** The sweep's method families as the table names them. */
const FAMILY: Record<string, string> = {
  bon: "best-of-N",
  wmaj: "weighted majority",
  pf: "particle filtering",
  tsmc: "twisted SMC",
  beam: "beam search",
  sbs: "SBS",
  mcts: "MCTS",
  dvts: "DVTS",
};

/**
 * The sweep: one row per method, one column per verifier; each cell is accuracy and the paired
 * difference to maj@16 (with the problems it ran on when fewer than the verifiers run's).
 */
export function sweepRows(
  verifiers: VerifiersSummary | null,
  sweep: SweepState | null,
): Record<string, string>[] {
  const full = verifiers?.limit ?? 0;
  const cell = (acc: number, d: { n: number; mean: number; lo: number; hi: number }) =>
    `${pct(acc)} (${diff(d)})${d.n < full ? `, ${d.n} problems` : ""}`;
  const rows: Record<string, string>[] = [];
  const byVerifier = new Map(verifiers?.verifiers.map((v) => [v.verifier, v]) ?? []);
  for (const family of ["bon", "wmaj", ...SWEEP_METHODS]) {
    const row: Record<string, string> = { method: `${FAMILY[family]} @${SWEEP_N}` };
    for (const v of SWEEP_VERIFIERS) {
      if (family === "bon" || family === "wmaj") {
        const r = byVerifier.get(v);
        row[v] = !r
          ? "—"
          : family === "bon"
          ? cell(r.bestOfN.mean, { n: r.problems, ...r.bestOfNVsMajority })
          : cell(r.weightedMajority.mean, { n: r.problems, ...r.weightedVsMajority });
        continue;
      }
      const config = `${family}@${SWEEP_N}/${v}`;
      const acc = sweep?.accuracy[config];
      const d = sweep?.vsMajority[config];
      row[v] = acc && d ? cell(acc.mean, d) : "—";
    }
    rows.push(row);
  }
  return rows;
}

/** Baselines of the sweep: greedy and maj@16 with the problems they ran on. */
export function baselineRows(
  verifiers: VerifiersSummary | null,
  sweep: SweepState | null,
): Record<string, string>[] {
  const row = (method: string, config: string) => {
    const a = sweep?.accuracy[config];
    return { method, accuracy: a ? `${pct(a.mean)} (${a.n} problems)` : "—" };
  };
  return [
    row("greedy", "greedy"),
    row(`maj@${SWEEP_N}`, `maj@${SWEEP_N}`),
    ...(verifiers
      ? [{
        method: `maj@${SWEEP_N} (verifiers run)`,
        accuracy: `${ci(verifiers.verifiers[0].majority)} (${verifiers.limit} problems)`,
      }]
      : []),
  ];
}

/** A Markdown table of rows with the same keys. */
export function markdown(rows: Record<string, string>[]): string {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0]);
  const line = (xs: string[]) => `| ${xs.join(" | ")} |`;
  return [line(keys), line(keys.map(() => "---")), ...rows.map((r) => line(keys.map((k) => r[k])))]
    .join("\n");
}

/** Replace the text between `<!-- name: ... -->` and `<!-- /name -->` in `text`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = text.search(new RegExp(`<!-- ${name}[: ][^>]*-->`));
  const end = text.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`README: no <!-- ${name} --> section`);
  const open = text.indexOf("-->", start) + 3;
  return text.slice(0, open) + `\n\n${body.trim()}\n\n` + text.slice(end);
}

if (import.meta.main) {
  const verifiers = await readJson<VerifiersSummary>(`${ROOT}results/verifiers/summary.json`);
  const sweep = await sweepState(`${ROOT}results/verifier_sweep`, 0);
  const vTable = verifiers ? markdown(verifierRows(verifiers)) : "(deno task verifiers not run)";
  const sweepText = `${markdown(baselineRows(verifiers, sweep))}\n\n${
    markdown(sweepRows(verifiers, sweep))
  }\n\n${
    sweep?.commands
      ? `Sweep runs, each resuming the same folder (a cell names its problems): ${
        sweep.commands.map((c) => `\`${c}\``).join("; ")
      }.`
      : sweep
      ? "The sweep is still running (\`deno task repro verifier_sweep --limit 500\` resumes it)."
      : "The sweep has not been run yet."
  }`;
  const labelRows = await readLabelSourceRows();
  const lTable = labelRows ? markdown(labelRows) : "(deno task label and its heads not run)";
  if (Deno.args.includes("--readme")) {
    const path = `${ROOT}README.md`;
    let text = await Deno.readTextFile(path);
    text = replaceSection(text, "verifier-table", vTable);
    text = replaceSection(text, "label-source-table", lTable);
    text = replaceSection(text, "sweep-table", sweepText);
    await Deno.writeTextFile(path, text);
  } else {
    if (verifiers) console.log(`Verifiers (${verifiers.command}):\n\n${vTable}\n`);
    console.log(`Label sources:\n\n${lTable}\n`);
    console.log(`Sweep:\n\n${sweepText}`);
  }
}
