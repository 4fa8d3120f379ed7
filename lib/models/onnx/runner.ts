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
 * @module
 */
import type * as ort from "onnxruntime-node";
import { fork, type Rng, rng } from "../../core/random.ts";
import type { FinishReason, LogitsHook, SeqState } from "../../core/types.ts";
import {
  type LoadFolderOptions,
  loadModelFolder,
  type ModelFolder,
  type ModelShape,
} from "./folder.ts";
import {
  createDetokenizer,
  createTextCodec,
  type Detokenizer,
  type PromptOptions,
  type TextCodec,
} from "./tokenizer.ts";
import {
  type DecoderSession,
  type ModelIO,
  openDecoderSession,
  type SessionOptions,
} from "./session.ts";
import { type CacheNode, createKvCache, type KvCache } from "./kv_cache.ts";
import { copyRow, emptyPast, gatherChain, runStep, scatterToNode } from "./batch.ts";
import { lengthGroups } from "./length_groups.ts";
import { argmax, logSumExp, sampleToken, type SamplingParams } from "./sampling.ts";
import { findStop } from "./stops.ts";

/** Options of {@linkcode createOnnxRunner}. */
export interface RunnerOptions extends SessionOptions, PromptOptions, LoadFolderOptions {
  /** K/V cache budget in bytes (default 512 MiB); least recently used segments are dropped. */
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
}

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

/** One finished row. */
export interface Generated {
  /** New text, cut at the stop (kept or dropped per `includeStop`); EOS is not text. */
  text: string;
  /**
   * Every sampled token, including an EOS and the token(s) that completed a stop string (as
   * vLLM reports `token_ids`); `text` may end inside or before the last of them.
   */
  tokens: number[];
  /** Log-probability of each token in `tokens` under the model's raw distribution. */
  logprobs: number[];
  /** Sum of `logprobs`. */
  cumulativeLogprob: number;
  /** Why it ended. */
  finishReason: FinishReason;
  /** The stop string that fired. */
  stopString?: string;
  /** Cache node of the new sequence, spelling exactly parent + `text`. */
  node: CacheNode;
}

/** What {@linkcode OnnxRunner.encode} computes for one sequence. */
export interface EncodeJob {
  /** Sequence: cache node whose chain holds it. */
  node: CacheNode;
  /** Ensure K/V for positions `[0, to)` (default: all but the last token). */
  to?: number;
  /** Absolute positions whose final hidden state is wanted (each `< to`). */
  hiddenAt?: readonly number[];
  /** Absolute positions whose next-token logits are wanted (each `< to`). */
  logitsAt?: readonly number[];
}

/** Result of one {@linkcode EncodeJob}. */
export interface EncodeResult {
  /** Hidden states, in `hiddenAt` order. */
  hidden: Float32Array[];
  /** Logits rows, in `logitsAt` order. */
  logits: Float32Array[];
}

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
}

interface Row {
  req: number;
  sample: number;
  node: CacheNode;
  chain: CacheNode[];
  prefixLen: number;
  maxNew: number;
  rng: Rng | null;
  sampling: SamplingParams;
  /** Greedy row: argmax, no rng. */
  greedy: boolean;
  hook: LogitsHook | undefined;
  /** The request's index as its hook sees it. */
  hookIndex: number;
  generated: number[];
  logprobs: number[];
  cumulative: number;
  text: string;
  /** Text length after each token, or -1 where a character was still incomplete. */
  cuts: number[];
  detok: Detokenizer;
  /** Right-aligned valid columns of this row in the batch tensors. */
  lenKv: number;
  /** The token fed at the next step. */
  next: number;
  /** Row index of this row in the current batch tensors. */
  slot: number;
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
    Math.round(0.25 * (await modelBytes(folder.modelPath)) / kvBytesPerPosition);
  const counters: RunnerCounters = {
    prefillRuns: 0,
    prefillTokens: 0,
    decodeRuns: 0,
    decodeTokens: 0,
  };

  /** Store positions `[from, to)` of a chain from batch row `row` (column of `from` = col). */
  const storeRange = (
    chain: readonly CacheNode[],
    from: number,
    to: number,
    src: Float32Array[],
    row: number,
    P: number,
    col: number,
  ) => {
    for (const node of chain) {
      const a = Math.max(from, node.start);
      const b = Math.min(to, node.start + node.tokens.length);
      if (a >= b) continue;
      scatterToNode(io, cache, node, a - node.start, b - node.start, src, row, P, col + a - from);
    }
  };

