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
