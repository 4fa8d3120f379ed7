/**
 * Benchmark of the in-process ONNX runner (`lib/models/onnx`) on `models/embedded`, in one run:
 *
 * - **single stream**: runner greedy decode tokens/s vs a minimal hand-written onnxruntime loop
 *   (prefill, then feed `present.*` back as `past_key_values.*`, argmax); target ratio >= 0.9;
 * - **batch of 16**: 16 different prompts in one `generate` vs one at a time; target >= 3x;
 * - **KV reuse at a 512-token prefix**: per-token cost of a step extension from a cached prefix
 *   vs re-encoding the whole sequence for every token (no KV cache); target >= 5x. Also reported:
 *   a whole step (16 tokens) from the cached prefix vs the same step after re-encoding the prefix;
 * - **many prefixes**: 512 sampled forks extended by a step under an 8 MiB cache budget
 *   (throughput, evictions, bytes held, nodes left after release);
 * - **against transformers.js** (`bench/transformers_js.ts`): the same folder loaded unchanged by
 *   `@huggingface/transformers` (same onnxruntime-node, same session options), `generate()`
 *   greedy to EOS on evaluation problems, single stream (4 problems, one call each, in turn) and
 *   batch 16, against our `Policy`;
 *   `vsTransformersJsSingle` / `vsTransformersJsBatch16` are our tokens/s over theirs (targets
 *   1.3 and 2);
 * - **tree search** (`bench/tree_reuse.ts`): beam search N = 16 and MCTS with and without the
 *   shared-prefix cache, tokens generated vs encoded; `treeReuseSpeedup` (target 3), and
 *   `treeReuseCeiling`, the most a cache could give (the run without reuse, its prefill removed);
 * - **real vocabulary** (`bench/real_vocab.ts`): `models/random-qwen2` (Qwen2, random weights,
 *   151,936 tokens), batch 16, top-p sampling with logprobs and a stop string on MATH500 prompts;
 *   `nonModelShare`, the share of wall time outside `session.run` (target at most 0.25), with the
 *   native sampler's own run apart (`outsideModelShare`: sampler and JavaScript), and the same
 *   decode with the sampler off (`realVocab.fullPass`, `realVocab.sameTokens`);
 * - **memory**: peak resident set size (VmHWM) of the process.
 *
 * Each timing is the best of several repetitions, interleaved between the compared paths, and is
 * given twice: wall clock and process CPU time (all threads; spinning is off by default so CPU time
 * is work, which stays meaningful when the machine is shared). Raw numbers and ratios are printed
 * as one JSON line.
 *
 * ```sh
 * deno run -A bench/runner.ts [--threads 2] [--tokens 128] [--reps 7] [--spin]
 * ```
 *
 * @module
 */
import * as ort from "onnxruntime-node";
import { parseArgs } from "node:util";
import { createOnnxPolicy, type GenerateOptions, type OnnxPolicy } from "../lib/models/onnx/mod.ts";
import { evalSplit } from "../lib/tasks/mod.ts";
import { compareWithTransformersJs } from "./transformers_js.ts";
import { benchTreeReuse } from "./tree_reuse.ts";
import { benchRealVocab } from "./real_vocab.ts";
import {
  addSpan,
  compare,
  mark,
  minSpan,
  NONE,
  ratio,
  scale,
  since,
  type Span,
  tokPerS,
} from "./timing.ts";

const MODEL = new URL("../models/embedded", import.meta.url).pathname;

/** Options of {@linkcode benchRunner}. */
export interface BenchRunnerOptions {
  /** Model folder (default `models/embedded`). */
  model?: string;
  /** intraOpNumThreads for every session (default 2). */
  threads?: number;
  /** New tokens per sequence in the throughput runs (default 128). */
  tokens?: number;
  /**
   * Let idle onnxruntime threads spin (default false, for both the runner and the reference, so
   * CPU time counts work, not waiting; onnxruntime's own default is true).
   */
  allowSpinning?: boolean;
  /** Repetitions, interleaved between the compared paths; the best is kept (default 7). */
  reps?: number;
  /** Repetitions of the transformers.js comparison (default 5). */
  transformersJsReps?: number;
  /** Repetitions of each side of the tree-search runs (default 2). */
  treeReps?: number;
  /** Repetitions of the real-vocabulary run (default 3). */
  realVocabReps?: number;
}

