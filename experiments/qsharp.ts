/**
 * Q# reproduction (Zhou, Wang et al., "Provably Optimal Distributional RL for LLM Post-Training",
 * NeurIPS 2025, arXiv 2502.20548; docs/algorithms.md §7): value-guided decoding with the Q# token
 * classifier against π_ref (η = 0, the unguided policy) and the CD baseline (offset η·p), at
 * several η, reporting what the paper's Table 1 reports — pass@1, maj1@8 and KL(π ‖ π_ref).
 * `deno task repro qsharp`.
 *
 * Every arm draws 8 samples per problem with the paper's sampling (T = 0.8, top-p 0.9, top-20
 * candidates). The arm's accuracy is maj1@8 (ties broken at random, seeded, as `eval_ckpt.py`);
 * `summary.extra.arms[config]` adds pass@1 (mean share of correct samples) and the mean
 * per-sample KL with bootstrap 95% CIs, read from the records' per-sample `kl`.
 *
 * @example
 * ```ts ignore
 * import { qsharpExperiment } from "./qsharp.ts";
 * qsharpExperiment.arms.map((a) => a.config); // ["pi_ref", "qsharp_eta0.1", ...]
 * ```
 *
 * @module
 */
import type { Arm, Experiment, ExperimentContext, PaperNumber } from "./experiment.ts";
import { armRecords, estimate, klEstimate, selections } from "./record_stats.ts";
import { register } from "./registry.ts";
import { SOLUTION_TOKENS } from "./search_and_learn.ts";

/** Samples per problem (maj1@8). */
export const QSHARP_SAMPLES = 8;

/**
 * The η values of the Q# (bernoulli) arms in the paper's convention, the KL weight (0.1 is the
 * paper's default). The method's `eta` option is the reference code's, its reciprocal
 * (`eval_ckpt.py --eta 10` is the paper's η = 0.1).
 */
export const QSHARP_ETAS = [0.1, 1, 10] as const;

/** The η values (paper convention) of the CD baseline arms. */
export const CD_ETAS = [0.1, 1] as const;

/**
 * The paper's evaluation sampling (docs/paper-tables.md §2: T = 0.8, nucleus 0.9, top-20 tokens
 * scored).
 */
const SAMPLING = {
  n: QSHARP_SAMPLES,
  temperature: 0.8,
  topP: 0.9,
  topK: 20,
  maxTokens: SOLUTION_TOKENS,
};

/**
 * One guided-decoding arm at the paper's η (the KL weight): the method runs with the reference
 * code's `eta = 1 / η`.
 *
 * @example
 * ```ts
 * guidedArm("bernoulli", 0.1).options?.eta; // 10, as eval_ckpt.py --eta 10
 * guidedArm("cd", 0.1).config; // "cd_eta0.1"
 * ```
 */
export function guidedArm(mode: "bernoulli" | "cd", eta: number): Arm {
  return {
    config: `${mode === "cd" ? "cd" : "qsharp"}_eta${eta}`,
    method: "qsharp",
    options: { ...SAMPLING, eta: 1 / eta, mode },
    budget: QSHARP_SAMPLES,
    paperMethod: mode === "cd" ? "CD" : "Q♯",
  };
}

/** The arms: π_ref (η = 0 gives offsets of exactly 0), Q# at each η, CD at each η. */
export const QSHARP_ARMS: Arm[] = [
  {
    config: "pi_ref",
    method: "qsharp",
    options: { ...SAMPLING, eta: 0, mode: "bernoulli" },
    budget: QSHARP_SAMPLES,
    paperMethod: "π_ref",
  },
  ...QSHARP_ETAS.map((eta) => guidedArm("bernoulli", eta)),
  ...CD_ETAS.map((eta) => guidedArm("cd", eta)),
];

const SOURCE = "Zhou, Wang et al., arXiv 2502.20548, NeurIPS 2025 camera-ready, Table 1 " +
  "(from a third-party full-text copy of the camera-ready version; docs/paper-tables.md §2)";

/** Table 1 of the paper: [benchmark, metric, generator, π_ref, CD, Q♯] (KL of π_ref is "–"). */
const TABLE1: [string, string, string, number | null, number, number][] = [
  ["GSM8K", "pass@1 %", "Llama 3 8B", 69.1, 77.8, 78.4],
  ["GSM8K", "maj1@8 %", "Llama 3 8B", 85.8, 87.2, 88.1],
  ["GSM8K", "KL", "Llama 3 8B", null, 6.39, 2.65],
  ["GSM8K", "pass@1 %", "Llama 3.1 8B", 82.9, 84.5, 85.1],
  ["GSM8K", "maj1@8 %", "Llama 3.1 8B", 90.5, 90.9, 91.4],
  ["GSM8K", "KL", "Llama 3.1 8B", null, 7.43, 3.67],
  ["MATH-500", "pass@1 %", "Llama 3 8B", 25.4, 24.9, 27.1],
  ["MATH-500", "maj1@8 %", "Llama 3 8B", 34.3, 34.3, 37.9],
  ["MATH-500", "KL", "Llama 3 8B", null, 15.27, 7.14],
  ["MATH-500", "pass@1 %", "Llama 3.1 8B", 43.9, 45.3, 46.7],
  ["MATH-500", "maj1@8 %", "Llama 3.1 8B", 57.0, 59.0, 60.1],
  ["MATH-500", "KL", "Llama 3.1 8B", null, 26.8, 8.69],
];

/**
 * The paper's numbers: Table 1, every cell (π_ref's KL is "–" in the paper and left out).
 * maj1@8 rows come first so that the arm's accuracy (our maj1@8) stands beside them.
 */
