import assert from "node:assert/strict";
import type { Policy, Scorer } from "../core/types.ts";
import { perfectScorer, simProblem, simulatedPolicy, valueOf } from "../models/simulated/mod.ts";
import {
  groupWeights,
  KILLED_LOG_WEIGHT,
  MIN_TWIST_PROB,
  TSMC_SETTING,
  tsmcSearch,
  tsmcSetting,
  twistUpdate,
} from "./tsmc.ts";

const { groups: _groups, ...TSMC_SETTING_NO_GROUPS } = TSMC_SETTING;

Deno.test("TSMC incremental weights ψ_t/ψ_{t-1} with ψ = p^τ on a hand case", () => {
  const tau = 0.5;
  // round 1 from ψ_0 = 1: p = 0.64, 0.25 → log ψ = 0.5·log p
  const r1 = twistUpdate([0, 0, 0], [
    { kind: "scored", p: 0.64 },
    { kind: "scored", p: 0.25 },
    { kind: "scored", p: 0.25 },
  ], tau);
  assert.deepEqual(r1.logValue.map(Math.exp).map((x) => +x.toFixed(12)), [0.8, 0.5, 0.5]);
  assert.deepEqual(r1.logRatio, r1.logValue);
  // round 2: p = 0.81 → ψ = 0.9, ratio 0.9/0.8; idle → ratio 1; truncated → killed
  const r2 = twistUpdate(r1.logValue, [{ kind: "scored", p: 0.81 }, { kind: "idle" }, {
    kind: "killed",
  }], tau);
  assert.ok(Math.abs(Math.exp(r2.logRatio[0]) - 0.9 / 0.8) < 1e-12);
  assert.equal(r2.logRatio[1], 0);
  assert.equal(r2.logValue[1], r1.logValue[1]);
  assert.equal(r2.logValue[2], KILLED_LOG_WEIGHT);
  assert.equal(
    twistUpdate([0], [{ kind: "scored", p: 0 }], 1).logValue[0],
    Math.log(MIN_TWIST_PROB),
  );
});

Deno.test("TSMC end to end: weights telescope to the final twist of each particle", async () => {
  const p = simProblem({ id: "ts", steps: 4, pRight: 0.7, answer: "5" });
  const tau = 0.7;
  const res = await tsmcSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 8,
    m: 4,
    tau,
    stopSteps: 2,
    maxTokens: 1000,
    seed: 5,
  });
  assert.match(res.note, /UNVERIFIED/);
  assert.equal(res.candidates.length, 8);
  res.candidates.forEach((c, i) => {
    const { logRatios, logValues, killed } = res.particles[i];
    assert.equal(killed, false);
    const sum = logRatios.reduce((a, b) => a + b, 0);
    const final = tau * Math.log(Math.max(MIN_TWIST_PROB, valueOf(p.problem, c.text)));
    assert.ok(Math.abs(sum - final) < 1e-9 && Math.abs(logValues.at(-1)! - final) < 1e-9);
    assert.equal(logRatios.length, 3); // 2 boundary rounds + the final run to EOS
  });
  // round 1 ends at the first step, round 2 at the second, round 3 runs to EOS
  const depth = (d: number) => res.trace.nodes.filter((x) => x.depth === d);
  for (const x of depth(1)) assert.match(x.text, /^step 1: (ok|slip)\n\n$/);
  for (const x of depth(3)) assert.ok(x.terminal && x.text.endsWith("}"));
  // resampling stays within groups: round-2 nodes of particles 0-3 descend from group 0's round-1 nodes
  const groupsOf = new Map(depth(1).map((x, i) => [x.id, Math.floor(i / 4)]));
  const d2 = depth(2);
  for (const [i, x] of d2.entries()) assert.equal(groupsOf.get(x.parent!), Math.floor(i / 4));
  // with a perfect value twist a particle that slipped has ψ ≈ 0: it is not resampled when its
  // group has a particle that did not slip
  const d1 = depth(1);
  for (const [i, x] of d2.entries()) {
    const group = d1.slice(Math.floor(i / 4) * 4, Math.floor(i / 4) * 4 + 4);
    if (group.some((y) => !y.text.includes("slip"))) {
      assert.ok(!res.trace.nodes[x.parent!].text.includes("slip"));
    }
  }
});

