/**
 * The generation engine: one ONNX decoder session, a prefix-tree KV cache, batched prefill and
 * batched decoding with continuous refill, sampling, stop strings and logprobs.
 *
 * Flow of {@linkcode OnnxRunner.generate}:
 * 1. Each request names a cache node (its sequence). Before a request's rows join the decode
 *    batch, {@linkcode OnnxRunner.encode} fills the cache for every position but the last
 *    (re-encoding only what is missing: nothing for a fresh step of a tree search, the whole
 *    sequence for an evicted or unknown one), packing several sequences per graph run.
 * 2. Rows (`n` per request) are gathered right-aligned into `[B, H, P, D]` tensors (see
 *    `batch.ts`); each step feeds one token per row and passes the previous step's `present.*`
 *    straight back as `past_key_values.*` (no copy on the hot path).
 * 3. A row that finishes (EOS, stop string, `maxTokens`) leaves: its new tokens' K/V are stored
 *    as a child node of its parent, and the batch is compacted and refilled from the queue.
 *
 * The parts live in their own modules: prefill in `prefill.ts`, one decoding step of a batch over
 * plain data (hook, token choice, detokenizing, stops) in `decode_step.ts`, and the batch
 * tensors around it (packing rows, the reused `present.*` buffers, storing a finished row's K/V)
 * in `decode_batch.ts`; this module holds the runner's types and the loop that drives them.
 *
 * @module
 */
import type * as ort from "onnxruntime-node";
import type { Generation, LogitsHook, SeqState } from "../../core/types.ts";
import {
  type LoadFolderOptions,
  loadModelFolder,
  type ModelFolder,
  type ModelShape,
} from "./folder.ts";
import { createTextCodec, type PromptOptions, type TextCodec } from "./tokenizer.ts";
import {
  type DecoderSession,
  type ModelIO,
  openDecoderSession,
  type SessionOptions,
} from "./session.ts";
import { type CacheNode, createKvCache, type KvCache } from "./kv_cache.ts";
import { runStep } from "./batch.ts";
import { createPresentPool, packBatch, storeFinishedRow } from "./decode_batch.ts";
import {
  type DecodeRow,
  decodeStep,
  keptSegment,
  makeRow,
  type RowEnd,
  type StopRules,
} from "./decode_step.ts";
import { lengthGroups } from "./length_groups.ts";
import { type EncodeJob, type EncodeResult, encodeSequences } from "./prefill.ts";
import { nearEligible, type NearTop, type SamplingParams } from "./sampling.ts";
import { createNativeSampler } from "./native_sampler.ts";