const PROBLEMS = [
  "Victor has 31 coins. He gives away 6. He buys 35 more. How many coins does Victor have now?",
  "Ann has 12 cups. She buys 4 more.",
  "Tom has 3 apples and buys 4 more. How many apples now?",
  "Wendy has 276 shells. She buys 315 more. She ends up with 6 times as many. She gives away 128.",
  "A farm has 45 cows. It sells 17. How many cows are left?",
  "Lena reads 12 pages a day for 9 days. How many pages?",
  "Max has 640 stamps. He splits them into 8 equal piles and keeps one. How many stamps?",
  "Nora has 58 beads. She finds 27 more and loses 9. How many beads does she have?",
  "Omar packs 96 eggs into boxes of 12. How many boxes?",
  "Pia has 205 marbles. She gives away 78. How many are left?",
  "Quinn buys 7 bags of 14 nuts. How many nuts?",
  "Rosa has 1000 coins. She spends 365 and earns 120. How many coins now?",
  "Sam has 44 cards. He triples them and gives away 50. How many?",
  "Tia has 81 stickers. She shares them among 9 friends. How many each?",
  "Uma walks 3 km a day for 21 days. How far in total?",
  "Vic has 500 grams of flour and uses 125 grams per cake for 3 cakes. How much is left?",
];

function peakRssMB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = status.match(/VmHWM:\s+(\d+)\s+kB/);
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return Deno.memoryUsage().rss / 2 ** 20;
}

/** The reference: a minimal greedy decode loop written directly against onnxruntime-node. */
function minimalLoop(
  session: ort.InferenceSession,
  layers: number,
  kvHeads: number,
  headDim: number,
) {
  const big = (xs: number[]) => BigInt64Array.from(xs.map(BigInt));
  const argmaxRow = (data: Float32Array, off: number, V: number) => {
    let b = 0;
    for (let i = 1; i < V; i++) if (data[off + i] > data[off + b]) b = i;
    return b;
  };
  /** Prefill left-padded `prompts`, then `steps` cached decode steps; returns decode time. */
  const decode = async (prompts: number[][], steps: number): Promise<Span> => {
    const B = prompts.length;
    const T = Math.max(...prompts.map((p) => p.length));
    const ids: number[] = [];
    const mask: number[] = [];
    const pos: number[] = [];
    for (const p of prompts) {
      const pad = T - p.length;
      for (let t = 0; t < T; t++) {
        ids.push(t < pad ? 0 : p[t - pad]);
        mask.push(t < pad ? 0 : 1);
        pos.push(t < pad ? 0 : t - pad);
      }
    }
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", big(ids), [B, T]),
      attention_mask: new ort.Tensor("int64", big(mask), [B, T]),
      position_ids: new ort.Tensor("int64", big(pos), [B, T]),
    };
    for (let l = 0; l < layers; l++) {
      for (const k of ["key", "value"]) {
        feeds[`past_key_values.${l}.${k}`] = new ort.Tensor("float32", new Float32Array(0), [
          B,
          kvHeads,
          0,
          headDim,
        ]);
      }
    }
    let out = await session.run(feeds);
    let maskLen = T;
    const last = prompts.map((p) => p.length - 1);
    const t0 = mark();
    for (let s = 0; s < steps; s++) {
      const logits = out.logits;
      const V = logits.dims[2] as number;
      const Tl = logits.dims[1] as number;
      const data = logits.data as Float32Array;
      const next = prompts.map((_, r) => argmaxRow(data, (r * Tl + Tl - 1) * V, V));
      maskLen++;
      const m = new BigInt64Array(B * maskLen);
      for (let r = 0; r < B; r++) {
        const pad = T - prompts[r].length;
        m.fill(1n, r * maskLen + pad, (r + 1) * maskLen);
      }
      const f: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor("int64", big(next), [B, 1]),
        attention_mask: new ort.Tensor("int64", m, [B, maskLen]),
        position_ids: new ort.Tensor("int64", big(last.map((x) => x + 1 + s)), [B, 1]),
      };
      for (let l = 0; l < layers; l++) {
        f[`past_key_values.${l}.key`] = out[`present.${l}.key`];
        f[`past_key_values.${l}.value`] = out[`present.${l}.value`];
      }
      out = await session.run(f);
    }
    return since(t0);
  };
  /** Greedy tokens with no cache: every token re-runs the whole sequence; returns time per token. */
  const reencode = async (prefix: number[], steps: number): Promise<Span> => {
    const seq = [...prefix];
    const t0 = mark();
    for (let s = 0; s < steps; s++) {
      const L = seq.length;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor("int64", big(seq), [1, L]),
        attention_mask: new ort.Tensor("int64", new BigInt64Array(L).fill(1n), [1, L]),
        position_ids: new ort.Tensor("int64", big(seq.map((_, i) => i)), [1, L]),
      };
      for (let l = 0; l < layers; l++) {
        for (const k of ["key", "value"]) {
          feeds[`past_key_values.${l}.${k}`] = new ort.Tensor("float32", new Float32Array(0), [
            1,
            kvHeads,
            0,
            headDim,
          ]);
        }
      }
      const out = await session.run(feeds);
      const V = out.logits.dims[2] as number;
      seq.push(argmaxRow(out.logits.data as Float32Array, (L - 1) * V, V));
    }
    return scale(since(t0), 1 / steps);
  };
  return { decode, reencode };
}

