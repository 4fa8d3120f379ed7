import assert from "node:assert/strict";
import { rng } from "../../core/random.ts";
import { createNativeSampler, NEAR_SPAN } from "./native_sampler.ts";
import { chooseToken, chooseTokenNear, nearRow, type SamplingParams } from "./sampling.ts";

/** Rows shaped like a real model's: normal logits with std 4.5 (random-qwen2's README). */
function rows(B: number, V: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: B * V }, () => 4.5 * r.normal());
}

Deno.test("sampler graph: each row's max, the mask within the span and the tail sums, as JavaScript computes them", async () => {
  const sampler = await createNativeSampler({ intraOpNumThreads: 1 });
  try {
    const B = 4;
    const V = 5000;
    const x = rows(B, V, 1);
    const invT = new Float32Array([1, 1.25, 0.5, 1 / 1.3]);
    for (const inv of [invT, new Float32Array(B).fill(1)]) {
      const near = await sampler.run(x, V, inv);
      for (let r = 0; r < B; r++) {
        const row = x.subarray(r * V, (r + 1) * V);
        const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
        assert.equal(near.max[r], max);
        const floor = -NEAR_SPAN / inv[r];
        let kept = 0;
        let tail = 0;
        let tailT = 0;
        let total = 0;
        let totalT = 0;
        for (let i = 0; i < V; i++) {
          const d = row[i] - max;
          total += Math.exp(d);
          totalT += Math.exp(d * inv[r]);
          const k = near.keep[r * V + i];
          if (Math.abs(d - floor) > 1e-4) assert.equal(k, d >= floor ? 1 : 0, `row ${r} id ${i}`);
          if (k) kept++;
          else {
            tail += Math.exp(d);
            tailT += Math.exp(d * inv[r]);
          }
        }
        assert.ok(kept > 0 && kept < V);
        const s = nearRow(near, r);
        // Against the row's total, what sampling compares it with, the tail's error is tiny.
        const err = Math.abs(s.sum - kept * s.floorExp - tail) / total;
        const errT = Math.abs(s.sumT - kept * s.floorExpT - tailT) / totalT;
        assert.ok(err < 1e-7 && errT < 1e-7, `row ${r}: ${err} ${errT}`);
      }
    }
  } finally {
    await sampler.release();
  }
});

Deno.test("chooseTokenNear draws the full pass's token from the same stream, and its logSumExp", async () => {
  const sampler = await createNativeSampler({ intraOpNumThreads: 1 });
  try {
    const B = 40;
    const V = 20_000;
    const settings: SamplingParams[] = [
      { temperature: 0, topK: 0, topP: 1, minP: 0 },
      { temperature: 0.8, topK: 1, topP: 1, minP: 0 },
      { temperature: 1, topK: 0, topP: 0.95, minP: 0 },
      { temperature: 0.8, topK: 0, topP: 0.95, minP: 0 },
      { temperature: 0.6, topK: 0, topP: 0.9, minP: 0.05 },
      { temperature: 1.2, topK: 0, topP: 0.8, minP: 0 },
    ];
    let nulls = 0;
    let compared = 0;
    for (const [k, params] of settings.entries()) {
      const x = rows(B, V, 10 + k);
      const t = params.temperature > 0 && params.topK !== 1 ? params.temperature : 0;
      const near = await sampler.run(x, V, new Float32Array(B).fill(t > 0 ? 1 / t : 1));
      for (let r = 0; r < B; r++) {
        const row = x.subarray(r * V, (r + 1) * V);
        const got = chooseTokenNear(row, nearRow(near, r), params, rng(r).uniform);
        const want = chooseToken(row, params, rng(r).uniform);
        if (!got) {
          nulls++;
          continue;
        }
        compared++;
        assert.equal(got.token, want.token, `setting ${k} row ${r}`);
        assert.ok(Math.abs(got.logSumExp - want.logSumExp) < 1e-6, `setting ${k} row ${r}`);
      }
    }
    // Only a nucleus that reaches the mask's edge (temperature 1.2 here) goes to the full pass.
    assert.ok(nulls <= B / 2, `${nulls} fallbacks`);
    assert.ok(compared >= settings.length * B - B / 2);
  } finally {
    await sampler.release();
  }
});

Deno.test("chooseTokenNear leaves to the full pass what it cannot decide: top-k, no top-p, NaN", async () => {
  const sampler = await createNativeSampler({ intraOpNumThreads: 1 });
  try {
    const V = 3000;
    const x = rows(1, V, 7);
    const near = nearRow(await sampler.run(x, V, new Float32Array([1])), 0);
    const u = rng(1).uniform;
    assert.equal(
      chooseTokenNear(x, near, { temperature: 1, topK: 50, topP: 0.9, minP: 0 }, u),
      null,
    );
    assert.equal(chooseTokenNear(x, near, { temperature: 1, topK: 0, topP: 1, minP: 0 }, u), null);
    assert.notEqual(
      chooseTokenNear(x, near, { temperature: 1, topK: 0, topP: 0.9, minP: 0 }, u),
      null,
    );
    x[17] = NaN;
    const withNaN = nearRow(await sampler.run(x, V, new Float32Array([1])), 0);
    assert.equal(
      chooseTokenNear(x, withNaN, { temperature: 1, topK: 0, topP: 0.9, minP: 0 }, u),
      null,
    );
    assert.equal(chooseTokenNear(x, withNaN, { temperature: 0, topK: 0, topP: 1, minP: 0 }), null);
  } finally {
    await sampler.release();
  }
});
