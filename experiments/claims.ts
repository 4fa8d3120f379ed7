/**
 * Each paper's central claim as a test on the committed runs: "method a beats method b at the same
 * budget" becomes the paired accuracy difference a − b on the problems both arms ran, with a 95%
 * paired bootstrap CI, and a verdict (held when the whole CI is above 0, reversed when it is below,
 * not held otherwise). Computed from `results/<experiment>/`, never typed; as a CLI it prints the
 * table as Markdown, and with `--readme` writes it into the README between its markers:
 *
 * ```sh
 * deno run -A experiments/claims.ts [--readme] [--results DIR]
 * ```
 *
 * @module
 */
import { type Flags, parseCli, usage } from "../lib/runs/cli.ts";
import { ROOT } from "./backends.ts";
import type { ExperimentSummary } from "./experiment.ts";
import { compareArms } from "./notebook/paired.ts";
import { armVerifier } from "./notebook/prose.ts";
import { readRunFiles } from "./notebook/load.ts";
import { markdown, readJson, replaceSection } from "./verifier_tables.ts";

/** One paper's claim, as a comparison of two arms of one experiment. */
export interface Claim {
  /** Experiment (folder under results/) whose records test it. */
  experiment: string;
  /** Short citation: authors, year, arXiv id. */
  paper: string;
  /** Where the paper makes the claim (section, table or figure). */
  where: string;
  /** The claim in words: "a beats b". */
  claim: string;
  /** Arm (config) that should win. */
  a: string;
  /** Arm it should beat. */
  b: string;
}

const SAL = "Beeching et al. 2024 (HF blog); Snell et al., arXiv 2408.03314";
const PF = "Puri et al. 2025, arXiv 2502.01618";

/**
 * The claims, one or two per paper, each between arms of the same budget.
 *
 * @example
 * ```ts
 * CLAIMS.filter((c) => c.experiment === "particle_filter").map((c) => c.a); // ["pf@16", "pf@16"]
 * ```
 */
export const CLAIMS: Claim[] = [
  {
    experiment: "search_and_learn",
    paper: SAL,
    where: "Snell et al. §5.3, Fig. 3",
    claim: "beam search with a PRM beats weighted best-of-N at N = 4",
    a: "beam@4",
    b: "wmaj@4",
  },
  {
    experiment: "search_and_learn",
    paper: SAL,
    where: "blog, DVTS",
    claim: "DVTS beats beam search at N = 16",
    a: "dvts@16",
    b: "beam@16",
  },
  {
    experiment: "search_and_learn",
    paper: SAL,
    where: "blog, best-of-N",
    claim: "weighted best-of-N with a PRM beats majority voting at N = 16",
    a: "wmaj@16",
    b: "maj@16",
  },
  {
    experiment: "particle_filter",
    paper: PF,
    where: "Table 1",
    claim: "particle filtering beats weighted best-of-N at the same budget (N = 16)",
    a: "pf@16",
    b: "wmaj@16",
  },
  {
    experiment: "particle_filter",
    paper: PF,
    where: "Table 1",
    claim: "particle filtering beats DVTS at the same budget (N = 16)",
    a: "pf@16",
    b: "dvts@16",
  },
  {
    experiment: "tsmc",
    paper: "Feng et al. 2024, arXiv 2410.01920",
    where: "§5, Fig. 2",
    claim: "TSMC beats PRM-weighted majority voting at N = 16",
    a: "tsmc@16",
    b: "prm_wmaj@16",
  },
  {
    experiment: "qsharp",
    paper: "Zhou, Wang et al. 2025, arXiv 2502.20548",
    where: "Table 1",
    claim: "Q♯ guidance (η = 0.1) raises accuracy over the reference policy π_ref",
    a: "qsharp_eta0.1",
    b: "pi_ref",
  },
  {
    experiment: "rstar",
    paper: "Guan et al. 2025, arXiv 2501.04519",
    where: "Table 5 (v1)",
    claim: "MCTS with the process preference model beats best-of-N with an outcome model",
    a: "rstar",
    b: "orm_bon@32",
  },
  {
    experiment: "alphamath",
    paper: "Chen et al. 2024, arXiv 2405.03553",
    where: "Table 5",
    claim: "step-level beam search SBS(3, 5) with the value model beats greedy decoding",
    a: "sbs@(3,5)",
    b: "greedy",
  },
  {
    experiment: "alphamath",
    paper: "Chen et al. 2024, arXiv 2405.03553",
    where: "Table 5",
    claim: "MCTS with the value model beats greedy decoding",
    a: "mcts@40",
    b: "greedy",
  },
  {
    experiment: "tool_search",
    paper: "Chen et al. 2024, arXiv 2405.03553",
    where: "Table 5, code-interleaved steps",
    claim: "SBS(2, 5) with code execution beats greedy decoding with code execution",
    a: "sbsExec@(2,5)/oracle-tools",
    b: "greedyExec",
  },
  {
    experiment: "prm_labels",
    paper: "Ma et al. 2025, arXiv 2509.24351",
    where: "abstract",
    claim:
      "best-of-N with a PRM trained on AMCS Monte-Carlo labels beats majority voting at N = 16",
    a: "prm_bon@16/amcs",
    b: "maj@16",
  },
  {
    experiment: "prm_labels",
    paper: "Luo et al. 2024, arXiv 2406.06592",
    where: "abstract",
    claim: "weighted self-consistency with a PRM trained on OmegaPRM Monte-Carlo labels beats " +
      "majority voting at N = 16",
    a: "prm_wmaj@16/omegaprm",
    b: "maj@16",
  },
];

