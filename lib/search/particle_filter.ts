/**
 * Particle filtering with a PRM as the likelihood, as probabilistic-inference-scaling's
 * `particle_gibbs_batch.py::particle_gibbs_kernel` with one Gibbs sweep and no reference
 * particle (docs/algorithms.md §3.2, §3.3).
 *
 * N particles take one `"\n\n"` step each; each particle's reward is the PRM score of its
 * whole prefix treated as ONE step (`scorer.score(..., { lastOnly: true })`, §3.3). While any
 * particle is active: weights `w = softmax(logit(r) / softmaxTemp)` over the last rewards of
 * ALL particles (r clipped to [ε, 1-ε], ε = float64 machine epsilon), N ancestors drawn
 * multinomially with replacement (`resampleInactive`, the paper runs' setting; with
 * `resampleInactive: false` only active particles are resampled, inactive ones kept), then every
 * active particle takes one more step and is re-scored. A particle becomes inactive when its step
 * ended with EOS, contains `"\\boxed"`, or it has `maxSteps` (40) steps; a `length` finish does
 * not deactivate it (the reference code only checks for the EOS token). Answer: the particle with
 * the highest last reward.
 *
 * Cost note: the reference code also generates (and discards) a step for inactive particles;
 * this implementation does not, so its token counts are lower for the same result distribution.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { particleFilterSearch } from "./particle_filter.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const res = await particleFilterSearch(problem, policy, prm, { n: 16, softmaxTemp: 1 });
 * ```
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult, SeqState } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { multinomial } from "./resampling.ts";
import { traceBuilder } from "./trace.ts";

/** Options of {@linkcode particleFilterSearch}. */
export interface ParticleFilterOptions extends SearchOptions {
  /** Number of particles N (default 4). */
  n?: number;
  /** Temperature of the softmax over reward logits (default 1). */
  softmaxTemp?: number;
  /** Resample finished particles too (default true, as the paper runs). */
  resampleInactive?: boolean;
  /** A particle with this many steps is finished (default 40). */
  maxSteps?: number;
}

/** Defaults of {@linkcode particleFilterSearch} (`script_to_run.sh` values, §3.1). */
export const PARTICLE_FILTER_DEFAULTS = {
  n: 4,
  softmaxTemp: 1,
  resampleInactive: true,
  maxSteps: 40,
  temperature: 0.8,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
};

const EPS = 2 ** -52;

/**
 * Resampling weights of particle filtering: `softmax(logit(clip(r)) / softmaxTemp)` (§3.2).
 * With `softmaxTemp = 1` this is `w ∝ r / (1 - r)`.
 *
 * @example
 * ```ts
 * particleWeights([0.5, 0.8, 0.2], 1); // [1, 4, 0.25] / 5.25
 * ```
 */
