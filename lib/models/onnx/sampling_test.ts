import assert from "node:assert/strict";
import { rng } from "../../core/random.ts";
import { argmax, chooseToken, logSumExp, sampleToken } from "./sampling.ts";

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

/**
 * The sampler before top-p avoided the full sort (kept verbatim as the reference): weights for
 * every candidate, top-p by sorting all of them, min-p, one draw in id order.
 */
function fullSortSample(
  logits: Float32Array,
  params: typeof greedy,
  uniform: () => number,
): number {
  const { temperature, topK, topP, minP } = params;
  if (!(temperature > 0) || topK === 1) return argmax(logits);
  const V = logits.length;
  const max = logits[argmax(logits)];
  let cand: Int32Array;
  if (topK > 0 && topK < V) {
    const thr = [...logits].sort((a, b) => b - a)[topK - 1];
    let above = 0;
    for (let i = 0; i < V; i++) if (logits[i] > thr) above++;
    let ties = topK - above;
    cand = new Int32Array(topK);
    let n = 0;
    for (let i = 0; i < V; i++) {
      const l = logits[i];
      if (l > thr || (l === thr && ties-- > 0)) cand[n++] = i;
    }
  } else {
    cand = new Int32Array(V);
    for (let i = 0; i < V; i++) cand[i] = i;
  }
  const w = new Float64Array(cand.length);
  const invT = 1 / temperature;
  let total = 0;
  for (let c = 0; c < cand.length; c++) {
    const p = Math.exp((logits[cand[c]] - max) * invT);
    w[c] = p;
    total += p;
  }
  if (topP < 1) {
    const order = Array.from(cand.keys()).sort((a, b) => w[b] - w[a] || cand[a] - cand[b]);
    const limit = topP * total;
    let acc = 0;
    let kept = 0;
    for (const c of order) {
      if (kept > 0 && acc >= limit) w[c] = 0;
      else {
        acc += w[c];
        kept++;
      }
    }
    total = acc;
  }
  if (minP > 0) {
    total = 0;
    for (let c = 0; c < w.length; c++) {
      if (w[c] < minP) w[c] = 0;
      total += w[c];
    }
  }
  const u = uniform() * total;
  let acc = 0;
  let last = cand[0];
  for (let c = 0; c < w.length; c++) {
    if (w[c] === 0) continue;
    acc += w[c];
    last = cand[c];
    if (u < acc) return cand[c];
  }
  return last;
}

Deno.test("top-p without a full sort: the full sort's tokens, random streams and logSumExp, to the bit", () => {
  const r = rng(11);
  const rows: Float32Array[] = [
    // a real vocabulary shaped like models/random-qwen2's logits, and a flatter one
    ...Array.from(
      { length: 2 },
      () => Float32Array.from({ length: 151_936 }, () => 4.5 * r.normal()),
    ),
    Float32Array.from({ length: 151_936 }, () => r.normal()),
    // small rows: flat, many ties, masked tokens, a wide spread, a handful of tokens
    ...Array.from({ length: 3 }, () => Float32Array.from({ length: 3000 }, () => 0.1 * r.normal())),
    ...Array.from({ length: 3 }, () => Float32Array.from({ length: 2000 }, () => r.int(5))),
    ...Array.from(
      { length: 3 },
      () =>
        Float32Array.from({ length: 2000 }, () => (r.uniform() < 0.5 ? -Infinity : 3 * r.normal())),
    ),
    ...Array.from({ length: 3 }, () => Float32Array.from({ length: 2000 }, () => 80 * r.normal())),
    ...Array.from({ length: 5 }, () => Float32Array.from({ length: 5 }, () => r.normal())),
  ];
  let checked = 0;
  rows.forEach((logits, k) => {
    const big = logits.length > 10_000; // the reference's full sort is slow there
    for (const temperature of big ? [0.8, 1] : [0, 0.7, 1, 1.3]) {
      for (const topP of big ? [0.95, 0.5] : [1, 0.999, 0.95, 0.5, 0.1]) {
        for (const minP of big ? [0] : [0, 0.05]) {
          for (const topK of big ? [0] : [0, 1, 40]) {
            const params = { temperature, topP, minP, topK };
            const seed = 1000 * k + checked++;
            const [a, b, c] = [rng(seed), rng(seed), rng(seed)];
            const want = fullSortSample(logits, params, a.uniform);
            assert.equal(sampleToken(logits, params, b.uniform), want, JSON.stringify(params));
            const choice = chooseToken(logits, params, c.uniform);
            assert.equal(choice.token, want);
            assert.ok(Object.is(choice.logSumExp, logSumExp(logits)), "logSumExp to the bit");
            // each drew once from its stream (or not at all)
            const next = a.uniform();
            assert.equal(b.uniform(), next);
            assert.equal(c.uniform(), next);
          }
        }
      }
    }
  });
  assert.ok(checked > 1000);
});

Deno.test("top-p on hand-computed cases: the nucleus and the token a given uniform draws", () => {
  const at = (u: number) => () => u;
  const p = { temperature: 1, topK: 0, topP: 0.6, minP: 0 };
  // probabilities 4, 3, 2, 1, 1 over 11: top-p 0.6 keeps {0, 1} (4/11 < 0.6 <= 7/11), weights
  // 1 and 0.75 relative to the top: token 0 below u = 4/7, token 1 above
  const small = new Float32Array([Math.log(4), Math.log(3), Math.log(2), 0, 0]);
  assert.equal(sampleToken(small, p, at(0.57)), 0);
  assert.equal(sampleToken(small, p, at(0.58)), 1);
  assert.equal(sampleToken(small, p, at(0.9999)), 1);
  // top-p 0.64 > 7/11: {0, 1, 2}, mass 2.25; u = 0.8 lands past 1.75, on token 2
  assert.equal(sampleToken(small, { ...p, topP: 0.64 }, at(0.8)), 2);
  // two tokens tie for the top: the nucleus of mass 0.3 is the lower id alone
  const tie = new Float32Array([0, 1, 1, 0.5]);
  for (const u of [0, 0.5, 0.99]) assert.equal(sampleToken(tie, { ...p, topP: 0.3 }, at(u)), 1);
  // The real vocabulary: ten tokens at 20, the rest at 0 (each e^-20 of a top token). Top-p 0.9
  // keeps exactly the ten (9 < 0.9 × 10.0003 <= 10), drawn evenly by u in id order.
  const top = [5, 77, 1000, 20_000, 50_001, 90_000, 120_000, 140_000, 151_000, 151_935];
  const wide = new Float32Array(151_936);
  for (const id of top) wide[id] = 20;
  top.forEach((id, j) =>
    assert.equal(sampleToken(wide, { ...p, topP: 0.9 }, at(j / 10 + 0.05)), id)
  );
  // top-p 0.99999 reaches into the e^-20 tokens (past the buckets: the full sort decides), whose
  // lowest ids are kept; u × 10.0002 = 5.0001e-9 falls on id 2 (cumulative e^-20 × 3 = 6.2e-9)
  assert.equal(sampleToken(wide, { ...p, topP: 0.9 }, at(5e-10)), 5);
  assert.equal(sampleToken(wide, { ...p, topP: 0.99999 }, at(5e-10)), 2);
});
