import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModelFolder, modelShape } from "./folder.ts";
import { checkDevice, openDecoderSession } from "./session.ts";

const MODEL = new URL("../../../models/embedded", import.meta.url).pathname;

function oneLine(e: unknown, pattern: RegExp) {
  assert.ok(e instanceof Error);
  assert.match(e.message, pattern);
  assert.ok(!e.message.includes("\n"), `not one line: ${e.message}`);
  return true;
}

Deno.test("modelShape reads GQA heads, head size and EOS ids", () => {
  const s = modelShape(
    {
      num_hidden_layers: 28,
      num_attention_heads: 12,
      num_key_value_heads: 2,
      hidden_size: 1536,
      vocab_size: 151936,
      eos_token_id: 151643,
      max_position_embeddings: 4096,
    },
    { eos_token_id: [151645, 151643], pad_token_id: 151643 },
  );
  assert.equal(s.headDim, 128);
  assert.equal(s.numKvHeads, 2);
  assert.deepEqual(s.eosTokenIds, [151643, 151645]);
  assert.equal(s.padTokenId, 151643);
  assert.throws(() => modelShape({ num_hidden_layers: 2 }, {}, "x/config.json"), /x\/config\.json/);
});

Deno.test("a missing folder, file or corrupt file gives one line naming the path", async () => {
  await assert.rejects(
    () => loadModelFolder("/nonexistent/model-dir"),
    (e) => oneLine(e, /\/nonexistent\/model-dir/),
  );
  const tmp = await Deno.makeTempDir();
  try {
    await assert.rejects(() => loadModelFolder(tmp), (e) => oneLine(e, /config\.json/));
    for (const f of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
      await Deno.copyFile(join(MODEL, f), join(tmp, f));
    }
    await assert.rejects(() => loadModelFolder(tmp), (e) => oneLine(e, /onnx\/model\.onnx/));
    await Deno.mkdir(join(tmp, "onnx"));
    await Deno.writeTextFile(join(tmp, "onnx", "model.onnx"), "not a protobuf at all");
    const folder = await loadModelFolder(tmp);
    await assert.rejects(
      () => openDecoderSession(folder.modelPath, folder.shape),
      (e) => oneLine(e, /cannot load .*onnx\/model\.onnx/),
    );
    await Deno.writeTextFile(join(tmp, "generation_config.json"), "{ broken");
    await assert.rejects(() => loadModelFolder(tmp), (e) => oneLine(e, /generation_config\.json/));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("cuda is refused in one line where the build lacks its provider", () => {
  let hasCudaLib = false;
  try {
    const dir = new URL(
      "../../../node_modules/onnxruntime-node/bin/napi-v6/linux/x64/",
      import.meta.url,
    );
    hasCudaLib = Deno.statSync(new URL("libonnxruntime_providers_cuda.so", dir)).isFile;
  } catch { /* not installed */ }
  if (hasCudaLib) checkDevice("cuda");
  else assert.throws(() => checkDevice("cuda"), (e) => oneLine(e, /cuda/));
  checkDevice("cpu");
  assert.throws(() => checkDevice("tpu" as "cpu"), (e) => oneLine(e, /unknown device/));
});