function greedyOptions(maxTokens: number): GenerateOptions {
  return {
    n: 1,
    stop: [],
    includeStop: true,
    maxTokens,
    seed: 0,
    sampling: { temperature: 0, topK: 0, topP: 1, minP: 0 },
    ignoreEos: true, // fixed lengths, as the reference loop
  };
}

/** Runner decode time for `problems` (prompts prefilled first so only decoding is timed). */
async function runnerDecode(
  policy: OnnxPolicy,
  problems: string[],
  tokens: number,
): Promise<Span> {
  const { runner } = policy;
  const states = problems.map((p) => ({ problem: p, text: "" }));
  const nodes = problems.map((p) => runner.cache.nodeFor(runner.codec.promptIds(p)));
  await runner.encode(nodes.map((node) => ({ node })));
  const t0 = mark();
  await runner.generate(
    nodes.map((node, i) => ({ node, state: states[i] })),
    greedyOptions(tokens),
  );
  return since(t0);
}

/**
 * Run every measurement once (each the best of `reps`) and return raw numbers and ratios.
 *
 * @example
 * ```ts
 * const r = await benchRunner({ threads: 2 });
 * console.log(r.singleStreamRatio, r.batch16Speedup, r.kvReuseSpeedup);
 * console.log(r.vsTransformersJsSingle, r.vsTransformersJsBatch16, r.treeReuseSpeedup);
 * console.log(r.nonModelShare);
 * ```
 */
