import assert from "node:assert/strict";
import { evalSplit } from "../lib/tasks/mod.ts";
import { openBackend } from "./backends.ts";
import { runMethod } from "./harness.ts";

// Beam search with the default verifier, 6 problems: every policy and scorer call of one problem
// shares engine calls with the other problems' when several are in flight.
async function run(concurrency: number, out: string) {
  const backend = await openBackend({ batchInvariant: true });
  try {
    const records = await runMethod({
      method: "beam",
      options: { n: 4, m: 2, maxTokens: 48 },
      problems: evalSplit().slice(0, 6),
      policy: backend.policy,
      scorer: await backend.scorer("prm"),
      seed: 0,
      out,
      concurrency,
    });
    // everything but the timing
    return records.map(({ wall_ms: _, ...r }) => r);
  } finally {
    await backend.close();
  }
}

Deno.test("--batch-invariant: beam search with the default verifier gives the same records, scores to the bit, one problem at a time or six at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const one = await run(1, `${dir}/one.jsonl`);
    const six = await run(6, `${dir}/six.jsonl`);
    assert.equal(one.length, 6);
    assert.ok(one.every((r) => r.candidates.length > 0 && r.candidates[0].score !== undefined));
    assert.deepEqual(six, one);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--batch-invariant with a server is a one-line usage error", async () => {
  await assert.rejects(
    openBackend({ batchInvariant: true, endpoint: ["http://127.0.0.1:9/v1"] }),
    /--batch-invariant is for the in-process ONNX policy, not a server$/,
  );
});
