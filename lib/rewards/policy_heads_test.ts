import assert from "node:assert/strict";
import type { Policy } from "../core/types.ts";
import { saveHead } from "./head_file.ts";
import type { Head } from "./head.ts";
import { fileSha256, loadPolicyHead } from "./policy_heads.ts";

Deno.test("loadPolicyHead refuses a head trained on another model file", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/model.onnx`, "model v1");
  const sha = await fileSha256(`${dir}/model.onnx`);
  const head: Head = {
    kind: "value",
    dim: 2,
    hidden: 0,
    mean: new Float32Array(2),
    std: new Float32Array([1, 1]),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2: new Float32Array(2),
    b2: 0,
    vocab: 0,
    wa: new Float32Array(0),
    ba: new Float32Array(0),
    card: {
      kind: "value",
      seed: 1,
      data: {},
      metrics: {},
      training: {},
      featureModel: { name: "m", dim: 2, output: "h", position: "end", sha256: sha },
    },
  };
  await saveHead(`${dir}/value.json`, head);
  const policy = {
    name: "m",
    capabilities: { logits: false, hidden: true },
    start: (problem: string) => ({ problem, text: "" }),
    extend: () => Promise.reject(new Error("unused")),
    runner: { folder: { modelPath: `${dir}/model.onnx` }, shape: { hiddenSize: 2 } },
  } as Policy & { runner: { folder: { modelPath: string }; shape: { hiddenSize: number } } };
  assert.equal((await loadPolicyHead(`${dir}/value.json`, "value", policy)).dim, 2);
  await Deno.writeTextFile(`${dir}/model.onnx`, "model v2");
  await assert.rejects(
    loadPolicyHead(`${dir}/value.json`, "value", policy),
    /value\.json: trained on model sha256 .*\(policy retrained\?/,
  );
  policy.runner.shape.hiddenSize = 3;
  await assert.rejects(
    loadPolicyHead(`${dir}/value.json`, "value", policy),
    /head expects hidden size 2 but the policy has 3/,
  );
});
