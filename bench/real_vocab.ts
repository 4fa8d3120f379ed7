/**
 * The real-vocabulary case of `deno task bench runner`: `models/random-qwen2` (Qwen2's
 * architecture with random weights and Qwen2's 151,936-token vocabulary, written by
 * `models/train/random_qwen2.py`) through our runner, a batch of 16 MATH500 prompts (chat
 * template), top-p sampling (temperature 0.8, top-p 0.95), a stop string and logprobs.
 *
 * The figure is `nonModelShare`: the share of a `generate` call's wall time spent outside
 * `session.run`, i.e. in the runner's JavaScript (feeds, the tokens near each row's top, the
 * draw, log-probabilities, detokenizing, stop checks, batch packing). The runner's native sampler
 * (`lib/models/onnx/native_sampler.ts`) does the passes over all 151,936 logits in its own
 * `session.run`, reported apart (`perStepMs.sampler`, and `outsideModelShare`, the share outside
 * the model's graph: sampler and JavaScript). The same work runs once more with the sampler off
 * (every row's full pass in JavaScript): `fullPass` gives its figures and `sameTokens` the share
 * of sampled tokens that both give (the native path is exact but for the float32 tail sum, see
 * `chooseTokenNear`). The graph of this model is tiny (its cost is mostly the 151,936-wide
 * output layer), so this is close to the worst case for the shares: a real Qwen2's layers would
 * add model time, not runner time. Prompts are encoded before the timed call. Target for
 * `nonModelShare`: at most 0.25.
 *
 * ```sh
 * deno run -A bench/real_vocab.ts [--tokens 64] [--reps 3] [--threads 2]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readMath500 } from "../lib/datasets/math.ts";
import { createOnnxPolicy, type GenerateOptions } from "../lib/models/onnx/mod.ts";
import { mark, since, type Span } from "./timing.ts";

const MODEL = new URL("../models/random-qwen2", import.meta.url).pathname;

/** Options of {@linkcode benchRealVocab}. */
export interface RealVocabOptions {
  /** Model folder (default `models/random-qwen2`). */
  model?: string;
  /** intraOpNumThreads (default 2). */
  threads?: number;
  /** Let idle onnxruntime threads spin (default false). */
  allowSpinning?: boolean;
  /** Prompts decoded together (default 16). */
  batch?: number;
  /** New tokens per row (default 64; EOS is ignored so every row decodes this many). */
  tokens?: number;
  /** Timed repetitions, the same work each time (default 3). */
  reps?: number;
  /** Sampling temperature (default 0.8). */
  temperature?: number;
  /** Top-p (default 0.95). */
  topP?: number;
  /** Also decode once with the native sampler off, for `fullPass` and `sameTokens` (default true). */
  compareFullPass?: boolean;
}

/** One timed `generate` call. */
export interface RealVocabRun {
  /** Wall and CPU time of the call, ms. */
  wall: number;
  cpu: number;
  /** Wall time inside the model's `session.run`, ms. */
  sessionRunMs: number;
  /** Wall time inside the native sampler's `session.run`, ms. */
  samplerRunMs: number;
  /** Share of wall time outside every `session.run` (the runner's JavaScript). */
  nonModelShare: number;
  /** Share of wall time outside the model's `session.run` (sampler and JavaScript). */
  outsideModelShare: number;
}

