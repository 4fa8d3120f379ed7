/**
 * The verifier tables, computed from the committed results (never typed): the quality of every
 * verifier on one fixed set of candidates (`results/verifiers/summary.json`) and the sweep of
 * search methods against verifier quality (`results/verifier_sweep/summary.json`, with best-of-N
 * and weighted majority from the verifiers run). Used by `notebooks/verifiers.ipynb`; as a CLI it
 * prints both as Markdown for the README:
 *
 * ```sh
 * deno run -A experiments/verifier_tables.ts
 * ```
 *
 * @module
 */
import type { Interval } from "../lib/metrics/mod.ts";
import { ROOT } from "./backends.ts";
import type { ExperimentSummary } from "./experiment.ts";
import type { VerifierRow } from "./verifiers.ts";
import { SWEEP_METHODS, SWEEP_VERIFIERS } from "./verifier_sweep.ts";

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

/** One row per verifier, best final AUC first. */
export function verifierRows(s: VerifiersSummary): Record<string, string>[] {
  return [...s.verifiers].sort((a, b) => b.finalAuc - a.finalAuc).map((v) => ({
    verifier: v.verifier,
    "final AUC (within problem)": v.finalAuc.toFixed(3),
    "step AUC (problem, index)": v.stepAuc === null ? "—" : v.stepAuc.toFixed(3),
    [`BoN@${s.n} %`]: ci(v.bestOfN),
    [`BoN − maj@${s.n}`]: diff(v.bestOfNVsMajority),
    [`weighted maj@${s.n} %`]: pct(v.weightedMajority.mean),
    [`wmaj − maj@${s.n}`]: diff(v.weightedVsMajority),
  }));
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
 * difference to maj@16 (with the problems it ran on when fewer than all).
 */
export function sweepRows(
  verifiers: VerifiersSummary | null,
  sweep: ExperimentSummary | null,
): Record<string, string>[] {
  const vs = (sweep?.extra?.vsMajority ?? {}) as Record<
    string,
    { n: number; mean: number; lo: number; hi: number }
  >;
  const full = sweep?.limit ?? verifiers?.limit ?? 0;
  const cell = (acc: number, d: { n: number; mean: number; lo: number; hi: number }) =>
    `${pct(acc)} (${diff(d)})${d.n < full ? `, ${d.n} problems` : ""}`;
  const rows: Record<string, string>[] = [];
  const byVerifier = new Map(verifiers?.verifiers.map((v) => [v.verifier, v]) ?? []);
  for (const family of ["bon", "wmaj", ...SWEEP_METHODS]) {
    const row: Record<string, string> = { method: `${FAMILY[family]} @16` };
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
      const config = `${family}@16/${v}`;
      const arm = sweep?.arms.find((a) => a.config === config);
      row[v] = arm && vs[config] ? cell(arm.accuracy, vs[config]) : "—";
    }
    rows.push(row);
  }
  return rows;
}

/** Baselines of the sweep: greedy and maj@16 (from the sweep run, else the verifiers run). */
export function baselineRows(
  verifiers: VerifiersSummary | null,
  sweep: ExperimentSummary | null,
): Record<string, string>[] {
  const arm = (c: string) => sweep?.arms.find((a) => a.config === c);
  const maj = arm("maj@16");
  const v0 = verifiers?.verifiers[0];
  return [
    {
      method: "greedy",
      accuracy: arm("greedy")
        ? ci({
          mean: arm("greedy")!.accuracy,
          lo: arm("greedy")!.ci95[0],
          hi: arm("greedy")!.ci95[1],
        })
        : "—",
    },
    {
      method: "maj@16",
      accuracy: maj
        ? ci({ mean: maj.accuracy, lo: maj.ci95[0], hi: maj.ci95[1] })
        : v0
        ? ci(v0.majority)
        : "—",
    },
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

if (import.meta.main) {
  const verifiers = await readJson<VerifiersSummary>(`${ROOT}results/verifiers/summary.json`);
  const sweep = await readJson<ExperimentSummary>(`${ROOT}results/verifier_sweep/summary.json`);
  if (verifiers) {
    console.log(
      `Verifiers (${verifiers.command}; ${verifiers.model}, ${verifiers.limit} problems, ` +
        `${verifiers.n} samples at T = ${verifiers.temperature}, seed ${verifiers.seed}):\n`,
    );
    console.log(markdown(verifierRows(verifiers)) + "\n");
  }
  console.log(`Sweep (${sweep ? sweep.command : "not run"}):\n`);
  console.log(markdown(baselineRows(verifiers, sweep)) + "\n");
  console.log(markdown(sweepRows(verifiers, sweep)));
}
