/**
 * Process-supervision labels (AMCS: Ma et al., arXiv 2509.24351; OmegaPRM: Luo et al., arXiv
 * 2406.06592; Math-Shepherd; docs/algorithms.md §8): how good are Monte-Carlo step labels, and
 * does a PRM trained on them pick better answers? `deno task repro prm_labels`.
 *
 * Part 1 (`summary.extra.labels`): the reward engineer's labelling and label-quality functions
 * (`lib/train`: `labelProblem`, `labelQuality`) label the first third of the run's problems (at
 * most {@linkcode LABEL_PROBLEMS}) with each method at two rollout budgets, and compare the hard labels with
 * the synthetic step checker's truth: per-step accuracy and error-class F1 with 95% CIs. Label
 * records go to `<dir>/labels.jsonl` (append-only, resumable).
 *
 * Part 2 (the arms): selection with PRMs trained on each labeller's Monte-Carlo labels (AMCS
 * best-of-N, OmegaPRM weighted self-consistency, Math-Shepherd best-of-N; min over step scores)
 * and with the default PRM (the same head on the step checker's labels) against majority voting at
 * N = 16, all on the same samples, with at-k curves read from them.
 *
 * @example
 * ```ts ignore
 * import { prmLabels } from "./prm_labels.ts";
 * prmLabels.arms.map((a) => a.config); // ["greedy", "maj@16", "prm_bon@16", "prm_bon@16/amcs", ...]
 * ```
 *
 * @module
 */
import { rng } from "../lib/core/random.ts";
import { openRecords, progress } from "../lib/runs/mod.ts";
import { problemById } from "../lib/tasks/mod.ts";
import {
  LABEL_METHODS,
  labelProblem,
  type LabelQuality,
  labelQuality,
  type LabelRecord,
} from "../lib/train/mod.ts";
import { fromRoot, ROOT } from "./backends.ts";
import type { Arm, Experiment, ExperimentContext, PaperNumber } from "./experiment.ts";
import { verifierPaths } from "./fingerprint.ts";
import { qualityTable, syntheticJudge, syntheticTruth } from "./label.ts";
import { armRecords, atKCurves, selections } from "./record_stats.ts";
import { register } from "./registry.ts";
import { SOLUTION_TOKENS } from "./search_and_learn.ts";

/**
 * Most problems labelled for label quality: the first third of the run's problems (at least one),
 * at most this many — labelling costs about (16 + 48) · 3 rollouts per problem.
 */
export const LABEL_PROBLEMS = 12;

/** The two rollout budgets (total rollouts per problem, solutions to label included). */
export const LABEL_BUDGETS = [16, 48] as const;

/** Math-Shepherd rollouts per step and OmegaPRM rollouts per MC estimate. */
export const LABEL_K = 8;

/** Rollout sampling (AMCS run script temperature). */
export const LABEL_SAMPLING = { temperature: 0.7, maxTokens: SOLUTION_TOKENS };

/** Samples per problem of the answer-selection arms. */
export const PRM_N = 16;

const sampling = { n: PRM_N, temperature: 0.8, maxTokens: SOLUTION_TOKENS };

/**
 * Heads trained on one labeller's Monte-Carlo step labels (the label-source study, README "Label
 * source → PRM quality → best-of-N": `deno task label --method all --split train --limit 300
 * --budget 64 --seed 3`, then `deno task train-verifier --source S --hidden 8`), the same
 * re-computation head as the default, which is trained on the step checker's labels instead.
 */
export const MC_LABEL_HEADS = {
  "math-shepherd": `${ROOT}results/label_sources/math-shepherd.json`,
  omegaprm: `${ROOT}results/label_sources/omegaprm.json`,
  amcs: `${ROOT}results/label_sources/amcs.json`,
} as const;

/**
 * Selection with a PRM from Monte-Carlo labels, each as its paper uses it: AMCS reports
 * PRM-guided best-of-N, OmegaPRM weighted self-consistency (each answer weighted by the sum of
 * its solutions' min step score), Math-Shepherd best-of-N.
 */
