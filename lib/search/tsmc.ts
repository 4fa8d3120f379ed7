/**
 * Twisted sequential Monte Carlo (TSMC), step-level version of TSMC4MATH's generation script
 * (`decode_n_tokens_step`, docs/algorithms.md §4.2), written against the {@linkcode Policy}
 * interface.
 *
 * N particles form N/M independent groups of M. In each round every unfinished particle is
 * extended to its next step boundary (`"\n\n"`, kept) or to EOS; a boundary only counts once the
 * particle has at least `warmup` tokens and is not the `"# Answer\n\n"` of the PRM800K format
 * (otherwise generation simply continues). The twist is ψ_t = p^τ with p the scorer's
 * probability for the whole prefix (`lastOnly`; a value model's `sigmoid(y)`), floored at 1e-12;
 * the incremental weight is ψ_t / ψ_{t-1} (ψ_0 = 1; proposal = generator); particles that
 * produced nothing this round (finished earlier) have ratio 1; particles truncated by
 * `maxTokens` (total new tokens per particle) are killed with log ψ = -1e6. After scoring, if
 * every particle is finished the run ends (no resampling after the final scoring); otherwise each
 * group resamples its M particles with `ordered_stratified` on softmax(log ratios), except groups
 * whose particles are all finished. After `stopSteps` rounds boundaries are ignored: particles
 * run to EOS and get a final (ORM-like) value without resampling. `stopSteps = 0` is importance
 * sampling / best-of-N with the value model.
 *
 * Differences from the token-level script: the warm-up is per particle (the script counts the
 * tokens of the shortest unfinished particle in the batch), and all groups advance in lockstep
 * rounds as one batch (the script's batch is `batch_size` rows).
 *
 * Final answer (`vote: "weighted"`, default): each particle's weight is its last incremental
 * weight ψ_T/ψ_{T−1} normalised within its group of M (the importance weight SMC carries after
 * the last resampling, {@linkcode groupWeights}), and the answer with the largest summed weight
 * wins; `"majority"` counts particles, `"max"` takes the highest final twist ψ_T. **[UNVERIFIED]**
 * against the script's `evaluate.py`, which is not available (§4.3); the result says so in `note`.
 *
 * {@linkcode TSMC_SETTING} is the one setting every experiment here uses.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { tsmcSearch } from "./tsmc.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const valueModel: Scorer; // the twist
 * const res = await tsmcSearch(problem, policy, valueModel, { n: 16, m: 4, tau: 0.5, stopSteps: 5 });
 * res.particles[0].logRatios; // log ψ_t/ψ_{t-1} per round
 * ```
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult, SeqState } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { RESAMPLERS } from "./resampling.ts";
import { traceBuilder } from "./trace.ts";
import { bestOfN, majority, type Selection, weightedMajority } from "./vote.ts";

/** How TSMC picks its final answer ([UNVERIFIED], see the module doc). */
export type TsmcVote = "weighted" | "majority" | "max";

/** Options of {@linkcode tsmcSearch}. */
export interface TsmcOptions extends SearchOptions {
  /** Total particles N (default 4). */
  n?: number;
  /** Particles per independent SMC group M (`tsmc_batch_size`, default 4); M divides N. */
  m?: number;
  /** Twist exponent τ (`tsmc_temperature`, default 1). */
  tau?: number;
  /** Top-k of the generator (default 200). */
  topK?: number;
  /** Rounds that end at step boundaries before running to EOS (default 5). */
  stopSteps?: number;
  /** Tokens a particle must have before a boundary counts (default 0). */
  warmup?: number;
  /** Final answer rule (default "weighted"). */
  vote?: TsmcVote;
  /** Resampling scheme name from {@linkcode RESAMPLERS} (default "ordered_stratified"). */
  resampler?: string;
}

/** Defaults of {@linkcode tsmcSearch} (the script's CLI defaults; README run: N=240, M=40, τ=0.5, top-k 20, T=0.7, warmup 50, 768 tokens). */
export const TSMC_DEFAULTS = {
  n: 4,
  m: 4,
  tau: 1,
  temperature: 0.8,
  topP: 1,
  topK: 200,
  maxTokens: 200,
  stopSteps: 5,
  warmup: 0,
  seed: 0,
  vote: "weighted" as TsmcVote,
  resampler: "ordered_stratified",
};

/**
 * The workspace's TSMC setting on the embedded world, shared by `experiments/tsmc.ts` and
 * `experiments/search_and_learn.ts`: the README run's τ = 0.5, top-k 20 and T = 0.7 (README: N =
 * 240 in groups of M = 40, warm-up 50 tokens, 768 tokens); groups of half the particles (two
 * groups, as N = 240 / M = 40 keeps several); no warm-up, because the synthetic world's steps are
 * 30-70 tokens and a 50-token warm-up would merge the first two.
 */
export const TSMC_SETTING = { tau: 0.5, topK: 20, temperature: 0.7, warmup: 0, groups: 2 };

