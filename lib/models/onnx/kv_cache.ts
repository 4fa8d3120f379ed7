/**
 * The runner's KV cache: a prefix tree of token segments with per-segment key/value arrays and
 * an LRU byte budget.
 *
 * Layout. A node holds one segment of a token sequence (`tokens`, starting at absolute position
 * `start`) and, for each layer, a key and a value `Float32Array` laid out `[kvHeads, cap, headDim]`
 * (`cap = tokens.length`), of which the first `kvLen` token columns are filled. A sequence is
 * the chain root → node; its K/V is the concatenation of the chain's segments. Head-major rows
 * make the gather into a batch tensor `[batch, kvHeads, past, headDim]` one `set()` per
 * (segment, layer, head).
 *
 * Sharing. Children are added under the node they extend, so a step of a tree search stores only
 * its own tokens; siblings (n samples, beams, particles, MCTS children) share every ancestor
 * segment and never recompute it (copy-on-extend: the parent is read, never written past its own
 * segment). Children are indexed by first token so a state without a handle finds its longest
 * cached prefix.
 *
 * Memory. Only K/V arrays count against the budget (token ids are tiny and always kept).
 * Evicting a node drops its K/V (`kv = null`, `kvLen = 0`) but keeps its tokens, so any sequence
 * can always be rebuilt: the runner re-encodes from the first chain position without K/V.
 * Correctness never depends on what is cached. A chain is touched leaf-first, so ancestors are
 * always more recent than their descendants and LRU drops leaves before the prefixes they need.
 *
 * @module
 */

/** Shape of one token's cache entry. */
export interface KvLayout {
  /** Layers. */
  numLayers: number;
  /** Key/value heads. */
  numKvHeads: number;
  /** Head size. */
  headDim: number;
}

/** One segment of the prefix tree. Mutable fields are owned by the cache. */
export interface CacheNode {
  /** Unique id (for debugging and stats). */
  readonly id: number;
  /** The segment this one extends (null for a root). */
  readonly parent: CacheNode | null;
  /** Absolute position of `tokens[0]` in the sequence. */
  readonly start: number;
  /** The segment's token ids. */
  readonly tokens: Int32Array;
  /** `[k0, v0, k1, v1, ...]`, each `[kvHeads, tokens.length, headDim]`; null when not held. */
  kv: Float32Array[] | null;
  /** Leading tokens of this segment whose K/V is filled. */
  kvLen: number;
  /** Children by first token. */
  readonly children: Map<number, CacheNode[]>;
  /** Live handles pointing here. */
  refs: number;
  /** Active uses that forbid eviction of the K/V. */
  pins: number;
  /** Removed from the tree (released with no children). */
  dead: boolean;
}

/** Counters for benchmarks and tests. */
export interface CacheStats {
  /** Nodes in the tree. */
  nodes: number;
  /** Nodes holding K/V. */
  nodesWithKv: number;
  /** Bytes of K/V held. */
  bytes: number;
  /** The budget. */
  budgetBytes: number;
  /** K/V arrays dropped by the LRU so far. */
  evictions: number;
}