/** Options of {@linkcode createOnnxRunner}. */
export interface RunnerOptions extends SessionOptions, PromptOptions, LoadFolderOptions {
  /**
   * K/V cache budget in bytes (default 512 MiB); least recently used segments are dropped. 0
   * turns prefix reuse off: nothing is kept between calls, so every call re-encodes its
   * sequences from the first token (the `n` samples of one sequence still share that encoding);
   * the no-reuse baseline of `bench/tree_reuse.ts`.
   */
  cacheBytes?: number;
  /** Rows decoded together (default 32). */
  maxBatch?: number;
  /** Padded new tokens per prefill run (default 2048). */
  maxPrefillTokens?: number;
  /** Padded `rows × (past + new)` per prefill run, bounding its memory (default 32768). */
  maxPrefillSlots?: number;
  /** `maxTokens` when a call gives none (default 512). */
  defaultMaxTokens?: number;
  /**
   * Fixed cost of one more decode run, in padded row-positions: a call whose sequences differ
   * much in length runs as several batches of similar length when that saves more padding than
   * this ({@linkcode lengthGroups}). Default: a quarter of the weights' bytes over the K/V bytes
   * of one position (about 500 for the embedded model; tens of thousands for a 1.5B model,
   * whose weight traffic dominates, so it never splits). 0 disables splitting.
   */
  splitCost?: number;
  /**
   * Choose tokens with the native sampler (`native_sampler.ts`): one onnxruntime run per step
   * over the batch's logits, after which JavaScript reads only the tokens near each row's top.
   * Default: on when the vocabulary has at least {@linkcode NATIVE_SAMPLING_VOCAB} tokens, where
   * the full pass over each row in JavaScript costs more than the graph; off below (the embedded
   * models' 100-token rows), where the full pass is cheaper and its tokens are the reference.
   */
  nativeSampling?: boolean;
  /**
   * Decode steps whose largest matrix product (rows × the widest of the feed-forward, attention
   * and output layers) is below this many multiply-adds run on a second, one-thread session of
   * the same graph (default {@linkcode SINGLE_THREAD_MACS}; 0: never). On such steps onnxruntime's
   * hand-offs between threads cost more than they save (on the embedded model: the README's
   * single-stream figures, `deno task bench runner`), and the tokens and log-probabilities are
   * the same to the bit (`policy_test.ts`). Only on the CPU, for models of at most 64 MiB (the
   * weights are loaded twice), and when more than one thread is allowed.
   */
  singleThreadMacs?: number;
  /**
   * Give every sequence the numbers it would get alone, whatever else runs with it (default
   * false): rows share a graph run only with rows of the same lengths, so none is padded. A
   * padded row's columns sit in other vector lanes and 512-column blocks of onnxruntime's CPU
   * kernels, which moves its logits in the last bits (up to about 1e-6 on the embedded model),
   * enough to change a verifier score or, rarely, a sample. Unpadded, a sequence computes the
   * same to the bit alone or batched, prefilled in one run or split, re-encoded or decoded, on one
   * thread or two (`batch_invariant_test.ts`), so tokens, log-probabilities, hidden states and
   * scores depend on the sequence alone: not on concurrency, the other problems in flight, the
   * cache's state or where a run was resumed. Samples of one state, which keep equal lengths,
   * still decode together.
   */
  batchInvariant?: boolean;
}

/** Default {@linkcode RunnerOptions.singleThreadMacs}. */
export const SINGLE_THREAD_MACS = 3_000_000;

/** Vocabulary size from which the native sampler is on by default. */
export const NATIVE_SAMPLING_VOCAB = 16384;

/** One sequence to continue. */
export interface GenerateRequest {
  /** Cache node whose chain is the sequence (prompt + text so far). */
  node: CacheNode;
  /** The state it came from (handed to logits hooks). */
  state: SeqState;
  /**
   * This request's own samples, sampling, seed and hook, replacing the call's: requests merged
   * from several callers' calls into one engine call each keep what they would get alone.
   */
  own?: RequestOptions;
}

/**
 * Per-request settings of a merged call. Sample j draws from
 * `rng(fork(seed, index, firstSample + j))` and the hook sees `index`, exactly as sample
 * `firstSample + j` of request `index` of a call with these options would.
 */
export interface RequestOptions {
  /** Samples of this request. */
  n: number;
  /** Stream number of its first sample (default 0): one sample of a larger `n` per request. */
  firstSample?: number;
  /** New tokens at most. */
  maxTokens: number;
  /** Sampling parameters. */
  sampling: SamplingParams;
  /** Seed of its call. */
  seed: number;
  /** Its index in its call. */
  index: number;
  /** Hook on raw logits. */
  logitsHook?: LogitsHook;
}

/** Options of {@linkcode OnnxRunner.generate}, all resolved. */
export interface GenerateOptions {
  /** Samples per request. */
  n: number;
  /** Stop strings (empty: none). */
  stop: readonly string[];
  /** Keep the stop string in the text. */
  includeStop: boolean;
  /** New tokens at most. */
  maxTokens: number;
  /** Sampling parameters. */
  sampling: SamplingParams;
  /** Seed; row (i, j) draws from `rng(fork(seed, i, j))`. */
  seed: number;
  /** Hook on raw logits. */
  logitsHook?: LogitsHook;
  /** Treat EOS as an ordinary token (benchmarks that need a fixed length). */
  ignoreEos?: boolean;
}

