/**
 * Batch tensors for the decoder and the copies between them and the cache.
 *
 * Batch layout (what the graph sees). Per layer, keys and values are `[B, kvHeads, P, headDim]`.
 * Row `r` holds its `len[r]` cached tokens right-aligned in columns `[P - len[r], P)`; the columns
 * before are padding, masked with 0 in `attention_mask` and filled with zeros (finite: a masked
 * slot must never carry NaN into `0 * x`). New tokens `[B, T]` are left-padded the same way, so the
 * attention mask is `[B, P + T]` and every row's valid keys form one right-aligned run (after a
 * prefill, the runner only ever batches rows whose new input is a single token, so the run stays
 * contiguous through decoding). Position ids are the row's absolute positions (`cumsum(mask) - 1`
 * on valid slots); pad slots get position 1 (any value works: they are masked).
 *
 * @module
 */
import * as ort from "onnxruntime-node";
import type { CacheNode, KvCache } from "./kv_cache.ts";
import type { ModelIO } from "./session.ts";

/** One run of the graph's inputs, in plain arrays. */
export interface StepFeeds {
  /** Rows. */
  batch: number;
  /** Cached columns per row (the tensor's past length). */
  pastLen: number;
  /** New tokens per row (the tensor's sequence length). */
  newLen: number;
  /** Token ids `[B, T]` (pads included). */
  inputIds: ArrayLike<number>;
  /** Real new tokens per row (right-aligned in the T columns). */
  newCounts: ArrayLike<number>;
  /** Cached tokens per row (right-aligned in the P columns); also the position of the first new one. */
  pastCounts: ArrayLike<number>;
  /** Past keys/values `[k0, v0, k1, v1, ...]`, each `[B, H, P, D]` (tensors or raw arrays). */
  past: (ort.Tensor | Float32Array)[];
  /** Logits wanted: only the last column (`1`) or all (`0`), where the graph can be told. */
  logitsToKeep?: number;
  /**
   * Arrays the graph writes `present.*` into, `[k0, v0, ...]`, each exactly `[B, H, P + T, D]`
   * long (views into reused buffers). Without them onnxruntime allocates each output and
   * onnxruntime-node copies it into a new JS array: at 32 rows × 250 positions that was half of
   * a decode step's time.
   */
  presentInto?: Float32Array[];
  /** Fetch the final hidden states (default true); skipping them saves a copy per step. */
  hidden?: boolean;
}

/** What one run returns. */
export interface StepOutputs {
  /** Logits `[B, Tout, V]` (Tout = T, or 1 when the graph kept only the last). */
  logits: Float32Array;
  /** Columns of logits per row. */
  logitsLen: number;
  /** Present keys/values `[k0, v0, ...]`, each `[B, H, P + T, D]`. */
  present: ort.Tensor[];
  /** Final hidden states `[B, T, hidden]` when exported. */
  hidden: Float32Array | null;
  /** Wall time of the `session.run` call, ms (outputs copied into JS arrays included). */
  runMs: number;
}

/**
 * Build the graph feeds of one step: ids, mask, position ids and past tensors (see the module doc
 * for the layout).
 */
export function buildFeeds(io: ModelIO, f: StepFeeds): Record<string, ort.Tensor> {
  const { batch: B, pastLen: P, newLen: T } = f;
  const total = P + T;
  const big = io.idsType === "int64";
  const ids = big ? new BigInt64Array(B * T) : new Int32Array(B * T);
  const mask = big ? new BigInt64Array(B * total) : new Int32Array(B * total);
  const pos = big ? new BigInt64Array(B * T) : new Int32Array(B * T);
  const one = (big ? 1n : 1) as never;
  for (let r = 0; r < B; r++) {
    const q = f.newCounts[r];
    const p = f.pastCounts[r];
    mask.fill(one, r * total + P - p, r * total + P);
    mask.fill(one, r * total + total - q, r * total + total);
    for (let t = 0; t < T; t++) {
      const i = r * T + t;
      const k = t - (T - q); // index among the row's real new tokens, negative on pads
      const id = f.inputIds[i];
      const position = k >= 0 ? p + k : 1;
      if (big) {
        (ids as BigInt64Array)[i] = BigInt(id);
        (pos as BigInt64Array)[i] = BigInt(position);
      } else {
        (ids as Int32Array)[i] = id;
        (pos as Int32Array)[i] = position;
      }
    }
  }
  const type = big ? "int64" : "int32";
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor(type, ids, [B, T]),
    attention_mask: new ort.Tensor(type, mask, [B, total]),
  };
  if (io.hasPositionIds) feeds.position_ids = new ort.Tensor(type, pos, [B, T]);
  const dims = [B, io.numKvHeads, P, io.headDim];
  for (let l = 0; l < io.numLayers; l++) {
    for (let a = 0; a < 2; a++) {
      const x = f.past[2 * l + a];
      feeds[a === 0 ? io.pastKeys[l] : io.pastValues[l]] = x instanceof Float32Array
        ? new ort.Tensor("float32", x, dims)
        : x;
    }
  }
  if (io.useCacheBranch) feeds.use_cache_branch = new ort.Tensor("bool", [P > 0], [1]);
  if (io.logitsToKeep) {
    feeds[io.logitsToKeep] = new ort.Tensor("int64", [BigInt(f.logitsToKeep ?? 0)], []);
  }
  return feeds;
}