/** The cache; see the module doc for the layout. */
export interface KvCache {
  /** The per-token shape. */
  readonly layout: KvLayout;
  /** Bytes one token's K/V takes over all layers. */
  readonly bytesPerToken: number;
  /** Node whose chain spells `tokens` exactly: found, or created with the longest cached prefix. */
  nodeFor(tokens: ArrayLike<number>): CacheNode;
  /** Child of `parent` holding `tokens` (an identical existing child is reused). */
  child(parent: CacheNode, tokens: ArrayLike<number>): CacheNode;
  /** The chain root → node. */
  chain(node: CacheNode): CacheNode[];
  /** All token ids of the chain root → node. */
  tokensOf(node: CacheNode): Int32Array;
  /** Length of the chain's leading run of positions whose K/V is held. */
  cachedLength(chain: readonly CacheNode[]): number;
  /** Allocate a node's K/V arrays when missing (counted against the budget). */
  allocate(node: CacheNode): Float32Array[];
  /** Mark a chain recently used (leaf first, so ancestors end up most recent). */
  touch(chain: readonly CacheNode[]): void;
  /** Forbid eviction of a chain's K/V until {@linkcode KvCache.unpin}. */
  pin(chain: readonly CacheNode[]): void;
  /** Undo one {@linkcode KvCache.pin}. */
  unpin(chain: readonly CacheNode[]): void;
  /** A handle now points at `node`. */
  retain(node: CacheNode): void;
  /** A handle no longer points at `node`; unreferenced leaves are removed. */
  release(node: CacheNode): void;
  /** Remove `node` (and then its parents) if nothing refers to it. */
  prune(node: CacheNode): void;
  /** Drop least recently used unpinned K/V until the budget holds. */
  evict(): void;
  /** Current counters. */
  stats(): CacheStats;
  /** Drop everything. */
  clear(): void;
}

/**
 * Create an empty cache with a byte budget for K/V.
 *
 * @example
 * ```ts
 * const cache = createKvCache({ numLayers: 4, numKvHeads: 2, headDim: 32 }, 256 * 2 ** 20);
 * const node = cache.nodeFor([1, 2, 3]);
 * cache.cachedLength(cache.chain(node)); // 0: nothing encoded yet
 * ```
 */