Deno.test('TSMC: a "# Answer\\n\\n" boundary does not end a step (PRM800K format)', async () => {
  // a scripted three-chunk document: "step\n\n", "# Answer\n\n", "\\boxed{5}" then EOS
  const doc = ["step\n\n", "# Answer\n\n", "\\boxed{5}"];
  const scripted: Policy = {
    name: "scripted",
    capabilities: { logits: false, hidden: false },
    start: (problem) => ({ problem, text: "" }),
    extend: (states, o = {}) =>
      Promise.resolve(states.map((s) => {
        let text = "";
        let k = doc.findIndex((_, i) => doc.slice(0, i).join("") === s.text);
        for (; k < doc.length; k++) {
          text += doc[k];
          if ((o.stop ?? ["\n\n"]).some((x) => doc[k].endsWith(x))) break;
        }
        const eos = s.text + text === doc.join("");
        return Array.from({ length: o.n ?? 1 }, () => ({
          text,
          tokens: [...text].map((c) => c.charCodeAt(0)),
          logprobs: [...text].map(() => 0),
          cumulativeLogprob: 0,
          finishReason: eos ? "eos" as const : "stop" as const,
          ...(eos ? {} : { stopString: "\n\n" }),
          state: { problem: s.problem, text: s.text + text },
        }));
      })),
  };
  const value: Scorer = { name: "half", score: (reqs) => Promise.resolve(reqs.map(() => [0.5])) };
  const res = await tsmcSearch("q", scripted, value, { n: 2, m: 2, stopSteps: 5 });
  const texts = res.trace.nodes.filter((x) => x.depth === 2).map((x) => x.text);
  assert.deepEqual(texts, ["# Answer\n\n\\boxed{5}", "# Answer\n\n\\boxed{5}"]);
  assert.equal(res.answer, "5");
  assert.equal(res.particles[0].logRatios[1], 0); // 0.5^τ / 0.5^τ
});

Deno.test("TSMC: warm-up, killed particles, stopSteps 0", async () => {
  const p = simProblem({ id: "tw", steps: 4, pRight: 1, answer: "5" });
  // 12 tokens per step: with warmup 20 the first boundary that counts is after step 2
  const w = await tsmcSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 2,
    m: 2,
    warmup: 20,
    stopSteps: 1,
  });
  assert.equal(w.trace.nodes[1].text, "step 1: ok\n\nstep 2: ok\n\n");
  // a token limit inside the solution kills every particle
  const k = await tsmcSearch(p, simulatedPolicy(), perfectScorer(), { n: 2, m: 2, maxTokens: 30 });
  for (const q of k.particles) {
    assert.deepEqual([q.killed, q.logValues.at(-1)], [true, KILLED_LOG_WEIGHT]);
  }
  // stopSteps 0: one round to EOS, no resampling (importance sampling with the value as ORM)
  const z = await tsmcSearch(p, simulatedPolicy(), perfectScorer(), { n: 4, m: 2, stopSteps: 0 });
  assert.equal(z.trace.nodes.length, 5);
  assert.equal(z.answer, "5");
});

Deno.test("TSMC votes with the last incremental weights, normalised within each group", async () => {
  // Round 1 (to a step boundary): particle i of the batch writes step i; the twist is uniform in
  // each group, so ordered stratified resampling keeps every particle once. Round 2 runs to EOS.
  const first = ["a\n\n", "b\n\n", "c\n\n", "d\n\n"];
  const finals: Record<string, string> = {
    "a\n\n": "\\boxed{5}",
    "b\n\n": "\\boxed{7}",
    "c\n\n": "\\boxed{6}",
    "d\n\n": "\\boxed{5}",
  };
  const policy: Policy = {
    name: "per-particle",
    capabilities: { logits: false, hidden: false },
    start: (problem) => ({ problem, text: "" }),
    extend: (states) =>
      Promise.resolve(states.map((s, i) => {
        const text = s.text === "" ? first[i] : finals[s.text];
        const finishReason = s.text === "" ? "stop" as const : "eos" as const;
        return [{
          text,
          tokens: [1],
          logprobs: [0],
          cumulativeLogprob: 0,
          finishReason,
          state: { problem: s.problem, text: s.text + text },
        }];
      })),
  };
  // ψ1: .5 .5 | .2 .2; ψ2: .45 .45 | .16 .04 → last ratios .9 .9 | .8 .2
  const psi: Record<string, number> = {
    "a\n\n": 0.5,
    "b\n\n": 0.5,
    "c\n\n": 0.2,
    "d\n\n": 0.2,
    "a\n\n\\boxed{5}": 0.45,
    "b\n\n\\boxed{7}": 0.45,
    "c\n\n\\boxed{6}": 0.16,
    "d\n\n\\boxed{5}": 0.04,
  };
  const scorer: Scorer = {
    name: "table",
    score: (reqs) => Promise.resolve(reqs.map((r) => [psi[r.steps.join("")]])),
  };
  const res = await tsmcSearch("q", policy, scorer, { n: 4, m: 2, tau: 1, stopSteps: 1 });
  assert.deepEqual(res.candidates.map((c) => c.answer), ["5", "7", "6", "5"]);
  const w = res.candidates.map((c) => c.score!);
  [0.5, 0.5, 0.8, 0.2].forEach((x, i) => assert.ok(Math.abs(w[i] - x) < 1e-9, `weight ${i}`));
  // group-normalised last ratios: "6" 0.8 > "5" 0.5 + 0.2 > "7" 0.5; pooling the final values
  // ψ_T instead would give "5" (0.45 + 0.04 > 0.45 > 0.16)
  assert.equal(res.answer, "6");
  assert.equal(res.selections.max.answer, "5");
  assert.deepEqual(groupWeights([0, 0, Math.log(4), 0], 2), [0.5, 0.5, 0.8, 0.2]);
});

Deno.test("tsmcSetting: one setting (README τ, top-k, T), two groups", () => {
  assert.deepEqual(tsmcSetting(16), { n: 16, m: 8, ...TSMC_SETTING_NO_GROUPS });
  assert.equal(tsmcSetting(1).m, 1);
});
