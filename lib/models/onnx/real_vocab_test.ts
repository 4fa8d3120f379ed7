import assert from "node:assert/strict";
import { createOnnxPolicy } from "./policy.ts";

// models/random-qwen2: Qwen2's architecture with random weights and the real vocabulary size;
// its greedy_fixture.json holds PyTorch's greedy ids (models/train/random_qwen2.py).
const MODEL = new URL("../../../models/random-qwen2", import.meta.url).pathname;

interface FixtureCase {
  problem: string;
  input_ids: number[];
  greedy_ids: number[];
  top_logits: [number, number][];
}
const fixture: { new_tokens: number; eos_token_ids: number[]; cases: FixtureCase[] } = JSON.parse(
  await Deno.readTextFile(`${MODEL}/greedy_fixture.json`),
);

Deno.test("random-qwen2 (vocabulary 151,936): the runner's greedy ids equal PyTorch's, alone and batched", async () => {
  const policy = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 });
  try {
    const { runner } = policy;
    assert.equal(runner.vocabSize, 151_936);
    assert.equal(runner.codec.vocabSize, 151_936);
    assert.deepEqual(runner.shape.eosTokenIds.toSorted(), fixture.eos_token_ids);
    const cases = fixture.cases;
    assert.equal(cases.length, 5);
    // The chat template and the byte-level BPE give PyTorch's prompt ids.
    for (const c of cases) assert.deepEqual([...runner.codec.promptIds(c.problem)], c.input_ids);
    // The logits after each prompt agree with PyTorch's.
    const roots = cases.map((c) => policy.start(c.problem));
    const logits = await policy.nextTokenLogits(roots);
    cases.forEach((c, i) => {
      for (const [id, value] of c.top_logits) {
        assert.ok(Math.abs(logits[i][id] - value) < 1e-4, `case ${i} logit ${id}`);
      }
    });
    const greedy = { temperature: 0, maxTokens: fixture.new_tokens, stop: [] };
    for (let i = 0; i < cases.length; i++) {
      const [[alone]] = await policy.extend([roots[i]], greedy);
      assert.deepEqual(alone.tokens, cases[i].greedy_ids, `case ${i} alone`);
    }
    const batched = await policy.extend(roots, greedy);
    batched.forEach(([b], i) =>
      assert.deepEqual(b.tokens, cases[i].greedy_ids, `case ${i} batched`)
    );
    policy.release([...roots, ...batched.flat().map((c) => c.state)]);
  } finally {
    await policy.dispose();
  }
});

Deno.test("random-qwen2: the native sampler gives the full pass's tokens and log-probabilities, sampled and greedy", async () => {
  const generate = async (nativeSampling: boolean) => {
    const policy = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1, nativeSampling });
    try {
      const { runner } = policy;
      const requests = fixture.cases.slice(0, 4).map((c) => ({
        node: runner.cache.nodeFor(runner.codec.promptIds(c.problem)),
        state: { problem: c.problem, text: "" },
      }));
      const base = { n: 2, stop: [], includeStop: true, maxTokens: 24, seed: 5, ignoreEos: true };
      const sampled = await runner.generate(requests, {
        ...base,
        sampling: { temperature: 0.8, topK: 0, topP: 0.95, minP: 0 },
      });
      const greedy = await runner.generate(requests, {
        ...base,
        n: 1,
        sampling: { temperature: 0, topK: 0, topP: 1, minP: 0 },
      });
      return { out: [...sampled.flat(), ...greedy.flat()], counters: { ...runner.counters } };
    } finally {
      await policy.dispose();
    }
  };
  const native = await generate(true);
  const full = await generate(false);
  assert.ok(native.counters.samplerRuns >= 2 * 24 && full.counters.samplerRuns === 0);
  assert.equal(native.counters.samplerFallbacks, 0);
  assert.equal(native.out.length, 4 * 2 + 4);
  native.out.forEach((g, i) => {
    assert.deepEqual(g.tokens, full.out[i].tokens, `sequence ${i}`);
    g.logprobs.forEach((lp, t) =>
      assert.ok(Math.abs(lp - full.out[i].logprobs[t]) < 1e-5, `sequence ${i} token ${t}`)
    );
  });
});
