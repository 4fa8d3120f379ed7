/**
 * How well a verifier does what search asks of it, measured on one problem's candidates at a time:
 *
 * - **final AUC within a problem**: over pairs (right, wrong) of final solutions of the same
 *   problem, how often the right one scores higher (ties one half). Pooling problems would also
 *   reward telling easy problems from hard ones, which no search can use.
 * - **step AUC by (problem, step index)**: the same for step scores against the step truth ("no
 *   error so far"), comparing only steps at the same position of the same problem, so neither
 *   difficulty nor position (a PRM target falls with the step index) can score.
 * - **best-of-N, weighted majority and majority** accuracy on the same candidates, and the paired
 *   differences against majority voting with bootstrap CIs.
 *
 * @example
 * ```ts
 * import { verifierReport } from "./verifier.ts";
 * const r = verifierReport([[
 *   { answer: "5", correct: true, stepScores: [0.9, 0.8], stepTruth: [true, true] },
 *   { answer: "6", correct: false, stepScores: [0.9, 0.2], stepTruth: [true, false] },
 * ]], { seed: 0, same: (a, b) => a === b });
 * r.finalAuc; // 1
 * ```
 *
 * @module
 */
import { withinGroupAuc } from "./auc.ts";
import { bootstrapCI, type Interval, pairedBootstrapCI } from "./bootstrap.ts";
import type { Same } from "./records.ts";
import { bestOfN, majorityVote, weightedVote } from "./vote.ts";

/** One candidate solution with its verifier scores and the truth. */
export interface ScoredCandidate {
  /** Extracted final answer (null when none). */
  answer: string | null;
  /** Whether the final answer is right. */
  correct: boolean;
  /** The verifier's score of every step prefix (the last one scores the whole solution). */
  stepScores: readonly number[];
  /** Per step: no wrong step so far (the step checker's cumulative verdict); optional. */
  stepTruth?: readonly boolean[];
}

/** The report of {@linkcode verifierReport}. */
export interface VerifierReport {
  /** Problems scored. */
  problems: number;
  /** Candidates per problem (the smallest count). */
  n: number;
  /** Within-problem AUC of the final score against final correctness. */
  finalAuc: number;
  /** AUC of step scores against step truth, pairs of one problem at one step index only. */
  stepAuc: number | null;
  /** Mean accuracy of one candidate drawn at random. */
  random: number;
  /** Best-of-N by the final score (first of equals), with a bootstrap CI. */
  bestOfN: Interval;
  /** Weighted majority (final scores summed per answer). */
  weightedMajority: Interval;
  /** Majority voting (the baseline). */
  majority: Interval;
  /** Some candidate is right. */
  passAtN: number;
  /** Best-of-N minus majority, paired over problems. */
  bestOfNVsMajority: Interval;
  /** Weighted minus plain majority, paired. */
  weightedVsMajority: Interval;
}

/**
 * Score a verifier on problems' candidates (`problems[i]` = the candidates of problem i).
 *
 * @example
 * ```ts
 * declare const problems: ScoredCandidate[][];
 * const r = verifierReport(problems, { seed: 0, same: (a, b) => a === b });
 * console.log(r.bestOfN.mean - r.majority.mean);
 * ```
 */
export function verifierReport(
  problems: readonly (readonly ScoredCandidate[])[],
  options: { seed: number; same: Same; resamples?: number },
): VerifierReport {
  const finals: number[] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  const stepScores: number[] = [];
  const stepLabels: number[] = [];
  const stepGroups: number[] = [];
  const bon: number[] = [];
  const wmaj: number[] = [];
  const maj: number[] = [];
  const pass: number[] = [];
  const random: number[] = [];
  let maxSteps = 1;
  for (const cands of problems) {
    for (const c of cands) maxSteps = Math.max(maxSteps, c.stepScores.length);
  }
  problems.forEach((cands, p) => {
    const last = cands.map((c) => c.stepScores.length ? c.stepScores[c.stepScores.length - 1] : 0);
    cands.forEach((c, i) => {
      finals.push(last[i]);
      labels.push(c.correct ? 1 : 0);
      groups.push(p);
      c.stepTruth?.forEach((t, k) => {
        if (k >= c.stepScores.length) return;
        stepScores.push(c.stepScores[k]);
        stepLabels.push(t ? 1 : 0);
        stepGroups.push(p * maxSteps + k);
      });
    });
    const answers = cands.map((c) => c.answer);
    const right = (
      i: number | undefined,
    ) => (i !== undefined && i >= 0 && cands[i].correct ? 1 : 0);
    bon.push(right(cands.length ? bestOfN(last) : undefined));
    wmaj.push(right(weightedVote(answers, last, options.same)?.index));
    maj.push(right(majorityVote(answers, options.same)?.index));
    pass.push(cands.some((c) => c.correct) ? 1 : 0);
    random.push(cands.length ? cands.filter((c) => c.correct).length / cands.length : 0);
  });
  const o = { seed: options.seed, ...(options.resamples ? { resamples: options.resamples } : {}) };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    problems: problems.length,
    n: problems.length ? Math.min(...problems.map((c) => c.length)) : 0,
    finalAuc: withinGroupAuc(finals, labels, groups),
    stepAuc: stepScores.length ? withinGroupAuc(stepScores, stepLabels, stepGroups) : null,
    random: mean(random),
    bestOfN: bootstrapCI(bon, o),
    weightedMajority: bootstrapCI(wmaj, o),
    majority: bootstrapCI(maj, o),
    passAtN: mean(pass),
    bestOfNVsMajority: pairedBootstrapCI(bon, maj, o),
    weightedVsMajority: pairedBootstrapCI(wmaj, maj, o),
  };
}
