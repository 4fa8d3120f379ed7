import assert from "node:assert/strict";
import type { SeqState } from "../core/types.ts";
import { toyItem, toyJudge, toyPolicy, toyTruth } from "./_toy_policy.ts";
import { extractFeatures, type FeaturePolicy } from "./extract.ts";
import { readFeatures, writeFeatures } from "./features.ts";
import { headDataset } from "./head_dataset.ts";
import type { LabelRecord } from "./label_problem.ts";

/** The toy policy with "hidden states" = [text length up to the position, #bad so far, 1]. */
function featurePolicy(): FeaturePolicy {
  const base = toyPolicy(0.6);
  const h = (text: string) =>
    new Float32Array([text.length, (text.match(/:bad/g) ?? []).length, 1]);
  const prompt = (p: string) => [...p].map((ch) => ch.charCodeAt(0));
  return {
    ...base,
    hiddenAt: (reqs) =>
      Promise.resolve(reqs.map((r) => r.positions.map((c) => h(r.text.slice(0, c))))),
    tokenize: (problem: string, text: string) => ({
      ids: [...prompt(problem), ...[...text].map((ch) => ch.charCodeAt(0))],
      promptLength: problem.length,
    }),
    hiddenAtTokens: (reqs) =>
      Promise.resolve(reqs.map((r) => r.positions.map((p) => new Float32Array([p, 0, 0])))),
    release: (_: readonly SeqState[]) => {},
  };
}

Deno.test("extractFeatures: step, token and label rows round-trip through the disk cache", async () => {
  const items = [0, 1, 2].map((i) => ({ ...toyItem(`t${i}`, 3), truth: toyTruth }));
  const path = ["s0:ok\n\n", "s1:bad\n\n", "s2:ok\n\n", "\\boxed{WRONG}"];
  const labels: LabelRecord[] = [{
    id: "t1",
    method: "math-shepherd",
    budget: 8,
    seed: 0,
    rollouts: 8,
    solutions: [{
      steps: path,
      labels: [1, 0, null, 0],
      soft: [0.5, 0, null, 0],
      rollouts: [4, 4, 0, 0],
      outcome: false,
      truth: toyTruth(path),
    }],
  }];
  const model = { name: "toy", dim: 3, output: "h", position: "step end" };
  const set = await extractFeatures(items, {
    policy: featurePolicy(),
    judge: toyJudge,
    samples: 4,
    tokenRows: 3,
    seed: 1,
    labels,
    model,
    vocab: 128,
  });
  const kinds = (k: string) => set.columns.kind.filter((x) => x === k).length;
  assert.equal(kinds("step"), 3 * 4 * 4); // 3 problems × 4 samples × (3 steps + answer)
  assert.equal(kinds("label"), 3);
  assert.ok(kinds("token") > 0 && kinds("token") <= 3 * 4 * 3);
  // A step row's hidden state is the prefix through that step.
  const i = set.columns.kind.indexOf("step");
  assert.equal(set.x[i * 3], set.x[i * 3 + 1] > 0 ? "s0:bad\n\n".length : "s0:ok\n\n".length);
  // Truth and outcome agree with the toy world.
  for (let r = 0; r < set.count; r++) {
    if (set.columns.kind[r] !== "step") continue;
    const bad = set.x[r * 3 + 1] > 0;
    if (bad) assert.equal(set.columns.truth[r], 0);
  }
  const dir = await Deno.makeTempDir();
  await writeFeatures(dir, set);
  const back = await readFeatures(dir);
  assert.deepEqual(back.x, set.x);
  assert.deepEqual(back.columns, set.columns);

  const prm = headDataset(back, "prm");
  assert.deepEqual([...prm.target], [1, 0, 0]);
  assert.deepEqual([...prm.truth!], [1, 0, 0]);
  const value = headDataset(back, "value");
  assert.ok(value.target.every((t) => t === 1 || t === -1));
  const q = headDataset(back, "qsharp");
  assert.ok(q.token && q.token.every((t) => t >= 0));
  const ev = headDataset(back, "prm", { evaluation: true });
  assert.equal(ev.target.length, 48);

  await Deno.writeTextFile(`${dir}/hidden.f32`, "xyz");
  await assert.rejects(readFeatures(dir), /hidden\.f32: 3 bytes, expected/);
});