/**
 * TSMC options for `n` particles under {@linkcode TSMC_SETTING} (M = n / groups, at least 1).
 *
 * @example
 * ```ts
 * tsmcSetting(16); // { n: 16, m: 8, tau: 0.5, topK: 20, temperature: 0.7, warmup: 0 }
 * ```
 */
export function tsmcSetting(n: number) {
  const { groups, ...rest } = TSMC_SETTING;
  return { n, m: Math.max(1, Math.floor(n / groups)), ...rest };
}

/**
 * Final weights of the particles: softmax of the last log incremental weights within each group
 * of `m` consecutive particles (each group sums to 1).
 *
 * @example
 * ```ts
 * groupWeights([0, 0, Math.log(4), 0], 2); // [0.5, 0.5, 0.8, 0.2]
 * ```
 */
export function groupWeights(lastLogRatios: readonly number[], m: number): number[] {
  const out = new Array<number>(lastLogRatios.length);
  for (let g = 0; g < lastLogRatios.length; g += m) {
    const lr = lastLogRatios.slice(g, g + m);
    const top = Math.max(...lr);
    const e = lr.map((x) => Math.exp(x - top));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((x, k) => (out[g + k] = x / z));
  }
  return out;
}

/** Log-weight given to particles truncated by the token limit (the script's value). */
export const KILLED_LOG_WEIGHT = -1e6;
/** Floor on scorer probabilities before the log. */
export const MIN_TWIST_PROB = 1e-12;

/** What happened to one particle in a round, for {@linkcode twistUpdate}. */
export type RoundOutcome =
  | { kind: "scored"; p: number }
  | { kind: "idle" }
  | { kind: "killed" };

/**
 * One TSMC reweighting (§4.2): `log ψ_t = τ · log p` for scored particles, unchanged for idle
 * ones, `-1e6` for killed ones; `log ratio = log ψ_t - log ψ_{t-1}`.
 *
 * @example
 * ```ts
 * twistUpdate([0, 0], [{ kind: "scored", p: 0.5 }, { kind: "idle" }], 1);
 * // { logValue: [log 0.5, 0], logRatio: [log 0.5, 0] }
 * ```
 */
export function twistUpdate(
  prevLogValue: readonly number[],
  outcomes: readonly RoundOutcome[],
  tau: number,
): { logValue: number[]; logRatio: number[] } {
  const logValue = outcomes.map((o, i) =>
    o.kind === "scored"
      ? tau * Math.log(Math.max(MIN_TWIST_PROB, o.p))
      : o.kind === "killed"
      ? KILLED_LOG_WEIGHT
      : prevLogValue[i]
  );
  return { logValue, logRatio: logValue.map((v, i) => v - prevLogValue[i]) };
}

/** The weight history of one final particle. */
export interface TsmcParticle {
  /** log ψ_t / ψ_{t-1} for every round (0 when idle). */
  logRatios: number[];
  /** log ψ_t for every round. */
  logValues: number[];
  /** Whether it was killed by the token limit. */
  killed: boolean;
}

/**
 * A TSMC result: particles' weight histories, the three votes, and the [UNVERIFIED] note.
 * Candidates' `score` is their final weight (the weighted vote's), `stepScores` their ψ_t.
 */
export interface TsmcResult extends SearchResult {
  /** One entry per final candidate, same order. */
  particles: TsmcParticle[];
  /** All three final-answer rules over the same particles. */
  selections: { weighted: Selection; majority: Selection; max: Selection };
  /** States that the final-answer rule is not verified against the paper's `evaluate.py`. */
  note: string;
}

interface Particle extends TsmcParticle {
  state: SeqState;
  tokens: number;
  finished: boolean;
  node: number;
}

/**
 * Run step-level TSMC; requires a scorer (the value model / twist).
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const value: Scorer;
 * const { answer, particles } = await tsmcSearch("What is 2+3?", policy, value, { n: 8, m: 4 });
 * ```
 */
