import assert from "node:assert/strict";
import type {
  Continuation,
  ExtendOptions,
  LogitsContext,
  Policy,
  SearchResult,
  SeqState,
} from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { pickIndex, simProblem, simulatedTokenPolicy, valueOf } from "../models/simulated/mod.ts";
import {
  guidanceOffset,
  klFromLogits,
  majorityRandomTies,
  nucleus,
  qsharp,
  type TokenValue,
  topKIndices,
  valueGuidedHook,
} from "./qsharp.ts";

function near(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

/** Reference distribution of the one-step vocabulary (token id = index). */
const REF = [0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.05];
/** Classifier probabilities per token. */
const P = [0.1, 0.9, 0.5, 0.0, 1.0, 0.7, 0.95];
const fixedClassifier: TokenValue = {
  scoreCandidates: (_ctx, cands) => Promise.resolve(Float32Array.from(cands, (a) => P[a])),
};

/**
 * A policy that writes exactly one token from the fixed reference distribution {@linkcode REF}
 * (through the logits hook, temperature and seed as a real backend would), then EOS; the text is
 * `\boxed{<token id>}` so the answer is the token.
 */
function oneTokenPolicy(): Policy {
  return {
    name: "one-token",
    capabilities: { logits: true, hidden: false },
    start: (problem: string): SeqState => ({ problem, text: "" }),
    async extend(states: readonly SeqState[], o: ExtendOptions = {}): Promise<Continuation[][]> {
      const n = o.n ?? 1;
      const out: Continuation[][] = [];
      for (const [i, state] of states.entries()) {
        const row: Continuation[] = [];
        for (let j = 0; j < n; j++) {
          const r = rng(fork(o.seed ?? 0, "one", i, j));
          const logits = Float32Array.from(REF, Math.log);
          const ref = Float32Array.from(logits);
          await o.logitsHook?.({ index: i * n + j, state, generated: [], logits });
          const id = pickIndex(logits, { temperature: o.temperature ?? 1 }, r);
          const text = `\\boxed{${id}}`;
          row.push({
            text,
            tokens: [id],
            logprobs: [ref[id]],
            cumulativeLogprob: ref[id],
            finishReason: "eos",
            state: { problem: state.problem, text: state.text + text },
          });
        }
        out.push(row);
      }
      return out;
    },
  };
}

/** π ∝ π_ref · E[e^{ηR}] on the top-k reference tokens, π_ref elsewhere (bernoulli R ~ Bern(p)). */
function closedForm(eta: number, k: number): number[] {
  const top = new Set(topKIndices(REF.map(Math.log), k));
  const w = REF.map((r, a) => (top.has(a) ? r * ((1 - P[a]) + P[a] * Math.exp(eta)) : r));
  const z = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / z);
}

/** Pearson chi-square of observed counts against probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((s, x) => s + x, 0);
  return counts.reduce((s, c, i) => s + (c - n * probs[i]) ** 2 / (n * probs[i]), 0);
}

/** Token frequencies of a Q# result on the one-token policy. */
function counts(r: SearchResult): number[] {
  const c = REF.map(() => 0);
  for (const x of r.candidates) c[Number(x.answer)]++;
  return c;
}

const CHI2_6DF_999 = 22.458; // 0.999 quantile of chi-square with 6 degrees of freedom

Deno.test("guidanceOffset: bernoulli log((1−p)+p·e^η), CD η·p, expectation log p; η = 0 → 0", () => {
  for (const p of [0, 0.1, 0.5, 0.93, 1]) {
    for (const eta of [-3, -0.5, 0.25, 2, 10]) {
      near(guidanceOffset(p, eta, "bernoulli"), Math.log(1 - p + p * Math.exp(eta)), 1e-12);
      near(guidanceOffset(p, eta, "cd"), eta * p, 1e-15);
    }
    assert.equal(guidanceOffset(p, 0, "bernoulli"), 0);
    assert.equal(guidanceOffset(p, 0, "cd"), 0);
  }
  near(guidanceOffset(0.25, 0, "expectation"), Math.log(0.25), 1e-15);
  // Large η stays finite: log(p·e^η + (1−p)) ≈ η + log p.
  near(guidanceOffset(0.5, 800, "bernoulli"), 800 + Math.log(0.5), 1e-9);
  assert.equal(guidanceOffset(0, 800, "bernoulli"), 0);
});