/** A claim tested on a run. */
export interface ClaimResult extends Claim {
  /** "held" (CI above 0), "not held" (CI contains 0), "reversed" (CI below 0), "not run". */
  verdict: "held" | "not held" | "reversed" | "not run";
  /** Problems both arms ran (0 when not run). */
  n: number;
  /** Accuracy difference a − b and its 95% paired bootstrap CI (fractions; null when not run). */
  diff: number | null;
  lo: number | null;
  hi: number | null;
  /** The verifier of arm a, as the run recorded it (or its role's head when unrecorded). */
  verifier: string;
  /** The run's commands, earlier merged ones first, and its date (null when there is no summary). */
  command: string | null;
  finished: string | null;
}

/**
 * Test every claim on the runs under `results` (a folder holding `<experiment>/summary.json` and
 * `records.jsonl`); a claim whose run or arms are missing is "not run".
 *
 * @example
 * ```ts ignore
 * const rows = await testClaims("results");
 * rows.filter((r) => r.verdict === "held").length;
 * ```
 */
export async function testClaims(
  results: string,
  claims: readonly Claim[] = CLAIMS,
): Promise<ClaimResult[]> {
  const out: ClaimResult[] = [];
  for (const c of claims) {
    const dir = `${results}/${c.experiment}`;
    const summary = await readJson<ExperimentSummary>(`${dir}/summary.json`);
    const none = {
      ...c,
      verdict: "not run" as const,
      n: 0,
      diff: null,
      lo: null,
      hi: null,
      verifier: "—",
      command: summary
        ? [...(summary.merged ?? []).map((m) => m.command), summary.command].join("`; `")
        : null,
      finished: summary?.finished ?? null,
    };
    if (!summary) {
      out.push(none);
      continue;
    }
    const { records } = await readRunFiles(dir, summary);
    const d = compareArms(records, c.a, c.b);
    const arm = summary.arms.find((a) => a.config === c.a);
    const v = arm ? armVerifier(summary, arm) : null;
    const verifier = !arm
      ? "—"
      : !v
      ? "none"
      : v.recorded || !v.name.endsWith(" head")
      ? v.name
      : `${v.name} (run before identity lines)`;
    if (!d || d.n === 0) {
      out.push({ ...none, verifier });
      continue;
    }
    const verdict = d.lo > 0 ? "held" : d.hi < 0 ? "reversed" : "not held";
    out.push({ ...none, verdict, n: d.n, diff: d.diff, lo: d.lo, hi: d.hi, verifier });
  }
  return out;
}

const pts = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;

/**
 * The claims table as Markdown rows (differences in accuracy points with the 95% paired CI).
 *
 * @example
 * ```ts
 * claimRows([]); // []
 * ```
 */
export function claimRows(rows: readonly ClaimResult[]): Record<string, string>[] {
  return rows.map((r) => ({
    paper: `${r.paper} (${r.where})`,
    claim: r.claim,
    "ours: a − b (points, 95% CI)": r.diff === null
      ? `\`${r.a}\` vs \`${r.b}\`: not run`
      : `\`${r.a}\` − \`${r.b}\`: ${pts(r.diff)} [${pts(r.lo!)}, ${pts(r.hi!)}]`,
    problems: r.n === 0 ? "—" : String(r.n),
    verifier: r.verifier,
    verdict: r.verdict === "held" ? "**held**" : r.verdict,
  }));
}

/**
 * The runs behind the table: one line per experiment with its command and date.
 *
 * @example
 * ```ts
 * runLines([]); // ""
 * ```
 */
export function runLines(rows: readonly ClaimResult[]): string {
  const seen = new Map<string, string>();
  for (const r of rows) {
    if (seen.has(r.experiment)) continue;
    seen.set(
      r.experiment,
      r.command
        ? `\`results/${r.experiment}\`: \`${r.command}\` (${r.finished?.slice(0, 10)})`
        : `\`results/${r.experiment}\`: no committed run (\`deno task repro ${r.experiment}\`)`,
    );
  }
  return [...seen.values()].map((l) => `- ${l}`).join("\n");
}

const FLAGS = {
  readme: { type: "boolean", help: "write the table into README.md between its markers" },
  results: { type: "string", value: "DIR", help: "folder of the runs (default results)" },
} satisfies Flags;

if (import.meta.main) {
  let values;
  try {
    ({ values } = parseCli(Deno.args, FLAGS, false));
  } catch (e) {
    console.error(`claims: ${(e as Error).message}`);
    Deno.exit(2);
  }
  if (values.help) {
    console.log(usage("claims", FLAGS, { notes: "Tests each paper's central claim on the runs." }));
    Deno.exit(0);
  }
  const rows = await testClaims(values.results ?? `${ROOT}results`);
  const text = `${markdown(claimRows(rows))}\n\nRuns (embedded policy, synthetic evaluation ` +
    `problems, seed 0):\n\n${runLines(rows)}`;
  if (values.readme) {
    const path = `${ROOT}README.md`;
    await Deno.writeTextFile(
      path,
      replaceSection(await Deno.readTextFile(path), "claims-table", text),
    );
  } else console.log(text);
}
