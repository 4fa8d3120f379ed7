/**
 * `deno task demo`: the headline comparison on the embedded default world — greedy, maj@N,
 * best-of-N, SBS, MCTS, TSMC and particle filtering at matched budgets — printed as a table on
 * stdout and written as one self-contained page, `results/html/demo.html` (table, accuracy vs
 * tokens with 95% CIs, a drawn search trace; opens offline). Resumable: records go to
 * `results/demo/`, a rerun skips what is done. Progress goes to stderr.
 *
 * ```sh
 * deno task demo                      # default problems and budgets (a few minutes on 2 cores)
 * deno task demo --limit 50 --budgets 4,16
 * deno task demo --model path/to/onnx-folder
 * ```
 *
 * @module
 */
import { concatViews, escapeHtml, preamble, repoPath, table } from "../lib/report/mod.ts";
import { type Flags, numberFlag, parseCli, runMain, usage, UsageError } from "../lib/runs/mod.ts";
import {
  BACKEND_FLAGS,
  type BackendFlags,
  deviceFlag,
  openBackend,
  VERIFIER_HELP,
} from "./backends.ts";
import { type Experiment, type ExperimentSummary, runExperiment } from "./experiment.ts";
import {
  accuracyVsTokens,
  armRows,
  drawTrace,
  provenance,
  readRunFiles,
  repoRelative,
  scorerLabel,
  texText,
} from "./notebook.ts";
import { budgetArms, GREEDY_ARM } from "./search_and_learn.ts";

/** Method families of the demo (search_and_learn config prefixes). */
export const DEMO_FAMILIES = ["maj", "bon", "sbs", "mcts", "tsmc", "pf"] as const;

/** Default problems and budgets: sized to finish in about 5 minutes on a shared 2-core CPU. */
export const DEMO_DEFAULTS = { limit: 20, budgets: [4] as number[], seed: 0 };

/**
 * The demo as an {@linkcode Experiment}: greedy plus every family at each budget.
 *
 * @example
 * ```ts
 * demoExperiment([4]).arms.map((a) => a.config); // ["greedy", "maj@4", "bon@4", ...]
 * ```
 */
export function demoExperiment(
  budgets: readonly number[],
  families: readonly string[] = DEMO_FAMILIES,
): Experiment {
  return {
    name: "demo",
    title: "Test-time search on the embedded default world",
    paper: "Headline comparison of this workspace (no paper table)",
    dataset: "synthetic",
    limit: DEMO_DEFAULTS.limit,
    description: "Greedy decoding, majority voting over $N$ samples, best-of-$N$ by the PRM " +
      "head, AlphaMath step-level beam search SBS and MCTS with the value head, twisted SMC " +
      "(value head as twist) and particle filtering (PRM head), at budget $N$ " +
      "(samples / particles; SBS and MCTS sized to spend similar tokens).",
    paperNumbers: [],
    arms: [GREEDY_ARM, ...budgets.flatMap((n) => budgetArms(n, families))],
  };
}

/**
 * The plain-text table printed on stdout: method, accuracy, 95% CI, tokens/problem, s/problem.
 *
 * @example
 * ```ts ignore
 * console.log(demoTable(summary));
 * ```
 */
