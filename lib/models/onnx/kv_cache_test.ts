import assert from "node:assert/strict";
import { createKvCache } from "./kv_cache.ts";

const layout = { numLayers: 1, numKvHeads: 2, headDim: 2 };
const perToken = 2 * 1 * 2 * 2 * 4; // K and V, 2 heads x 2 dims, float32

/** Fill a node's K/V with its absolute positions so copies can be traced. */
function fill(cache: ReturnType<typeof createKvCache>, node: ReturnType<typeof cache.nodeFor>) {
  const kv = cache.allocate(node);
  const n = node.tokens.length;
  for (const a of kv) {
    for (let h = 0; h < 2; h++) {
      for (let t = 0; t < n; t++) a.fill(node.start + t, (h * n + t) * 2, (h * n + t + 1) * 2);
    }
  }
  node.kvLen = n;
}

Deno.test("nodeFor finds exact and longest prefixes and copies shared K/V", () => {
  const cache = createKvCache(layout, 1 << 20);
  const a = cache.nodeFor([1, 2, 3, 4]);
  assert.equal(cache.nodeFor([1, 2, 3, 4]), a);
  fill(cache, a);
  const b = cache.child(a, [5, 6]);
  assert.equal(b.start, 4);
  assert.deepEqual(Array.from(cache.tokensOf(b)), [1, 2, 3, 4, 5, 6]);
  assert.equal(cache.child(a, [5, 6]), b, "identical children are shared");
  assert.equal(cache.nodeFor([1, 2, 3, 4, 5, 6]), b);
  assert.equal(cache.cachedLength(cache.chain(b)), 4);
  // A sequence diverging inside `a` gets a new root segment holding a's first 2 positions.
  const c = cache.nodeFor([1, 2, 9]);
  assert.equal(c.parent, null);
  assert.equal(c.kvLen, 2);
  assert.deepEqual(Array.from(c.kv![0].subarray(0, 6)), [0, 0, 1, 1, 0, 0]);
  // A sequence extending b by unknown tokens hangs under b.
  const d = cache.nodeFor([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(d.parent, b);
  assert.throws(() => cache.nodeFor([]), /empty/);
});

Deno.test("the LRU drops unpinned leaves first and keeps tokens", () => {
  const cache = createKvCache(layout, 10 * perToken);
  const root = cache.nodeFor([1, 2, 3, 4]);
  fill(cache, root);
  const kids = [5, 6, 7].map((t) => cache.child(root, [t, t, t]));
  kids.forEach((k) => fill(cache, k));
  assert.equal(cache.stats().bytes, 13 * perToken);
  cache.touch(cache.chain(kids[0]));
  cache.touch(cache.chain(kids[2]));
  cache.touch(cache.chain(kids[1]));
  cache.pin([kids[0]]);
  cache.evict(); // 13 > 10: kids[0] is oldest but pinned, so kids[2] goes
  assert.equal(kids[2].kv, null);
  assert.equal(kids[2].kvLen, 0);
  assert.ok(kids[0].kv && kids[1].kv && root.kv);
  assert.equal(cache.stats().bytes, 10 * perToken);
  assert.deepEqual(Array.from(cache.tokensOf(kids[2])), [1, 2, 3, 4, 7, 7, 7]);
  assert.equal(cache.cachedLength(cache.chain(kids[2])), 4);
  cache.unpin([kids[0]]);
  // Dropping the root breaks every chain at position 0, whatever the children hold.
  const tiny = createKvCache(layout, 0);
  const r2 = tiny.nodeFor([1, 2]);
  fill(tiny, r2);
  const k2 = tiny.child(r2, [3]);
  fill(tiny, k2);
  tiny.touch(tiny.chain(k2));
  tiny.evict();
  assert.equal(tiny.stats().bytes, 0);
  assert.equal(tiny.stats().evictions, 2);
  assert.equal(tiny.cachedLength(tiny.chain(k2)), 0);
});

Deno.test("release prunes unreferenced leaves up the chain", () => {
  const cache = createKvCache(layout, 1 << 20);
  const root = cache.nodeFor([1, 2]);
  cache.retain(root);
  const a = cache.child(root, [3]);
  const b = cache.child(a, [4]);
  cache.retain(b);
  fill(cache, b);
  assert.equal(cache.stats().nodes, 3);
  cache.release(b);
  assert.ok(b.dead && a.dead && !root.dead);
  assert.equal(cache.stats().nodes, 1);
  assert.equal(cache.stats().bytes, 0);
  assert.notEqual(cache.nodeFor([1, 2, 3]), a, "a pruned node is not found again");
});
