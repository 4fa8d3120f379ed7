/**
 * Statistics an experiment's `extra` reads back from its own `records.jsonl`, beyond what the
 * harness summary has: the three answer selections over each record's stored candidates
 * (majority, score-weighted majority, highest score) and pass@1, at-k compute curves from one
 * many-sample run, and Q#'s per-sample KL — each with a seeded percentile-bootstrap 95% CI over
 * problems. Everything is computed from stored candidates: no model is called.
 *
 * @example
 * ```ts
 * const byArm = await armRecords("results/tsmc", ["tsmc_n16"], ["eval-000", "eval-001"]);
 * const sel = selections(byArm.get("tsmc_n16")!, 0);
 * sel.majority.value; // accuracy of majority voting over the final particles
 * ```
 *
 * @module
 */
import {
  bootstrapCI,
  curveAtK,
  type CurvePoint,
  type Metric,
  metricAtK,
  type ProblemRecord,
} from "../lib/metrics/mod.ts";
import { readRecords } from "../lib/runs/mod.ts";
import { recordKey, type RunRecord } from "./harness.ts";

/** A mean over problems with its bootstrap 95% interval. */
export interface Estimate {
  /** Mean over problems. */
  value: number;
  /** Lower end of the 95% CI. */
  lo: number;
  /** Upper end of the 95% CI. */
  hi: number;
  /** Problems behind it. */
  n: number;
}

/**
 * The records of each configuration in `configs` for the problems `ids` (in `ids` order; the
 * last record written for a key wins). A configuration with no record is absent from the map.
 *
 * @example
 * ```ts
 * const m = await armRecords("results/qsharp", ["pi_ref"], ["eval-000"]);
 * ```
 */
export async function armRecords(
  dir: string,
  configs: readonly string[],
  ids: readonly string[],
): Promise<Map<string, RunRecord[]>> {
  const byKey = new Map<string, RunRecord>();
  try {
    for (const r of await readRecords<RunRecord>(`${dir}/records.jsonl`)) {
      byKey.set(recordKey(r), r);
    }
  } catch (e) {
    if (e instanceof Error && /cannot open/.test(e.message)) return new Map();
    throw e;
  }
  const out = new Map<string, RunRecord[]>();
  for (const config of configs) {
    const recs = ids.flatMap((id) => {
      const r = byKey.get(recordKey({ config, id }));
      return r ? [r] : [];
    });
    if (recs.length > 0) out.set(config, recs);
  }
  return out;
}

/**
 * Mean of per-problem values with a seeded bootstrap 95% CI (NaN everywhere when empty).
 *
 * @example
 * ```ts
 * estimate([1, 0, 1, 1], 0).value; // 0.75
 * ```
 */
export function estimate(values: readonly number[], seed: number): Estimate {
  if (values.length === 0) return { value: NaN, lo: NaN, hi: NaN, n: 0 };
  const ci = bootstrapCI(values, { seed });
  return { value: ci.mean, lo: ci.lo, hi: ci.hi, n: values.length };
}

/**
 * Harness records as the metrics library's problem records (candidates become samples).
 *
 * @example
 * ```ts
 * import type { RunRecord } from "./harness.ts";
 * declare const recs: RunRecord[];
 * asProblemRecords(recs)[0].samples.length; // candidates of the first problem
 * ```
 */
export function asProblemRecords(records: readonly RunRecord[]): ProblemRecord[] {
  return records.map((r) => ({
    id: r.id,
    gold: r.gold,
    samples: r.candidates.map((c) => ({
      answer: c.answer,
      correct: c.correct,
      ...(c.score !== undefined ? { score: c.score } : {}),
      ...(c.tokens !== undefined ? { tokens: c.tokens } : {}),
    })),
  }));
}

