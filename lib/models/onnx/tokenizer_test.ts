import assert from "node:assert/strict";
import { loadModelFolder } from "./folder.ts";
import { createDetokenizer, createTextCodec } from "./tokenizer.ts";

const MODEL = new URL("../../../models/embedded", import.meta.url).pathname;

Deno.test("the codec round-trips text and builds the chat prompt", async () => {
  const folder = await loadModelFolder(MODEL);
  const codec = createTextCodec(folder);
  const text = "Step 1: 31 - 6 = 25\n\nThe answer is \\boxed{25}.";
  assert.equal(codec.decode(codec.encode(text)), text);
  const prompt = codec.promptText("2+3?");
  assert.equal(prompt, "<s><|user|>2+3?<|assistant|>");
  assert.equal(codec.decode(codec.promptIds("2+3?")), "2+3?", "special tokens are skipped");
  assert.equal(codec.promptIds("2+3?"), codec.promptIds("2+3?"), "memoised");
  const custom = createTextCodec(folder, { promptTemplate: (p) => `Q: ${p}\nA:` });
  assert.equal(custom.promptText("x"), "Q: x\nA:");
});

Deno.test("streamed text equals the decoded text, token by token", async () => {
  const codec = createTextCodec(await loadModelFolder(MODEL));
  const text = "Step 2: 25 + 35 = 60\n\nThe answer is \\boxed{60}.";
  const d = createDetokenizer(codec.decode, codec.promptIds("q"));
  let out = "";
  for (const id of codec.encode(text)) out += d.push(id);
  out += d.flush();
  assert.equal(out, text);
});

Deno.test("a character split over two tokens is held back until complete", () => {
  // A byte-level toy vocabulary: each id is one UTF-8 byte.
  const utf8 = new TextDecoder();
  const decode = (ids: readonly number[]) => utf8.decode(Uint8Array.from(ids));
  const bytes = Array.from(new TextEncoder().encode("a€b")); // € is 3 bytes
  const d = createDetokenizer(decode);
  const deltas = bytes.map((b) => d.push(b));
  assert.deepEqual(deltas, ["a", "", "", "€", "b"]);
  const e = createDetokenizer(decode);
  e.push(bytes[1]);
  assert.equal(e.flush(), "\uFFFD", "flush emits what is held back");
});
