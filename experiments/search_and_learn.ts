/**
 * The compute-matched comparison (HF search-and-learn baselines and the papers' methods side by
 * side): greedy, maj@N, best-of-N, weighted majority, beam search, DVTS, SBS, MCTS, TSMC, particle
 * filtering and Q#, at budgets N = 4 and N = 16, each with its accuracy (95% bootstrap CI) and the
 * tokens it generated. `deno task repro search_and_learn`.
 *
 * Budgets: N is the number of samples, beams, particles or subtrees' leaves; SBS(B1, B2) spends
 * about B1·B2 step samples per step and MCTS about iterations·B2 step samples in all, so their
 * B1 and iterations are chosen to spend tokens of the same order: SBS(N/4, 4) and MCTS with 3N
 * simulations of 2 children (the table reports what each actually spent — compare by tokens,
 * not by N).
 *
 * @example
 * ```ts ignore
 * import { searchAndLearn } from "./search_and_learn.ts";
 * searchAndLearn.arms.map((a) => a.config); // ["greedy", "maj@4", "bon@4", ...]
 * ```
 *
 * @module
 */
import type { Arm, Experiment, PaperNumber } from "./experiment.ts";
import { register } from "./registry.ts";
import { tsmcSetting } from "../lib/search/tsmc.ts";

/** Most new tokens of a whole solution on the synthetic world (gold solutions: ≤ 430 chars). */
export const SOLUTION_TOKENS = 512;
/** Most new tokens of one step (gold steps, rewrite line included: ≤ 70 chars). */
export const STEP_TOKENS = 96;
/** Most steps (gold solutions: ≤ 9 steps with the answer step). */
export const MAX_STEPS = 12;

/** The compute budgets of the comparison. */
export const BUDGETS = [4, 16] as const;

/**
 * The arms of one budget N (configs `<family>@N`): every method of the comparison with its scorer
 * (value head for SBS / MCTS / TSMC, PRM head for BoN / weighted majority / beam / DVTS / PF,
 * none for majority voting; Q# uses its token classifier).
 *
 * @example
 * ```ts
 * budgetArms(4).find((a) => a.config === "pf@4")?.scorer; // "prm"
 * ```
 */
export function budgetArms(n: number, families?: readonly string[]): Arm[] {
  const m = Math.min(n, 4);
  const arms: Arm[] = [
    {
      config: `maj@${n}`,
      method: "sampling",
      options: { n, select: "majority", maxTokens: SOLUTION_TOKENS },
      budget: n,
    },
    {
      config: `bon@${n}`,
      method: "best_of_n",
      options: { n, maxTokens: SOLUTION_TOKENS },
      scorer: "prm",
      budget: n,
    },
    {
      config: `wmaj@${n}`,
      method: "sampling",
      options: { n, select: "weighted", maxTokens: SOLUTION_TOKENS },
      scorer: "prm",
      budget: n,
    },
    {
      config: `beam@${n}`,
      method: "beam",
      options: { n, m, numIterations: MAX_STEPS, maxTokens: STEP_TOKENS, filterDuplicates: true },
      scorer: "prm",
      budget: n,
    },
    {
      config: `dvts@${n}`,
      method: "dvts",
      options: { n, m, numIterations: MAX_STEPS, maxTokens: STEP_TOKENS },
      scorer: "prm",
      budget: n,
    },
    {
      // SBS(B1, 4): B1·4 step samples per step ≈ N samples per step.
      config: `sbs@${n}`,
      method: "sbs",
      options: {
        beamWidth: Math.max(1, n / 4),
        samplesPerNode: 4,
        maxDepth: MAX_STEPS,
        maxTokens: STEP_TOKENS,
      },
      scorer: "value",
      budget: n,
    },
    {
      // One expansion (B2 = 2 step samples) per simulation and no rollouts, so the tree grows one
      // level per simulation: 3N simulations of 2 children spend about N solutions' tokens and
      // reach the ~6-step answers (5N/4 simulations of 4 children never finished at N = 4).
      config: `mcts@${n}`,
      method: "mcts",
      options: {
        iterations: 3 * n,
        samplesPerNode: 2,
        maxDepth: MAX_STEPS,
        maxTokens: STEP_TOKENS,
      },
      scorer: "value",
      budget: n,
    },
    {
      // the workspace's one TSMC setting (lib/search/tsmc.ts TSMC_SETTING)
      config: `tsmc@${n}`,
      method: "tsmc",
      options: { ...tsmcSetting(n), stopSteps: MAX_STEPS, maxTokens: SOLUTION_TOKENS },
      scorer: "value",
      budget: n,
    },
    {
      config: `pf@${n}`,
      method: "particle_filter",
      options: { n, maxSteps: MAX_STEPS, maxTokens: STEP_TOKENS },
      scorer: "prm",
      budget: n,
    },
    {
      config: `qsharp@${n}`,
      method: "qsharp",
      options: { n, maxTokens: SOLUTION_TOKENS },
      budget: n,
    },
  ];
  return families ? arms.filter((a) => families.includes(a.config.split("@")[0])) : arms;
}