  const encode = async (jobs: readonly EncodeJob[]): Promise<EncodeResult[]> => {
    const results: EncodeResult[] = jobs.map((j) => ({
      hidden: new Array(j.hiddenAt?.length ?? 0),
      logits: new Array(j.logitsAt?.length ?? 0),
    }));
    if ((jobs.some((j) => j.hiddenAt?.length)) && !io.hiddenOutput) {
      throw new Error(
        `onnx model: ${folder.modelPath} has no last_hidden_state output; hidden states unsupported`,
      );
    }
    interface Work {
      job: number;
      chain: CacheNode[];
      tokens: Int32Array;
      cur: number;
      to: number;
    }
    const work: Work[] = [];
    // One work item per distinct (node, to) without hidden/logits requests; others stay separate.
    const seen = new Map<CacheNode, Work>();
    for (let j = 0; j < jobs.length; j++) {
      const job = jobs[j];
      const tokens = cache.tokensOf(job.node);
      const to = Math.min(job.to ?? tokens.length - 1, tokens.length);
      const chain = cache.chain(job.node);
      let cur = Math.min(cache.cachedLength(chain), to);
      for (const p of [...(job.hiddenAt ?? []), ...(job.logitsAt ?? [])]) {
        if (!(p >= 0 && p < to)) throw new Error(`onnx runner: position ${p} outside [0, ${to})`);
        cur = Math.min(cur, p);
      }
      const plain = !job.hiddenAt?.length && !job.logitsAt?.length;
      const prev = plain ? seen.get(job.node) : undefined;
      if (prev && prev.to >= to) continue;
      const w: Work = { job: j, chain, tokens, cur, to };
      if (plain) seen.set(job.node, w);
      work.push(w);
      cache.pin(chain);
    }
    try {
      for (;;) {
        const todo = work.filter((w) => w.cur < w.to).sort((a, b) =>
          (a.to - a.cur) - (b.to - b.cur) || a.cur - b.cur
        );
        if (todo.length === 0) break;
        // Greedy packing: rows of similar remaining length, bounded padded tokens and slots.
        let i = 0;
        while (i < todo.length) {
          const group: Work[] = [];
          let T = 0;
          let P = 0;
          while (i < todo.length) {
            const w = todo[i];
            const q = Math.min(w.to - w.cur, maxPrefillTokens);
            const T2 = Math.max(T, q);
            const P2 = Math.max(P, w.cur);
            const B2 = group.length + 1;
            if (
              group.length > 0 && (B2 * T2 > maxPrefillTokens || B2 * (P2 + T2) > maxPrefillSlots)
            ) {
              break;
            }
            group.push(w);
            T = T2;
            P = P2;
            i++;
          }
          const B = group.length;
          const past = emptyPast(io, B, P);
          const ids = new Int32Array(B * T).fill(shape.padTokenId);
          const newCounts = new Int32Array(B);
          const pastCounts = new Int32Array(B);
          let wantLogits = false;
          group.forEach((w, r) => {
            const q = Math.min(w.to - w.cur, maxPrefillTokens);
            newCounts[r] = q;
            pastCounts[r] = w.cur;
            gatherChain(io, w.chain, w.cur, past, r, P);
            ids.set(w.tokens.subarray(w.cur, w.cur + q), r * T + T - q);
            const lp = jobs[w.job].logitsAt;
            if (lp?.some((p) => p >= w.cur && p < w.cur + q)) wantLogits = true;
          });
          const out = await runStep(session, io, {
            batch: B,
            pastLen: P,
            newLen: T,
            inputIds: ids,
            newCounts,
            pastCounts,
            past,
            logitsToKeep: wantLogits ? 0 : 1,
          });
          counters.prefillRuns++;
          const present = out.present.map(data);
          const Pn = P + T;
          const V = out.logits.length / (B * out.logitsLen);
          const Hd = out.hidden ? out.hidden.length / (B * T) : 0;
          group.forEach((w, r) => {
            const q = newCounts[r];
            counters.prefillTokens += q;
            storeRange(w.chain, w.cur, w.cur + q, present, r, Pn, P + T - q);
            const job = jobs[w.job];
            const res = results[w.job];
            job.hiddenAt?.forEach((p, k) => {
              if (p < w.cur || p >= w.cur + q) return;
              const t = T - q + (p - w.cur);
              res.hidden[k] = out.hidden!.slice((r * T + t) * Hd, (r * T + t + 1) * Hd);
            });
            job.logitsAt?.forEach((p, k) => {
              if (p < w.cur || p >= w.cur + q) return;
              const t = T - q + (p - w.cur);
              res.logits[k] = out.logits.slice((r * T + t) * V, (r * T + t + 1) * V);
            });
            w.cur += q;
          });
          cache.evict();
        }
      }
    } finally {
      for (const w of work) cache.unpin(w.chain);
    }
    for (const w of work) cache.touch(w.chain);
    cache.evict();
    return results;
  };

