/**
 * Prefill: filling the K/V cache for a set of sequences, batched. Each sequence is re-encoded
 * only from its first position without K/V (nothing for a fresh step of a tree search, the whole
 * sequence for an evicted or unknown one); sequences of similar remaining length are packed into
 * one graph run, bounded in padded tokens and in `rows × (past + new)` slots; hidden states and
 * next-token logits are read at the positions asked for.
 *
 * @example
 * ```ts
 * import { encodeSequences, type PrefillEngine } from "./prefill.ts";
 * import type { CacheNode } from "./kv_cache.ts";
 * declare const engine: PrefillEngine; // a runner's session, cache and limits
 * declare const node: CacheNode; // a prompt's cache node
 * const [r] = await encodeSequences(engine, [{ node, logitsAt: [node.tokens.length - 2] }]);
 * r.logits[0]; // next-token logits after the prompt's second-to-last token
 * ```
 *
 * @module
 */
import type * as ort from "onnxruntime-node";
import { emptyPast, gatherChain, runStep, scatterToNode } from "./batch.ts";
import type { CacheNode, KvCache } from "./kv_cache.ts";
import type { ModelIO } from "./session.ts";

/**
 * What {@linkcode encodeSequences} (the runner's `encode`) computes for one sequence.
 *
 * @example
 * ```ts
 * import type { CacheNode } from "./kv_cache.ts";
 * declare const node: CacheNode;
 * const job: EncodeJob = { node, hiddenAt: [node.start + node.tokens.length - 1], to: node.start + node.tokens.length };
 * ```
 */
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

/**
 * Result of one {@linkcode EncodeJob}.
 *
 * @example
 * ```ts
 * declare const result: EncodeResult;
 * const [h] = result.hidden; // the hidden state at the job's first `hiddenAt` position
 * ```
 */
export interface EncodeResult {
  /** Hidden states, in `hiddenAt` order. */
  hidden: Float32Array[];
  /** Logits rows, in `logitsAt` order. */
  logits: Float32Array[];
}

/**
 * What prefill runs on: the session and its contract, the cache, and the runner's limits and
 * counters (updated in place).
 *
 * @example
 * ```ts
 * import type { ModelIO } from "./session.ts";
 * import type { KvCache } from "./kv_cache.ts";
 * import type * as ort from "onnxruntime-node";
 * declare const session: ort.InferenceSession;
 * declare const io: ModelIO;
 * declare const cache: KvCache;
 * const engine: PrefillEngine = {
 *   session, io, cache, modelPath: "models/embedded/onnx/model.onnx", padTokenId: 0,
 *   maxPrefillTokens: 2048, maxPrefillSlots: 32768,
 *   counters: { prefillRuns: 0, prefillTokens: 0, prefillRunMs: 0 },
 * };
 * ```
 */
export interface PrefillEngine {
  /** The onnxruntime session. */
  session: ort.InferenceSession;
  /** The graph's contract. */
  io: ModelIO;
  /** The K/V cache. */
  cache: KvCache;
  /** The model file (named in errors). */
  modelPath: string;
  /** Token id of padding. */
  padTokenId: number;
  /** Padded new tokens per run. */
  maxPrefillTokens: number;
  /** Padded `rows × (past + new)` per run. */
  maxPrefillSlots: number;
  /** Graph runs, real tokens and wall time inside `session.run` (ms) of prefill so far. */
  counters: { prefillRuns: number; prefillTokens: number; prefillRunMs: number };
  /**
   * Rows share a run only with rows of the same cached and new lengths, none padded
   * (`RunnerOptions.batchInvariant`; default false).
   */
  batchInvariant?: boolean;
}

const data = (t: ort.Tensor | Float32Array): Float32Array =>
  t instanceof Float32Array ? t : t.data as Float32Array;

/** Store positions `[from, to)` of a chain from batch row `row` (column of `from` = col). */
function storeRange(
  io: ModelIO,
  cache: KvCache,
  chain: readonly CacheNode[],
  from: number,
  to: number,
  src: Float32Array[],
  row: number,
  P: number,
  col: number,
): void {
  for (const node of chain) {
    const a = Math.max(from, node.start);
    const b = Math.min(to, node.start + node.tokens.length);
    if (a >= b) continue;
    scatterToNode(io, cache, node, a - node.start, b - node.start, src, row, P, col + a - from);
  }
}

/**
 * Fill the cache (and read hidden states / logits) for a set of sequences, batched: the
 * runner's `encode`. Jobs without hidden or logits positions on the same node are merged; every
 * chain is pinned while it is encoded, touched after, and the cache evicted to its budget.
 *
 * @example
 * ```ts
 * import type { CacheNode } from "./kv_cache.ts";
 * declare const engine: PrefillEngine;
 * declare const nodes: CacheNode[];
 * await encodeSequences(engine, nodes.map((node) => ({ node }))); // every position but the last
 * ```
 */
export async function encodeSequences(
  engine: PrefillEngine,
  jobs: readonly EncodeJob[],
): Promise<EncodeResult[]> {
  const { session, io, cache, maxPrefillTokens, maxPrefillSlots, counters } = engine;
  const results: EncodeResult[] = jobs.map((j) => ({
    hidden: new Array(j.hiddenAt?.length ?? 0),
    logits: new Array(j.logitsAt?.length ?? 0),
  }));
  if ((jobs.some((j) => j.hiddenAt?.length)) && !io.hiddenOutput) {
    throw new Error(
      `onnx model: ${engine.modelPath} has no last_hidden_state output; hidden states unsupported`,
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
      // Greedy packing: rows of similar remaining length, bounded padded tokens and slots (with
      // batch invariance, of the same cached and new lengths: the order keeps those together).
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
          if (engine.batchInvariant && group.length > 0 && (q !== T || w.cur !== P)) break;
          group.push(w);
          T = T2;
          P = P2;
          i++;
        }
        const B = group.length;
        const past = emptyPast(io, B, P);
        const ids = new Int32Array(B * T).fill(engine.padTokenId);
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
        counters.prefillRunMs += out.runMs;
        const present = out.present.map(data);
        const Pn = P + T;
        const V = out.logits.length / (B * out.logitsLen);
        const Hd = out.hidden ? out.hidden.length / (B * T) : 0;
        group.forEach((w, r) => {
          const q = newCounts[r];
          counters.prefillTokens += q;
          storeRange(io, cache, w.chain, w.cur, w.cur + q, present, r, Pn, P + T - q);
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
}
