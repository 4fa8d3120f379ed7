/**
 * AlphaMath Almost Zero (Chen et al., NeurIPS 2024, arXiv 2405.03553), Table 5 (computational
 * efficiency on MATH) and the AlphaMath rows of Table 2: greedy, maj@5, step-level beam search
 * SBS(B1, 5) for B1 = 1, 2, 3, 5, and MCTS (40 simulations, 5 children, c_puct 1.25), each with
 * accuracy, average time per question and average steps per solution.
 * `deno task repro alphamath`.
 *
 * @example
 * ```ts ignore
 * import { alphamath } from "./alphamath.ts";
 * alphamath.arms.map((a) => a.config); // ["greedy", "maj@5", "sbs@(1,5)", ...]
 * ```
 *
 * @module
 */
import type { Arm, Experiment, PaperNumber } from "./experiment.ts";
import { register } from "./registry.ts";
import { MAX_STEPS, SOLUTION_TOKENS, STEP_TOKENS } from "./search_and_learn.ts";

/** B1 values of the SBS rows (B2 = 5). */
export const SBS_WIDTHS = [1, 2, 3, 5] as const;

const T5 = "Chen et al., arXiv 2405.03553 (NeurIPS 2024, OpenReview VaXnxQ3UKo), Table 5 " +
  "(MATH test, AlphaMath-7B round 3), from a third-party full-text copy (docs/paper-tables.md §6)";
const T2 = "Chen et al., arXiv 2405.03553 (NeurIPS 2024), Table 2 GSM8K column (row labels " +
  "follow the paper's text: uncertain; docs/paper-tables.md §6)";

/** One Table 5 row: accuracy %, seconds per question, steps per solution, solutions. */
export interface AlphaMathRow {
  method: string;
  acc: number;
  time: number;
  steps: number;
  solutions: string;
}

/** Table 5 of the paper (MATH), as in docs/paper-tables.md §6. */
export const TABLE5: readonly AlphaMathRow[] = [
  { method: "Greedy", acc: 53.62, time: 1.6, steps: 3.10, solutions: "1" },
  { method: "Maj@5", acc: 61.84, time: 2.9, steps: 2.88, solutions: "5" },
  { method: "SBS (B1=1)", acc: 62.80, time: 3.1, steps: 3.01, solutions: "1" },
  { method: "SBS (B1=2)", acc: 64.66, time: 2.4, steps: 2.36, solutions: "2" },
  { method: "SBS (B1=3)", acc: 66.30, time: 2.3, steps: 2.21, solutions: "3" },
  { method: "SBS (B1=5)", acc: 65.98, time: 4.7, steps: 2.26, solutions: "5" },
  { method: "MCTS (B1=1)", acc: 64.02, time: 10.1, steps: 3.76, solutions: "n" },
];

/** Table 2 GSM8K values of the AlphaMath rows (labels uncertain, see docs/paper-tables.md §6). */
const TABLE2_GSM8K: readonly [string, number][] = [
  ["Greedy", 73.5],
  ["SBS (B1=1)", 81.1],
  ["SBS (B1=3)", 84.1],
  ["MCTS (B1=1)", 83.2],
];

const PAPER: PaperNumber[] = [
  ...TABLE5.flatMap((r): PaperNumber[] => [
    {
      table: "Table 5",
      method: r.method,
      setting: "DeepSeekMath-7B AlphaMath (K=3), MATH test",
      metric: "accuracy %",
      value: r.acc,
      source: T5,
    },
    {
      table: "Table 5",
      method: r.method,
      setting: "DeepSeekMath-7B AlphaMath (K=3), MATH test",
      metric: "avg time (s)",
      value: r.time,
      source: T5,
    },
    {
      table: "Table 5",
      method: r.method,
      setting: "DeepSeekMath-7B AlphaMath (K=3), MATH test",
      metric: "avg steps",
      value: r.steps,
      source: T5,
    },
  ]),
  ...TABLE2_GSM8K.map(([method, value]): PaperNumber => ({
    table: "Table 2",
    method,
    setting: "DeepSeekMath-7B AlphaMath (K=3), GSM8K",
    metric: "accuracy %",
    value,
    source: T2,
    unverified: true,
  })),
  {
    table: "Table 2",
    method: "MATH column of the main table",
    setting: "DeepSeekMath-7B AlphaMath, MATH",
    metric: "accuracy %",
    value: null,
    source: "Chen et al., arXiv 2405.03553, Table 2 MATH column: not recovered " +
      "(docs/paper-tables.md §6); Table 5 values used for MATH",
  },
];

