import assert from "node:assert/strict";
import { onnxLogitsForward, stepTagPrmScorer } from "./step_tag_prm.ts";

// A fake tokenizer: "<extra_0>" is id 1, every other character its code point + 10.
const encode = (text: string) =>
  text.split(/(<extra_0>)/).flatMap((part) =>
    part === "<extra_0>" ? [1] : [...part].map((c) => c.codePointAt(0)! + 10)
  );

Deno.test("step-tag PRM scorer: qwen-prm scores read at each <extra_0> from fake logits", async () => {
  const seen: number[][] = [];
  // 2-class logits: at the k-th tag, class 1 − class 0 = k (so P = σ(0), σ(1), ...).
  const forward = (ids: readonly number[]) => {
    seen.push([...ids]);
    const logits = new Float32Array(ids.length * 2);
    let k = 0;
    ids.forEach((id, p) => {
      if (id === 1) logits[p * 2 + 1] = k++;
    });
    return Promise.resolve({ logits, width: 2 });
  };
  const prm = stepTagPrmScorer({
    name: "fake",
    format: "qwen-prm",
    encode,
    forward,
    ids: { format: "qwen-prm", tagId: 1 },
  });
  const req = { problem: "Q", steps: ["a\n\n", "b\n\n", "c"] };
  const [s] = await prm.score([req]);
  assert.deepEqual(s.map((x) => +x.toFixed(6)), [0.5, 0.731059, 0.880797]);
  const [[last]] = await prm.score([req], { lastOnly: true });
  assert.equal(+last.toFixed(6), 0.880797);
  // The model saw the Qwen chat text.
  const text = String.fromCodePoint(...seen[0].map((id) => (id === 1 ? 0x2603 : id - 10)));
  assert.ok(text.endsWith("<|im_start|>assistant\na☃b☃c☃<|im_end|>\n"), text);
  // One tag per given step, whatever the step holds: a step with "\n\n" inside, or two steps
  // without delimiters, still get one score each.
  const [[inside]] = await prm.score([{ problem: "Q", steps: ["a\n\nb"] }]);
  assert.equal(inside, 0.5);
  const [bare] = await prm.score([{ problem: "Q", steps: ["a", "b"] }]);
  assert.equal(bare.length, 2);
});

Deno.test("onnxLogitsForward runs a Hugging Face ONNX folder and matches its PyTorch logits", async () => {
  const parity = JSON.parse(await Deno.readTextFile("models/embedded/parity.json"));
  const c = parity.cases[0];
  const forward = await onnxLogitsForward("models/embedded", { intraOpNumThreads: 1 });
  const ids: number[] = c.input_ids[0];
  const { logits, width } = await forward(ids);
  assert.equal(width, parity.vocab_size);
  assert.equal(logits.length, ids.length * width);
  const last = logits.subarray((ids.length - 1) * width);
  const ref: number[] = c.logits[0];
  const maxDiff = Math.max(...ref.map((v, i) => Math.abs(v - last[i])));
  assert.ok(maxDiff < 1e-3, `max |Δ| ${maxDiff}`);
});