Deno.test("valueGuidedHook: offsets the top-k tokens only, giving π_ref·E[e^{ηR}] on them", async () => {
  const eta = 1.7;
  const logits = Float32Array.from(REF, Math.log);
  const ref = Float32Array.from(logits);
  let seenKl = -1;
  const hook = valueGuidedHook(fixedClassifier, {
    eta,
    topK: 4,
    onPosition: (_c, kl) => seenKl = kl,
  });
  await hook({ index: 0, state: { problem: "p", text: "" }, generated: [], logits });
  const top = topKIndices(ref, 4);
  assert.deepEqual(top, [0, 1, 2, 3]);
  for (let a = 0; a < REF.length; a++) {
    if (top.includes(a)) near(logits[a] - ref[a], Math.log(1 - P[a] + P[a] * Math.exp(eta)), 1e-6);
    else assert.equal(logits[a], ref[a]); // outside top-k: bit-for-bit unchanged
  }
  const z = Array.from(logits, Math.exp).reduce((s, x) => s + x, 0);
  closedForm(eta, 4).forEach((q, a) => near(Math.exp(logits[a]) / z, q, 1e-6));
  const want = closedForm(eta, 4).reduce((s, q, a) => s + q * Math.log(q / REF[a]), 0);
  near(seenKl, want, 1e-6);
});

Deno.test("nucleus keeps the top-p tokens as Hugging Face's TopPLogitsWarper does", () => {
  const l = [Math.log(0.6), Math.log(0.3), Math.log(0.1)];
  assert.deepEqual(Array.from(nucleus(l, 1, 0.8)), [l[0], l[1], -Infinity]);
  assert.deepEqual(Array.from(nucleus(l, 1, 0.95)), l, "0.1 > 1 − 0.95: kept");
  assert.deepEqual(Array.from(nucleus(l, 1, 0.1)), [l[0], -Infinity, -Infinity], "top one kept");
  assert.deepEqual(Array.from(nucleus(l, 1, 1)), l);
  // the nucleus is taken on softmax(logits / T): at T = 0.5 the probabilities are 0.783, 0.196,
  // 0.022, so p = 0.75 keeps one token where T = 1 keeps two
  assert.deepEqual(Array.from(nucleus(l, 0.5, 0.75)), [l[0], -Infinity, -Infinity]);
  assert.deepEqual(Array.from(nucleus(l, 1, 0.75)), [l[0], l[1], -Infinity]);
});

Deno.test("valueGuidedHook: the KL is taken after the top-p warper on the guided side only", async () => {
  const eta = 1.7;
  const topP = 0.5;
  const logits = Float32Array.from(REF, Math.log);
  const ref = Float32Array.from(logits);
  let seenKl = -1;
  const hook = valueGuidedHook(fixedClassifier, {
    eta,
    topK: 4,
    topP,
    onPosition: (_c, kl) => seenKl = kl,
  });
  await hook({ index: 0, state: { problem: "p", text: "" }, generated: [], logits });
  // guided distribution, then the nucleus of it, renormalised; the reference is not truncated
  const q = closedForm(eta, 4);
  const order = q.map((_, a) => a).sort((a, b) => q[a] - q[b]);
  const keep = new Set(order);
  let cum = 0;
  for (const a of order.slice(0, -1)) {
    cum += q[a];
    if (cum > 1 - topP) break;
    keep.delete(a);
  }
  assert.ok(keep.size < q.length, "the nucleus drops some tokens");
  const mass = [...keep].reduce((s, a) => s + q[a], 0);
  const want = [...keep].reduce((s, a) => s + (q[a] / mass) * Math.log(q[a] / mass / REF[a]), 0);
  near(seenKl, want, 1e-6);
  const untruncated = q.reduce((s, x, a) => s + x * Math.log(x / REF[a]), 0);
  assert.ok(Math.abs(seenKl - untruncated) > 1e-3, "differs from the KL before top-p");
  void ref;
});

Deno.test("klFromLogits: zero for equal logits, closed form otherwise, temperature-aware", () => {
  assert.equal(klFromLogits([1, 2, 3], [1, 2, 3]), 0);
  const kl = klFromLogits([Math.log(0.5), Math.log(0.5)], [Math.log(0.9), Math.log(0.1)]);
  near(kl, 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1), 1e-12);
  near(klFromLogits([2, 0], [0, 0], 2), klFromLogits([1, 0], [0, 0], 1), 1e-12);
  assert.equal(klFromLogits([0, -Infinity], [0, -Infinity]), 0);
});

Deno.test("qsharp with η = 0 samples exactly the reference distribution", async () => {
  const n = 6000;
  const r = await qsharp("q", oneTokenPolicy(), undefined, {
    classifier: fixedClassifier,
    eta: 0,
    n,
    topK: 4,
    seed: 1,
  });
  const c = counts(r);
  assert.ok(chiSquare(c, REF) < CHI2_6DF_999, `chi2 ${chiSquare(c, REF)} counts ${c}`);
  const maxDiff = Math.max(...c.map((x, a) => Math.abs(x / n - REF[a])));
  assert.ok(maxDiff < 0.025, `max |freq − π_ref| = ${maxDiff}`);
  assert.ok(r.kl.every((k) => k === 0));
});