/** SBS sampling temperature of the paper's table (B2 = 5, T = 1.0). */
export const SBS_TEMPERATURE = 1.0;

const ARMS: Arm[] = [
  {
    config: "greedy",
    method: "greedy",
    options: { maxTokens: SOLUTION_TOKENS },
    paperMethod: "Greedy",
    budget: 1,
  },
  {
    config: "maj@5",
    method: "sampling",
    // Super_MARIO's Maj@5 samples at the SFT temperature 0.6.
    options: { n: 5, select: "majority", temperature: 0.6, maxTokens: SOLUTION_TOKENS },
    paperMethod: "Maj@5",
    budget: 5,
  },
  ...SBS_WIDTHS.map((b1): Arm => ({
    config: `sbs@(${b1},5)`,
    method: "sbs",
    // The paper's SBS rows (arXiv 2405.03553, main table, Table 2: B2 = 5, T = 1.0); sbs_sft.yaml's 0.6 is
    // the repository default, not the table's. remove_duplicate; max depth fits the synthetic world.
    options: {
      beamWidth: b1,
      samplesPerNode: 5,
      temperature: SBS_TEMPERATURE,
      maxDepth: MAX_STEPS,
      maxTokens: STEP_TOKENS,
    },
    scorer: "value",
    paperMethod: `SBS (B1=${b1})`,
    budget: b1 * 5,
  })),
  {
    config: "mcts@40",
    method: "mcts",
    // mcts_sft.yaml: 40 simulations, B2 = 5, c_puct 1.25, T = 0.6; q_value offline decision.
    options: {
      iterations: 40,
      samplesPerNode: 5,
      cPuct: 1.25,
      temperature: 0.6,
      maxDepth: MAX_STEPS,
      maxTokens: STEP_TOKENS,
    },
    scorer: "value",
    paperMethod: "MCTS (B1=1)",
    budget: 40,
  },
];

/** The experiment. */
export const alphamath: Experiment = {
  name: "alphamath",
  title: "AlphaMath: step-level beam search and MCTS with a value model",
  paper: "Chen, Zhou, Liu et al., AlphaMath Almost Zero: Process Supervision without Process, " +
    "NeurIPS 2024, arXiv 2405.03553",
  dataset: "synthetic",
  limit: 60,
  description: "A value head $V(s) \\in [-1, 1]$ on the policy scores partial solutions. " +
    "Step-level beam search SBS$(B_1, B_2)$ samples $B_1 B_2$ first steps, then at every depth " +
    "samples $B_2$ next steps from each of the $B_1$ kept nodes and keeps the $B_1$ children " +
    "with the highest $V$; finished solutions leave the beam and the best-valued one is the " +
    "answer. MCTS runs 40 simulations: select by PUCT " +
    "$a^* = \\arg\\max_a Q(s,a) + c_{\\text{puct}}\\, P(s,a) \\frac{\\sqrt{N(s)}}{1 + N(s,a)}$ " +
    "with $c_{\\text{puct}} = 1.25$ and prior $P = \\exp(\\tfrac{1}{|a|}\\sum \\log \\pi)$ " +
    "(geometric-mean token probability of the step), expand $B_2 = 5$ children, back up " +
    "$V(\\text{leaf})$ to the root (no gold rewards at test time), then read the answer off the pruned tree by " +
    "$Q$. Our value head is trained on the embedded model's own rollouts (models/heads/value.json).",
  paperNumbers: PAPER,
  arms: ARMS,
};

register(alphamath);
