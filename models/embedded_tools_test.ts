/**
 * End to end on the tool-using embedded policy (`models/embedded-tools/`): its code blocks run in
 * the pyodide sandbox through {@linkcode toolPolicy}, the observations come from Python, and the
 * exact checker judges what it wrote; SBS with code steps runs on the same wrapped policy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { createSandbox } from "../lib/sandbox/mod.ts";
import { greedySearch } from "../lib/search/greedy.ts";
import { sbs } from "../lib/search/sbs.ts";
import { toolPolicy } from "../lib/search/tool_steps.ts";
import { evalSplit } from "../lib/tasks/mod.ts";
import { checkToolSolution, toolCheckerScorer } from "../lib/tasks/tools.ts";

const MODEL = new URL("./embedded-tools/", import.meta.url).pathname;

Deno.test("embedded-tools: greedy and SBS with code steps run the model's Python", async () => {
  const raw = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 });
  const sandbox = createSandbox({ workers: 1, timeoutMs: 5_000 });
  try {
    const policy = toolPolicy(raw, { sandbox, timeoutMs: 5_000 });
    const problems = evalSplit().slice(0, 4);
    let blocks = 0;
    for (const p of problems) {
      const r = await greedySearch(p, policy, undefined, { maxTokens: 1200 });
      const text = r.candidates[0].text;
      const outputs = [...text.matchAll(/<\/code>\n<output>\n/g)].length;
      assert.ok(outputs > 0, `${p.id}: no code block in ${JSON.stringify(text.slice(0, 200))}`);
      blocks += outputs;
      // every step the model wrote is judged by the exact checker, outputs as Python printed them
      const check = checkToolSolution(p, text);
      assert.equal(check.steps.length, text.split("\n\n").filter((s) => s.trim()).length);
      assert.equal(check.answerCorrect, r.answer === p.answer);
    }
    const stats = policy.stats();
    assert.equal(stats.executions + stats.cacheHits, blocks, "every block ran once");
    assert.equal(stats.errors, 0);
    // same seed, same search; the oracle checker as SBS's value keeps it on the gold path
    const p = problems[0];
    const opts = { beamWidth: 2, samplesPerNode: 3, maxDepth: 8, temperature: 0.7, seed: 1 };
    const scorer = toolCheckerScorer(problems);
    const a = await sbs(p, policy, scorer, { ...opts, maxTokens: 160 });
    const b = await sbs(p, policy, scorer, { ...opts, maxTokens: 160 });
    assert.deepEqual(a.candidates.map((c) => c.text), b.candidates.map((c) => c.text));
    assert.ok(a.candidates.some((c) => c.text.includes("<output>")));
  } finally {
    await sandbox.close();
    await raw.dispose();
  }
});