  /** Tokens of the new sequence's own segment, text-consistent, and how many have K/V. */
  const keptSegment = (row: Row, text: string, considered: number) => {
    let k = considered;
    while (k > 0 && (row.cuts[k - 1] < 0 || row.cuts[k - 1] > text.length)) k--;
    const cut = k === 0 ? 0 : row.cuts[k - 1];
    const leftover = text.slice(cut);
    const tokens = row.generated.slice(0, k);
    if (leftover !== "") tokens.push(...codec.encode(leftover));
    // K/V exists for every fed token: all generated but the last sampled one.
    return { tokens, withKv: Math.min(k, row.generated.length - 1) };
  };

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
    const stops = opts.stop.filter((s) => s !== "");
    const queue: Row[] = [];
    const order = requests.map((_, i) => i);
    const lengths = requests.map((r) => r.node.start + r.node.tokens.length);
    order.sort((a, b) => lengths[a] - lengths[b] || a - b); // similar lengths batch together
    for (const i of order) {
      const node = requests[i].node;
      const o = own(i);
      const greedy = !(o.sampling.temperature > 0) || o.sampling.topK === 1;
      const prefixLen = lengths[i];
      const tokens = cache.tokensOf(node);
      const maxNew = Math.max(0, Math.min(o.maxTokens, shape.maxPositions - prefixLen));
      for (let j = 0; j < o.n; j++) {
        queue.push({
          req: i,
          sample: j,
          node,
          chain: cache.chain(node),
          prefixLen,
          maxNew,
          rng: greedy ? null : rng(fork(o.seed, o.index, (o.firstSample ?? 0) + j)),
          sampling: o.sampling,
          greedy,
          hook: o.logitsHook,
          hookIndex: o.index,
          generated: [],
          logprobs: [],
          cumulative: 0,
          text: "",
          cuts: [],
          detok: createDetokenizer(
            codec.decode,
            Array.from(tokens.subarray(Math.max(0, prefixLen - 4))),
          ),
          lenKv: prefixLen - 1,
          next: tokens[prefixLen - 1],
          slot: -1,
        });
      }
    }
    let active: Row[] = [];
    let past: (ort.Tensor | Float32Array)[] = [];
    let P = 0;
    let rowsInPast = 0; // batch rows the `past` tensors hold
    // Decode steps write `present.*` into two buffer sets taken in turn (the one not holding
    // `past`), so that onnxruntime neither allocates the outputs nor copies them into new JS
    // arrays each step (see StepFeeds.presentInto). Local to the call: freed when it returns.
    const pools: Float32Array[][] = [[], []];
    let pastPool = -1; // the set `past` lives in, or -1 for freshly gathered arrays
    const presentViews = (rows: number, positions: number): Float32Array[] => {
      const k = pastPool === 0 ? 1 : 0;
      const n = rows * io.numKvHeads * positions * io.headDim;
      const pool = pools[k];
      for (let i = 0; i < 2 * io.numLayers; i++) {
        if (!(pool[i]?.length >= n)) pool[i] = new Float32Array(Math.ceil(n * 1.25));
      }
      pastPool = k;
      return pool.map((b) => b.subarray(0, n));
    };

    const finish = (
      row: Row,
      r: number,
      present: Float32Array[] | null,
      Pn: number,
      reason: FinishReason,
      text: string,
      stopString?: string,
    ) => {
      const considered = reason === "eos" ? row.generated.length - 1 : row.generated.length;
      const seg = keptSegment(row, text, considered);
      let node = row.node;
      if (present) {
        const col0 = Pn - row.lenKv; // column of absolute position 0
        // The parent's last token was fed at this call's first step: keep its K/V too.
        const last = node.tokens.length - 1;
        if (node.kv && node.kvLen === last && !node.dead) {
          scatterToNode(io, cache, node, last, last + 1, present, r, Pn, col0 + row.prefixLen - 1);
        }
        node = cache.child(row.node, seg.tokens);
        if (node !== row.node && node.kvLen < seg.withKv) {
          scatterToNode(io, cache, node, 0, seg.withKv, present, r, Pn, col0 + row.prefixLen);
        }
      } else {
        node = cache.child(row.node, seg.tokens);
      }
      // Keep the LRU order "ancestors newer than descendants" for the new segment.
      cache.touch(node === row.node ? row.chain : [...row.chain, node]);
      results[row.req][row.sample] = {
        text,
        tokens: row.generated,
        logprobs: row.logprobs,
        cumulativeLogprob: row.cumulative,
        finishReason: reason,
        ...(stopString === undefined ? {} : { stopString }),
        node,
      };
    };

    // Rows with no room to generate end at once.
    for (const row of queue.filter((r) => r.maxNew === 0)) finish(row, 0, null, 0, "length", "");
    let pending = queue.filter((r) => r.maxNew > 0);
    const refillAt = Math.max(1, maxBatch >> 2);

