import assert from "node:assert/strict";
import { rng } from "../core/random.ts";
import { labelQuality } from "./label_quality.ts";
import type { LabelRecord } from "./label_problem.ts";

const sol = (steps: string[], labels: (0 | 1 | null)[], truth: number[]) => ({
  steps,
  labels,
  soft: labels.map(() => null),
  rollouts: labels.map(() => 0),
  outcome: null,
  truth,
});

Deno.test("labelQuality: hand-counted accuracy, error-class F1, first error and dedup", () => {
  const recs: LabelRecord[] = [
    {
      id: "p",
      method: "omegaprm",
      budget: 10,
      seed: 0,
      rollouts: 10,
      solutions: [
        sol(["a", "b", "c"], [1, 0, null], [1, 0, 0]), // 2 right; first error 1 = truth 1
        sol(["a", "b", "x"], [1, 1, 1], [1, 0, 0]), // "a","ab" already seen; "abx": 1 vs 0 (miss)
      ],
    },
    {
      id: "q",
      method: "omegaprm",
      budget: 10,
      seed: 0,
      rollouts: 6,
      solutions: [sol(["u", "v"], [0, 0], [1, 0])], // "u": false alarm, "uv": hit; first error 0≠1
    },
  ];
  const q = labelQuality(recs, rng(1), 50);
  // Pairs (error class): a 0/0, ab 1/1, abx 0/1, u 1/0, uv 1/1 → tp 2, fp 1, fn 1, tn 1.
  assert.equal(q.labelledSteps, 5);
  assert.equal(q.accuracy.estimate, 3 / 5);
  assert.equal(q.f1Error.estimate, 4 / 6);
  // First errors: path1 → 1 (truth 1) hit; path2 → −1 (truth 1) miss; path3 → 0 (truth 1) miss.
  assert.equal(q.firstError.n, 3);
  assert.equal(q.firstError.estimate, 1 / 3);
  assert.equal(q.rolloutsPerProblem, 8);
  assert.equal(q.stepsPer100Rollouts, 500 / 16);
});