/**
 * One finished row: the shared {@linkcode Generation} record (text cut at the stop, kept or
 * dropped per `includeStop`, EOS not text; every sampled token with its raw log-probability,
 * the EOS and the token(s) that completed a stop included, as vLLM's `token_ids`) plus its
 * cache node.
 */
export interface Generated extends Generation {
  /** Cache node of the new sequence, spelling exactly parent + `text`. */
  node: CacheNode;
}

export type { EncodeJob, EncodeResult } from "./prefill.ts";

/** The runner: model, tokenizer, cache and the batched engine. */
export interface OnnxRunner {
  /** The model folder as given. */
  readonly name: string;
  /** What was read from the folder. */
  readonly folder: ModelFolder;
  /** Architecture facts. */
  readonly shape: ModelShape;
  /** The graph's contract. */
  readonly io: ModelIO;
  /** Tokenizer and prompt builder. */
  readonly codec: TextCodec;
  /** The KV cache. */
  readonly cache: KvCache;
  /** The onnxruntime session. */
  readonly session: ort.InferenceSession;
  /** `cpu` or `cuda`. */
  readonly device: "cpu" | "cuda";
  /** Logits vocabulary size (the graph's last axis). */
  readonly vocabSize: number;
  /** Rows share a graph run only with rows of their lengths (`RunnerOptions.batchInvariant`). */
  readonly batchInvariant: boolean;
  /** Fill the cache (and read hidden states / logits) for a set of sequences, batched. */
  encode(jobs: readonly EncodeJob[]): Promise<EncodeResult[]>;
  /** Continue each request `n` times: `result[i][j]` is sample j of request i. */
  generate(requests: readonly GenerateRequest[], options: GenerateOptions): Promise<Generated[][]>;
  /** Counters since creation (graph runs, tokens). */
  readonly counters: RunnerCounters;
  /** Release the session. */
  dispose(): Promise<void>;
}

/** Work done, for benchmarks. */
export interface RunnerCounters {
  /** Graph runs for prefill. */
  prefillRuns: number;
  /** Tokens fed in prefill runs (real, not padding). */
  prefillTokens: number;
  /** Graph runs for decoding. */
  decodeRuns: number;
  /** Tokens sampled. */
  decodeTokens: number;
  /** Wall time inside `session.run` for prefill, ms. */
  prefillRunMs: number;
  /**
   * Wall time inside `session.run` for decoding, ms: the rest of a `generate` call's time is the
   * runner's own work (feeds, sampling, detokenizing, stops, batch packing, cache copies).
   */
  decodeRunMs: number;
  /** Decoding runs on the one-thread session (see {@linkcode RunnerOptions.singleThreadMacs}). */
  singleThreadRuns: number;
  /** Native sampler runs (one per decoding step that used it). */
  samplerRuns: number;
  /** Wall time inside the native sampler's `session.run`, ms. */
  samplerRunMs: number;
  /** Rows that the native sampler could not decide and the full pass chose. */
  samplerFallbacks: number;
}

