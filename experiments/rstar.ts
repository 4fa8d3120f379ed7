/**
 * rStar-Math reproduction (Guan et al., "rStar-Math: Small LLMs Can Master Math Reasoning with
 * Self-Evolved Deep Thinking", arXiv 2501.04519; docs/algorithms.md §6): step-level MCTS with UCT
 * and a process preference model (PPM) scoring every new node, against greedy decoding (System 1),
 * majority voting and ORM best-of-N (the paper's Table 8 reward-model ablation).
 * `deno task repro rstar`.
 *
 * The PPM is the value head on the policy's hidden states (score read as `2p − 1`, the
 * `tanh(r/5)` range). One MCTS run per problem answers with its best-scored final (the paper's
 * "trajectory"); the paper pools 8 or 64 such runs (docs/algorithms.md §6.4), so our number is
 * rStar-Math¹.
 * `summary.extra.selections.rstar` also votes over all the finals one run found.
 *
 * Uncertain paper numbers (marked unverified): Table 5 and Table 8 come from an AI re-rendering of
 * the arXiv v1 tables (docs/paper-tables.md §5), and that copy mislabels one block.
 *
 * @example
 * ```ts ignore
 * import { rstar } from "./rstar.ts";
 * rstar.arms.map((a) => a.config); // ["greedy", "maj@32", "orm_bon@32", "rstar"]
 * ```
 *
 * @module
 */
import type { Arm, Experiment, ExperimentContext, PaperNumber } from "./experiment.ts";
import { armRecords, atKCurves, selections } from "./record_stats.ts";
import { register } from "./registry.ts";
import { MAX_STEPS, SOLUTION_TOKENS, STEP_TOKENS } from "./search_and_learn.ts";

/** Samples per problem of majority voting and ORM best-of-N. */
export const RSTAR_BASELINE_N = 32;

/**
 * rStar MCTS settings: UCT c = 2, temperature 1 (`sft_eval_mcts.yaml`); 8 rollouts of 4 step
 * samples per expansion (paper 12 rollouts × 32 samples; the README's reduced setting 8 × 16). On
 * this world 8 × 4 already spends about as many tokens as 32 full samples.
 */
export const RSTAR_OPTIONS = {
  iterations: 8,
  samplesPerNode: 4,
  c: 2,
  maxDepth: MAX_STEPS,
  temperature: 1,
  maxTokens: STEP_TOKENS,
};

const baseline = { n: RSTAR_BASELINE_N, temperature: 1, maxTokens: SOLUTION_TOKENS };

/** The arms. */
export const RSTAR_ARMS: Arm[] = [
  {
    config: "greedy",
    method: "greedy",
    options: { maxTokens: SOLUTION_TOKENS },
    budget: 1,
    paperMethod: "System 1 (greedy)",
  },
  {
    config: `maj@${RSTAR_BASELINE_N}`,
    method: "sampling",
    options: { ...baseline, select: "majority" },
    budget: RSTAR_BASELINE_N,
  },
  {
    config: `orm_bon@${RSTAR_BASELINE_N}`,
    method: "best_of_n",
    options: { ...baseline, aggregation: "last" },
    scorer: "value",
    budget: RSTAR_BASELINE_N,
    paperMethod: "ORM best-of-N",
  },
  {
    config: "rstar",
    method: "rstar_mcts",
    options: RSTAR_OPTIONS,
    scorer: "value",
    budget: RSTAR_OPTIONS.iterations,
    paperMethod: "rStar-Math (MCTS + PPM)",
  },
];

const T1 = "Guan et al., arXiv 2501.04519v1, Table 1 (from the arXiv HTML and a third-party " +
  "copy of the table; docs/paper-tables.md §5)";
const T5 = "Guan et al., arXiv 2501.04519v1, Table 5, via an AI re-rendering of the arXiv tables " +
  "(github.com/deep-diver/ai-paper-reviewer; docs/paper-tables.md §5) — uncertain, not verbatim";
const T8 = "Guan et al., arXiv 2501.04519v1, Table 8 (reward-model ablation, Qwen2.5-Math-7B " +
  "policy), via the same AI re-rendering as Table 5 (docs/paper-tables.md §5) — uncertain";

function row(
  table: string,
  method: string,
  setting: string,
  value: number,
  source: string,
  unverified: boolean,
): PaperNumber {
  return {
    table,
    method,
    setting,
    metric: "pass@1 %",
    value,
    source,
    ...(unverified ? { unverified } : {}),
  };
}