export function createKvCache(layout: KvLayout, budgetBytes: number): KvCache {
  const { numLayers, numKvHeads: H, headDim: D } = layout;
  const bytesPerToken = 2 * numLayers * H * D * 4;
  const roots = new Map<number, CacheNode[]>();
  const lru = new Map<CacheNode, true>(); // insertion order = least recently used first
  let nextId = 1;
  let bytes = 0;
  let nodes = 0;
  let evictions = 0;

  const make = (parent: CacheNode | null, start: number, tokens: Int32Array): CacheNode => {
    const node: CacheNode = {
      id: nextId++,
      parent,
      start,
      tokens,
      kv: null,
      kvLen: 0,
      children: new Map(),
      refs: 0,
      pins: 0,
      dead: false,
    };
    const map = parent ? parent.children : roots;
    const list = map.get(tokens[0]);
    if (list) list.push(node);
    else map.set(tokens[0], [node]);
    nodes++;
    return node;
  };

  const drop = (node: CacheNode) => {
    if (node.kv) {
      bytes -= node.tokens.length * bytesPerToken;
      node.kv = null;
      lru.delete(node);
    }
    node.kvLen = 0;
  };

  const allocate = (node: CacheNode): Float32Array[] => {
    if (!node.kv) {
      const n = node.tokens.length * H * D;
      node.kv = Array.from({ length: 2 * numLayers }, () => new Float32Array(n));
      node.kvLen = 0;
      bytes += node.tokens.length * bytesPerToken;
      lru.set(node, true);
    }
    return node.kv;
  };

  /** Copy the first `n` K/V columns of `from` into a fresh `to` (same absolute start). */
  const copyPrefix = (from: CacheNode, to: CacheNode, n: number) => {
    if (n <= 0 || !from.kv) return;
    const dst = allocate(to);
    const fc = from.tokens.length;
    const tc = to.tokens.length;
    for (let a = 0; a < dst.length; a++) {
      for (let h = 0; h < H; h++) {
        dst[a].set(from.kv[a].subarray(h * fc * D, (h * fc + n) * D), h * tc * D);
      }
    }
    to.kvLen = n;
  };

  const chain = (node: CacheNode): CacheNode[] => {
    const out: CacheNode[] = [];
    for (let n: CacheNode | null = node; n; n = n.parent) out.push(n);
    return out.reverse();
  };

  const prune = (node: CacheNode) => {
    let n: CacheNode | null = node;
    while (n && !n.dead && n.refs === 0 && n.pins === 0 && n.children.size === 0) {
      const map = n.parent ? n.parent.children : roots;
      const list = map.get(n.tokens[0]); // absent after clear()
      const i = list ? list.indexOf(n) : -1;
      if (i >= 0) list!.splice(i, 1);
      if (list && list.length === 0) map.delete(n.tokens[0]);
      drop(n);
      n.dead = true;
      nodes--;
      n = n.parent;
    }
  };

  const sameTokens = (a: Int32Array, b: ArrayLike<number>, offset: number): boolean => {
    if (a.length !== b.length - offset) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[offset + i]) return false;
    return true;
  };

  return {
    layout,
    bytesPerToken,
    nodeFor(tokens) {
      if (tokens.length === 0) throw new Error("onnx runner: cannot cache an empty sequence");
      let parent: CacheNode | null = null;
      let pos = 0;
      for (;;) {
        const map: Map<number, CacheNode[]> = parent ? parent.children : roots;
        const list = map.get(tokens[pos]) ?? [];
        let best: CacheNode | null = null;
        let bestLen = 0;
        for (const c of list) {
          let m = 0;
          const lim = Math.min(c.tokens.length, tokens.length - pos);
          while (m < lim && c.tokens[m] === tokens[pos + m]) m++;
          // Prefer the full match, then the longer one, then the one holding more K/V.
          const full = m === c.tokens.length;
          const bestFull = best !== null && bestLen === best.tokens.length;
          if (
            best === null || (full && !bestFull) ||
            (full === bestFull && (m > bestLen || (m === bestLen && c.kvLen > best.kvLen)))
          ) {
            best = c;
            bestLen = m;
          }
        }
        if (best && bestLen === best.tokens.length) {
          pos += bestLen;
          parent = best;
          if (pos === tokens.length) return best;
          continue;
        }
        const node = make(parent, pos, Int32Array.from(Array.prototype.slice.call(tokens, pos)));
        if (best) copyPrefix(best, node, Math.min(bestLen, best.kvLen));
        return node;
      }
    },
    child(parent, tokens) {
      if (tokens.length === 0) return parent;
      for (const c of parent.children.get(tokens[0]) ?? []) {
        if (sameTokens(c.tokens, tokens, 0)) return c;
      }
      return make(parent, parent.start + parent.tokens.length, Int32Array.from(tokens));
    },
    chain,
    tokensOf(node) {
      const out = new Int32Array(node.start + node.tokens.length);
      for (let n: CacheNode | null = node; n; n = n.parent) out.set(n.tokens, n.start);
      return out;
    },
    cachedLength(ch) {
      let len = 0;
      for (const n of ch) {
        if (!n.kv) return len;
        len += n.kvLen;
        if (n.kvLen < n.tokens.length) return len;
      }
      return len;
    },
    allocate,
    touch(ch) {
      for (let i = ch.length - 1; i >= 0; i--) {
        const n = ch[i];
        if (n.kv) {
          lru.delete(n);
          lru.set(n, true);
        }
      }
    },
    pin(ch) {
      for (const n of ch) n.pins++;
    },
    unpin(ch) {
      for (const n of ch) n.pins--;
    },
    retain(node) {
      node.refs++;
    },
    release(node) {
      if (node.refs > 0) node.refs--;
      prune(node);
    },
    prune,
    evict() {
      if (bytes <= budgetBytes) return;
      for (const n of lru.keys()) {
        if (bytes <= budgetBytes) break;
        if (n.pins > 0) continue;
        drop(n);
        evictions++;
      }
    },
    stats: () => ({
      nodes,
      nodesWithKv: lru.size,
      bytes,
      budgetBytes,
      evictions,
    }),
    clear() {
      for (const n of [...lru.keys()]) drop(n);
      roots.clear();
      nodes = 0;
    },
  };
}
