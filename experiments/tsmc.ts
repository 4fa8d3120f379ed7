/**
 * TSMC reproduction (Feng et al., "Step-by-Step Reasoning for Math Problems via Twisted Sequential
 * Monte Carlo", ICLR 2025, arXiv 2410.01920; docs/algorithms.md §4): twisted SMC over `"\n\n"`
 * steps against the paper's verification baselines at the same number of samples N — majority
 * voting, ORM best-of-N (the value head's score of the finished solution) and PRM-weighted
 * majority voting — plus greedy. `deno task repro tsmc`.
 *
 * The paper's main table was not recovered (docs/paper-tables.md §1), so every paper row has value
 * null: this run shows the comparison's shape on the embedded world, not a number to match.
 * [UNVERIFIED] twist: trained on the twist head's target (lib/train, docs/algorithms.md §4.3: the
 * CTL loss is a reconstruction, not checked against the paper). [UNVERIFIED] final answer: the
 * script's `evaluate.py` is not available; `tsmc@N` votes over the final particles weighting each
 * answer by its final twist value ψ_T; `summary.extra.selections` also gives plain majority and
 * max-ψ_T over the same particles.
 *
 * @example
 * ```ts ignore
 * import { tsmc } from "./tsmc.ts";
 * tsmc.arms.map((a) => a.config); // ["greedy", "maj@16", "orm_bon@16", "prm_wmaj@16", "tsmc@4", "tsmc@8", "tsmc@16"]
 * ```
 *
 * @module
 */
import type { Metric } from "../lib/metrics/mod.ts";
import type { Arm, Experiment, ExperimentContext, PaperNumber } from "./experiment.ts";
import { armRecords, atKCurves, selections } from "./record_stats.ts";
import { register } from "./registry.ts";
import { MAX_STEPS, SOLUTION_TOKENS } from "./search_and_learn.ts";
import { TSMC_SETTING, tsmcSetting } from "../lib/search/tsmc.ts";

/** Samples per problem of the baselines (and the largest TSMC particle count). */
export const TSMC_N = 16;

/** Sampling temperature of every arm (the TSMC README run: 0.7, `TSMC_SETTING`). */
export const TSMC_TEMPERATURE = TSMC_SETTING.temperature;

/**
 * The TSMC arms, in the one setting the workspace uses (`TSMC_SETTING`, lib/search/tsmc.ts): N
 * particles in two independent groups of M = N/2 (README run: N = 240, M = 40), τ = 0.5, top-k
 * 20, T = 0.7 (README run), no warm-up, resampling at every step boundary (`stopSteps` covers the
 * longest synthetic solution; the README's 5 is for MATH), final answer by the group-normalised
 * last incremental weights ([UNVERIFIED]).
 *
 * @example
 * ```ts
 * tsmcArm(4).options; // { n: 4, m: 2, tau: 0.5, ... }
 * ```
 */
export function tsmcArm(n: number): Arm {
  return {
    config: `tsmc@${n}`,
    method: "tsmc",
    options: {
      ...tsmcSetting(n),
      stopSteps: MAX_STEPS,
      maxTokens: SOLUTION_TOKENS,
      vote: "weighted",
    },
    scorer: "twist",
    budget: n,
    // The equal-N comparison stands beside the paper's TSMC row.
    ...(n === TSMC_N ? { paperMethod: "TSMC" } : {}),
  };
}

const sampling = { n: TSMC_N, temperature: TSMC_TEMPERATURE, maxTokens: SOLUTION_TOKENS };

/** The arms: greedy, the three verification baselines at N = 16, TSMC at N = 4, 8 and 16. */
export const TSMC_ARMS: Arm[] = [
  {
    config: "greedy",
    method: "greedy",
    options: { maxTokens: SOLUTION_TOKENS },
    budget: 1,
    paperMethod: "greedy",
  },
  {
    config: `maj@${TSMC_N}`,
    method: "sampling",
    options: { ...sampling, select: "majority" },
    budget: TSMC_N,
    paperMethod: "majority voting",
  },
  {
    // ORM: the value head's score of the whole solution (`aggregation: last`).
    config: `orm_bon@${TSMC_N}`,
    method: "best_of_n",
    options: { ...sampling, aggregation: "last" },
    scorer: "value",
    budget: TSMC_N,
    paperMethod: "ORM best-of-N",
  },
  {
    // PRM-weighted majority: each answer's weight is the sum of its solutions' min step score.
    config: `prm_wmaj@${TSMC_N}`,
    method: "sampling",
    options: { ...sampling, select: "weighted", aggregation: "min" },
    scorer: "prm",
    budget: TSMC_N,
    paperMethod: "PRM-weighted majority voting",
  },
  tsmcArm(4),
  tsmcArm(8),
  tsmcArm(TSMC_N),
];

const NOT_RECOVERED = "Feng et al., arXiv 2410.01920 (ICLR 2025), main results table: not " +
  "recovered (docs/paper-tables.md §1); take it from the paper before using it as a target";