export async function benchRunner(
  options: BenchRunnerOptions = {},
): Promise<Record<string, unknown>> {
  const model = options.model ?? MODEL;
  const threads = options.threads ?? 2;
  const N = options.tokens ?? 128;
  const reps = options.reps ?? 7;
  const allowSpinning = options.allowSpinning ?? false;
  const sessionOptions = { intraOpNumThreads: threads, allowSpinning };
  const policy = await createOnnxPolicy(model, sessionOptions);
  const noCache = await createOnnxPolicy(model, { ...sessionOptions, cacheBytes: 0 });
  const { runner } = policy;
  const { numLayers, numKvHeads, headDim } = runner.io;
  // The reference loop drives the runner's own session: same graph, same session options, so the
  // comparison isolates the decode loop (separate sessions differ by a few % run to run).
  const session = runner.session;
  const ref = minimalLoop(session, numLayers, numKvHeads, headDim);
  const prompt = (p: string) => [...runner.codec.promptIds(p)];
  const one = [PROBLEMS[0]];
  const sixteen = PROBLEMS.slice(0, 16);

  // Warm both paths (allocator arenas, first-run graph setup).
  await ref.decode([prompt(one[0])], 8);
  await runnerDecode(policy, one, 8);

  // 1. Single stream, runner vs reference, interleaved.
  const single = await compare(
    reps,
    () => runnerDecode(policy, one, N),
    () => ref.decode([prompt(one[0])], N),
  );
  // 2. Batch of 16 vs one at a time (runner); and the reference loop's batch of 16.
  const batch = await compare(
    reps,
    () => runnerDecode(policy, sixteen, N),
    async () => {
      let t: Span = { wall: 0, cpu: 0 };
      for (const p of sixteen) t = addSpan(t, await runnerDecode(policy, [p], N));
      return t;
    },
  );
  const refBatchCmp = await compare(
    reps,
    () => runnerDecode(policy, sixteen, N),
    () => ref.decode(sixteen.map(prompt), N),
  );
  // 3. A 512-token prefix: prompt + greedy text, cached in the runner.
  const root = runner.cache.nodeFor(runner.codec.promptIds(PROBLEMS[0]));
  const rootLen = root.tokens.length;
  const [[grow]] = await runner.generate(
    [{ node: root, state: { problem: PROBLEMS[0], text: "" } }],
    greedyOptions(512 - rootLen),
  );
  const prefixIds = [...runner.codec.promptIds(PROBLEMS[0]), ...grow.tokens];
  const prefixNode = runner.cache.nodeFor(prefixIds);
  await runner.encode([{ node: prefixNode }]);
  const step = 16;
  const prefixState = { problem: PROBLEMS[0], text: "" }; // only seen by hooks
  let reuseStep = NONE;
  let reprefillStep = NONE;
  let reencodePerToken = NONE;
  let cached = NONE;
  for (let i = 0; i < reps; i++) {
    let t0 = mark();
    await runner.generate([{ node: prefixNode, state: prefixState }], greedyOptions(step));
    reuseStep = minSpan(reuseStep, since(t0));
    const node = noCache.runner.cache.nodeFor(prefixIds); // nothing cached: budget 0
    t0 = mark();
    await noCache.runner.generate([{ node, state: prefixState }], greedyOptions(step));
    reprefillStep = minSpan(reprefillStep, since(t0));
    reencodePerToken = minSpan(reencodePerToken, await ref.reencode(prefixIds, 8));
    cached = minSpan(cached, await ref.decode([prefixIds], step));
  }
  const reusePerToken = scale(reuseStep, 1 / step);

  // 4. Many prefixes under a small cache budget: 32 problems x 16 sampled forks, then one more
  //    step from every fork (512 sequences), with an 8 MiB LRU budget.
  const budget = 8 * 2 ** 20;
  const tree = await createOnnxPolicy(model, { ...sessionOptions, cacheBytes: budget });
  const roots = Array.from(
    { length: 32 },
    (_, i) => tree.start(PROBLEMS[i % 16] + " ".repeat(i >> 4)),
  );
  const t0 = mark();
  const level1 = await tree.extend(roots, {
    n: 16,
    temperature: 1,
    seed: 1,
    stop: [],
    maxTokens: 16,
  });
  const forks = level1.flat().map((c) => c.state);
  const level2 = await tree.extend(forks, { temperature: 1, seed: 2, stop: [], maxTokens: 16 });
  const treeTime = since(t0);
  const treeTokens = [...level1.flat(), ...level2.flat()].reduce((a, c) => a + c.tokens.length, 0);
  const treeStats = tree.cacheStats();
  tree.release([...roots, ...forks, ...level2.flat().map((c) => c.state)]);
  const afterRelease = tree.cacheStats();
  await tree.dispose();

  // 5. transformers.js on the same folder, and 6. tree search with and without prefix reuse.
  const transformersJs = await compareWithTransformersJs({
    model,
    problems: evalSplit().slice(0, 16).map((p) => p.problem),
    threads,
    allowSpinning,
    reps: options.transformersJsReps ?? 5,
  });
  const treeSearch = await benchTreeReuse({
    model,
    threads,
    allowSpinning,
    reps: options.treeReps ?? 2,
  });
  // 7. The real vocabulary: what the runner costs outside the graph at 151,936 logits per row.
  const realVocab = await benchRealVocab({
    threads,
    allowSpinning,
    reps: options.realVocabReps ?? 3,
  });

  const result = {
    bench: "runner",
    model,
    device: runner.device,
    threads,
    allowSpinning,
    tokensPerSequence: N,
    reps,
    note: "each figure {wall, cpu}: wall clock, and process CPU time (robust on a shared machine)",
    singleStream: {
      runnerTokPerS: tokPerS(N, single.a),
      minimalLoopTokPerS: tokPerS(N, single.b),
    },
    singleStreamRatio: ratio(single.b, single.a),
    singleStreamRatioMedianOfRounds: single.medianRatio,
    batch16: {
      runnerBatchedTokPerS: tokPerS(16 * N, batch.a),
      runnerSequentialTokPerS: tokPerS(16 * N, batch.b),
      minimalLoopBatchedTokPerS: tokPerS(16 * N, refBatchCmp.b),
    },
    batch16Speedup: ratio(batch.b, batch.a),
    batch16SpeedupMedianOfRounds: batch.medianRatio,
    batch16VsMinimalLoop: ratio(refBatchCmp.b, refBatchCmp.a),
    kvReuse512: {
      prefixTokens: prefixIds.length,
      stepTokens: step,
      runnerStepMsPerToken: reusePerToken,
      minimalLoopCachedMsPerToken: scale(cached, 1 / step),
      reencodeEveryTokenMsPerToken: reencodePerToken,
      runnerStepMs: reuseStep,
      runnerStepAfterReprefillMs: reprefillStep,
    },
    kvReuseSpeedup: ratio(reencodePerToken, reusePerToken),
    stepReuseVsReprefill: ratio(reprefillStep, reuseStep),
    manyPrefixes: {
      sequences: forks.length,
      tokens: treeTokens,
      tokPerS: tokPerS(treeTokens, treeTime),
      cacheBudgetBytes: budget,
      cacheBytesAfter: treeStats.bytes,
      evictions: treeStats.evictions,
      nodes: treeStats.nodes,
      nodesAfterRelease: afterRelease.nodes,
    },
    vsTransformersJs: transformersJs,
    vsTransformersJsSingle: transformersJs.vsTransformersJsSingle,
    vsTransformersJsBatch16: transformersJs.vsTransformersJsBatch16,
    treeSearch,
    treeReuseSpeedup: treeSearch.treeReuseSpeedup,
    treeReuseCeiling: treeSearch.treeReuseCeiling,
    realVocab,
    nonModelShare: realVocab.nonModelShare,
    outsideModelShare: realVocab.outsideModelShare,
    nativeSamplerSpeedup: realVocab.fullPass
      ? realVocab.tokPerS.wall / realVocab.fullPass.tokPerS.wall
      : null,
    cache: runner.cache.stats(),
    peakRssMB: peakRssMB(),
    loadAverage: Deno.loadavg(),
    targets: {
      singleStreamRatio: 0.9,
      batch16Speedup: 3,
      kvReuseSpeedup: 5,
      vsTransformersJsSingle: 1.3,
      vsTransformersJsBatch16: 2,
      treeReuseSpeedup: 3,
      nonModelShare: 0.25,
    },
  };
  await noCache.dispose();
  await policy.dispose();
  return result;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      threads: { type: "string" },
      tokens: { type: "string" },
      reps: { type: "string" },
      model: { type: "string" },
      spin: { type: "boolean" },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const r = await benchRunner({
    threads: num(values.threads),
    tokens: num(values.tokens),
    reps: num(values.reps),
    model: values.model,
    allowSpinning: values.spin,
  });
  console.log(JSON.stringify(r));
}
