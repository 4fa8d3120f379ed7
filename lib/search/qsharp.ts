/**
 * Q# value-guided decoding (Zhou, Wang et al. 2025; q_sharp `classifier.py::
 * CustomValueGuidedLogitProcessor`, `eval_ckpt.py`; docs/algorithms.md §7.1, §7.3).
 *
 * At every decoding position, through {@linkcode ExtendOptions.logitsHook}:
 * ```
 * K = indices of the top-k reference logits (k = 20; k ≤ 0 = all)
 * p_a = classifier probability that the answer ends correct after prefix + a, for a in K
 * bernoulli:   logits[a] += log((1 − p_a) + p_a · e^η)      # = log E[e^{ηR}], R ~ Bern(p_a)
 * cd:          logits[a] += η · p_a                          # CD / VAS baseline
 * expectation: logits[a] += log p_a                          # (η ignored)
 * tokens outside K unchanged
 * ```
 * so the guided policy is π(a|s) ∝ π_ref(a|s) · E[e^{ηR} | s, a] on K. With η = 0 the
 * bernoulli and cd offsets are exactly 0 (π = π_ref). The policy applies temperature / top-p
 * after the hook (HF: processors before warpers).
 *
 * `eta` is the reference code's η (`eval_ckpt.py --eta`), the **reciprocal** of the paper's KL
 * weight: the paper's default η = 0.1 is `eta: 10` here (the README runs `--eta 10`); experiments
 * label their arms by the paper's η.
 *
 * Evaluation (§7.3): `n` samples (default 8) with seeds `seed + 50·i`, run to EOS; the answer is
 * the majority answer (ties broken at random, seeded); per sample, KL(π_guided ‖ π_ref) summed over
 * positions, each term `KL(topP(softmax(guided_t / T)) ‖ softmax(ref_t / T))` (T = temperature, 1
 * when sampling greedily): as `eval_ckpt.py`, which compares generate's scores (after the
 * temperature and top-p warpers, so tokens outside the nucleus have probability 0) with the
 * reference logits divided by T (no top-p).
 *
 * @module
 */
import type {
  Candidate,
  LogitsContext,
  LogitsHook,
  Policy,
  Problem,
  Scorer,
  SearchResult,
  TraceNode,
} from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { type AnswerJudge, defaultJudge } from "./answers.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { type AnswerClass, answerClasses } from "./vote.ts";

/**
 * The Q# classifier: for a decoding position and candidate next tokens, the probability (per
 * candidate, in [0, 1]) that the reference policy finishes correct after taking that token.
 * A real one is a value head on the hidden states of prefix + candidate.
 */
export interface TokenValue {
  /** One probability per candidate token, in `candidates` order. */
  scoreCandidates(ctx: LogitsContext, candidates: number[]): Promise<Float32Array>;
}

/** How a classifier probability becomes a logit offset. */
export type GuidanceMode = "bernoulli" | "cd" | "expectation";

/** Options of {@linkcode valueGuidedHook}. */
export interface GuidanceOptions {
  /** The reference code's η, the reciprocal of the paper's KL weight (larger = stronger guidance). */
  eta: number;
  /** Candidate tokens per position (default 20; ≤ 0 = the whole vocabulary). */
  topK?: number;
  /** Offset rule (default `"bernoulli"`). */
  mode?: GuidanceMode;
  /** Temperature used for the KL bookkeeping (default 1). */
  temperature?: number;
  /** Nucleus mass of the sampler, applied to the guided side of the KL (default 1 = off). */
  topP?: number;
  /** Called after each position with its KL term. */
  onPosition?: (ctx: LogitsContext, kl: number) => void;
}

/**
 * The logit offset of one candidate with classifier probability `p`.
 *
 * @example
 * ```ts
 * guidanceOffset(0.5, Math.log(3), "bernoulli"); // log(0.5 + 0.5·3) = log 2
 * guidanceOffset(0.5, 2, "cd"); // 1
 * ```
 */
export function guidanceOffset(p: number, eta: number, mode: GuidanceMode): number {
  switch (mode) {
    case "bernoulli":
      // log((1 − p) + p·e^η): log1p form for small |η|, log-sum-exp for large |η| (no overflow).
      return Math.abs(eta) <= 1
        ? Math.log1p(p * Math.expm1(eta))
        : logAddExp(Math.log1p(-p), Math.log(p) + eta);
    case "cd":
      return eta * p;
    case "expectation":
      return Math.log(p);
    default:
      throw new Error(`unknown guidance mode ${mode as string}`);
  }
}

/**
 * Indices of the `k` largest finite values (all finite indices when `k ≤ 0`), largest first,
 * lower index first on ties.
 *
 * @example
 * ```ts
 * topKIndices(new Float32Array([0, 3, -Infinity, 2]), 2); // [1, 3]
 * ```
 */
