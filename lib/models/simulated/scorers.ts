/**
 * Simulated reward models over simulated problems: a perfect one and a noisy one.
 *
 * Two kinds of score (both probabilities in [0, 1], as {@linkcode Scorer} requires):
 * - `"value"` (default): the exact probability that the prefix ending at this step leads to the
 *   gold answer under the simulated policy at temperature 1 ({@linkcode valueOf}) — an ideal
 *   value model / outcome-supervised PRM;
 * - `"step"`: 1 when every correctness decision made inside this step is right (no `slip`, no
 *   wrong answer), else 0 — an ideal process-supervised PRM. With `lastOnly` the whole prefix is
 *   one step (1 iff nothing in it went wrong).
 *
 * Step `k` of a request is scored on the prefix `steps[0] + … + steps[k]`, whatever the step
 * boundaries are; with `lastOnly` the one score is that of the whole prefix.
 *
 * @example
 * ```ts
 * import { perfectScorer, simProblem } from "./mod.ts";
 * const p = simProblem({ id: "s", steps: 2, pRight: 0.5, answer: "1" });
 * const [scores] = await perfectScorer().score([{ problem: p.problem, steps: ["step 1: ok\n\n"] }]);
 * // scores = [0.5]
 * ```
 *
 * @module
 */
import type { Scorer, ScoreRequest } from "../../core/types.ts";
import { fork, rng } from "../../core/random.ts";
import { readSpec } from "./spec.ts";
import { decisions, valueOf } from "./document.ts";

/** Which exact quantity a simulated scorer reports. */
export type SimScoreKind = "value" | "step";

/** Options of {@linkcode perfectScorer}. */
export interface PerfectScorerOptions {
  /** `"value"` (default) or `"step"`. */
  kind?: SimScoreKind;
  /** Name for records. */
  name?: string;
}

/** Exact scores of one request. */
export function exactScores(
  req: ScoreRequest,
  kind: SimScoreKind,
  lastOnly: boolean,
): number[] {
  const spec = readSpec(req.problem);
  const prefixes: string[] = [];
  let acc = "";
  for (const s of req.steps) prefixes.push(acc += s);
  if (lastOnly) {
    const whole = prefixes.at(-1) ?? "";
    return [
      kind === "value"
        ? valueOf(req.problem, whole)
        : (decisions(spec, whole).every((d) => d) ? 1 : 0),
    ];
  }
  if (kind === "value") return prefixes.map((t) => valueOf(req.problem, t));
  let before = 0;
  return prefixes.map((t) => {
    const d = decisions(spec, t);
    const mine = d.slice(before);
    before = d.length;
    return mine.every((x) => x) ? 1 : 0;
  });
}

/**
 * A scorer that reports exact values (or exact step correctness) of simulated solutions.
 *
 * @example
 * ```ts
 * const prm = perfectScorer({ kind: "step" });
 * ```
 */
export function perfectScorer(options: PerfectScorerOptions = {}): Scorer {
  const kind = options.kind ?? "value";
  return {
    name: options.name ?? `perfect-${kind}`,
    score(requests, opts = {}) {
      return Promise.resolve(requests.map((r) => exactScores(r, kind, opts.lastOnly ?? false)));
    },
  };
}

/** Options of {@linkcode noisyScorer}. */
export interface NoisyScorerOptions {
  /** Standard deviation of the Gaussian noise added in logit space (0 = perfect). */
  noise: number;
  /** Seed of the noise (default 0). */
  seed?: number;
  /** `"value"` (default) or `"step"`. */
  kind?: SimScoreKind;
  /** Exact scores are clipped to [clip, 1 - clip] before the logit (default 1e-3). */
  clip?: number;
  /** Name for records. */
  name?: string;
}

/**
 * A perfect scorer with seeded logit-space noise: `sigmoid(logit(clip(s)) + noise · z)`, where
 * `z ~ N(0, 1)` is a deterministic function of (seed, kind, problem, prefix text, lastOnly), so
 * the same prefix always gets the same score, whatever the call order or batch.
 *
 * @example
 * ```ts
 * const prm = noisyScorer({ noise: 1.0, seed: 7 });
 * ```
 */
export function noisyScorer(options: NoisyScorerOptions): Scorer {
  const kind = options.kind ?? "value";
  const seed = options.seed ?? 0;
  const clip = options.clip ?? 1e-3;
  const noise = options.noise;
  if (!(noise >= 0)) throw new RangeError("noise must be ≥ 0");
  const perturb = (s: number, problem: string, prefix: string, lastOnly: boolean) => {
    const c = Math.min(1 - clip, Math.max(clip, s));
    const z = rng(fork(seed, kind, problem, prefix, lastOnly ? 1 : 0)).normal();
    return 1 / (1 + Math.exp(-(Math.log(c / (1 - c)) + noise * z)));
  };
  return {
    name: options.name ?? `noisy-${kind}-${noise}`,
    score(requests, opts = {}) {
      const lastOnly = opts.lastOnly ?? false;
      return Promise.resolve(requests.map((r) => {
        const exact = exactScores(r, kind, lastOnly);
        let acc = "";
        const prefixes = r.steps.map((s) => acc += s);
        return lastOnly
          ? [perturb(exact[0], r.problem, prefixes.at(-1) ?? "", true)]
          : exact.map((s, k) => perturb(s, r.problem, prefixes[k], false));
      }));
    },
  };
}