/** What {@linkcode benchRealVocab} measures. */
export interface RealVocabResult {
  /** Model folder. */
  model: string;
  /** Logits width. */
  vocabSize: number;
  /** Rows decoded together. */
  batch: number;
  /** Sampling parameters, stop strings and new tokens per row. */
  settings: { temperature: number; topP: number; stop: string[]; tokensPerRow: number };
  /** Tokens generated per repetition (all rows). */
  tokens: number;
  /** Each repetition. */
  runs: RealVocabRun[];
  /** Tokens per second of the fastest repetition (wall and CPU). */
  tokPerS: Span;
  /** Median over repetitions of the share of wall time outside every `session.run`. */
  nonModelShare: number;
  /** Median over repetitions of the share of wall time outside the model's `session.run`. */
  outsideModelShare: number;
  /**
   * Per decode step of the median repetition, ms: in the model's `session.run`, in the native
   * sampler's, and the rest (JavaScript).
   */
  perStepMs: { model: number; sampler: number; other: number };
  /** Rows per repetition that the native sampler left to the full pass. */
  samplerFallbacks: number;
  /** The same call with the native sampler off (one repetition), when compared. */
  fullPass:
    | { tokPerS: Span; nonModelShare: number; perStepMs: { model: number; other: number } }
    | null;
  /** Share of sampled tokens equal in both, position by position (null when not compared). */
  sameTokens: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Decode a batch of MATH500 prompts with top-p sampling on the real-vocabulary model and measure
 * the share of wall time outside `session.run`.
 *
 * @example
 * ```ts
 * const r = await benchRealVocab({ tokens: 16, reps: 1 });
 * console.log(r.nonModelShare, r.tokPerS.wall);
 * ```
 */
export async function benchRealVocab(options: RealVocabOptions = {}): Promise<RealVocabResult> {
  const model = options.model ?? MODEL;
  const B = options.batch ?? 16;
  const N = options.tokens ?? 64;
  const reps = options.reps ?? 3;
  const temperature = options.temperature ?? 0.8;
  const topP = options.topP ?? 0.95;
  const stop = ["\n\nProblem:"];
  const problems: string[] = [];
  for await (const p of readMath500({ limit: B })) problems.push(p.problem);
  const opts: GenerateOptions = {
    n: 1,
    stop,
    includeStop: true,
    maxTokens: N,
    seed: 0,
    sampling: { temperature, topK: 0, topP, minP: 0 },
    ignoreEos: true,
  };
  const native = await decodeTimed(model, problems, opts, reps, options, true);
  const full = options.compareFullPass === false
    ? null
    : await decodeTimed(model, problems, opts, 1, options, false);
  let same = 0;
  if (full) {
    native.tokens.forEach((row, i) => {
      for (let t = 0; t < row.length && row[t] === full.tokens[i][t]; t++) same++;
    });
  }
  const total = native.tokens.reduce((a, r) => a + r.length, 0);
  return {
    model,
    vocabSize: native.vocabSize,
    batch: B,
    settings: { temperature, topP, stop, tokensPerRow: N },
    tokens: total,
    runs: native.runs,
    tokPerS: native.tokPerS,
    nonModelShare: median(native.runs.map((x) => x.nonModelShare)),
    outsideModelShare: median(native.runs.map((x) => x.outsideModelShare)),
    perStepMs: native.perStepMs,
    samplerFallbacks: native.fallbacks,
    fullPass: full
      ? {
        tokPerS: full.tokPerS,
        nonModelShare: full.runs[0].nonModelShare,
        perStepMs: { model: full.perStepMs.model, other: full.perStepMs.other },
      }
      : null,
    sameTokens: full ? same / total : null,
  };
}

/** Load the model (native sampler on or off), decode `reps` times, time each call. */
async function decodeTimed(
  model: string,
  problems: string[],
  opts: GenerateOptions,
  reps: number,
  options: RealVocabOptions,
  nativeSampling: boolean,
) {
  const policy = await createOnnxPolicy(model, {
    intraOpNumThreads: options.threads ?? 2,
    allowSpinning: options.allowSpinning ?? false,
    nativeSampling,
  });
  const { runner } = policy;
  try {
    const nodes = problems.map((p) => runner.cache.nodeFor(runner.codec.promptIds(p)));
    await runner.encode(nodes.map((node) => ({ node }))); // prompts cached: decoding is timed
    const requests = nodes.map((node, i) => ({ node, state: { problem: problems[i], text: "" } }));
    // warm-up: allocator arenas, first-run graph setup
    await runner.generate(requests, { ...opts, maxTokens: 2 });
    const runs: RealVocabRun[] = [];
    const steps: number[] = [];
    let tokens: number[][] = [];
    let fallbacks = 0;
    for (let r = 0; r < reps; r++) {
      const c = runner.counters;
      const model0 = c.decodeRunMs + c.prefillRunMs;
      const sampler0 = c.samplerRunMs;
      const steps0 = c.decodeRuns;
      const fallbacks0 = c.samplerFallbacks;
      const t0 = mark();
      const out = await runner.generate(requests, opts);
      const span = since(t0);
      const sessionRunMs = c.decodeRunMs + c.prefillRunMs - model0;
      const samplerRunMs = c.samplerRunMs - sampler0;
      tokens = out.map((g) => g[0].tokens);
      steps.push(c.decodeRuns - steps0);
      fallbacks = c.samplerFallbacks - fallbacks0;
      runs.push({
        ...span,
        sessionRunMs,
        samplerRunMs,
        nonModelShare: 1 - (sessionRunMs + samplerRunMs) / span.wall,
        outsideModelShare: 1 - sessionRunMs / span.wall,
      });
    }
    const order = runs.map((_, i) => i).sort((a, b) =>
      runs[a].nonModelShare - runs[b].nonModelShare
    );
    const mid = order[runs.length >> 1];
    const m = runs[mid];
    const n = tokens.reduce((a, r) => a + r.length, 0);
    const bestWall = Math.min(...runs.map((x) => x.wall));
    const bestCpu = Math.min(...runs.map((x) => x.cpu));
    return {
      vocabSize: runner.vocabSize,
      runs,
      tokens,
      fallbacks,
      tokPerS: { wall: (n / bestWall) * 1000, cpu: (n / bestCpu) * 1000 },
      perStepMs: {
        model: m.sessionRunMs / steps[mid],
        sampler: m.samplerRunMs / steps[mid],
        other: (m.wall - m.sessionRunMs - m.samplerRunMs) / steps[mid],
      },
    };
  } finally {
    await policy.dispose();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      tokens: { type: "string" },
      reps: { type: "string" },
      threads: { type: "string" },
      batch: { type: "string" },
      model: { type: "string" },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const r = await benchRealVocab({
    tokens: num(values.tokens),
    reps: num(values.reps),
    threads: num(values.threads),
    batch: num(values.batch),
    model: values.model,
  });
  console.log(JSON.stringify({ ...r, loadAverage: Deno.loadavg() }));
}
