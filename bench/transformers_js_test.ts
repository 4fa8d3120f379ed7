import assert from "node:assert/strict";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { evalSplit } from "../lib/tasks/mod.ts";
import { loadTransformersJs, runnerGreedy } from "./transformers_js.ts";

const MODEL = new URL("../models/embedded", import.meta.url).pathname;

Deno.test("transformers.js greedy on models/embedded gives the runner's greedy text, alone and batched", async () => {
  const problems = evalSplit().slice(0, 3).map((p) => p.problem);
  const policy = await createOnnxPolicy(MODEL, { intraOpNumThreads: 2 });
  const tjs = await loadTransformersJs(MODEL, { threads: 2 });
  try {
    const ours = await runnerGreedy(policy, problems, 512);
    const ids = problems.map((p) => [...policy.runner.codec.promptIds(p)]);
    const batched = await tjs.generate(ids, 512);
    const [alone] = await tjs.generate(ids.slice(0, 1), 512);
    assert.deepEqual(batched, ours.map((o) => o.tokens));
    assert.deepEqual(alone, ours[0].tokens);
    assert.deepEqual(batched.map((t) => policy.runner.codec.decode(t)), ours.map((o) => o.text));
    assert.ok(ours.every((o) => o.tokens.at(-1) === 2), "every row ends at EOS");
    // The prompt was released: a second call encodes it again (nothing kept between runs).
    const before = policy.runner.counters.prefillTokens;
    await runnerGreedy(policy, problems.slice(0, 1), 4);
    assert.equal(policy.runner.counters.prefillTokens - before, ids[0].length - 1);
  } finally {
    await tjs.dispose();
    await policy.dispose();
  }
});