export function demoTable(summary: ExperimentSummary): string {
  const head = ["method", "scorer", "accuracy", "95% CI", "tokens/problem", "s/problem"];
  const rows = summary.arms.map((a) => [
    a.config,
    scorerLabel(a),
    a.accuracy.toFixed(3),
    `[${a.ci95[0].toFixed(3)}, ${a.ci95[1].toFixed(3)}]`,
    a.tokens_per_problem.toFixed(0),
    a.s_per_problem.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [
    `${summary.title}: ${summary.dataset}, ${summary.limit} problems, seed ${summary.seed}, ` +
    `model ${repoRelative(summary.model)}`,
    line(head),
    line(head.map((_, i) => "-".repeat(widths[i]))),
    ...rows.map(line),
  ].join("\n");
}

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  limit: number;
  budgets: number[];
  seed: number;
  backend: BackendFlags;
  /** Results folder (default `results/demo`). */
  dir?: string;
  /** The HTML page (default `results/html/demo.html`). */
  html?: string;
  /** Families to run (default {@linkcode DEMO_FAMILIES}). */
  families?: readonly string[];
  /** The command line to record. */
  command?: string;
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
}

/**
 * Run the demo (resumable), write the HTML page, and return the summary, the page path and the
 * stdout table.
 *
 * @example
 * ```ts ignore
 * const { table } = await runDemo({ limit: 2, budgets: [2], seed: 0, backend: {} });
 * ```
 */
export async function runDemo(
  options: DemoOptions,
): Promise<{ summary: ExperimentSummary; html: string; table: string; seconds: number }> {
  const started = performance.now();
  const log = options.log ?? ((l: string) => console.error(l));
  const dir = options.dir ?? repoPath("results", "demo");
  const html = options.html ?? repoPath("results", "html", "demo.html");
  const exp = demoExperiment(options.budgets, options.families);
  await Deno.mkdir(dir, { recursive: true });
  log(
    `demo: ${exp.arms.length} arms × ${options.limit} problems (budgets ${
      options.budgets.join(", ")
    }), records in ${dir}`,
  );
  const backend = await openBackend(options.backend);
  let summary: ExperimentSummary;
  try {
    summary = await runExperiment(exp, {
      backend,
      dir,
      seed: options.seed,
      limit: options.limit,
      traces: 1,
      command: options.command ??
        `deno task demo --limit ${options.limit} --budgets ${options.budgets.join(",")} ` +
          `--seed ${options.seed}`,
    });
  } finally {
    await backend.close();
  }
  const text = demoTable(summary);
  await writeDemoPage(summary, dir, html, exp);
  const seconds = (performance.now() - started) / 1000;
  log(`demo: done in ${seconds.toFixed(1)} s; page ${html}`);
  return { summary, html, table: text, seconds };
}

/** The trace the page draws: the largest-budget PF genealogy, else the first stored one. */
function traceConfig(summary: ExperimentSummary, traces: readonly { config: string }[]): string {
  const have = new Set(traces.map((t) => t.config));
  const pref = [...summary.arms].reverse().find((a) =>
    a.method === "particle_filter" && have.has(a.config)
  );
  return pref?.config ?? traces[0]?.config ?? summary.arms[0].config;
}

/** Write the self-contained HTML page of a demo run. */
async function writeDemoPage(
  summary: ExperimentSummary,
  dir: string,
  path: string,
  exp: Experiment,
): Promise<void> {
  const { traces } = await readRunFiles(dir, summary);
  const config = traceConfig(summary, traces);
  const body = concatViews([
    `<h1>${escapeHtml(summary.title)}</h1>`,
    `<p style="font:14px/1.5 system-ui,sans-serif;max-width:60em">${
      texText(exp.description)
    } Accuracy is on the synthetic world's evaluation split with the embedded ~1M-parameter ` +
    `policy; the 95% CIs are percentile bootstraps over problems — with this few problems they ` +
    `are wide, so read differences only where intervals separate.</p>`,
    provenance(summary),
    table(armRows(summary), {
      caption: "Accuracy (95% CI) and cost per method",
      digits: 2,
      dtypes: false,
    }),
    accuracyVsTokens(summary),
    `<h2 style="font:600 18px system-ui,sans-serif">One search, drawn</h2>`,
    drawTrace(traces, config),
  ]);
  const page = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(summary.title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px}</style>` +
    `</head><body>\n${preamble().html}\n${body.html}\n</body></html>\n`;
  await Deno.mkdir(path.replace(/\/[^/]*$/, ""), { recursive: true });
  await Deno.writeTextFile(path, page);
}

const FLAGS = {
  limit: {
    type: "string",
    value: "N",
    help: "problems to run",
    default: String(DEMO_DEFAULTS.limit),
  },
  budgets: {
    type: "string",
    value: "N,N",
    help: "matched budgets: samples or particles per problem",
    default: DEMO_DEFAULTS.budgets.join(","),
  },
  seed: { type: "string", value: "S", help: "sampling seed", default: String(DEMO_DEFAULTS.seed) },
  ...BACKEND_FLAGS,
  out: { type: "string", value: "DIR", help: "records (default results/demo)" },
  html: { type: "string", value: "FILE", help: "the page (default results/html/demo.html)" },
} satisfies Flags;

async function main() {
  const { values } = parseCli(Deno.args, FLAGS);
  if (values.help) return console.log(usage("demo", FLAGS, { notes: VERIFIER_HELP }));
  const limit = numberFlag("limit", values.limit, { integer: true, min: 1 });
  const seed = numberFlag("seed", values.seed, { integer: true });
  const budgets = values.budgets.split(",").map((b) =>
    numberFlag("budgets", b.trim(), {
      integer: true,
      min: 1,
    })
  );
  if (budgets.length === 0) throw new UsageError("--budgets: give at least one");
  const { table: text } = await runDemo({
    limit,
    budgets,
    seed,
    backend: {
      model: values.model,
      endpoint: values.endpoint,
      heads: values.heads,
      prm: values.prm,
      value: values.value,
      vllm: values.vllm,
      vllmPrm: values["vllm-prm"],
      gpus: values.gpus?.split(",").map((g) => g.trim()).filter(Boolean),
      device: deviceFlag(values.device),
      batchInvariant: values["batch-invariant"],
    },
    dir: values.out,
    html: values.html,
    command: `deno task demo ${Deno.args.join(" ")}`.trim(),
  });
  console.log(text);
}

if (import.meta.main) await runMain(main);