/**
 * Run one step and unpack the outputs.
 *
 * @example
 * ```ts
 * import type { InferenceSession } from "onnxruntime-node";
 * import type { ModelIO } from "./session.ts";
 * declare const session: InferenceSession;
 * declare const io: ModelIO;
 * declare const feeds: StepFeeds;
 * declare const vocab: number; // the model's vocabulary size
 * const out = await runStep(session, io, feeds);
 * const lastLogits = out.logits.subarray((out.logitsLen - 1) * vocab, out.logitsLen * vocab);
 * ```
 */
export async function runStep(
  session: ort.InferenceSession,
  io: ModelIO,
  f: StepFeeds,
): Promise<StepOutputs> {
  const feeds = buildFeeds(io, f);
  const wantHidden = io.hiddenOutput !== null && f.hidden !== false;
  // name the outputs: pre-allocated presents are written in place, the others are allocated
  const fetches: Record<string, ort.Tensor | null> = { logits: null };
  const dims = [f.batch, io.numKvHeads, f.pastLen + f.newLen, io.headDim];
  const presentNames = Array.from(
    { length: io.numLayers },
    (_, l) => [io.presentKeys[l], io.presentValues[l]],
  ).flat();
  presentNames.forEach((name, k) => {
    const into = f.presentInto?.[k];
    fetches[name] = into ? new ort.Tensor("float32", into, dims) : null;
  });
  if (wantHidden) fetches[io.hiddenOutput!] = null;
  const t0 = performance.now();
  const out = await session.run(feeds, fetches);
  const runMs = performance.now() - t0;
  const present = presentNames.map((name) => fetches[name] ?? out[name] as ort.Tensor);
  const logits = out.logits as ort.Tensor;
  const hidden = wantHidden ? out[io.hiddenOutput!].data as Float32Array : null;
  return {
    logits: logits.data as Float32Array,
    logitsLen: logits.dims[1] as number,
    present,
    hidden,
    runMs,
  };
}

/** Zero-filled past arrays `[k0, v0, ...]` of shape `[B, H, P, D]`. */
export function emptyPast(io: ModelIO, B: number, P: number): Float32Array[] {
  const n = B * io.numKvHeads * P * io.headDim;
  return Array.from({ length: 2 * io.numLayers }, () => new Float32Array(n));
}

/**
 * Copy the first `upto` positions of a cache chain into batch row `row` of `dst` (past length
 * `P`), right-aligned so that position `upto - 1` lands in column `P - 1`. Every position must be
 * held (see {@linkcode KvCache.cachedLength}).
 */
export function gatherChain(
  io: ModelIO,
  chain: readonly CacheNode[],
  upto: number,
  dst: Float32Array[],
  row: number,
  P: number,
): void {
  const H = io.numKvHeads;
  const D = io.headDim;
  const col0 = P - upto;
  for (const node of chain) {
    if (node.start >= upto) break;
    const n = Math.min(node.tokens.length, upto - node.start);
    if (!node.kv || node.kvLen < n) throw new Error("onnx runner: gather of an uncached segment");
    const cap = node.tokens.length;
    for (let a = 0; a < dst.length; a++) {
      const src = node.kv[a];
      const d = dst[a];
      for (let h = 0; h < H; h++) {
        d.set(
          src.subarray(h * cap * D, (h * cap + n) * D),
          ((row * H + h) * P + col0 + node.start) * D,
        );
      }
    }
  }
}

/**
 * Store batch columns into a cache node: local token indices `[from, to)` of `node` are read
 * from row `row` of `src` (past length `P`), starting at column `col`. Keeps `kvLen` a prefix:
 * a write that would leave a gap is skipped.
 */
export function scatterToNode(
  io: ModelIO,
  cache: KvCache,
  node: CacheNode,
  from: number,
  to: number,
  src: readonly Float32Array[],
  row: number,
  P: number,
  col: number,
): void {
  if (to <= from || node.dead || from > (node.kv ? node.kvLen : 0)) return;
  const kv = cache.allocate(node);
  const H = io.numKvHeads;
  const D = io.headDim;
  const cap = node.tokens.length;
  const n = to - from;
  for (let a = 0; a < kv.length; a++) {
    const s = src[a];
    for (let h = 0; h < H; h++) {
      const o = ((row * H + h) * P + col) * D;
      kv[a].set(s.subarray(o, o + n * D), (h * cap + from) * D);
    }
  }
  if (to > node.kvLen) node.kvLen = to;
}

/**
 * Copy row `from` of `src` (past length `Ps`, `len` right-aligned valid columns) to row `to` of
 * `dst` (past length `Pd >= len`), right-aligned. Whole-row `set()` when the lengths agree.
 */
export function copyRow(
  io: ModelIO,
  src: readonly Float32Array[],
  from: number,
  Ps: number,
  dst: Float32Array[],
  to: number,
  Pd: number,
  len: number,
): void {
  const H = io.numKvHeads;
  const D = io.headDim;
  for (let a = 0; a < dst.length; a++) {
    const s = src[a];
    const d = dst[a];
    if (Ps === Pd) {
      d.set(s.subarray(from * H * Ps * D, (from + 1) * H * Ps * D), to * H * Pd * D);
      continue;
    }
    for (let h = 0; h < H; h++) {
      const o = ((from * H + h) * Ps + Ps - len) * D;
      d.set(s.subarray(o, o + len * D), ((to * H + h) * Pd + Pd - len) * D);
    }
  }
}
