import assert from "node:assert/strict";
import type { Continuation, SeqState } from "../../core/types.ts";
import { evalSplit } from "../../tasks/mod.ts";
import { createOnnxPolicy, type OnnxPolicy } from "./mod.ts";

const MODEL = new URL("../../../models/embedded", import.meta.url).pathname;
const open = (batchInvariant: boolean, threads = 2) =>
  createOnnxPolicy(MODEL, { intraOpNumThreads: threads, batchInvariant });

// Two steps of a small search on one problem: 3 samples of a first step, then 3 of a second step
// from each (states of different lengths), the way a tree search extends.
async function search(policy: OnnxPolicy, problem: string): Promise<Continuation[]> {
  const opts = { temperature: 0.8, stop: ["\n\n"], includeStop: true, maxTokens: 48 };
  const [first] = await policy.extend([policy.start(problem)], { ...opts, n: 3, seed: 1 });
  const second = await policy.extend(first.map((c) => c.state), { ...opts, n: 3, seed: 2 });
  return [...first, ...second.flat()];
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

Deno.test("batch invariance: concurrent searches get to the bit what each gets alone (tokens, logprobs, teacher-forced logprobs, hidden states)", async () => {
  const problems = evalSplit().slice(0, 4).map((p) => p.problem);
  // alone: each problem on a policy of its own (an empty cache, nothing else in flight)
  const alone: Continuation[][] = [];
  for (const p of problems) {
    const policy = await open(true);
    alone.push(await search(policy, p));
    await policy.dispose();
  }
  // together: the four searches at once on one policy, so their calls share engine calls
  const shared = await open(true);
  try {
    assert.equal(shared.runner.batchInvariant, true);
    const together = await Promise.all(problems.map((p) => search(shared, p)));
    together.forEach((cs, i) => {
      assert.deepEqual(cs.map((c) => c.text), alone[i].map((c) => c.text));
      cs.forEach((c, j) => assert.ok(sameBits(c.logprobs, alone[i][j].logprobs), `${i}/${j}`));
    });
    // Teacher-forced reads of every solution, batched across problems and reusing the shared
    // policy's cache, equal those of a fresh one-thread policy reading each alone.
    const states: SeqState[] = together.flat().map((c) => c.state);
    const requests = states.map((s) => ({ problem: s.problem, text: s.text, from: 0 }));
    const positions = states.map((s) => ({ ...s, positions: [0, s.text.length] }));
    const lp = await shared.logprobs(requests);
    const hs = await shared.hiddenAt(positions);
    const fresh = await open(true, 1);
    for (let k = 0; k < states.length; k++) {
      const [one] = await fresh.logprobs([requests[k]]);
      assert.ok(sameBits(lp[k].logprobs, one.logprobs), `logprobs ${k}`);
      const [h] = await fresh.hiddenAt([positions[k]]);
      h.forEach((v, q) => assert.ok(sameBits(hs[k][q], v), `hidden ${k}/${q}`));
    }
    await fresh.dispose();
  } finally {
    await shared.dispose();
  }
});

Deno.test("batch invariance: one sequence prefilled whole, split at any point, or decoded token by token gives the same logits to the bit", async () => {
  const policy = await open(true);
  const single = await open(true, 1);
  try {
    const problem = evalSplit()[0].problem;
    const [[c]] = await policy.extend([policy.start(problem)], {
      temperature: 0,
      maxTokens: 64,
      stop: ["\n\n"],
      includeStop: true,
    });
    const ids = policy.tokensOf(c.state);
    const last = ids.length - 1;
    const whole = (await single.logitsAt([{ ids, positions: [last] }]))[0][0];
    for (const cut of [1, 17, ids.length - 5]) {
      const p = await open(true);
      await p.logitsAt([{ ids: ids.slice(0, cut), positions: [cut - 1] }]); // caches [0, cut)
      const split = (await p.logitsAt([{ ids, positions: [last] }]))[0][0];
      assert.ok(sameBits(split, whole), `split at ${cut}`);
      await p.dispose();
    }
    // after the state's tokens were decoded (their K/V written by decoding steps, on the
    // one-thread session), its next-token logits read on that K/V are the same
    const [decoded] = await policy.nextTokenLogits([c.state]);
    assert.ok(sameBits(decoded, whole), "decoded");
  } finally {
    await policy.dispose();
    await single.dispose();
  }
});

Deno.test("batch invariance on a real vocabulary (the native sampler's path): concurrent requests get what each gets alone", async () => {
  const dir = new URL("../../../models/random-qwen2", import.meta.url).pathname;
  const prompts = ["What is 2 + 3?", "Find the sum of all positive divisors of 12."];
  const opts = { n: 2, temperature: 0.8, topP: 0.95, maxTokens: 12, seed: 3 };
  const alone: Continuation[][] = [];
  for (const p of prompts) {
    const policy = await createOnnxPolicy(dir, { intraOpNumThreads: 2, batchInvariant: true });
    alone.push((await policy.extend([policy.start(p)], opts))[0]);
    await policy.dispose();
  }
  const policy = await createOnnxPolicy(dir, { intraOpNumThreads: 2, batchInvariant: true });
  try {
    assert.ok(policy.runner.counters.samplerRuns === 0);
    const together = await Promise.all(
      prompts.map(async (p) => (await policy.extend([policy.start(p)], opts))[0]),
    );
    assert.ok(policy.runner.counters.samplerRuns > 0, "the native sampler ran");
    together.forEach((cs, i) =>
      cs.forEach((c, j) => {
        assert.deepEqual(c.tokens, alone[i][j].tokens);
        assert.ok(sameBits(c.logprobs, alone[i][j].logprobs), `${i}/${j}`);
      })
    );
  } finally {
    await policy.dispose();
  }
});
