import assert from "node:assert/strict";
import {
  nextCharProbabilities,
  referenceLogits,
  simProblem,
  simulatedTokenPolicy,
  VOCAB_SIZE,
} from "./mod.ts";

const prob = simProblem({
  id: "tok",
  steps: 1,
  pRight: 0.6,
  answer: "3",
  wrongAnswers: ["4", "5"],
});

Deno.test("token policy: reference logits are the exact next-token distribution", () => {
  const l = referenceLogits(prob.problem, "step 1: ");
  assert.equal(l.length, VOCAB_SIZE);
  assert.ok(Math.abs(Math.exp(l["o".charCodeAt(0)]) - 0.6) < 1e-6);
  assert.ok(Math.abs(Math.exp(l["s".charCodeAt(0)]) - 0.4) < 1e-6);
  const total = l.reduce((a, x) => a + Math.exp(x), 0);
  assert.ok(Math.abs(total - 1) < 1e-6);
  assert.deepEqual(
    nextCharProbabilities(prob.problem, "step 1: slip\n\n\\boxed{"),
    new Map([["4", 0.5], ["5", 0.5]]),
  );
  assert.deepEqual(
    nextCharProbabilities(prob.problem, "step 1: ok\n\n\\boxed{3}"),
    new Map([["", 1]]),
  );
});

Deno.test("token policy: the logits hook sees every position and reshapes the distribution", async () => {
  const policy = simulatedTokenPolicy({ seed: 1 });
  const n = 2000;
  const seen: number[] = [];
  const o = "o".charCodeAt(0);
  const [row] = await policy.extend([policy.start(prob.problem)], {
    n,
    stop: [],
    seed: 3,
    logitsHook: ({ logits, index, generated }) => {
      if (index === 0) seen.push(generated.length);
      logits[o] += Math.log(4); // P(ok) becomes 0.6·4 / (0.6·4 + 0.4) = 6/7
      logits[1] = 100; // an impossible token: masked back
    },
  });
  assert.deepEqual(seen, Array.from({ length: row[0].tokens.length + 1 }, (_, i) => i)); // + EOS
  const q = 6 / 7;
  const hits = row.filter((c) => c.text.endsWith("{3}")).length;
  assert.ok(Math.abs(hits / n - q) < 4 * Math.sqrt(q * (1 - q) / n), `${hits}/${n}`);
  // logprobs stay those of the reference model
  const ok = row.find((c) => c.text.endsWith("{3}"))!;
  assert.ok(Math.abs(ok.cumulativeLogprob - Math.log(0.6)) < 1e-5);
});

Deno.test("token policy: greedy, stop strings and maxTokens", async () => {
  const policy = simulatedTokenPolicy();
  const [[a]] = await policy.extend([policy.start(prob.problem)], { temperature: 0 });
  assert.deepEqual([a.text, a.finishReason, a.stopString], ["step 1: ok\n\n", "stop", "\n\n"]);
  const [[b]] = await policy.extend([a.state], { temperature: 0, maxTokens: 3 });
  assert.deepEqual([b.text, b.finishReason], ["\\bo", "length"]);
  const [[c]] = await policy.extend([b.state], { temperature: 0 });
  assert.deepEqual([c.text, c.finishReason], ["xed{3}", "eos"]);
});
