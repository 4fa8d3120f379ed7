/**
 * A run's tables besides paper vs ours: one row per arm (accuracy, CI, cost, pass@k, maj@k),
 * and the code-step measurement of `bench/tool_search.ts`.
 *
 * @example
 * ```ts
 * import { armRows } from "./tables.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * armRows(summary).map((r) => r["accuracy %"]);
 * ```
 *
 * @module
 */
import { escapeHtml, type HtmlView, htmlView, repoPath, table } from "../../lib/report/mod.ts";
import type { ExperimentSummary } from "../experiment.ts";
import { pct, round1 } from "./format.ts";
import { scorerLabel } from "./paper_vs_ours.ts";
import { repoRelative } from "./provenance.ts";

/**
 * One row per arm: accuracy with 95% CI, cost, pass@k / maj@k over candidates and, where records
 * carry them, steps per solution.
 *
 * @example
 * ```ts
 * import { table } from "../../lib/report/mod.ts";
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
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
 * ```ts
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