/** The paper's rows: every one null (not recovered), named so our arms can stand beside them. */
export const TSMC_PAPER: PaperNumber[] = ["GSM8K", "MATH500"].flatMap((data) =>
  [
    "greedy",
    "majority voting",
    "ORM best-of-N",
    "PRM-weighted majority voting",
    "TSMC",
  ].map((method): PaperNumber => ({
    table: "main results table",
    method,
    setting: `${data} (${
      data === "GSM8K" ? "all test instances" : "Lightman et al. 500-problem subset"
    }), fine-tuned Llemma-7B / DeepSeek-Math-7B generators; N, M not recovered`,
    metric: "accuracy %",
    value: null,
    source: NOT_RECOVERED,
    ...(method === "TSMC" ? { unverified: true } : {}),
  }))
);

/** At-k curves read from the N-sample baselines (one run gives every k ≤ N). */
const CURVES: { config: string; metrics: Metric[] }[] = [
  { config: `orm_bon@${TSMC_N}`, metrics: ["maj", "best", "weighted"] },
  { config: `prm_wmaj@${TSMC_N}`, metrics: ["best", "weighted"] },
];

/**
 * Selections over the stored candidates of every multi-sample arm (majority, score-weighted,
 * max score, pass@1) and at-k curves of the baselines, all with bootstrap 95% CIs.
 *
 * @example
 * ```ts ignore
 * const extra = await tsmcExtra(ctx);
 * extra.selections["tsmc@16"].majority; // plain majority over the final particles
 * ```
 */
export async function tsmcExtra(ctx: ExperimentContext): Promise<Record<string, unknown>> {
  const ids = ctx.problems.map((p) => p.id);
  const byArm = await armRecords(ctx.dir, TSMC_ARMS.map((a) => a.config), ids);
  const sel: Record<string, unknown> = {};
  for (const [config, recs] of byArm) {
    if (config !== "greedy") sel[config] = selections(recs, ctx.seed);
  }
  const curves: Record<string, unknown> = {};
  for (const { config, metrics } of CURVES) {
    const recs = byArm.get(config);
    if (recs) curves[config] = atKCurves(recs, metrics, [1, 2, 4, 8, 16], ctx.seed);
  }
  return {
    selections: sel,
    curves,
    notes: [
      "[UNVERIFIED] tsmc@N answers by the ψ_T-weighted vote over final particles (evaluate.py " +
      "not available); selections.majority / .best give the other two rules on the same particles.",
      "[UNVERIFIED] twist head: trained by lib/train on the twist target of " +
      "docs/algorithms.md §4.3 (a reconstruction of the CTL loss, not checked against the paper).",
      "selections.*.best of orm_bon@16 is the arm's own answer (ORM best-of-N); .majority of it " +
      "is majority voting on the same 16 samples; curves are expected values over k-subsets.",
    ],
  };
}

/** The experiment. */
export const tsmc: Experiment = {
  name: "tsmc",
  title: "TSMC vs majority voting, ORM best-of-N and PRM-weighted voting",
  paper: "Feng et al., Step-by-Step Reasoning for Math Problems via Twisted Sequential Monte " +
    "Carlo, ICLR 2025, arXiv 2410.01920",
  dataset: "synthetic",
  limit: 30,
  description: "TSMC targets the distribution of correct solutions " +
    "$\\sigma(x_{1:T}) \\propto p(x_{1:T} \\mid q)\\, r(x_{1:T})$ through intermediate targets " +
    "$\\pi_t(x_{1:t}) \\propto p(x_{1:t} \\mid q)\\, \\psi_t(x_{1:t})$. $N$ particles, in " +
    "independent groups of $M$, each extend by one step (to the next blank-line step boundary or EOS); with the generator as " +
    "proposal the incremental weight is $w_t = \\psi_t(x_{1:t}) / \\psi_{t-1}(x_{1:t-1})$ with " +
    "$\\psi_t = \\sigma(y_t)^{\\tau}$ from the twist head, and each group resamples by ordered " +
    "stratified resampling on $\\mathrm{softmax}(\\log w_t)$. The optimal twist is " +
    "$\\psi_t^* = \\mathbb{E}_p[r \\mid x_{1:t}]$, learnable from outcome labels only " +
    "(CTL loss [UNVERIFIED]). Final answer: $\\hat a = \\arg\\max_a \\sum_i \\psi_T(x^i) " +
    "\\mathbb{1}[a_i = a]$ [UNVERIFIED: evaluate.py not available]. Baselines at the same $N$: " +
    "majority voting, ORM best-of-N $\\arg\\max_i v(x^i)$ and PRM-weighted voting " +
    "$\\arg\\max_a \\sum_i \\min_t r_t(x^i) \\mathbb{1}[a_i = a]$.",
  paperNumbers: TSMC_PAPER,
  arms: TSMC_ARMS,
  extra: tsmcExtra,
};

register(tsmc);
