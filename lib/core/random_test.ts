import assert from "node:assert/strict";
import { fork, hashString, rng } from "./random.ts";

Deno.test("rng: same seed replays, different seeds differ", () => {
  const a = rng(123), b = rng(123), c = rng(124);
  const xs = Array.from({ length: 20 }, () => a.uniform());
  assert.deepEqual(xs, Array.from({ length: 20 }, () => b.uniform()));
  assert.notDeepEqual(xs, Array.from({ length: 20 }, () => c.uniform()));
});

Deno.test("rng: uniform and normal moments", () => {
  const r = rng(7);
  const n = 50_000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 4 * Math.sqrt(1 / 12 / n));
  assert.ok(Math.abs(sn / n) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(sn2 / n - 1) < 4 * Math.sqrt(2 / n));
});

Deno.test("rng: categorical follows weights and never picks zero weights", () => {
  const r = rng(9);
  const w = [0.1, 0, 0.6, 0.3];
  const counts = [0, 0, 0, 0];
  const n = 40_000;
  for (let i = 0; i < n; i++) counts[r.categorical(w)]++;
  assert.equal(counts[1], 0);
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(counts[i] / n - w[i]) < 4 * Math.sqrt(w[i] * (1 - w[i]) / n) + 1e-12);
  }
  assert.throws(() => r.categorical([0, 0]), RangeError);
  assert.throws(() => r.categorical([1, -1]), RangeError);
});

Deno.test("rng: int is uniform over [0, n)", () => {
  const r = rng(11);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 25_000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 5000) < 4 * Math.sqrt(25_000 * 0.16));
});

Deno.test("fork: deterministic, key- and order-sensitive, typed keys", () => {
  assert.equal(fork(1, "a", 2), fork(1, "a", 2));
  assert.notEqual(fork(1, "a", 2), fork(1, 2, "a"));
  assert.notEqual(fork(1, 1), fork(1, "1"));
  assert.notEqual(fork(1, 0), fork(2, 0));
  assert.notEqual(fork(1, 0.5), fork(1, 0));
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(fork(5, i));
  assert.equal(seen.size, 1000);
  assert.equal(hashString(""), 0x811c9dc5);
});