const MC_LABEL_ARMS: Arm[] = [
  {
    config: `prm_bon@${PRM_N}/amcs`,
    method: "best_of_n",
    options: { ...sampling, aggregation: "min" },
    scorer: "prm",
    verifier: `recompute-head=${MC_LABEL_HEADS.amcs}`,
    budget: PRM_N,
    paperMethod: "PRM-guided selection",
  },
  {
    config: `prm_wmaj@${PRM_N}/omegaprm`,
    method: "sampling",
    options: { ...sampling, select: "weighted", aggregation: "min" },
    scorer: "prm",
    verifier: `recompute-head=${MC_LABEL_HEADS.omegaprm}`,
    budget: PRM_N,
    paperMethod: "OmegaPRM PRM + weighted self-consistency",
  },
  {
    config: `prm_bon@${PRM_N}/math-shepherd`,
    method: "best_of_n",
    options: { ...sampling, aggregation: "min" },
    scorer: "prm",
    verifier: `recompute-head=${MC_LABEL_HEADS["math-shepherd"]}`,
    budget: PRM_N,
  },
];

/**
 * The arms: greedy, majority voting, best-of-N with the default PRM (checker labels) and
 * selection with PRMs from each labeller's Monte-Carlo labels, all on the same N samples.
 */
export const PRM_ARMS: Arm[] = [
  {
    config: "greedy",
    method: "greedy",
    options: { maxTokens: SOLUTION_TOKENS },
    budget: 1,
  },
  {
    config: `maj@${PRM_N}`,
    method: "sampling",
    options: { ...sampling, select: "majority" },
    budget: PRM_N,
  },
  {
    // the default PRM (models/verifiers/recompute.json): trained on the step checker's labels
    config: `prm_bon@${PRM_N}`,
    method: "best_of_n",
    options: { ...sampling, aggregation: "min" },
    scorer: "prm",
    budget: PRM_N,
  },
  ...MC_LABEL_ARMS,
];

const AMCS_ABS = "Ma et al., arXiv 2509.24351v1, abstract (docs/paper-tables.md §3)";
const AMCS_REV = "ICLR 2026 OpenReview reviews of arXiv 2509.24351 (paper withdrawn), " +
  "third-party copy (docs/paper-tables.md §3)";
const OMEGA_ABS = "Luo et al., arXiv 2406.06592, abstract (docs/paper-tables.md §3)";

/** The papers' numbers: AMCS abstract and reviewer quotes, OmegaPRM abstract. */
export const PRM_PAPER: PaperNumber[] = [
  {
    table: "AMCS abstract",
    method: "PRM-guided selection",
    setting: "MATH500, GLM-4-9B policy, Qwen2.5-Math-7B-PRM-AMCS (search method and N not stated)",
    metric: "accuracy %",
    value: 76.2,
    source: AMCS_ABS,
  },
  {
    table: "AMCS reviews",
    method: "PRM-guided selection",
    setting: "MATH500, 7B policy + AMCS PRM",
    metric: "accuracy %",
    value: 70.6,
    source: AMCS_REV,
    unverified: true,
  },
  {
    table: "AMCS reviews",
    method: "PRM-guided selection (weaker PRM, larger policy)",
    setting: "MATH500, 72B policy + DeepSeek-PRM",
    metric: "accuracy %",
    value: 65.0,
    source: AMCS_REV,
    unverified: true,
  },
  {
    table: "AMCS Table 1",
    method: "PRM-guided selection (AMCS vs Math-Shepherd / OmegaPRM PRMs)",
    setting: "per policy × search method × benchmark; BoN N not recovered",
    metric: "accuracy %",
    value: null,
    source: "Ma et al., arXiv 2509.24351, Table 1: not recovered (docs/paper-tables.md §3); " +
      "take it from the paper",
  },
  ...([
    ["Gemini Pro", "MATH500", 51, 69.4],
    ["Gemini Pro", "GSM8K", 86.4, 93.6],
    ["Gemma2 27B", "MATH500", 42.3, 58.2],
    ["Gemma2 27B", "GSM8K", 74.0, 92.2],
  ] as const).flatMap(([model, data, before, after]): PaperNumber[] => [
    {
      table: "OmegaPRM abstract",
      method: "base policy (as stated in the abstract)",
      setting: `${data}, ${model}`,
      metric: "accuracy %",
      value: before,
      source: OMEGA_ABS,
    },
    {
      table: "OmegaPRM abstract",
      method: "OmegaPRM PRM + weighted self-consistency",
      setting: `${data}, ${model}`,
      metric: "accuracy %",
      value: after,
      source: OMEGA_ABS,
    },
  ]),
];

