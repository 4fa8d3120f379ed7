import assert from "node:assert/strict";
import {
  logProbability,
  probabilityCorrect,
  simProblem,
  simulatedPolicy,
  simulatedTokenPolicy,
} from "./mod.ts";

const prob = simProblem({ id: "t", steps: 3, pRight: [0.9, 0.6, 0.3], answer: "42" });

Deno.test("simulated policy: greedy writes the most likely step and stops after it", async () => {
  const policy = simulatedPolicy();
  const [[c]] = await policy.extend([policy.start(prob.problem)], { temperature: 0 });
  assert.equal(c.text, "step 1: ok\n\n");
  assert.equal(c.finishReason, "stop");
  assert.equal(c.stopString, "\n\n");
  assert.deepEqual(c.tokens, [...c.text].map((ch) => ch.charCodeAt(0)));
  assert.deepEqual(c.state.steps, [c.text]);
  // greedy to EOS: step 3 is more likely a slip (0.3), so the answer is a wrong one
  const [[full]] = await policy.extend([policy.start(prob.problem)], { temperature: 0, stop: [] });
  assert.equal(full.text, "step 1: ok\n\nstep 2: ok\n\nstep 3: slip\n\n\\boxed{43}");
  assert.equal(full.finishReason, "eos");
  assert.ok(Math.abs(full.cumulativeLogprob - logProbability(prob.problem, full.text)) < 1e-9);
});

Deno.test("simulated policy: includeStop, maxTokens, extending a finished solution", async () => {
  const policy = simulatedPolicy();
  const s = policy.start(prob.problem);
  const [[a]] = await policy.extend([s], { temperature: 0, includeStop: false });
  assert.equal(a.text, "step 1: ok");
  assert.equal(a.tokens.length, a.text.length);
  const [[b]] = await policy.extend([s], { temperature: 0, maxTokens: 5 });
  assert.equal(b.text, "step ");
  assert.equal(b.finishReason, "length");
  // continue a truncated state: the unit in progress is finished first
  const [[c]] = await policy.extend([b.state], { temperature: 0 });
  assert.equal(b.state.text + c.text, "step 1: ok\n\n");
  assert.deepEqual(c.state.steps, ["step ", "1: ok\n\n"]);
  const [[d]] = await policy.extend([s], { stop: [], seed: 1 });
  const [[e]] = await policy.extend([d.state], { stop: [] });
  assert.deepEqual([e.text, e.finishReason, e.tokens.length], ["", "eos", 0]);
});

Deno.test("simulated policy: logprob of a step is spread over its tokens", async () => {
  const policy = simulatedPolicy();
  const [[c]] = await policy.extend([policy.start(prob.problem)], { temperature: 0 });
  for (const lp of c.logprobs) assert.ok(Math.abs(lp - Math.log(0.9) / c.text.length) < 1e-12);
});

Deno.test("simulated policy: same seed and states give the same continuations", async () => {
  const states = [simulatedPolicy().start(prob.problem)];
  const a = await simulatedPolicy({ seed: 1 }).extend(states, { n: 8, stop: [], seed: 5 });
  const b = await simulatedPolicy({ seed: 2 }).extend(states, { n: 8, stop: [], seed: 5 });
  const c = await simulatedPolicy({ seed: 2 }).extend(states, { n: 8, stop: [], seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((r) => r.map((x) => x.text)), c.map((r) => r.map((x) => x.text)));
  // without a request seed: the policy seed and its call count decide
  const p1 = simulatedPolicy({ seed: 3 }), p2 = simulatedPolicy({ seed: 3 });
  const x1 = [await p1.extend(states, { n: 4 }), await p1.extend(states, { n: 4 })];
  const x2 = [await p2.extend(states, { n: 4 }), await p2.extend(states, { n: 4 })];
  assert.deepEqual(x1, x2);
  assert.notDeepEqual(
    x1[0].map((r) => r.map((x) => x.text)),
    x1[1].map((r) => r.map((x) => x.text)),
  );
});

for (const [name, make] of [["step", simulatedPolicy], ["token", simulatedTokenPolicy]] as const) {
  Deno.test(`simulated ${name} policy: P(correct) = Π pRight and logprobs are exact`, async () => {
    const policy = make({ seed: 4 });
    const n = name === "step" ? 4000 : 1500;
    const [row] = await policy.extend([policy.start(prob.problem)], { n, stop: [] });
    const p = probabilityCorrect(prob.problem);
    const hits = row.filter((c) => c.text.endsWith("{42}")).length;
    assert.ok(Math.abs(hits / n - p) < 4 * Math.sqrt(p * (1 - p) / n), `${hits}/${n} vs ${p}`);
    for (const c of row.slice(0, 50)) {
      assert.equal(c.finishReason, "eos");
      assert.ok(Math.abs(c.cumulativeLogprob - logProbability(prob.problem, c.text)) < 1e-5);
    }
  });
}

Deno.test("simulated policy: temperature sharpens the step distribution", async () => {
  const one = simProblem({ id: "u", steps: 1, pRight: 0.7, answer: "1" });
  const policy = simulatedPolicy();
  const n = 4000;
  const [row] = await policy.extend([policy.start(one.problem)], { n, temperature: 0.5, seed: 2 });
  const q = 0.49 / (0.49 + 0.09); // p^(1/T) normalised
  const hits = row.filter((c) => c.text.includes("ok")).length;
  assert.ok(Math.abs(hits / n - q) < 4 * Math.sqrt(q * (1 - q) / n));
  const [top] = await policy.extend([policy.start(one.problem)], { n: 50, topP: 0.5, seed: 2 });
  assert.ok(top.every((c) => c.text.includes("ok")));
});

Deno.test("simulated policy: rejects texts outside the simulated world", async () => {
  const policy = simulatedPolicy();
  await assert.rejects(() => policy.extend([{ problem: prob.problem, text: "hello" }]));
  assert.throws(() => policy.start("What is 2+3?"));
});
