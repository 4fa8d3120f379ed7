import assert from "node:assert/strict";
import type * as ort from "onnxruntime-node";
import { modelShape } from "./folder.ts";
import { discoverIO } from "./session.ts";

/** A session stand-in exposing only the names and metadata that discovery reads. */
function fakeSession(inputs: string[], outputs: string[], kvShape: (number | string)[]) {
  const meta = (name: string) => ({
    name,
    isTensor: true,
    type: name.startsWith("past") ? "float32" : "int64",
    shape: name.startsWith("past") ? kvShape : ["batch_size", "sequence_length"],
  });
  return {
    inputNames: inputs,
    outputNames: outputs,
    inputMetadata: inputs.map(meta),
    outputMetadata: outputs.map(meta),
  } as unknown as ort.InferenceSession;
}

const kvNames = (layers: number, prefix: string) =>
  Array.from({ length: layers }, (_, i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]).flat();

const qwenShape = modelShape({
  num_hidden_layers: 2,
  num_attention_heads: 12,
  num_key_value_heads: 2,
  hidden_size: 1536,
  vocab_size: 151936,
}, {});

Deno.test("an optimum-style export without last_hidden_state is discovered", () => {
  const io = discoverIO(
    fakeSession(
      ["input_ids", "attention_mask", "position_ids", ...kvNames(2, "past_key_values")],
      ["logits", ...kvNames(2, "present")],
      ["batch_size", 2, "past_sequence_length", 128],
    ),
    qwenShape,
    "qwen/onnx/model.onnx",
  );
  assert.equal(io.numLayers, 2);
  assert.equal(io.numKvHeads, 2);
  assert.equal(io.headDim, 128);
  assert.equal(io.hiddenOutput, null);
  assert.equal(io.logitsToKeep, null);
  assert.equal(io.hasPositionIds, true);
  assert.deepEqual(io.presentValues, ["present.0.value", "present.1.value"]);
});

Deno.test("optional inputs (num_logits_to_keep, use_cache_branch) and symbolic dims", () => {
  const io = discoverIO(
    fakeSession(
      [
        "input_ids",
        "attention_mask",
        ...kvNames(2, "past_key_values"),
        "use_cache_branch",
        "num_logits_to_keep",
      ],
      ["logits", ...kvNames(2, "present"), "last_hidden_state"],
      ["batch", "heads", "past", "dim"],
    ),
    qwenShape,
    "m.onnx",
  );
  assert.equal(io.numKvHeads, 2, "from the config when the graph's dims are symbolic");
  assert.equal(io.headDim, 128);
  assert.equal(io.logitsToKeep, "num_logits_to_keep");
  assert.equal(io.useCacheBranch, true);
  assert.equal(io.hasPositionIds, false);
  assert.equal(io.hiddenOutput, "last_hidden_state");
});

Deno.test("a graph without a cache or with a layer mismatch is refused naming the file", () => {
  assert.throws(
    () =>
      discoverIO(fakeSession(["input_ids", "attention_mask"], ["logits"], []), qwenShape, "x.onnx"),
    /x\.onnx has no past_key_values/,
  );
  assert.throws(
    () =>
      discoverIO(
        fakeSession(
          ["input_ids", "attention_mask", ...kvNames(3, "past_key_values")],
          ["logits", ...kvNames(3, "present")],
          [],
        ),
        qwenShape,
        "y.onnx",
      ),
    /y\.onnx has 3 cache layers but config says 2/,
  );
});