export const QSHARP_PAPER: PaperNumber[] = ["maj1@8 %", "pass@1 %", "KL"].flatMap((metric) =>
  TABLE1.filter((r) => r[1] === metric).flatMap(([bench, , gen, ref, cd, q]) =>
    ([["π_ref", ref], ["CD", cd], ["Q♯", q]] as const).flatMap(([method, value]) =>
      value === null ? [] : [{
        table: "Table 1",
        method,
        setting:
          `${bench}, ${gen} Instruct π_ref, Llama 3.2 1B Q♯ (η = 0.1), T 0.8, top-p 0.9, k = 8`,
        metric,
        value,
        source: SOURCE,
      }]
    )
  )
);

/** Per-arm statistics of {@linkcode qsharpExtra}. */
export interface QSharpArmStats {
  mode: string;
  /** The paper's η (KL weight); null for π_ref (no guidance). */
  eta: number | null;
  /** maj1@8 (the record's answer: majority with random ties). */
  maj1: ReturnType<typeof estimate>;
  /** Mean share of correct samples. */
  pass1: ReturnType<typeof estimate>;
  /** pass@8 (some sample correct). */
  pass8: ReturnType<typeof estimate>;
  /** Mean per-sample KL(π ‖ π_ref) in nats; null when the records carry none. */
  kl: ReturnType<typeof estimate> | null;
}

/**
 * pass@1, maj1@8, pass@8 and mean KL per arm, with bootstrap 95% CIs over problems.
 *
 * @example
 * ```ts ignore
 * (await qsharpExtra(ctx)).arms["qsharp_eta1"].kl?.value;
 * ```
 */
export async function qsharpExtra(ctx: ExperimentContext): Promise<Record<string, unknown>> {
  const ids = ctx.problems.map((p) => p.id);
  const byArm = await armRecords(ctx.dir, QSHARP_ARMS.map((a) => a.config), ids);
  const arms: Record<string, QSharpArmStats> = {};
  for (const arm of QSHARP_ARMS) {
    const recs = byArm.get(arm.config);
    if (!recs) continue;
    arms[arm.config] = {
      mode: String(arm.options?.mode),
      // the paper's η (KL weight); the method ran with its reciprocal
      eta: Number(arm.options?.eta) === 0 ? null : 1 / Number(arm.options?.eta),
      maj1: estimate(recs.map((r) => (r.correct ? 1 : 0)), ctx.seed),
      pass1: selections(recs, ctx.seed).pass1,
      pass8: estimate(recs.map((r) => (r.candidates.some((c) => c.correct) ? 1 : 0)), ctx.seed),
      kl: klEstimate(recs, ctx.seed),
    };
  }
  return {
    arms,
    notes: [
      "maj1@8 = majority over the 8 samples, ties broken by a seeded random draw (eval_ckpt.py); " +
      "pass@1 = mean share of correct samples (the paper averages 100 bootstrap draws of one sample).",
      "KL = Σ_t KL(topP(softmax(guided_t/T)) ‖ softmax(ref_t/T)) per sample (after the top-p " +
      "warper on the guided side, as eval_ckpt.py), averaged over samples and problems (nats); " +
      "π_ref's KL is the cost of the top-p truncation alone.",
      "Arms are labelled by the paper's η (the KL weight); the method's eta is its reciprocal, " +
      "the reference code's convention (README: --eta 10 = the paper's η = 0.1).",
      "The Q# head is a linear value + per-token advantage head on the policy's own hidden states " +
      "(lib/rewards/qsharp_classifier.ts), not a separate 1B classifier as in the paper.",
    ],
  };
}

/** The experiment. */
export const qsharpExperiment: Experiment = {
  name: "qsharp",
  title: "Q♯ value-guided decoding vs π_ref and CD: pass@1, maj1@8 and KL",
  paper: "Zhou, Wang et al., Provably Optimal Distributional RL for LLM Post-Training " +
    "(Q♯), NeurIPS 2025, arXiv 2502.20548",
  dataset: "synthetic",
  limit: 40,
  description: "Q♯ guides the reference policy with the optimal KL-regularised policy " +
    "$\\pi^{\\star,\\eta}(a \\mid s) \\propto \\pi_{\\mathrm{ref}}(a \\mid s)\\, " +
    "\\exp(\\eta\\, Q^{\\star,\\eta}(s,a))$, where " +
    "$Q^{\\star,\\eta}(s,a) = \\tfrac{1}{\\eta} \\log \\mathbb{E}_{\\pi_{\\mathrm{ref}}}[e^{\\eta R} " +
    "\\mid s, a]$. With a binary reward $R \\sim \\mathrm{Bern}(p_a)$, $p_a$ the classifier's " +
    "probability that $\\pi_{\\mathrm{ref}}$ ends correct after token $a$, each of the top-20 " +
    "reference logits gets the offset $\\log\\big((1-p_a) + p_a e^{\\eta}\\big)$; the CD baseline " +
    "adds $\\eta\\, p_a$ (the unregularised $Q^{\\pi_{\\mathrm{ref}}}$). $\\eta = 0$ is " +
    "$\\pi_{\\mathrm{ref}}$. We report pass@1, maj1@8 and " +
    "$\\mathrm{KL}(\\pi \\,\\|\\, \\pi_{\\mathrm{ref}}) = \\sum_t \\mathrm{KL}\\big(\\pi(\\cdot \\mid " +
    "s_t) \\,\\|\\, \\pi_{\\mathrm{ref}}(\\cdot \\mid s_t)\\big)$ per sample.",
  paperNumbers: QSHARP_PAPER,
  arms: QSHARP_ARMS,
  extra: qsharpExtra,
};

register(qsharpExperiment);