/** One row of the label-quality table. */
export interface LabelQualityRow {
  method: string;
  budget: number;
  quality: LabelQuality;
}

/**
 * Label the first problems with every method at both budgets (resuming `<dir>/labels.jsonl`)
 * and measure label quality against the step checker.
 *
 * @example
 * ```ts ignore
 * const { rows } = await labelQualityRun(ctx);
 * rows[0].quality.accuracy.estimate;
 * ```
 */
export async function labelQualityRun(
  ctx: ExperimentContext,
): Promise<{ rows: LabelQualityRow[]; problems: number; file: string }> {
  const n = Math.min(LABEL_PROBLEMS, Math.max(1, Math.floor(ctx.problems.length / 3)));
  const problems = ctx.problems.slice(0, n).map((p) => {
    const sp = problemById(p.id);
    if (!sp) throw new Error(`prm_labels: ${p.id} is not a synthetic problem (no step checker)`);
    return sp;
  });
  const path = `${ctx.dir}/labels.jsonl`;
  const key = (r: Pick<LabelRecord, "method" | "budget" | "id" | "seed">) =>
    `${r.method}|${r.budget}|${r.seed}|${r.id}`;
  const out = await openRecords<LabelRecord>(path, key);
  const jobs = LABEL_METHODS.flatMap((method) =>
    LABEL_BUDGETS.flatMap((budget) => problems.map((p) => ({ method, budget, p })))
  );
  const todo = jobs.filter(({ method, budget, p }) =>
    !out.done.has(key({ method, budget, seed: ctx.seed, id: p.id }))
  );
  const bar = progress(jobs.length, "prm_labels/labels", jobs.length - todo.length);
  try {
    for (const { method, budget, p } of todo) {
      await out.append(
        await labelProblem({
          method,
          policy: ctx.backend.policy,
          item: p,
          judge: syntheticJudge,
          budget,
          seed: ctx.seed,
          k: LABEL_K,
          sampling: LABEL_SAMPLING,
          truth: syntheticTruth(p),
        }),
      );
      bar.tick(1, `${method} b${budget}`);
    }
  } finally {
    bar.stop();
  }
  const ids = new Set(problems.map((p) => p.id));
  const rows = LABEL_METHODS.flatMap((method) =>
    LABEL_BUDGETS.map((budget) => ({
      method,
      budget,
      quality: labelQuality(
        out.records.filter((r) =>
          r.method === method && r.budget === budget && r.seed === ctx.seed && ids.has(r.id)
        ),
        rng(ctx.seed),
      ),
    }))
  );
  return { rows, problems: problems.length, file: path };
}

/**
 * The card of each PRM the arms used (what it was trained on, its held-out metrics), by arm: the
 * default role's verifier for `prm_bon@16`, each arm's own head for the Monte-Carlo-label arms.
 */
async function prmCards(ctx: ExperimentContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const arm of PRM_ARMS.filter((a) => a.scorer === "prm")) {
    const spec = arm.verifier ?? ctx.backend.verifier("prm");
    const [file] = verifierPaths(spec, ctx.backend.describe.heads);
    if (file === undefined) {
      out[arm.config] = { verifier: fromRoot(spec), card: null };
      continue;
    }
    try {
      const doc = JSON.parse(await Deno.readTextFile(file));
      out[arm.config] = { verifier: fromRoot(spec), file: fromRoot(file), card: doc.card ?? null };
    } catch (e) {
      out[arm.config] = { verifier: fromRoot(spec), file: fromRoot(file), error: String(e) };
    }
  }
  return out;
}

