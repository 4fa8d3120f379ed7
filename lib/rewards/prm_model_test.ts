import assert from "node:assert/strict";
import { evalSplit, flawedSolution } from "../tasks/mod.ts";
import { onnxLogitsForward, onnxStepTagPrm } from "./step_tag_prm.ts";

const PRM = "models/prm";

Deno.test("models/prm: the ONNX graph matches its PyTorch logits (parity.json)", async () => {
  const parity = JSON.parse(await Deno.readTextFile(`${PRM}/parity.json`));
  const forward = await onnxLogitsForward(PRM, { intraOpNumThreads: 1 });
  const { logits, width } = await forward(parity.input_ids[0]);
  assert.equal(width, 2);
  let max = 0;
  parity.logits.forEach((row: number[], i: number) =>
    row.forEach((v, j) => (max = Math.max(max, Math.abs(v - logits[i * 2 + j]))))
  );
  assert.ok(max < 1e-4, `max |Δ| ${max}`);
});

Deno.test("models/prm: every prefix scores, step by step, as the whole solution's first steps", async () => {
  const prm = await onnxStepTagPrm(PRM, "qwen-prm", { intraOpNumThreads: 1 });
  const p = evalSplit()[5];
  const steps = p.solution.split("\n\n").map((s, i, all) => (i < all.length - 1 ? `${s}\n\n` : s));
  const [full] = await prm.score([{ problem: p.problem, steps }]);
  assert.equal(full.length, steps.length);
  for (let k = 1; k <= steps.length; k++) {
    const [part] = await prm.score([{ problem: p.problem, steps: steps.slice(0, k) }]);
    assert.equal(part.length, k);
    part.forEach((x, i) => assert.ok(Math.abs(x - full[i]) < 1e-5, `prefix ${k}, step ${i}`));
  }
  // scores are products over steps: they never rise
  for (let k = 1; k < full.length; k++) assert.ok(full[k] <= full[k - 1] + 1e-9);
});

Deno.test("models/prm: gold solutions outscore their one-mistake versions", async () => {
  const prm = await onnxStepTagPrm(PRM, "qwen-prm", { intraOpNumThreads: 1 });
  let wins = 0;
  let pairs = 0;
  for (const [i, p] of evalSplit().slice(0, 40).entries()) {
    const flawed = flawedSolution(p, i);
    if (!flawed) continue;
    const split = (t: string[]) => t.map((s, k) => (k < t.length - 1 ? `${s}\n\n` : s));
    const [[gold], [bad]] = await prm.score([
      { problem: p.problem, steps: split(p.solution.split("\n\n")) },
      { problem: p.problem, steps: split(flawed.steps) },
    ], { lastOnly: true });
    pairs++;
    if (gold > bad) wins++;
  }
  assert.ok(pairs >= 20, `${pairs} pairs`);
  assert.ok(wins / pairs > 0.8, `gold above flawed in ${wins} of ${pairs}`);
});
