import assert from "node:assert/strict";
import { rng } from "../../core/random.ts";
import { argmax, logSumExp, sampleToken } from "./sampling.ts";

const greedy = { temperature: 0, topK: 0, topP: 1, minP: 0 };

Deno.test("argmax breaks ties towards the lower id", () => {
  assert.equal(argmax(new Float32Array([0, 2, 2, 1])), 1);
  assert.equal(argmax(new Float32Array([-1])), 0);
});

Deno.test("logSumExp is stable for large logits", () => {
  assert.ok(Math.abs(logSumExp(new Float32Array([1000, 1000])) - (1000 + Math.log(2))) < 1e-9);
  assert.equal(logSumExp(new Float32Array([-Infinity, -Infinity])), -Infinity);
});

Deno.test("temperature 0 and topK 1 are greedy whatever the random stream", () => {
  const r = rng(3);
  for (let t = 0; t < 50; t++) {
    const logits = Float32Array.from({ length: 40 }, () => r.normal());
    const best = argmax(logits);
    assert.equal(sampleToken(logits, greedy, r.uniform), best);
    assert.equal(sampleToken(logits, { ...greedy, temperature: 1.5, topK: 1 }, r.uniform), best);
  }
});

function frequencies(logits: Float32Array, params: typeof greedy, draws: number, seed = 1) {
  const r = rng(seed);
  const counts = new Array(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, params, r.uniform)]++;
  return counts.map((c) => c / draws);
}

Deno.test("temperature 1 samples the softmax", () => {
  const logits = new Float32Array([0, Math.log(2), Math.log(3), Math.log(4)]);
  const f = frequencies(logits, { ...greedy, temperature: 1 }, 40000);
  [0.1, 0.2, 0.3, 0.4].forEach((p, i) => assert.ok(Math.abs(f[i] - p) < 0.01, `${i}: ${f[i]}`));
  // Temperature 0.5 squares the probabilities: 1, 4, 9, 16 over 30.
  const g = frequencies(logits, { ...greedy, temperature: 0.5 }, 40000);
  [1, 4, 9, 16].forEach((w, i) => assert.ok(Math.abs(g[i] - w / 30) < 0.01, `${i}: ${g[i]}`));
});

Deno.test("top-k, top-p and min-p keep only their sets", () => {
  const logits = new Float32Array([Math.log(4), Math.log(3), Math.log(2), Math.log(1), 0]);
  // probabilities 4,3,2,1,1 over 11
  const k = frequencies(logits, { ...greedy, temperature: 1, topK: 2 }, 20000);
  assert.deepEqual(k.map((x) => x > 0), [true, true, false, false, false]);
  assert.ok(Math.abs(k[0] - 4 / 7) < 0.015);
  // top-p 0.6: 4/11 = .36 < .6, 7/11 = .64 >= .6 -> {0, 1}
  const p = frequencies(logits, { ...greedy, temperature: 1, topP: 0.6 }, 20000);
  assert.deepEqual(p.map((x) => x > 0), [true, true, false, false, false]);
  // min-p 0.45: keep p >= 0.45 * 4/11 -> {0, 1, 2}
  const m = frequencies(logits, { ...greedy, temperature: 1, minP: 0.45 }, 20000);
  assert.deepEqual(m.map((x) => x > 0), [true, true, true, false, false]);
  assert.ok(Math.abs(m[2] - 2 / 9) < 0.015);
  // ties at the top-k boundary go to the lower id: ids 3 and 4 tie, k = 4 keeps 3
  const t = frequencies(logits, { ...greedy, temperature: 1, topK: 4 }, 5000);
  assert.deepEqual(t.map((x) => x > 0), [true, true, true, true, false]);
});

Deno.test("the same uniform stream gives the same tokens", () => {
  const logits = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i));
  const params = { temperature: 0.9, topK: 10, topP: 0.9, minP: 0.05 };
  const a = frequencies(logits, params, 200, 7);
  const b = frequencies(logits, params, 200, 7);
  const c = frequencies(logits, params, 200, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
