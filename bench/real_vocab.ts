/**
 * The real-vocabulary case of `deno task bench runner`: `models/random-qwen2` (Qwen2's
 * architecture with random weights and Qwen2's 151,936-token vocabulary, written by
 * `models/train/random_qwen2.py`) through our runner, a batch of 16 MATH500 prompts (chat
 * template), top-p sampling (temperature 0.8, top-p 0.95), a stop string and logprobs.
 *
 * The figure is `nonModelShare`: the share of a `generate` call's wall time spent outside
 * `session.run` (the runner's `decodeRunMs` and `prefillRunMs` counters), i.e. what the runner
 * itself costs per token (feeds, logits to token: temperature, top-p, sampling, log-probabilities;
 * detokenizing, stop checks, batch packing). The graph of this model is tiny (its cost is mostly
 * the 151,936-wide output layer), so this is close to the worst case for the share: a real
 * Qwen2's layers would add model time, not runner time. Prompts are encoded before the timed
 * call, so the share is decoding's. Target: at most 0.25.
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
  /** Each repetition: wall and CPU time of the call, and wall time inside `session.run` (ms). */
  runs: { wall: number; cpu: number; sessionRunMs: number; nonModelShare: number }[];
  /** Tokens per second of the fastest repetition (wall and CPU). */
  tokPerS: Span;
  /** Median over repetitions of the share of wall time outside `session.run`. */
  nonModelShare: number;
  /** Per decode step of the median repetition: ms inside `session.run` and outside it. */
  perStepMs: { model: number; other: number };
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
  const policy = await createOnnxPolicy(model, {
    intraOpNumThreads: options.threads ?? 2,
    allowSpinning: options.allowSpinning ?? false,
  });
  const { runner } = policy;
  try {
    const problems: string[] = [];
    for await (const p of readMath500({ limit: B })) problems.push(p.problem);
    const nodes = problems.map((p) => runner.cache.nodeFor(runner.codec.promptIds(p)));
    await runner.encode(nodes.map((node) => ({ node }))); // prompts cached: decoding is timed
    const requests = nodes.map((node, i) => ({ node, state: { problem: problems[i], text: "" } }));
    const opts: GenerateOptions = {
      n: 1,
      stop,
      includeStop: true,
      maxTokens: N,
      seed: 0,
      sampling: { temperature, topK: 0, topP, minP: 0 },
      ignoreEos: true,
    };
    // warm-up: allocator arenas, first-run graph setup
    await runner.generate(requests, { ...opts, maxTokens: 2 });
    const runs: RealVocabResult["runs"] = [];
    let tokens = 0;
    let steps = 0;
    const stepsOf: number[] = [];
    for (let r = 0; r < reps; r++) {
      const c = runner.counters;
      const inRun0 = c.decodeRunMs + c.prefillRunMs;
      const steps0 = c.decodeRuns;
      const t0 = mark();
      const out = await runner.generate(requests, opts);
      const span = since(t0);
      const sessionRunMs = c.decodeRunMs + c.prefillRunMs - inRun0;
      tokens = out.flat().reduce((a, g) => a + g.tokens.length, 0);
      steps = c.decodeRuns - steps0;
      stepsOf.push(steps);
      runs.push({ ...span, sessionRunMs, nonModelShare: 1 - sessionRunMs / span.wall });
    }
    const mid = runs.map((x, i) => ({ x, i })).sort((a, b) =>
      a.x.nonModelShare - b.x.nonModelShare
    )[runs.length >> 1];
    const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));
    const bestCpu = Math.min(...runs.map((x) =>
      x.cpu
    ));
    return {
      model,
      vocabSize: runner.vocabSize,
      batch: B,
      settings: { temperature, topP, stop, tokensPerRow: N },
      tokens,
      runs,
      tokPerS: { wall: (tokens / best.wall) * 1000, cpu: (tokens / bestCpu) * 1000 },
      nonModelShare: median(runs.map((x) => x.nonModelShare)),
      perStepMs: {
        model: mid.x.sessionRunMs / stepsOf[mid.i],
        other: (mid.x.wall - mid.x.sessionRunMs) / stepsOf[mid.i],
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
