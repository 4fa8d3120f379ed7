import assert from "node:assert/strict";
import { wilsonInterval } from "./wilson.ts";

const close = (a: number, b: number, eps = 1e-4) =>
  assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

Deno.test("wilsonInterval: textbook values", () => {
  const w = wilsonInterval(7, 10);
  assert.equal(w.mean, 0.7);
  close(w.lo, 0.3968);
  close(w.hi, 0.8922);
  const v = wilsonInterval(50, 100);
  close(v.lo, 0.4038);
  close(v.hi, 0.5962);
});

Deno.test("wilsonInterval: stays inside [0, 1] at the edges and narrows with n", () => {
  const zero = wilsonInterval(0, 20);
  assert.equal(zero.lo, 0);
  close(zero.hi, 0.1611);
  const all = wilsonInterval(20, 20);
  assert.equal(all.hi, 1);
  close(all.lo, 0.8389);
  const small = wilsonInterval(5, 10);
  const big = wilsonInterval(500, 1000);
  assert.ok(big.hi - big.lo < small.hi - small.lo);
  const z1 = wilsonInterval(5, 10, { z: 1 });
  assert.ok(z1.hi - z1.lo < small.hi - small.lo);
});

Deno.test("wilsonInterval: bad input is an error", () => {
  assert.throws(() => wilsonInterval(1, 0), /n must be a positive integer/);
  assert.throws(() => wilsonInterval(11, 10), /successes/);
  assert.throws(() => wilsonInterval(1, 10, { z: -1 }), /z must be positive/);
});