/** The greedy baseline arm (one temperature-0 solution). */
export const GREEDY_ARM: Arm = {
  config: "greedy",
  method: "greedy",
  options: { maxTokens: SOLUTION_TOKENS },
  budget: 1,
};

const PF_T1 =
  "Puri et al., arXiv 2502.01618, Table 1 (MATH500, budget 64 generations, Qwen2.5-Math-PRM-7B), " +
  "from third-party copies of the arXiv table (docs/paper-tables.md §4)";

/** Paper numbers: PF Table 1 rows for the search-and-learn default policy, and what is missing. */
const PAPER: PaperNumber[] = [
  ...([
    ["Pass@1", 26.8],
    ["BoN", 46.6],
    ["WBoN", 47.8],
    ["DVTS", 52.8],
    ["PF", 59.6],
  ] as const).map(([method, value]): PaperNumber => ({
    table: "PF Table 1",
    method,
    setting: "Llama-3.2-1B-Instruct, MATH500, budget 64",
    metric: "accuracy %",
    value,
    source: PF_T1,
  })),
  {
    table: "HF blog 'Scaling test-time compute'",
    method: "beam search",
    setting: "Llama-3.2-1B-Instruct + RLHFlow PRM, MATH500, N = 4…256",
    metric: "accuracy %",
    value: null,
    source: "HF blog 'Scaling test-time compute' (search-and-learn has no table, " +
      "docs/algorithms.md §2.5): not recovered (docs/paper-tables.md §7)",
  },
  {
    table: "TSMC main table",
    method: "TSMC",
    setting: "Llemma-7B / DeepSeek-7B, MATH500",
    metric: "accuracy %",
    value: null,
    source: "Feng et al., arXiv 2410.01920 (ICLR 2025), main results table: not recovered " +
      "(docs/paper-tables.md §1); take it from the paper",
  },
];

/** The experiment. */
export const searchAndLearn: Experiment = {
  name: "search_and_learn",
  title: "Compute-matched comparison of test-time search methods",
  paper: "HF search-and-learn baselines (Beeching, Tunstall, Rush et al., 2024, HF blog " +
    "'Scaling test-time compute'), with PF (arXiv 2502.01618), TSMC (arXiv 2410.01920), " +
    "AlphaMath SBS/MCTS (arXiv 2405.03553) and Q# (arXiv 2502.20548)",
  dataset: "synthetic",
  limit: 60,
  description: "Every method gets a budget $N$ (samples, beams, particles; $N \\in \\{4, 16\\}$) " +
    "and is compared by accuracy against the tokens it actually generated. Majority voting picks " +
    "$\\hat a = \\arg\\max_a \\sum_i \\mathbb{1}[a_i = a]$; weighted majority " +
    "$\\hat a = \\arg\\max_a \\sum_i r_i \\mathbb{1}[a_i = a]$ with $r_i$ the PRM head's last-step " +
    "score; best-of-N takes $\\arg\\max_i r_i$. Beam search keeps the top $N/M$ of $N$ step " +
    "prefixes; DVTS runs $N/M$ greedy subtrees of width $M$; particle filtering resamples $N$ " +
    "partial solutions with weights $w_i \\propto \\mathrm{softmax}(\\mathrm{logit}(r_i))$; TSMC " +
    "resamples with incremental weights $\\psi_t/\\psi_{t-1}$ from the value head; SBS$(B_1,B_2)$ " +
    "keeps the $B_1$ best-valued children of $B_1 B_2$ step samples; MCTS selects by PUCT " +
    "$Q + c\\,P\\sqrt{N_{\\text{parent}}}/(1+N_{\\text{child}})$; Q# reweights the policy's " +
    "top-20 tokens by $\\log \\mathbb{E}[e^{\\eta R}]$ from its classifier.",
  paperNumbers: PAPER,
  arms: [
    { ...GREEDY_ARM, paperMethod: "Pass@1" },
    ...BUDGETS.flatMap((n) =>
      budgetArms(n).map((a) => {
        if (n !== 16) return a;
        const paperMethod = ({
          bon: "BoN",
          wmaj: "WBoN",
          dvts: "DVTS",
          pf: "PF",
          beam: "beam search",
          tsmc: "TSMC",
        } as Record<string, string>)[a.config.split("@")[0]];
        return paperMethod ? { ...a, paperMethod } : a;
      })
    ),
  ],
};

register(searchAndLearn);