Deno.test("qsharp with η > 0 tilts exactly to π_ref·E[e^{ηR}] (bernoulli, top-k 4)", async () => {
  const n = 6000;
  const eta = 1.7;
  const r = await qsharp("q", oneTokenPolicy(), undefined, {
    classifier: fixedClassifier,
    eta,
    n,
    topK: 4,
    seed: 2,
  });
  const c = counts(r);
  const q = closedForm(eta, 4);
  assert.ok(chiSquare(c, q) < CHI2_6DF_999, `chi2 vs closed form ${chiSquare(c, q)}, counts ${c}`);
  assert.ok(chiSquare(c, REF) > 200, "the tilt must be visible against π_ref");
  const kl = q.reduce((s, x, a) => s + x * Math.log(x / REF[a]), 0);
  for (const k of r.kl) near(k, kl, 1e-6); // one guided position per sample
  // The majority answer is the most likely token under the tilted distribution (token 1).
  assert.equal(r.answer, String(q.indexOf(Math.max(...q))));
  assert.deepEqual([r.cost.policyCalls, r.cost.tokens, r.cost.scorerCalls], [n, n, 0]);
});

Deno.test("qsharp CD baseline adds η·p to the top-k logits", async () => {
  const eta = 1.2;
  const r = await qsharp("q", oneTokenPolicy(), undefined, {
    classifier: fixedClassifier,
    eta,
    n: 6000,
    topK: 3,
    mode: "cd",
    seed: 3,
  });
  const top = new Set([0, 1, 2]);
  const w = REF.map((x, a) => (top.has(a) ? x * Math.exp(eta * P[a]) : x));
  const z = w.reduce((s, x) => s + x, 0);
  const q = w.map((x) => x / z);
  const c = counts(r);
  assert.ok(chiSquare(c, q) < CHI2_6DF_999, `chi2 ${chiSquare(c, q)}`);
});

/** The exact value of the simulated world as a Q# classifier (a perfect token-level Q). */
const perfectTokenValue: TokenValue = {
  scoreCandidates(ctx: LogitsContext, cands: number[]) {
    const prefix = ctx.state.text + String.fromCharCode(...ctx.generated);
    return Promise.resolve(
      Float32Array.from(
        cands,
        (a) => valueOf(ctx.state.problem, a === 0 ? prefix : prefix + String.fromCharCode(a)),
      ),
    );
  },
};

Deno.test("qsharp on the simulated token policy: P(correct) = 0.6·e^η / (0.6·e^η + 0.4)", async () => {
  const problem = simProblem({ id: "qs", steps: 1, pRight: 0.6, answer: "3" });
  const policy = simulatedTokenPolicy({ seed: 0 });
  const n = 1500;
  for (const eta of [0, Math.log(4)]) {
    const r = await qsharp(problem, policy, undefined, {
      classifier: perfectTokenValue,
      eta,
      n,
      seed: 5,
    });
    const right = r.candidates.filter((c) => c.answer === "3").length / n;
    const want = 0.6 * Math.exp(eta) / (0.6 * Math.exp(eta) + 0.4);
    near(right, want, 4 * Math.sqrt(want * (1 - want) / n));
    // Only the ok/slip decision is tilted, so every sample's KL is that one binary KL.
    const kl = want * Math.log(want / 0.6) + (1 - want) * Math.log((1 - want) / 0.4);
    for (const k of r.kl) near(k, kl, 1e-5);
    assert.equal(r.answer, "3");
  }
});

Deno.test("qsharp: same seed, same result (ignoring wall time)", async () => {
  const problem = simProblem({ id: "qd", steps: 2, pRight: 0.5, answer: "7" });
  const run = (seed: number) =>
    qsharp(problem, simulatedTokenPolicy(), undefined, {
      classifier: perfectTokenValue,
      eta: 2,
      n: 8,
      seed,
    });
  const strip = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });
  assert.deepEqual(strip(await run(9)), strip(await run(9)));
  assert.notDeepEqual(strip(await run(9)).candidates, strip(await run(10)).candidates);
});

Deno.test("majorityRandomTies: equivalence classes, nulls never win, ties broken by the seeded draw", () => {
  const judge = { extract: () => null, same: (a: string, b: string) => Number(a) === Number(b) };
  const c = (answers: (string | null)[]) => answers.map((answer) => ({ text: "", answer }));
  assert.equal(majorityRandomTies(c(["1", "0.5", ".5", null, null, null]), judge, 0).answer, "0.5");
  assert.equal(majorityRandomTies(c([null, null]), judge, 0).answer, null);
  const winners = new Set(
    Array.from({ length: 40 }, (_, s) => majorityRandomTies(c(["1", "2"]), judge, s).answer),
  );
  assert.deepEqual(winners, new Set(["1", "2"]));
  const again = new Set(
    Array.from({ length: 40 }, (_, s) => majorityRandomTies(c(["1", "2"]), judge, s).answer),
  );
  assert.deepEqual(again, winners);
  assert.equal(
    majorityRandomTies(c(["1", "2"]), judge, 3).answer,
    majorityRandomTies(c(["1", "2"]), judge, 3).answer,
  );
});
