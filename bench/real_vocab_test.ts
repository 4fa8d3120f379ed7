import assert from "node:assert/strict";
import { benchRealVocab } from "./real_vocab.ts";

Deno.test("real-vocabulary bench: every row decodes its tokens, the shares are fractions, and the full pass draws the same tokens", async () => {
  const r = await benchRealVocab({ batch: 3, tokens: 4, reps: 2, threads: 1 });
  assert.equal(r.vocabSize, 151_936);
  assert.equal(r.tokens, 3 * 4);
  assert.equal(r.runs.length, 2);
  for (const run of r.runs) {
    assert.ok(run.sessionRunMs > 0 && run.sessionRunMs < run.wall, JSON.stringify(run));
    assert.ok(run.nonModelShare > 0 && run.nonModelShare < 1);
  }
  assert.ok(r.perStepMs.model > 0 && r.perStepMs.sampler > 0 && r.perStepMs.other > 0);
  // The full pass (native sampler off) draws the same tokens.
  assert.equal(r.sameTokens, 1);
  assert.ok(r.fullPass !== null);
});
