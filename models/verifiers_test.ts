import assert from "node:assert/strict";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { loadPolicyHead, RECOMPUTE_FEATURES, recomputeScorer } from "../lib/rewards/mod.ts";
import { evalSplit, flawedSolution } from "../lib/tasks/mod.ts";

const HEAD = "models/verifiers/recompute.json";

Deno.test({
  name: "recompute-head on the embedded policy: gold solutions outscore their one-mistake versions",
  sanitizeResources: false,
  fn: async () => {
    const policy = await createOnnxPolicy("models/embedded", { intraOpNumThreads: 1 });
    try {
      const head = await loadPolicyHead(HEAD, "prm", policy, { dim: RECOMPUTE_FEATURES.length });
      const scorer = recomputeScorer(policy, { head });
      const split = (t: string[]) => t.map((s, k) => (k < t.length - 1 ? `${s}\n\n` : s));
      let wins = 0;
      let pairs = 0;
      for (const [i, p] of evalSplit().slice(0, 30).entries()) {
        const flawed = flawedSolution(p, i);
        if (!flawed) continue;
        const [[gold], [bad]] = await scorer.score([
          { problem: p.problem, steps: split(p.solution.split("\n\n")) },
          { problem: p.problem, steps: split(flawed.steps) },
        ], { lastOnly: true });
        pairs++;
        if (gold > bad) wins++;
      }
      assert.ok(pairs >= 15, `${pairs} pairs`);
      assert.ok(wins / pairs > 0.9, `gold above flawed in ${wins} of ${pairs}`);
    } finally {
      await policy.dispose();
    }
  },
});

Deno.test({
  name: "recompute-head refuses another policy (its card holds the policy's SHA-256)",
  sanitizeResources: false,
  fn: async () => {
    const other = await createOnnxPolicy("models/embedded-v1", { intraOpNumThreads: 1 });
    try {
      await assert.rejects(
        () => loadPolicyHead(HEAD, "prm", other, { dim: RECOMPUTE_FEATURES.length }),
        /trained on model sha256/,
      );
    } finally {
      await other.dispose();
    }
  },
});