/** Bytes of an ONNX model and its external data files (`model.onnx_data`, `model.onnx.data`). */
async function modelBytes(path: string): Promise<number> {
  let total = 0;
  for (const p of [path, `${path}_data`, `${path}.data`]) {
    total += await Deno.stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

const data = (t: ort.Tensor | Float32Array): Float32Array =>
  t instanceof Float32Array ? t : t.data as Float32Array;

/**
 * Load a model folder and build the runner.
 *
 * @example
 * ```ts
 * const runner = await createOnnxRunner("models/embedded", { intraOpNumThreads: 2 });
 * const node = runner.cache.nodeFor(runner.codec.promptIds("2+3="));
 * const [[g]] = await runner.generate([{ node, state: { problem: "2+3=", text: "" } }], {
 *   n: 1, stop: ["\n\n"], includeStop: true, maxTokens: 32, seed: 0,
 *   sampling: { temperature: 0, topK: 0, topP: 1, minP: 0 },
 * });
 * console.log(g.text, g.finishReason);
 * ```
 */
export async function createOnnxRunner(
  dir: string,
  options: RunnerOptions = {},
): Promise<OnnxRunner> {
  const folder = await loadModelFolder(dir, options);
  const codec = createTextCodec(folder, options);
  const ds: DecoderSession = await openDecoderSession(folder.modelPath, folder.shape, options);
  const { session, io } = ds;
  const shape = folder.shape;
  // The widest matrix product per row of a decode step (feed-forward, attention, output layer).
  const rowMacs = shape.hiddenSize *
    Math.max(shape.intermediateSize, shape.numHeads * shape.headDim, shape.vocabSize);
  const singleBelow = options.singleThreadMacs ?? SINGLE_THREAD_MACS;
  const weightBytes = await modelBytes(folder.modelPath);
  const small = options.intraOpNumThreads !== 1 && (ds.device === "cpu") &&
    rowMacs < singleBelow && weightBytes <= 64 * 2 ** 20;
  const single = small
    ? (await openDecoderSession(folder.modelPath, shape, { ...options, intraOpNumThreads: 1 }))
      .session
    : null;
  const cache = createKvCache(io, options.cacheBytes ?? 512 * 2 ** 20);
  const maxBatch = Math.max(1, options.maxBatch ?? 32);
  const vocabMeta = session.outputMetadata.find((m) => m.name === "logits");
  const lastDim = vocabMeta && vocabMeta.isTensor ? vocabMeta.shape.at(-1) : undefined;
  const vocabSize = typeof lastDim === "number" ? lastDim : shape.vocabSize;
  // Without a logits-to-keep input a prefill materialises [B, T, V] logits: cap T·B by memory.
  const logitsCap = io.logitsToKeep ? Infinity : Math.floor((256 * 2 ** 20) / (4 * vocabSize));
  const maxPrefillTokens = Math.max(1, Math.min(options.maxPrefillTokens ?? 2048, logitsCap));
  const maxPrefillSlots = Math.max(maxPrefillTokens, options.maxPrefillSlots ?? 32768);
  const eos = new Set(shape.eosTokenIds);
  const kvBytesPerPosition = io.numLayers * 2 * io.numKvHeads * io.headDim * 4;
  const splitCost = options.splitCost ??
    Math.round(0.25 * weightBytes / kvBytesPerPosition);
  const counters: RunnerCounters = {
    prefillRuns: 0,
    prefillTokens: 0,
    decodeRuns: 0,
    decodeTokens: 0,
    prefillRunMs: 0,
    decodeRunMs: 0,
    singleThreadRuns: 0,
    samplerRuns: 0,
    samplerRunMs: 0,
    samplerFallbacks: 0,
  };
  const batchInvariant = options.batchInvariant === true;
  const sampler = (options.nativeSampling ?? vocabSize >= NATIVE_SAMPLING_VOCAB)
    ? await createNativeSampler(options)
    : null;

  const encode = (jobs: readonly EncodeJob[]): Promise<EncodeResult[]> =>
    encodeSequences({
      session,
      io,
      cache,
      modelPath: folder.modelPath,
      padTokenId: shape.padTokenId,
      maxPrefillTokens,
      maxPrefillSlots,
      counters,
      batchInvariant,
    }, jobs);

  const ownOf = (
    requests: readonly GenerateRequest[],
    opts: GenerateOptions,
    i: number,
  ): RequestOptions =>
    requests[i].own ?? {
      n: opts.n,
      maxTokens: opts.maxTokens,
      sampling: opts.sampling,
      seed: opts.seed,
      index: i,
      logitsHook: opts.logitsHook,
    };

  /** Requests of very different lengths run as a few groups of similar length, in turn. */
  const generate = async (
    requests: readonly GenerateRequest[],
    opts: GenerateOptions,
  ): Promise<Generated[][]> => {
    if (requests.length > 1 && splitCost > 0) {
      const lengths = requests.map((r) => r.node.start + r.node.tokens.length);
      const rows = requests.map((_, i) => ownOf(requests, opts, i).n);
      const groups = lengthGroups(lengths, splitCost, rows);
      if (groups.length > 1) {
        const results: Generated[][] = new Array(requests.length);
        for (const g of groups) {
          // each request keeps its own options (index included), so its samples do not change
          const sub = await generateGroup(
            g.map((i) => ({ ...requests[i], own: ownOf(requests, opts, i) })),
            opts,
          );
          g.forEach((i, j) => (results[i] = sub[j]));
        }
        return results;
      }
    }
    return generateGroup(requests, opts);
  };

  const generateGroup = async (
    requests: readonly GenerateRequest[],
    opts: GenerateOptions,
  ): Promise<Generated[][]> => {
    const own = (i: number): RequestOptions => ownOf(requests, opts, i);
    const results: Generated[][] = requests.map((_, i) => new Array(Math.max(0, own(i).n)));
    if (requests.length === 0) return results;
    const rules: StopRules = {
      eos,
      ignoreEos: opts.ignoreEos,
      stops: opts.stop.filter((s) => s !== ""),
      includeStop: opts.includeStop,
    };
    const queue: DecodeRow[] = [];
    const order = requests.map((_, i) => i);
    const lengths = requests.map((r) => r.node.start + r.node.tokens.length);
    order.sort((a, b) => lengths[a] - lengths[b] || a - b); // similar lengths batch together
    for (const i of order) {
      const node = requests[i].node;
      const o = own(i);
      const prefixLen = lengths[i];
      const tokens = cache.tokensOf(node);
      const maxNew = Math.max(0, Math.min(o.maxTokens, shape.maxPositions - prefixLen));
      for (let j = 0; j < o.n; j++) {
        queue.push(makeRow({
          req: i,
          sample: j,
          node,
          chain: cache.chain(node),
          tokens,
          prefixLen,
          maxNew,
          seed: o.seed,
          index: o.index,
          firstSample: o.firstSample,
          sampling: o.sampling,
          logitsHook: o.logitsHook,
          decode: codec.decode,
        }));
      }
    }
    let active: DecodeRow[] = [];
    let past: (ort.Tensor | Float32Array)[] = [];
    let P = 0;
    let rowsInPast = 0; // batch rows the `past` tensors hold
    // Decode steps write `present.*` into two buffer sets taken in turn (the one not holding
    // `past`), so that onnxruntime neither allocates the outputs nor copies them into new JS
    // arrays each step (see StepFeeds.presentInto). Local to the call: freed when it returns.
    const presents = createPresentPool(io);

    const finish = (
      row: DecodeRow,
      r: number,
      present: Float32Array[] | null,
      Pn: number,
      end: RowEnd,
    ) => {
      const considered = end.reason === "eos" ? row.generated.length - 1 : row.generated.length;
      const seg = keptSegment(row, end.text, considered, (text) => codec.encode(text));
      const node = storeFinishedRow(io, cache, row, r, present, Pn, seg);
      results[row.req][row.sample] = {
        text: end.text,
        tokens: row.generated,
        logprobs: row.logprobs,
        cumulativeLogprob: row.cumulative,
        finishReason: end.reason,
        ...(end.stopString === undefined ? {} : { stopString: end.stopString }),
        node,
      };
    };

    // Rows with no room to generate end at once.
    for (const row of queue.filter((r) => r.maxNew === 0)) {
      finish(row, 0, null, 0, { reason: "length", text: "" });
    }
    let pending = queue.filter((r) => r.maxNew > 0);
    const refillAt = Math.max(1, maxBatch >> 2);

    while (pending.length > 0 || active.length > 0) {
      const room = maxBatch - active.length;
      // Batch invariance: only rows of the batch's K/V length join (none padded); a row of
      // another length joins when the batch reaches its length, or runs once it has emptied.
      const lenKv = (active[0] ?? pending[0])?.lenKv;
      const joinable = batchInvariant ? pending.filter((r) => r.lenKv === lenKv) : pending;
      if (joinable.length > 0 && (active.length === 0 || room >= refillAt)) {
        // Rebuild the batch: kept rows from the current tensors (by slot), joining rows gathered
        // from their (just encoded) cache chains; siblings copy the first sibling's row.
        const joining = joinable.slice(0, room);
        const joined = new Set(joining);
        pending = pending.filter((r) => !joined.has(r));
        const joinNodes = [...new Set(joining.map((r) => r.node))];
        const chains = joinNodes.map((n) => cache.chain(n));
        chains.forEach((c) => cache.pin(c));
        try {
          await encode(joinNodes.map((node) => ({ node })));
          const batch = packBatch(io, active, joining, past.map(data), P);
          active = batch.rows;
          past = batch.past;
          presents.fresh();
          P = batch.P;
          rowsInPast = batch.rows.length;
        } finally {
          chains.forEach((c) => cache.unpin(c));
        }
        chains.forEach((c) => cache.touch(c));
        cache.evict();
      } else if (active.length !== rowsInPast || active.some((row, r) => row.slot !== r)) {
        // Rows left and no refill is due: compact to the remaining rows (and trim padding). Rows
        // leaving from the end keep every slot in place, so the count must be checked too.
        const batch = packBatch(io, active, [], past.map(data), P);
        past = batch.past;
        presents.fresh();
        P = batch.P;
        rowsInPast = active.length;
      }
      const B = active.length;
      const presentInto = presents.views(B, P + 1);
      const oneThread = single !== null && B * rowMacs < singleBelow;
      if (oneThread) counters.singleThreadRuns++;
      const out = await runStep(oneThread ? single : session, io, {
        batch: B,
        pastLen: P,
        newLen: 1,
        inputIds: active.map((r) => r.next),
        newCounts: new Int32Array(B).fill(1),
        pastCounts: active.map((r) => r.lenKv),
        past,
        logitsToKeep: 1,
        presentInto,
        hidden: active.some((r) => r.hook !== undefined),
      });
      counters.decodeRuns++;
      counters.decodeRunMs += out.runMs;
      counters.decodeTokens += B;
      let near: NearTop | null = null;
      if (
        sampler && out.logitsLen === 1 &&
        active.some((r) => !r.hook && nearEligible(r.sampling, vocabSize))
      ) {
        const invT = Float32Array.from(active, (r) => (r.greedy ? 1 : 1 / r.sampling.temperature));
        const t0 = performance.now();
        near = await sampler.run(out.logits, vocabSize, invT);
        counters.samplerRunMs += performance.now() - t0;
        counters.samplerRuns++;
      }
      P += 1;
      past = out.present;
      const Pn = P;
      let present: Float32Array[] | null = null;
      const keep = await decodeStep(
        active,
        { ...out, near },
        rules,
        (row) => requests[row.req].state,
        (row, r, end) => {
          present ??= out.present.map(data);
          finish(row, r, present, Pn, end);
        },
      );
      if (near) counters.samplerFallbacks += near.fallbacks;
      if (keep.length < B) {
        active = keep; // slots still index the uncompacted tensors
        cache.evict();
      }
    }
    return results;
  };

  return {
    name: dir,
    folder,
    shape,
    io,
    codec,
    cache,
    session,
    device: ds.device,
    vocabSize,
    batchInvariant,
    encode,
    generate,
    counters,
    dispose: async () => {
      await session.release();
      await single?.release();
      await sampler?.release();
    },
  };
}