export function topKIndices(logits: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < logits.length; i++) if (logits[i] > -Infinity) idx.push(i);
  idx.sort((a, b) => logits[b] - logits[a] || a - b);
  return k > 0 ? idx.slice(0, k) : idx;
}

/**
 * The logits with every token outside the top-p nucleus of `softmax(logits / T)` set to
 * `-Infinity`, as Hugging Face's `TopPLogitsWarper` does (sort ascending, drop tokens while the
 * cumulative probability stays ≤ 1 − p, always keep the most likely one). `p ≥ 1` keeps all.
 *
 * @example
 * ```ts
 * nucleus([Math.log(0.6), Math.log(0.3), Math.log(0.1)], 1, 0.8); // [log 0.6, log 0.3, -Infinity]
 * ```
 */
export function nucleus(
  logits: ArrayLike<number>,
  temperature: number,
  topP: number,
): Float64Array {
  const out = Float64Array.from(logits);
  if (topP >= 1) return out;
  const lp = logSoftmax(logits, temperature);
  const order = Array.from(lp.keys()).sort((a, b) => lp[a] - lp[b] || b - a);
  let cum = 0;
  for (let k = 0; k < order.length - 1; k++) {
    cum += Math.exp(lp[order[k]]);
    if (cum > 1 - topP) break;
    out[order[k]] = -Infinity;
  }
  return out;
}

/**
 * `KL(softmax(p / T) ‖ softmax(q / T))` of two logit vectors (entries may be `-Infinity`).
 *
 * @example
 * ```ts
 * klFromLogits([0, 0], [0, 0], 1); // 0
 * ```
 */
export function klFromLogits(p: ArrayLike<number>, q: ArrayLike<number>, temperature = 1): number {
  const lp = logSoftmax(p, temperature);
  const lq = logSoftmax(q, temperature);
  let kl = 0;
  for (let i = 0; i < lp.length; i++) {
    if (lp[i] === -Infinity) continue;
    if (lq[i] === -Infinity) return Infinity;
    kl += Math.exp(lp[i]) * (lp[i] - lq[i]);
  }
  return Math.max(kl, 0);
}

/**
 * A logits hook that turns reference logits into Q#-guided logits in place.
 *
 * @example
 * ```ts
 * const classifier = { scoreCandidates: (_ctx: unknown, c: number[]) => Promise.resolve(new Float32Array(c.length).fill(0.5)) };
 * const hook = valueGuidedHook(classifier, { eta: 1, topK: 2 });
 * // policy.extend(states, { stop: [], logitsHook: hook })
 * ```
 */
export function valueGuidedHook(classifier: TokenValue, options: GuidanceOptions): LogitsHook {
  const topK = options.topK ?? 20;
  const mode = options.mode ?? "bernoulli";
  const temperature = options.temperature ?? 1;
  return async (ctx) => {
    const ref = Float32Array.from(ctx.logits);
    const cand = topKIndices(ref, topK);
    const probs = await classifier.scoreCandidates(ctx, cand);
    if (probs.length !== cand.length) {
      throw new Error(`classifier returned ${probs.length} values for ${cand.length} candidates`);
    }
    cand.forEach((a, i) => {
      const p = probs[i];
      if (!(p >= 0 && p <= 1)) throw new RangeError(`classifier probability ${p} not in [0, 1]`);
      ctx.logits[a] += guidanceOffset(p, options.eta, mode);
    });
    if (options.onPosition) {
      const guided = nucleus(ctx.logits, temperature, options.topP ?? 1);
      options.onPosition(ctx, klFromLogits(guided, ref, temperature));
    }
  };
}

/** Defaults of {@linkcode qsharp} (`eval_ckpt.py`; seed 0 here, 47 in the paper's runs). */
export const QSHARP_DEFAULTS = {
  eta: 1,
  mode: "bernoulli" as GuidanceMode,
  topK: 20,
  n: 8,
  temperature: 1,
  topP: 1,
  maxTokens: 1024,
  seed: 0,
};

/**
 * Options of {@linkcode qsharp} (defaults: {@linkcode QSHARP_DEFAULTS}, from `eval_ckpt.py` — 8 samples, top-k 20, temperature 1;
 * sample i uses seed `seed + 50·i`, as the paper's evaluation with its seed 47 → here 0).
 */
export interface QSharpOptions extends SearchOptions {
  /** The value classifier. */
  classifier: TokenValue;
  /** The reference code's η = 1 / (the paper's KL weight) (default 1). */
  eta?: number;
  /** Offset rule (default `"bernoulli"`; `"cd"` = CD baseline). */
  mode?: GuidanceMode;
  /** Candidates per position (default 20). */
  topK?: number;
  /** Samples (default 8). */
  n?: number;
  /** Stop strings (default `[]`: to EOS or `maxTokens`, default 1024). */
  stop?: string[];
}

