/**
 * Label quality against a step checker's truth: per-step accuracy and F1 (positive class = "step
 * is an error", label 0), first-error accuracy per labelled path, and label yield per rollout,
 * with Wilson intervals (proportions) and a per-problem bootstrap (F1).
 *
 * Labelled prefixes are deduplicated within a problem (OmegaPRM paths share prefixes): each
 * distinct prefix counts once, with the first label given to it.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import type { LabelRecord } from "./label_problem.ts";
 * declare const records: LabelRecord[];
 * const q = labelQuality(records, rng(1));
 * q.accuracy.estimate; // fraction of labelled prefixes whose hard label equals the truth
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import type { LabelRecord } from "./label_problem.ts";
import { predictedFirstError } from "./labelled.ts";
import { binaryMetrics, bootstrapCi, type Interval, wilson } from "./stats.ts";

/** Quality of one method's labels. */
export interface LabelQuality {
  /** Problems. */
  problems: number;
  /** Mean rollouts used per problem. */
  rolloutsPerProblem: number;
  /** Distinct labelled step prefixes. */
  labelledSteps: number;
  /** Labelled prefixes per 100 rollouts. */
  stepsPer100Rollouts: number;
  /** Share of truly erroneous labelled prefixes. */
  errorRate: number;
  /** Per-step accuracy (Wilson 95%). */
  accuracy: Interval;
  /** F1 of the error class, with a per-problem bootstrap 95% interval. */
  f1Error: { estimate: number; lo: number; hi: number };
  /** Paths whose labels settle a first error (or none): share where it equals the truth. */
  firstError: Interval & { n: number };
}

/**
 * Quality of the labels in `records` (solutions must carry `truth`). `r` seeds the bootstrap.
 */
export function labelQuality(records: readonly LabelRecord[], r: Rng, rounds = 500): LabelQuality {
  type Pair = { pred: number; truth: number };
  const perProblem: Pair[][] = [];
  let feHit = 0, feN = 0, rollouts = 0;
  for (const rec of records) {
    rollouts += rec.rollouts;
    const seen = new Set<string>();
    const pairs: Pair[] = [];
    for (const s of rec.solutions) {
      if (!s.truth) throw new Error(`labelQuality: problem ${rec.id} has a solution without truth`);
      let prefix = "";
      s.steps.forEach((step, i) => {
        prefix += step;
        const l = s.labels[i];
        if (l === null || seen.has(prefix)) return;
        seen.add(prefix);
        // Error class = 1.
        pairs.push({ pred: l === 0 ? 1 : 0, truth: s.truth![i] > 0 ? 0 : 1 });
      });
      const fe = predictedFirstError(s.labels);
      if (fe !== null) {
        feN++;
        const t = s.truth.findIndex((v) => v <= 0);
        if (fe === t) feHit++;
      }
    }
    perProblem.push(pairs);
  }
  const flat = perProblem.flat();
  const m = binaryMetrics(flat.map((p) => p.pred), flat.map((p) => p.truth));
  const f1Of = (groups: Pair[][]) => {
    const f = groups.flat();
    return binaryMetrics(f.map((p) => p.pred), f.map((p) => p.truth)).f1;
  };
  const ci = bootstrapCi(perProblem, f1Of, r, { rounds });
  const fe = wilson(feHit, feN);
  return {
    problems: records.length,
    rolloutsPerProblem: records.length ? rollouts / records.length : NaN,
    labelledSteps: flat.length,
    stepsPer100Rollouts: rollouts ? (100 * flat.length) / rollouts : NaN,
    errorRate: flat.length ? flat.filter((p) => p.truth === 1).length / flat.length : NaN,
    accuracy: wilson(m.tp + m.tn, m.n),
    f1Error: { estimate: m.f1, ...ci },
    firstError: { ...fe, n: feN },
  };
}
