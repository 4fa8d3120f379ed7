import assert from "node:assert/strict";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { oracleScorer } from "../lib/rewards/oracle.ts";
import { beamSearch } from "../lib/search/mod.ts";
import { evalSplit } from "../lib/tasks/mod.ts";
import { measureTreeRun, type TreeSearch } from "./tree_reuse.ts";

const MODEL = new URL("../models/embedded", import.meta.url).pathname;

// A tiny beam search: 4 beams, 2 survivors, 2 iterations of short steps.
const tiny: TreeSearch = {
  name: "beam4",
  run: (problem, policy) =>
    beamSearch(problem, policy, oracleScorer(), {
      n: 4,
      m: 2,
      numIterations: 2,
      maxTokens: 64,
      seed: 0,
    }),
};

Deno.test("tree bench token accounting: with reuse only the prompts are encoded; without, every extension's prefix", async () => {
  const problems = evalSplit().slice(0, 2);
  const open = (cacheBytes?: number) => () =>
    createOnnxPolicy(MODEL, { intraOpNumThreads: 2, cacheBytes });
  const reuse = await measureTreeRun(open(), tiny, problems);
  const none = await measureTreeRun(open(0), tiny, problems);

  // The same tree both ways, and the counters agree with what the search reports.
  assert.equal(reuse.generated, none.generated);
  assert.equal(reuse.generated, reuse.searchTokens);
  assert.equal(none.generated, none.searchTokens);
  assert.ok(reuse.generated > 0);

  // With the cache, only the prompts are ever encoded (all but their last token), the second
  // one from where it parts from the first (their chat-template opening is shared).
  const policy = await createOnnxPolicy(MODEL, { intraOpNumThreads: 2 });
  const [a, b] = problems.map((p) => policy.runner.codec.promptIds(p.problem));
  await policy.dispose();
  let common = 0;
  while (a[common] === b[common]) common++;
  const promptTokens = a.length - 1 + b.length - 1 - common;
  assert.ok(common > 0);
  assert.equal(reuse.encoded, promptTokens);
  // Without it, the second iteration re-encodes the prompt and first step of each distinct beam.
  assert.ok(
    none.encoded > reuse.encoded + promptTokens,
    `encoded without reuse ${none.encoded}, with ${reuse.encoded}`,
  );
  assert.ok(reuse.span.wall > 0 && none.span.wall > 0);
  // Prefill time is part of the search's time, and more of it without reuse.
  assert.ok(none.prefillRunMs > 0 && none.prefillRunMs < none.span.wall);
  assert.ok(none.prefillRunMs > reuse.prefillRunMs);
  assert.ok(reuse.decodeRunMs > 0 && reuse.decodeRunMs < reuse.span.wall);
});