/** {@linkcode SearchResult} plus Q#'s per-sample KL. */
export interface QSharpResult extends SearchResult {
  /** KL(π_guided ‖ π_ref) of each sample, summed over its positions. */
  kl: number[];
}

/**
 * Sample `n` Q#-guided solutions and return the majority answer.
 *
 * The scorer argument is unused (Q# guides with its token classifier); it is accepted so that
 * Q# has the signature of every other method. Candidates: one per sample, `score` = the share of
 * samples in its answer class; trace: kind `"samples"`, one node per sample with its `kl`.
 *
 * @example
 * ```ts ignore
 * const r = await qsharp(problem, tokenPolicy, undefined, { classifier, eta: 10, n: 8 });
 * r.answer; r.kl;
 * ```
 */
export async function qsharp(
  problem: Problem | string,
  policy: Policy,
  _scorer: Scorer | undefined,
  options: QSharpOptions,
): Promise<QSharpResult> {
  if (!policy.capabilities.logits) throw new Error(`policy ${policy.name} has no logits hook`);
  if (options.classifier === undefined) throw new Error("qsharp needs options.classifier");
  const o = { ...QSHARP_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  const { n, seed, temperature } = o;
  const judge = o.judge ?? defaultJudge;
  const metered = meter(policy);
  const start = metered.policy.start(problemText(problem));

  const samples: { text: string; tokens: number; answer: string | null; kl: number }[] = [];
  for (let i = 0; i < n; i++) {
    let kl = 0;
    const hook = valueGuidedHook(o.classifier, {
      eta: o.eta,
      topK: o.topK,
      mode: o.mode,
      temperature: temperature > 0 ? temperature : 1,
      topP: temperature > 0 ? o.topP : 1,
      onPosition: (_ctx, k) => {
        kl += k;
      },
    });
    const [[c]] = await metered.policy.extend([start], {
      n: 1,
      stop: o.stop ?? [],
      temperature,
      maxTokens: o.maxTokens,
      topP: o.topP,
      seed: seed + 50 * i,
      logitsHook: hook,
    });
    const tokens = continuationTokens(c);
    samples.push({ text: c.state.text, tokens, answer: judge.extract(c.state.text), kl });
  }

  const candidates: Candidate[] = samples.map((s) => ({
    text: s.text,
    answer: s.answer,
    tokens: s.tokens,
  }));
  const { answer, classes } = majorityRandomTies(candidates, judge, fork(seed, "ties"));
  for (const cl of classes) for (const i of cl.members) candidates[i].score = cl.members.length / n;
  for (const c of candidates) c.score ??= 0;
  const nodes: (TraceNode & { kl: number })[] = samples.map((s, i) => ({
    id: i,
    parent: null,
    text: s.text,
    depth: 0,
    terminal: true,
    selected: answer !== null && s.answer !== null && judge.same(s.answer, answer),
    answer: s.answer,
    kl: s.kl,
  }));
  return {
    answer,
    candidates,
    cost: metered.cost(),
    trace: { kind: "samples", nodes },
    kl: samples.map((s) => s.kl),
  };
}

/**
 * Majority vote with Q#'s tie rule (`eval_ckpt.py`): equivalence classes as
 * {@linkcode answerClasses} (null answers never vote), ties between the largest classes broken
 * uniformly by a seeded draw (search-and-learn's `majority` in `vote.ts` takes the first instead).
 *
 * @example
 * ```ts
 * import { type AnswerJudge, defaultJudge } from "./answers.ts";
 * const c = ["1", "2", "1", null].map((answer) => ({ text: "", answer }));
 * majorityRandomTies(c, defaultJudge, 0).answer; // "1"
 * ```
 */
export function majorityRandomTies(
  candidates: readonly Candidate[],
  judge: AnswerJudge,
  seed: number,
): { answer: string | null; classes: AnswerClass[] } {
  const classes = answerClasses(candidates, judge);
  if (classes.length === 0) return { answer: null, classes };
  const top = Math.max(...classes.map((c) => c.members.length));
  const tied = classes.filter((c) => c.members.length === top);
  const pick = tied.length === 1 ? tied[0] : tied[rng(seed).int(tied.length)];
  return { answer: pick.answer, classes };
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log1p(Math.exp(Math.min(a, b) - m));
}

function logSoftmax(x: ArrayLike<number>, temperature: number): Float64Array {
  const out = new Float64Array(x.length);
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i] / temperature);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i] === -Infinity ? 0 : Math.exp(x[i] / temperature - max);
  }
  const lse = max + Math.log(sum);
  for (let i = 0; i < x.length; i++) {
    out[i] = x[i] === -Infinity ? -Infinity : x[i] / temperature - lse;
  }
  return out;
}