/** The paper's numbers (MATH and GSM8K columns; pass@1 = accuracy of the chosen answer). */
export const RSTAR_PAPER: PaperNumber[] = [
  row(
    "Table 1",
    "rStar-Math⁶⁴",
    "MATH, Qwen2.5-Math-7B SLM + 7B PPM, 64 trajectories",
    90.0,
    T1,
    false,
  ),
  row(
    "Table 1",
    "rStar-Math⁶⁴",
    "MATH, Qwen2.5-Math-1.5B SLM + 7B PPM, 64 trajectories",
    88.6,
    T1,
    false,
  ),
  row("Table 1", "rStar-Math⁶⁴", "MATH, Phi3-mini SLM + 7B PPM, 64 trajectories", 86.4, T1, false),
  row("Table 5", "System 1 (greedy)", "MATH, Qwen2.5-Math-7B-Instruct", 82.6, T5, true),
  row("Table 5", "System 1 (greedy)", "GSM8K, Qwen2.5-Math-7B-Instruct", 95.2, T5, true),
  row("Table 5", "ORM best-of-N", "MATH, Qwen2.5-Math-7B-Instruct + 72B ORM", 88.4, T5, true),
  row("Table 5", "ORM best-of-N", "GSM8K, Qwen2.5-Math-7B-Instruct + 72B ORM", 97.9, T5, true),
  row("Table 8", "ORM best-of-N", "MATH, rStar 7B policy + ORM", 82.6, T8, true),
  row("Table 8", "ORM best-of-N", "GSM8K, rStar 7B policy + ORM", 92.3, T8, true),
  row(
    "Table 5",
    "rStar-Math (MCTS + PPM)",
    "MATH, 7B SLM + 7B PPM (8 trajectories)",
    89.4,
    T5,
    true,
  ),
  row(
    "Table 5",
    "rStar-Math (MCTS + PPM)",
    "GSM8K, 7B SLM + 7B PPM (8 trajectories)",
    95.0,
    T5,
    true,
  ),
  row("Table 8", "MCTS + PQM", "MATH, rStar 7B policy, Q-value PQM", 88.2, T8, true),
  row("Table 5", "rStar-Math⁶⁴", "MATH, 7B SLM + 7B PPM, 64 trajectories", 90.0, T5, true),
  row("Table 5", "rStar-Math⁶⁴", "GSM8K, 7B SLM + 7B PPM, 64 trajectories", 95.2, T5, true),
];

/**
 * Selections over every multi-candidate arm (for `rstar`: majority, PPM-weighted vote and best
 * PPM score over all finals of the run; for `orm_bon`: majority on the same samples) and the
 * at-k curves of the N-sample ORM baseline (every k ≤ N from one run).
 *
 * @example
 * ```ts ignore
 * (await rstarExtra(ctx)).selections.rstar.weighted;
 * ```
 */
export async function rstarExtra(ctx: ExperimentContext): Promise<Record<string, unknown>> {
  const ids = ctx.problems.map((p) => p.id);
  const byArm = await armRecords(ctx.dir, RSTAR_ARMS.map((a) => a.config), ids);
  const sel: Record<string, unknown> = {};
  for (const [config, recs] of byArm) {
    if (config !== "greedy") sel[config] = selections(recs, ctx.seed);
  }
  const orm = byArm.get(`orm_bon@${RSTAR_BASELINE_N}`);
  return {
    selections: sel,
    curves: orm
      ? {
        [`orm_bon@${RSTAR_BASELINE_N}`]: atKCurves(
          orm,
          ["maj", "best"],
          [1, 2, 4, 8, 16, 32],
          ctx.seed,
        ),
      }
      : {},
    notes: [
      "One MCTS run per problem (rStar-Math¹); the paper pools 8 or 64 runs " +
      "(docs/algorithms.md §6.4).",
      "PPM = the value head (score 2p − 1); the paper's PPM is a 7B preference model trained on " +
      "step pairs (docs/algorithms.md §6.5), ours a head on the 1M-parameter policy.",
      "selections.rstar: majority / PPM-weighted / best over all valid finals the run found " +
      "(a problem with no final counts as wrong); its .best is the arm's own answer.",
    ],
  };
}

/** The experiment. */
export const rstar: Experiment = {
  name: "rstar",
  title: "rStar-Math MCTS with a PPM-style scorer vs greedy, majority and ORM best-of-N",
  paper: "Guan et al., rStar-Math: Small LLMs Can Master Math Reasoning with Self-Evolved Deep " +
    "Thinking, arXiv 2501.04519 (ICML 2025)",
  dataset: "synthetic",
  limit: 40,
  description: "rStar-Math searches over reasoning steps with MCTS. Selection descends by UCT " +
    "$\\mathrm{UCT}(s) = Q(s) + c \\sqrt{\\ln N(\\mathrm{parent}(s)) / N(s)}$ with $c = 2$ and " +
    "no prior; a leaf is expanded with $n$ sampled next steps, each new step is scored by the " +
    "process preference model, $q(s) = \\tanh(r(s)/5) \\in [-1, 1]$, and a valid final answer " +
    "backs its score up to the root ($N \\leftarrow N + 1$, $W \\leftarrow W + q$, $Q = W/N$); " +
    "intermediate nodes keep their own score. After all rollouts the run answers with the " +
    "highest-scored final. Baselines: greedy decoding (System 1), majority voting over $N$ " +
    "samples and ORM best-of-N $\\arg\\max_i v(x^i)$ with the same value head.",
  paperNumbers: RSTAR_PAPER,
  arms: RSTAR_ARMS,
  extra: rstarExtra,
};

register(rstar);