export async function tsmcSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: TsmcOptions = {},
): Promise<TsmcResult> {
  if (!scorer) throw new TypeError("TSMC needs a scorer (the twist)");
  const o = { ...TSMC_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  checkInt("m", o.m, 1);
  checkInt("stopSteps", o.stopSteps, 0);
  if (o.n % o.m !== 0) throw new RangeError(`n (${o.n}) must be a multiple of m (${o.m})`);
  const resample = RESAMPLERS[o.resampler];
  if (!resample) throw new RangeError(`unknown resampler ${o.resampler}`);
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const mt = meter(policy, scorer);
  const t = traceBuilder("particles");
  const root = t.add({ parent: null, text: "", depth: 0 });
  const start = mt.policy.start(text);
  let particles: Particle[] = Array.from({ length: o.n }, () => ({
    state: start,
    tokens: 0,
    finished: false,
    killed: false,
    node: root,
    logRatios: [],
    logValues: [],
  }));
  const logValueOf = (p: Particle) => p.logValues.at(-1) ?? 0;
  let calls = 0;
  for (let round = 0;; round++) {
    const boundaries = round < o.stopSteps;
    const advancing = particles.filter((p) => !p.finished);
    const roundText = new Map<Particle, string>(advancing.map((p) => [p, ""]));
    let pending = advancing;
    while (pending.length > 0) {
      // one request per remaining token budget, so that each particle gets its own maxTokens
      const budgets = [...new Set(pending.map((p) => o.maxTokens - p.tokens))];
      const next: Particle[] = [];
      for (const budget of budgets) {
        const batch = pending.filter((p) => o.maxTokens - p.tokens === budget);
        const out = await mt.policy.extend(batch.map((p) => p.state), {
          n: 1,
          stop: boundaries ? ["\n\n"] : [],
          includeStop: true,
          temperature: o.temperature,
          topP: o.topP,
          topK: o.topK,
          maxTokens: budget,
          seed: fork(o.seed, "tsmc", calls++),
        });
        batch.forEach((p, k) => {
          const c = out[k][0];
          p.state = c.state;
          p.tokens += continuationTokens(c);
          roundText.set(p, roundText.get(p)! + c.text);
          if (c.finishReason === "eos") p.finished = true;
          else if (c.finishReason === "length" || p.tokens >= o.maxTokens) {
            p.finished = p.killed = true;
          } else if (p.tokens < o.warmup || p.state.text.endsWith("# Answer\n\n")) next.push(p);
        });
      }
      pending = next;
    }
    if (advancing.length === 0) break; // every particle idle
    const scoredIdx = particles.flatMap((p, i) => (!p.killed && roundText.has(p) ? [i] : []));
    const scores = scoredIdx.length === 0 ? [] : await mt.scorer!.score(
      scoredIdx.map((i) => ({ problem: text, steps: [particles[i].state.text] })),
      { lastOnly: true },
    );
    const pOf = new Map(scoredIdx.map((i, k) => [i, scores[k][0]]));
    const { logValue, logRatio } = twistUpdate(
      particles.map(logValueOf),
      particles.map((p, i): RoundOutcome =>
        !roundText.has(p)
          ? { kind: "idle" }
          : p.killed
          ? { kind: "killed" }
          : { kind: "scored", p: pOf.get(i)! }
      ),
      o.tau,
    );
    particles.forEach((p, i) => {
      p.logValues.push(logValue[i]);
      p.logRatios.push(logRatio[i]);
      if (roundText.has(p)) {
        p.node = t.add({
          parent: p.node,
          text: roundText.get(p)!,
          depth: round + 1,
          score: Math.exp(logValue[i]),
          ...(p.finished ? { terminal: true, answer: judge.extract(p.state.text) } : {}),
        });
      }
    });
    if (particles.every((p) => p.finished)) break;
    const copy = (p: Particle): Particle => ({
      ...p,
      logRatios: [...p.logRatios],
      logValues: [...p.logValues],
    });
    const next: Particle[] = [];
    for (let g = 0; g < o.n / o.m; g++) {
      const group = particles.slice(g * o.m, (g + 1) * o.m);
      if (group.every((p) => p.finished)) {
        next.push(...group.map(copy));
        continue;
      }
      const lr = logRatio.slice(g * o.m, (g + 1) * o.m);
      const top = Math.max(...lr);
      const w = lr.map((x) => Math.exp(x - top));
      const idx = resample(w, rng(fork(o.seed, "tsmc", "resample", round, g)));
      next.push(...idx.map((i) => copy(group[i])));
    }
    particles = next;
  }
  const weights = groupWeights(particles.map((p) => p.logRatios.at(-1) ?? 0), o.m);
  const candidates: Candidate[] = particles.map((p, i) => ({
    text: p.state.text,
    answer: judge.extract(p.state.text),
    score: weights[i],
    stepScores: p.logValues.map(Math.exp),
    tokens: p.tokens,
  }));
  const selections = {
    weighted: weightedMajority(candidates, judge),
    majority: majority(candidates, judge),
    max: bestOfN(particles.map((p, i) => ({ ...candidates[i], score: Math.exp(logValueOf(p)) }))),
  };
  const chosen = selections[o.vote];
  if (chosen.index >= 0) t.select(particles[chosen.index].node);
  return {
    answer: chosen.answer,
    candidates,
    cost: mt.cost(),
    trace: t.trace(),
    particles: particles.map(({ logRatios, logValues, killed }) => ({
      logRatios,
      logValues,
      killed,
    })),
    selections,
    note: "[UNVERIFIED] final answer rule: TSMC4MATH evaluate.py is not available; " +
      `this run used "${o.vote}" over the final particles (weighted = sum per answer of the last ` +
      "incremental weights ψ_T/ψ_{T−1}, normalised within each group).",
  };
}