/** The selections over every record's full candidate set. */
export interface Selections {
  /** Candidates per problem (mean; methods such as MCTS return a varying number). */
  candidatesPerProblem: number;
  /** Mean share of correct candidates (= pass@1 of one random candidate). */
  pass1: Estimate;
  /** Majority vote over all candidates (ties to the first class). */
  majority: Estimate;
  /** Score-weighted majority (sum of scores per answer); null when candidates carry no score. */
  weighted: Estimate | null;
  /** Highest-scored candidate; null when candidates carry no score. */
  best: Estimate | null;
}

/**
 * Majority, score-weighted majority and highest score over all of each record's candidates, and
 * pass@1 (a record with no candidate counts as wrong everywhere). `weighted` and `best` need a
 * finite score on every candidate.
 *
 * @example
 * ```ts
 * import type { RunRecord } from "./harness.ts";
 * declare const recs: RunRecord[];
 * const s = selections(recs, 0);
 * console.log(s.majority.value, s.best?.value);
 * ```
 */
export function selections(records: readonly RunRecord[], seed: number): Selections {
  const probs = asProblemRecords(records);
  const scored = probs.every((p) =>
    p.samples.every((s) => typeof s.score === "number" && Number.isFinite(s.score))
  );
  const full = (metric: Metric) =>
    probs.map((p) => p.samples.length === 0 ? 0 : metricAtK([p], metric, p.samples.length)[0]);
  const pass1 = probs.map((p) =>
    p.samples.length === 0 ? 0 : p.samples.filter((s) => s.correct).length / p.samples.length
  );
  return {
    candidatesPerProblem: probs.reduce((a, p) => a + p.samples.length, 0) /
      Math.max(1, probs.length),
    pass1: estimate(pass1, seed),
    majority: estimate(full("maj"), seed),
    weighted: scored ? estimate(full("weighted"), seed) : null,
    best: scored ? estimate(full("best"), seed) : null,
  };
}

/**
 * At-k curves from one run with n samples per problem (k-subsets in expectation, see
 * `lib/metrics/at_k.ts`), for each metric in `metrics`; the ks above the smallest n are dropped.
 * Metrics that need scores are skipped when a candidate has none.
 *
 * @example
 * ```ts
 * import type { RunRecord } from "./harness.ts";
 * declare const recs: RunRecord[];
 * atKCurves(recs, ["maj", "best"], [1, 2, 4, 8, 16], 0).maj; // [{ label: 1, tokens, accuracy, lo, hi, n }, ...]
 * ```
 */
export function atKCurves(
  records: readonly RunRecord[],
  metrics: readonly Metric[],
  ks: readonly number[],
  seed: number,
): Partial<Record<Metric, CurvePoint[]>> {
  const probs = asProblemRecords(records);
  if (probs.length === 0) return {};
  const nMin = Math.min(...probs.map((p) => p.samples.length));
  const usable = ks.filter((k) => k >= 1 && k <= nMin);
  const hasTokens = probs.every((p) => p.samples.every((s) => typeof s.tokens === "number"));
  const scored = probs.every((p) => p.samples.every((s) => typeof s.score === "number"));
  const out: Partial<Record<Metric, CurvePoint[]>> = {};
  if (usable.length === 0 || !hasTokens) return out;
  for (const metric of metrics) {
    if ((metric === "weighted" || metric === "best") && !scored) continue;
    out[metric] = curveAtK(probs, { metric, ks: usable, seed });
  }
  return out;
}

/**
 * The mean KL(π_guided ‖ π_ref) per sample, averaged per problem then over problems, with a CI;
 * null when the records carry no `kl`.
 *
 * @example
 * ```ts
 * import type { RunRecord } from "./harness.ts";
 * declare const recs: RunRecord[];
 * klEstimate(recs, 0)?.value;
 * ```
 */
export function klEstimate(records: readonly RunRecord[], seed: number): Estimate | null {
  const per = records.flatMap((r) =>
    r.kl && r.kl.length > 0 ? [r.kl.reduce((a, b) => a + b, 0) / r.kl.length] : []
  );
  return per.length === 0 ? null : estimate(per, seed);
}