/**
 * Part 1 (label quality) and the selections / at-k curves of the arms.
 *
 * @example
 * ```ts ignore
 * const extra = await prmLabelsExtra(ctx);
 * ```
 */
export async function prmLabelsExtra(ctx: ExperimentContext): Promise<Record<string, unknown>> {
  const labels = await labelQualityRun(ctx);
  const ids = ctx.problems.map((p) => p.id);
  const byArm = await armRecords(ctx.dir, PRM_ARMS.map((a) => a.config), ids);
  const sel: Record<string, unknown> = {};
  for (const [config, recs] of byArm) {
    if (config !== "greedy") sel[config] = selections(recs, ctx.seed);
  }
  const bon = byArm.get(`prm_bon@${PRM_N}`);
  return {
    labels: {
      problems: labels.problems,
      budgets: [...LABEL_BUDGETS],
      k: LABEL_K,
      sampling: LABEL_SAMPLING,
      file: fromRoot(labels.file),
      rows: labels.rows,
      table: qualityTable(labels.rows),
      notes: [
        "budget = total rollouts per problem (sampling the solutions to label counts); truth = " +
        "the synthetic step checker (a step is correct while the prefix is still on the gold path)",
        "F1 of the error class (label 0); accuracy and first-error CIs are Wilson 95%, the F1 CI " +
        "a per-problem bootstrap (500 rounds); labelled prefixes deduplicated within a problem",
      ],
    },
    prmHeads: await prmCards(ctx),
    selections: sel,
    curves: bon
      ? {
        [`prm_bon@${PRM_N}`]: atKCurves(
          bon,
          ["maj", "best", "weighted"],
          [1, 2, 4, 8, 16],
          ctx.seed,
        ),
      }
      : {},
  };
}

/** The experiment. */
export const prmLabels: Experiment = {
  name: "prm_labels",
  title:
    "Monte-Carlo process labels (Math-Shepherd, OmegaPRM, AMCS): label quality and PRM best-of-N",
  paper:
    "Ma et al., From Static to Dynamic: Adaptive Monte Carlo Search for Mathematical Process " +
    "Supervision (AMCS), arXiv 2509.24351; Luo et al., Improve Mathematical Reasoning in Language " +
    "Models by Automated Process Supervision (OmegaPRM), arXiv 2406.06592",
  dataset: "synthetic",
  limit: 40,
  description: "A step prefix $s$ is labelled by Monte-Carlo rollouts from it: " +
    "$\\mathrm{MC}(s) = \\#\\{\\text{correct rollouts}\\} / k$, hard label " +
    "$y(s) = \\mathbb{1}[\\mathrm{MC}(s) > 0]$. Math-Shepherd estimates every prefix of sampled " +
    "solutions with $k$ rollouts; OmegaPRM binary-searches a wrong solution for its first error, " +
    "choosing what to expand by $Q(s,r) + U(s)$ with $Q = \\alpha^{1-\\mathrm{MC}(s)} " +
    "\\beta^{\\mathrm{len}(r)/L}$ and $U = c_{\\mathrm{puct}} \\sqrt{\\sum N} / (1 + N(s))$; AMCS " +
    "spends rollouts adaptively until the Wilson interval of $\\hat p = \\mathrm{MC}(s)$, " +
    "$\\big(\\hat p + \\tfrac{z^2}{2n} \\pm z \\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}\\big) / " +
    "(1 + z^2/n)$, is narrow enough, and mixes exploration and exploitation with " +
    "$(1-w_t) Q + w_t U$, $w_t = e^{-t/20}$. Labels are compared with the exact step checker; a " +
    "PRM head trained on such labels then picks answers by best-of-N, " +
    "$\\arg\\max_i \\min_t r_t(x^i)$, against majority voting.",
  paperNumbers: PRM_PAPER,
  arms: PRM_ARMS,
  extra: prmLabelsExtra,
};

register(prmLabels);
