import assert from "node:assert/strict";
import { passAtK } from "./pass_at_k.ts";

/** Exact 1 - C(n-c, k) / C(n, k) with BigInt binomials. */
function closedForm(n: number, c: number, k: number): number {
  const binom = (a: number, b: number): bigint => {
    if (b < 0 || b > a) return 0n;
    let r = 1n;
    for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
    return r;
  };
  const num = binom(n - c, k);
  const den = binom(n, k);
  // 1 - num/den to double precision.
  return 1 - Number((num * 10n ** 18n) / den) / 1e18;
}

Deno.test("passAtK: hand-checked cases", () => {
  assert.ok(Math.abs(passAtK(5, 2, 2) - 0.7) < 1e-12); // 1 - C(3,2)/C(5,2) = 1 - 3/10
  assert.equal(passAtK(10, 0, 1), 0);
  assert.equal(passAtK(10, 0, 10), 0);
  assert.equal(passAtK(10, 10, 1), 1);
  assert.equal(passAtK(7, 7, 3), 1);
  assert.equal(passAtK(4, 3, 2), 1); // fewer than k wrong samples: always a hit
  for (let c = 0; c <= 8; c++) assert.ok(Math.abs(passAtK(8, c, 1) - c / 8) < 1e-12);
});

Deno.test("passAtK: equals the closed form for every n <= 30", () => {
  for (let n = 1; n <= 30; n++) {
    for (let c = 0; c <= n; c++) {
      for (let k = 1; k <= n; k++) {
        const got = passAtK(n, c, k);
        assert.ok(Math.abs(got - closedForm(n, c, k)) < 1e-9, `n=${n} c=${c} k=${k}: ${got}`);
      }
    }
  }
});

Deno.test("passAtK: stable for large n", () => {
  assert.ok(Math.abs(passAtK(10000, 1, 1) - 1e-4) < 1e-15);
  const v = passAtK(4096, 100, 256);
  assert.ok(v > 0.99 && v <= 1, String(v));
  assert.ok(Math.abs(passAtK(100000, 3, 1000) - closedForm(100000, 3, 1000)) < 1e-9);
});

Deno.test("passAtK: k > n, k < 1, c out of range and non-integers are errors", () => {
  assert.throws(() => passAtK(4, 1, 5), /1 <= k <= n/);
  assert.throws(() => passAtK(4, 1, 0), /1 <= k <= n/);
  assert.throws(() => passAtK(4, 5, 1), /0 <= c <= n/);
  assert.throws(() => passAtK(4, -1, 1), /0 <= c <= n/);
  assert.throws(() => passAtK(4, 1, 1.5), RangeError);
  assert.throws(() => passAtK(0, 0, 1), RangeError);
});