    while (pending.length > 0 || active.length > 0) {
      const room = maxBatch - active.length;
      if (pending.length > 0 && (active.length === 0 || room >= refillAt)) {
        // Rebuild the batch: kept rows from the current tensors (by slot), joining rows gathered
        // from their (just encoded) cache chains; siblings copy the first sibling's row.
        const joining = pending.slice(0, room);
        pending = pending.slice(room);
        const joinNodes = [...new Set(joining.map((r) => r.node))];
        const chains = joinNodes.map((n) => cache.chain(n));
        chains.forEach((c) => cache.pin(c));
        try {
          await encode(joinNodes.map((node) => ({ node })));
          const rows = [...active, ...joining];
          const P2 = rows.reduce((m, r) => Math.max(m, r.lenKv), 0);
          const dst = emptyPast(io, rows.length, P2);
          const src = past.map(data);
          const firstRow = new Map<CacheNode, number>();
          rows.forEach((row, r) => {
            if (r < active.length) copyRow(io, src, row.slot, P, dst, r, P2, row.lenKv);
            else {
              const first = firstRow.get(row.node);
              if (first === undefined) {
                gatherChain(io, row.chain, row.lenKv, dst, r, P2);
                firstRow.set(row.node, r);
              } else copyRow(io, dst, first, P2, dst, r, P2, row.lenKv);
            }
            row.slot = r;
          });
          active = rows;
          past = dst;
          pastPool = -1;
          P = P2;
          rowsInPast = rows.length;
        } finally {
          chains.forEach((c) => cache.unpin(c));
        }
        chains.forEach((c) => cache.touch(c));
        cache.evict();
      } else if (active.length !== rowsInPast || active.some((row, r) => row.slot !== r)) {
        // Rows left and no refill is due: compact to the remaining rows (and trim padding). Rows
        // leaving from the end keep every slot in place, so the count must be checked too.
        const P2 = active.reduce((m, r) => Math.max(m, r.lenKv), 0);
        const dst = emptyPast(io, active.length, P2);
        const src = past.map(data);
        active.forEach((row, r) => {
          copyRow(io, src, row.slot, P, dst, r, P2, row.lenKv);
          row.slot = r;
        });
        past = dst;
        pastPool = -1;
        P = P2;
        rowsInPast = active.length;
      }
      const B = active.length;
      const presentInto = presentViews(B, P + 1);
      const out = await runStep(session, io, {
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
      counters.decodeTokens += B;
      P += 1;
      past = out.present;
      const V = out.logits.length / (B * out.logitsLen);
      const Hd = out.hidden ? out.hidden.length / B : 0;
      let present: Float32Array[] | null = null;
      const keep: Row[] = [];
      for (let r = 0; r < B; r++) {
        const row = active[r];
        row.lenKv += 1;
        const base = (r * out.logitsLen + out.logitsLen - 1) * V;
        const logits = out.logits.subarray(base, base + V);
        const lse = logSumExp(logits);
        let raw: Float32Array = logits;
        if (row.hook) {
          raw = logits.slice(); // logprobs stay under the model's own distribution
          const ret = row.hook({
            index: row.hookIndex,
            state: requests[row.req].state,
            generated: row.generated,
            logits,
            ...(out.hidden ? { hidden: out.hidden.subarray(r * Hd, (r + 1) * Hd) } : {}),
          });
          if (ret) await ret;
        }
        const tok = row.greedy
          ? argmax(logits)
          : sampleToken(logits, row.sampling, row.rng!.uniform);
        const lp = raw[tok] - lse;
        row.generated.push(tok);
        row.logprobs.push(lp);
        row.cumulative += lp;
        row.next = tok;
        let reason: FinishReason | null = null;
        let text = row.text;
        let stopString: string | undefined;
        if (eos.has(tok) && !opts.ignoreEos) {
          row.cuts.push(-1);
          text += row.detok.flush();
          reason = "eos";
        } else {
          const before = row.text.length;
          const delta = row.detok.push(tok);
          text += delta;
          if (row.generated.length >= row.maxNew) {
            text += row.detok.flush();
            reason = "length";
          }
          row.cuts.push(delta === "" && reason === null ? -1 : text.length);
          if (stops.length > 0 && text.length > before) {
            const hit = findStop(text, stops, before);
            if (hit) {
              text = text.slice(0, opts.includeStop ? hit.end : hit.start);
              stopString = hit.stop;
              reason = "stop";
            }
          }
        }
        row.text = text;
        if (reason === null) keep.push(row);
        else {
          present ??= out.present.map(data);
          finish(row, r, present, P, reason, text, stopString);
        }
      }
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
    encode,
    generate,
    counters,
    dispose: () => session.release(),
  };
}