export function particleWeights(rewards: readonly number[], softmaxTemp: number): number[] {
  const logits = rewards.map((r) => {
    const c = Math.min(1 - EPS, Math.max(EPS, r));
    return (Math.log(c) - Math.log(1 - c)) / softmaxTemp;
  });
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

interface Particle {
  state: SeqState;
  rewards: number[];
  steps: number;
  active: boolean;
  tokens: number;
  node: number;
}

/**
 * Run particle filtering; requires a scorer. The trace is the particle genealogy: one node per
 * step a particle took, its parent the node of the particle it was resampled from.
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const { answer, candidates } = await particleFilterSearch("What is 2+3?", policy, prm, { n: 8 });
 * ```
 */
export async function particleFilterSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: ParticleFilterOptions = {},
): Promise<SearchResult> {
  if (!scorer) throw new TypeError("particle filtering needs a scorer");
  const o = { ...PARTICLE_FILTER_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  checkInt("maxSteps", o.maxSteps, 1);
  if (!(o.softmaxTemp > 0)) throw new RangeError("softmaxTemp must be > 0");
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const mt = meter(policy, scorer);
  const t = traceBuilder("particles");
  const root = t.add({ parent: null, text: "", depth: 0 });
  const r = rng(fork(o.seed, "pf", "resample"));
  const sampling = {
    stop: ["\n\n"],
    includeStop: true,
    temperature: o.temperature,
    topP: o.topP,
    maxTokens: o.maxTokens,
  };

  /** Extend the given particles by one step in one batch and score them (lastOnly). */
  const step = async (ps: Particle[], round: number) => {
    if (ps.length === 0) return;
    const out = await mt.policy.extend(ps.map((p) => p.state), {
      ...sampling,
      n: 1,
      seed: fork(o.seed, "pf", round),
    });
    const rewards = await mt.scorer!.score(
      out.map(([c]) => ({ problem: text, steps: [c.state.text] })),
      { lastOnly: true },
    );
    ps.forEach((p, k) => {
      const c = out[k][0];
      p.state = c.state;
      p.rewards.push(rewards[k][0]);
      p.steps++;
      p.tokens += continuationTokens(c);
      if (c.finishReason === "eos" || c.text.includes("\\boxed") || p.steps >= o.maxSteps) {
        p.active = false;
      }
      p.node = t.add({
        parent: p.node,
        text: c.text,
        depth: p.steps,
        score: rewards[k][0],
        ...(!p.active ? { terminal: true, answer: judge.extract(c.state.text) } : {}),
      });
    });
  };

  const start = mt.policy.start(text);
  let particles: Particle[] = Array.from({ length: o.n }, () => ({
    state: start,
    rewards: [],
    steps: 0,
    active: true,
    tokens: 0,
    node: root,
  }));
  // the first step: one request with n = N, as take_a_step_for_batch(first=True)
  const first = await mt.policy.extend([start], {
    ...sampling,
    n: o.n,
    seed: fork(o.seed, "pf", 0),
  });
  const firstRewards = await mt.scorer!.score(
    first[0].map((c) => ({ problem: text, steps: [c.state.text] })),
    { lastOnly: true },
  );
  particles.forEach((p, k) => {
    const c = first[0][k];
    p.state = c.state;
    p.rewards.push(firstRewards[k][0]);
    p.steps = 1;
    p.tokens = continuationTokens(c);
    p.active = !(c.finishReason === "eos" || c.text.includes("\\boxed") || o.maxSteps <= 1);
    p.node = t.add({
      parent: root,
      text: c.text,
      depth: 1,
      score: firstRewards[k][0],
      ...(!p.active ? { terminal: true, answer: judge.extract(c.state.text) } : {}),
    });
  });
  const copy = (p: Particle): Particle => ({ ...p, rewards: [...p.rewards] });
  for (let round = 1; particles.some((p) => p.active); round++) {
    if (o.resampleInactive) {
      const w = particleWeights(particles.map((p) => p.rewards.at(-1)!), o.softmaxTemp);
      particles = multinomial(w, r, o.n).map((i) => copy(particles[i]));
    } else {
      const act = particles.filter((p) => p.active);
      const w = particleWeights(act.map((p) => p.rewards.at(-1)!), o.softmaxTemp);
      particles = [
        ...particles.filter((p) => !p.active).map(copy),
        ...multinomial(w, r, act.length).map((i) => copy(act[i])),
      ];
    }
    await step(particles.filter((p) => p.active), round);
  }
  const candidates: Candidate[] = particles.map((p) => ({
    text: p.state.text,
    answer: judge.extract(p.state.text),
    score: p.rewards.at(-1)!,
    stepScores: p.rewards,
    tokens: p.tokens,
  }));
  let best = 0;
  candidates.forEach((c, k) => {
    if (c.score! > candidates[best].score!) best = k;
  });
  t.select(particles[best].node);
  return { answer: candidates[best].answer, candidates, cost: mt.cost(), trace: t.trace() };
}
