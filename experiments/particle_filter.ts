/**
 * Particle filtering for inference-time scaling (Puri et al., arXiv 2502.01618, "Rollout
 * Roulette"), Table 1 and its scaling curves: accuracy against budget N ∈ {1, 2, 4, 8, 16} for
 * particle filtering vs best-of-N, weighted best-of-N and DVTS, all with the same PRM head, plus
 * the greedy Pass@1 baseline. `deno task repro particle_filter`.
 *
 * @example
 * ```ts ignore
 * import { particleFilter } from "./particle_filter.ts";
 * particleFilter.arms.filter((a) => a.config.startsWith("pf@")).length; // 5
 * ```
 *
 * @module
 */
import type { Arm, Experiment, PaperNumber } from "./experiment.ts";
import { register } from "./registry.ts";
import { budgetArms, GREEDY_ARM } from "./search_and_learn.ts";

/** Budgets of the scaling curve. */
export const PF_BUDGETS = [1, 2, 4, 8, 16] as const;

const SOURCE =
  "Puri et al., arXiv 2502.01618, Table 1 (budget 64 generations, Qwen2.5-Math-PRM-7B, LLM " +
  "temperature 0.8), from two third-party copies of the arXiv table that agree " +
  "(docs/paper-tables.md §4)";

/** Table 1, MATH500 column (the AIME 2024 column is left out: no synthetic counterpart). */
const TABLE1: readonly [string, readonly [number, number, number, number, number]][] = [
  ["Llama-3.2-1B-Instruct", [26.8, 46.6, 47.8, 52.8, 59.6]],
  ["Llama-3.1-8B-Instruct", [49.9, 58.6, 59.0, 65.7, 74.4]],
  ["Qwen2.5-Math-1.5B-Instruct", [70.0, 82.6, 82.8, 83.4, 85.4]],
  ["Qwen2.5-Math-7B-Instruct", [79.6, 83.0, 84.6, 85.4, 87.0]],
];
const METHODS = ["Pass@1", "BoN", "WBoN", "DVTS", "PF"] as const;

const PAPER: PaperNumber[] = TABLE1.flatMap(([model, values]) =>
  values.map((value, i): PaperNumber => ({
    table: "Table 1",
    method: METHODS[i],
    setting: `${model}, MATH500${i === 0 ? " (single greedy generation)" : ", budget 64"}`,
    metric: "accuracy %",
    value,
    source: SOURCE,
  }))
);

const PAPER_METHOD: Record<string, string> = { bon: "BoN", wmaj: "WBoN", dvts: "DVTS", pf: "PF" };

/** The arms: greedy, then BoN / weighted BoN / DVTS / PF at every budget (configs `<family>@N`). */
const ARMS: Arm[] = [
  { ...GREEDY_ARM, paperMethod: "Pass@1" },
  ...PF_BUDGETS.flatMap((n) =>
    budgetArms(n, ["bon", "wmaj", "dvts", "pf"]).map((a) => {
      const paperMethod = PAPER_METHOD[a.config.split("@")[0]];
      // The paper's numbers are at budget 64; they stand beside our largest budget.
      return n === PF_BUDGETS.at(-1) ? { ...a, paperMethod } : a;
    })
  ),
];

/** The experiment. */
export const particleFilter: Experiment = {
  name: "particle_filter",
  title: "Particle filtering vs BoN, weighted BoN and DVTS across budgets",
  paper: "Puri, Sudalairaj, Xu, Xu, Srivastava, A Probabilistic Inference Approach to " +
    "Inference-Time Scaling of LLMs using Particle-Based Monte Carlo Methods, arXiv 2502.01618",
  dataset: "synthetic",
  limit: 60,
  description: "Particle filtering keeps $N$ partial solutions (particles). After every step, " +
    "each particle's PRM score $r_i$ of its whole prefix becomes a weight " +
    "$w_i = \\mathrm{softmax}_i\\big(\\log\\tfrac{r_i}{1-r_i} / T\\big)$ ($T = 1$, so " +
    "$w_i \\propto r_i/(1-r_i)$), and $N$ particles are drawn with replacement " +
    "$\\propto w$ (finished particles included, `resample_inactive`); active ones are extended " +
    "by one step at temperature 0.8. The answer is the particle with the highest last reward. " +
    "Baselines at the same budget: best-of-N ($\\arg\\max_i r_i$ over $N$ full samples), " +
    "weighted best-of-N ($\\arg\\max_a \\sum_i r_i \\mathbb{1}[a_i = a]$) and DVTS " +
    "($N/M$ PRM-greedy subtrees of width $M = \\min(N, 4)$).",
  paperNumbers: PAPER,
  arms: ARMS,
};

register(particleFilter);
