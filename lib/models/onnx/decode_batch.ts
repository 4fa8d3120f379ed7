/**
 * The decode batch's tensors around {@linkcode decodeStep}: packing rows into fresh past arrays
 * (kept rows copied from the current tensors by slot, joining rows gathered from their cache
 * chains, siblings copied from the first), the two reused buffer sets the graph writes
 * `present.*` into, and storing a finished row's new K/V as a child node in the cache.
 *
 * @example
 * ```ts
 * import { packBatch } from "./decode_batch.ts";
 * import type { DecodeRow } from "./decode_step.ts";
 * import type { ModelIO } from "./session.ts";
 * declare const io: ModelIO;
 * declare const active: DecodeRow[]; // rows in the current tensors
 * declare const past: Float32Array[]; // the current tensors, past length P
 * declare const P: number;
 * const next = packBatch(io, active, [], past, P); // compacted to the active rows
 * ```
 *
 * @module
 */
import type { DecodeRow } from "./decode_step.ts";
import { copyRow, emptyPast, gatherChain, scatterToNode } from "./batch.ts";
import type { CacheNode, KvCache } from "./kv_cache.ts";
import type { ModelIO } from "./session.ts";

/**
 * A packed decode batch: its rows in batch order (each row's `slot` is its index) and its past
 * arrays of past length `P` (the longest row's K/V length).
 *
 * @example
 * ```ts
 * declare const batch: PackedBatch;
 * batch.rows.every((row, r) => row.slot === r); // true
 * ```
 */
export interface PackedBatch {
  /** Rows in batch order. */
  rows: DecodeRow[];
  /** Past keys/values `[k0, v0, ...]`, each `[B, H, P, D]`. */
  past: Float32Array[];
  /** Past length. */
  P: number;
}

/**
 * New past arrays for `kept` rows (copied from `src`, past length `P`, by their `slot`) followed
 * by `joining` rows (gathered from their cache chains, whose K/V must be held; a row continuing
 * the same node as an earlier joining row copies that row). Sets every row's `slot` to its new
 * index. With no joining rows this compacts the batch and trims its padding.
 *
 * @example
 * ```ts
 * import type { ModelIO } from "./session.ts";
 * import type { DecodeRow } from "./decode_step.ts";
 * declare const io: ModelIO;
 * declare const active: DecodeRow[];
 * declare const joining: DecodeRow[]; // their chains just encoded
 * declare const past: Float32Array[];
 * declare const P: number;
 * const { rows, past: next, P: P2 } = packBatch(io, active, joining, past, P);
 * ```
 */
export function packBatch(
  io: ModelIO,
  kept: readonly DecodeRow[],
  joining: readonly DecodeRow[],
  src: readonly Float32Array[],
  P: number,
): PackedBatch {
  const rows = [...kept, ...joining];
  const P2 = rows.reduce((m, r) => Math.max(m, r.lenKv), 0);
  const dst = emptyPast(io, rows.length, P2);
  const firstRow = new Map<CacheNode, number>();
  rows.forEach((row, r) => {
    if (r < kept.length) copyRow(io, src, row.slot, P, dst, r, P2, row.lenKv);
    else {
      const first = firstRow.get(row.node);
      if (first === undefined) {
        gatherChain(io, row.chain, row.lenKv, dst, r, P2);
        firstRow.set(row.node, r);
      } else copyRow(io, dst, first, P2, dst, r, P2, row.lenKv);
    }
    row.slot = r;
  });
  return { rows, past: dst, P: P2 };
}

/**
 * Two buffer sets for the graph's `present.*` outputs, taken in turn: each step writes into the
 * set that does not hold its `past`, so onnxruntime neither allocates the outputs nor copies them
 * into new JS arrays each step (see `StepFeeds.presentInto`).
 *
 * @example
 * ```ts
 * import type { ModelIO } from "./session.ts";
 * declare const io: ModelIO;
 * const pool = createPresentPool(io);
 * const into = pool.views(8, 101); // 8 rows, past + 1 = 101 positions
 * pool.fresh(); // the next past is freshly packed arrays, not one of the sets
 * ```
 */
export interface PresentPool {
  /** Views of exactly `[rows, H, positions, D]` per array, in the set not holding the past. */
  views(rows: number, positions: number): Float32Array[];
  /** The past is now arrays of its own (packed): either set may be written next. */
  fresh(): void;
}

/**
 * A {@linkcode PresentPool} for a model's layout; buffers grow by a quarter when too small.
 *
 * @example
 * ```ts
 * import type { ModelIO } from "./session.ts";
 * declare const io: ModelIO;
 * const into: Float32Array[] = createPresentPool(io).views(1, 10);
 * ```
 */
export function createPresentPool(io: ModelIO): PresentPool {
  const pools: Float32Array[][] = [[], []];
  let pastPool = -1; // the set `past` lives in, or -1 for freshly gathered arrays
  return {
    views(rows, positions) {
      const k = pastPool === 0 ? 1 : 0;
      const n = rows * io.numKvHeads * positions * io.headDim;
      const pool = pools[k];
      for (let i = 0; i < 2 * io.numLayers; i++) {
        if (!(pool[i]?.length >= n)) pool[i] = new Float32Array(Math.ceil(n * 1.25));
      }
      pastPool = k;
      return pool.map((b) => b.subarray(0, n));
    },
    fresh() {
      pastPool = -1;
    },
  };
}

/**
 * Store a finished row in the cache: the node spelling its parent plus `segment.tokens`, with
 * the K/V of the first `segment.withKv` of them (and of the parent's last token, fed at the call's
 * first step) copied from batch row `r` of `present` (past length `Pn`); without `present` (a row
 * that generated nothing) only the node. Touches the row's chain so ancestors stay newer than
 * descendants. Returns the node.
 *
 * @example
 * ```ts
 * import type { ModelIO } from "./session.ts";
 * import type { KvCache } from "./kv_cache.ts";
 * import type { DecodeRow } from "./decode_step.ts";
 * import { keptSegment } from "./decode_step.ts";
 * declare const io: ModelIO;
 * declare const cache: KvCache;
 * declare const row: DecodeRow;
 * declare const present: Float32Array[];
 * declare const Pn: number;
 * declare const encode: (text: string) => number[];
 * const seg = keptSegment(row, row.text, row.generated.length, encode);
 * const node = storeFinishedRow(io, cache, row, 0, present, Pn, seg);
 * ```
 */
export function storeFinishedRow(
  io: ModelIO,
  cache: KvCache,
  row: DecodeRow,
  r: number,
  present: Float32Array[] | null,
  Pn: number,
  segment: { tokens: number[]; withKv: number },
): CacheNode {
  let node = row.node;
  if (present) {
    const col0 = Pn - row.lenKv; // column of absolute position 0
    // The parent's last token was fed at this call's first step: keep its K/V too.
    const last = node.tokens.length - 1;
    if (node.kv && node.kvLen === last && !node.dead) {
      scatterToNode(io, cache, node, last, last + 1, present, r, Pn, col0 + row.prefixLen - 1);
    }
    node = cache.child(row.node, segment.tokens);
    if (node !== row.node && node.kvLen < segment.withKv) {
      scatterToNode(io, cache, node, 0, segment.withKv, present, r, Pn, col0 + row.prefixLen);
    }
  } else {
    node = cache.child(row.node, segment.tokens);
  }
  // Keep the LRU order "ancestors newer than descendants" for the new segment.
  cache.touch(node === row.node ? row.chain : [...row.chain, node]);
  return node;
}
