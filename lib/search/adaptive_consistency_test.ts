import assert from "node:assert/strict";
import type { Continuation, Policy } from "../core/types.ts";
import { simProblem, simulatedPolicy } from "../models/simulated/mod.ts";
import { adaptiveConsistency, majorityConfidence, method } from "./adaptive_consistency.ts";
import { boxedJudge as judge } from "./answers.ts";
import { methodOptions, methods } from "./registry.ts";

/** A policy whose i-th sample (over all calls) answers `answers[i]`. */
function scripted(answers: (string | null)[]): Policy & { calls: number[] } {
  let next = 0;
  const calls: number[] = [];
  return {
    name: "scripted",
    capabilities: { logits: false, hidden: false },
    calls,
    start: (problem) => ({ problem, text: "", steps: [] }),
    extend(states, options = {}) {
      const n = options.n ?? 1;
      calls.push(n);
      return Promise.resolve(states.map((s) =>
        Array.from({ length: n }, (): Continuation => {
          const a = answers[next++];
          const text = a === null ? "no answer" : `so \\boxed{${a}}`;
          return {
            text,
            tokens: [1, 2],
            logprobs: [-1, -1],
            cumulativeLogprob: -2,
            finishReason: "eos",
            state: { problem: s.problem, text, steps: [text] },
          };
        })
      ));
    },
  };
}

Deno.test("majorityConfidence: P(Bin(a+b+1, 1/2) ≤ a), the Beta rule's P(p1 > p2)", () => {
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(majorityConfidence(0, 0), 0.5);
  near(majorityConfidence(3, 0), 15 / 16);
  near(majorityConfidence(4, 0), 31 / 32);
  near(majorityConfidence(2, 2), 0.5);
  // 1 - I_0.5(6, 3) = P(Bin(8, 1/2) <= 5) = 219/256
  near(majorityConfidence(5, 2), 219 / 256);
  assert.ok(majorityConfidence(600, 500) > 0.99 && majorityConfidence(600, 500) <= 1);
});

Deno.test("beta rule: stops after the round where the leader is clear, majority answer", async () => {
  const policy = scripted(["7", "7", "7", "7", "3", "3", "3", "3"]);
  const r = await adaptiveConsistency("q", policy, undefined, { k: 2, maxSamples: 8, judge });
  // after 2 rounds: 4 votes to 0, confidence 31/32 ≥ 0.95
  assert.deepEqual(policy.calls, [2, 2]);
  assert.deepEqual([r.answer, r.samples, r.rounds, r.stoppedEarly], ["7", 4, 2, true]);
  assert.deepEqual(r.candidates.map((c) => c.score), [1, 1, 1, 1]);
  assert.equal(r.cost.policyCalls, 2);
  assert.equal(r.trace.nodes.filter((n) => n.selected).length, 2);
});

Deno.test("beta rule: a split vote samples up to maxSamples (last round cut to fit)", async () => {
  const policy = scripted(["1", "2", null, "1", "2", "1", "2"]);
  const r = await adaptiveConsistency("q", policy, undefined, { k: 3, maxSamples: 7, judge });
  assert.deepEqual(policy.calls, [3, 3, 1]);
  assert.deepEqual([r.answer, r.samples, r.stoppedEarly], ["1", 7, false]);
  assert.equal(r.candidates[2].score, undefined, "a sample without answer has no vote");
});

Deno.test("window rule (ESC): stops when one round is unanimous", async () => {
  const policy = scripted(["1", "2", "5", "5", "5", "5"]);
  const r = await adaptiveConsistency("q", policy, undefined, {
    k: 2,
    maxSamples: 16,
    rule: "window",
    judge,
  });
  assert.deepEqual(policy.calls, [2, 2]);
  assert.deepEqual([r.answer, r.samples, r.stoppedEarly], ["5", 4, true]);
  await assert.rejects(adaptiveConsistency("q", policy, undefined, { rule: "x" as "beta" }));
  await assert.rejects(adaptiveConsistency("q", policy, undefined, { k: 0 }), RangeError);
});

Deno.test("simulated: same seed ⇒ same result; easy problems stop earlier than hard ones", async () => {
  const easy = simProblem({ id: "easy", steps: 2, pRight: 0.97, answer: "5" });
  const hard = simProblem({ id: "hard", steps: 4, pRight: 0.5, answer: "5" });
  const run = (p: typeof easy, policySeed: number, seed: number) =>
    adaptiveConsistency(p, simulatedPolicy({ seed: policySeed }), undefined, {
      k: 2,
      maxSamples: 24,
      seed,
    });
  const a = await run(easy, 1, 3);
  const b = await run(easy, 2, 3);
  assert.deepEqual({ ...a, cost: { ...a.cost, wallMs: 0 } }, {
    ...b,
    cost: { ...b.cost, wallMs: 0 },
  });
  let easySamples = 0;
  let hardSamples = 0;
  for (let seed = 0; seed < 8; seed++) {
    easySamples += (await run(easy, 0, seed)).samples;
    hardSamples += (await run(hard, 0, seed)).samples;
  }
  assert.ok(easySamples < hardSamples, `${easySamples} < ${hardSamples}`);
  assert.ok(easySamples <= 8 * 8, `easy problems mostly stop after 4 samples (${easySamples})`);
});

Deno.test("registered by discovery under its file name, with flag-able defaults", () => {
  assert.equal(methods.adaptive_consistency, method);
  assert.equal(method.needsScorer, false);
  assert.deepEqual(methodOptions("adaptive_consistency", { k: "1", "max-samples": "40" }), {
    k: 1,
    maxSamples: 40,
  });
});
