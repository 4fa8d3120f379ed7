/**
 * Checks of the exported embedded policies (`models/embedded/`, its predecessor
 * `models/embedded-v1/` and the tool-using `models/embedded-tools/`): the tokenizer round-trips task text through
 * `@huggingface/tokenizers`, the chat template renders the training prompt, and the ONNX model in
 * onnxruntime-node matches the PyTorch parity fixtures (prefill, cached decode steps, a left-padded
 * batch, greedy ids).
 *
 * @module
 */

import assert from "node:assert/strict";
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";
import * as ort from "onnxruntime-node";
import { CHARSET, evalSplit, flawedSolution, trainStream } from "../lib/tasks/mod.ts";
import { flawedToolSolution, TOOL_CHARSET, toolSolution } from "../lib/tasks/tools.ts";

/** A model folder, its character set and how it writes a (gold or flawed) solution. */
interface Folder {
  name: string;
  charset: string;
  gold: (p: ReturnType<typeof evalSplit>[number]) => string;
  flawed: (p: ReturnType<typeof evalSplit>[number]) => string;
}

/** A folder of a policy that writes the plain solution format. */
const plain = (name: string): Folder => ({
  name,
  charset: CHARSET,
  gold: (p) => p.solution,
  flawed: (p) => flawedSolution(p, 1)?.solution ?? "",
});

const FOLDERS: Folder[] = [
  plain("embedded"),
  plain("embedded-v1"),
  {
    name: "embedded-tools",
    charset: TOOL_CHARSET,
    gold: (p) => toolSolution(p),
    flawed: (p) => flawedToolSolution(p, 1)?.solution ?? "",
  },
];

for (const folder of FOLDERS) defineTests(folder);

function defineTests(folder: Folder): void {
  const DIR = new URL(`./${folder.name}/`, import.meta.url);

  async function readJson<T = Record<string, unknown>>(name: string): Promise<T> {
    return JSON.parse(await Deno.readTextFile(new URL(name, DIR))) as T;
  }

  interface ParityCase {
    ids: string[];
    problems: string[];
    input_ids: number[][];
    attention_mask: number[][];
    position_ids: number[][];
    logits: number[][];
    greedy_ids: number[][];
  }

  interface Parity {
    vocab_size: number;
    num_hidden_layers: number;
    num_key_value_heads: number;
    head_dim: number;
    decode_steps: number;
    greedy_steps: number;
    tolerance: number;
    cases: ParityCase[];
  }

  async function loadTokenizer(): Promise<Tokenizer> {
    return new Tokenizer(await readJson("tokenizer.json"), await readJson("tokenizer_config.json"));
  }

  Deno.test(`${folder.name} tokenizer: every task character is a token and text round-trips`, async () => {
    const tok = await loadTokenizer();
    for (const c of folder.charset) {
      assert.notEqual(tok.token_to_id(c), undefined, `missing ${JSON.stringify(c)}`);
    }
    const unk = tok.token_to_id("<unk>");
    const texts: string[] = [];
    for (const p of evalSplit().slice(0, 50)) texts.push(p.problem, folder.gold(p));
    const it = trainStream(3);
    for (let i = 0; i < 50; i++) {
      const p = it.next().value;
      texts.push(folder.gold(p), folder.flawed(p));
    }
    for (const text of texts.filter((t) => t !== "")) {
      const { ids } = tok.encode(text, { add_special_tokens: false });
      assert.equal(ids.length, [...text].length, "one token per character");
      assert.ok(!ids.includes(unk!), "no <unk>");
      assert.equal(tok.decode(ids), text);
    }
  });

  Deno.test(`${folder.name} tokenizer: special tokens and the chat template give the training prompt`, async () => {
    const tok = await loadTokenizer();
    const cfg = await readJson<{ chat_template: string; bos_token: string; eos_token: string }>(
      "tokenizer_config.json",
    );
    const config = await readJson<
      { bos_token_id: number; eos_token_id: number; pad_token_id: number }
    >(
      "config.json",
    );
    assert.equal(tok.token_to_id("<s>"), config.bos_token_id);
    assert.equal(tok.token_to_id("</s>"), config.eos_token_id);
    assert.equal(tok.token_to_id("<pad>"), config.pad_token_id);
    const p = evalSplit()[0];
    const template = new Template(cfg.chat_template);
    const render = (messages: { role: string; content: string }[], add: boolean) =>
      template.render({
        messages,
        add_generation_prompt: add,
        bos_token: cfg.bos_token,
        eos_token: cfg.eos_token,
      });
    const prompt = render([{ role: "user", content: p.problem }], true);
    assert.equal(prompt, `<s><|user|>${p.problem}<|assistant|>`);
    const solution = folder.gold(p);
    const full = render([{ role: "user", content: p.problem }, {
      role: "assistant",
      content: solution,
    }], false);
    assert.equal(full, prompt + solution + "</s>");
    const ids = tok.encode(full, { add_special_tokens: false }).ids;
    assert.deepEqual(ids.slice(0, 2), [config.bos_token_id, tok.token_to_id("<|user|>")]);
    assert.equal(ids[ids.length - 1], config.eos_token_id);
    assert.equal(tok.decode(ids, { skip_special_tokens: true }), p.problem + solution);
  });

  /** Run the ONNX model once; returns logits (flat) and the present key/values. */
  async function step(
    session: ort.InferenceSession,
    parity: Parity,
    inputIds: number[][],
    mask: number[][],
    positions: number[][],
    past: ort.Tensor[] | null,
  ): Promise<{ logits: ort.Tensor; present: ort.Tensor[]; hidden: ort.Tensor }> {
    const b = inputIds.length;
    const s = inputIds[0].length;
    const i64 = (rows: number[][]) =>
      new ort.Tensor("int64", BigInt64Array.from(rows.flat().map(BigInt)), [
        rows.length,
        rows[0].length,
      ]);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: i64(inputIds),
      attention_mask: i64(mask),
      position_ids: i64(positions),
    };
    const { num_hidden_layers: layers, num_key_value_heads: kv, head_dim: hd } = parity;
    for (let i = 0; i < layers; i++) {
      for (const [j, kind] of ["key", "value"].entries()) {
        feeds[`past_key_values.${i}.${kind}`] = past
          ? past[2 * i + j]
          : new ort.Tensor("float32", new Float32Array(0), [b, kv, 0, hd]);
      }
    }
    const out = await session.run(feeds);
    const present: ort.Tensor[] = [];
    for (let i = 0; i < layers; i++) {
      present.push(out[`present.${i}.key`], out[`present.${i}.value`]);
    }
    assert.deepEqual(out.logits.dims, [b, s, parity.vocab_size]);
    return { logits: out.logits, present, hidden: out.last_hidden_state };
  }

  /** Logits at the last position of every row, flattened row-major. */
  function lastLogits(t: ort.Tensor): Float32Array {
    const [b, s, v] = t.dims as number[];
    const data = t.data as Float32Array;
    const out = new Float32Array(b * v);
    for (let r = 0; r < b; r++) out.set(data.subarray((r * s + s - 1) * v, (r * s + s) * v), r * v);
    return out;
  }

  function argmaxRows(flat: Float32Array, v: number): number[] {
    const out = [];
    for (let r = 0; r < flat.length / v; r++) {
      let best = 0;
      for (let j = 1; j < v; j++) if (flat[r * v + j] > flat[r * v + best]) best = j;
      out.push(best);
    }
    return out;
  }

  function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
    assert.equal(a.length, b.length);
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  Deno.test(`${folder.name} onnx: model matches the PyTorch parity fixtures (prefill, KV-cache decode, batch)`, async () => {
    const parity = await readJson<Parity>("parity.json");
    const session = await ort.InferenceSession.create(new URL("onnx/model.onnx", DIR).pathname, {
      intraOpNumThreads: 1,
    });
    for (const name of ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key"]) {
      assert.ok(session.inputNames.includes(name), name);
    }
    for (const name of ["logits", "present.0.key", "present.0.value", "last_hidden_state"]) {
      assert.ok(session.outputNames.includes(name), name);
    }
    const tok = await loadTokenizer();
    const v = parity.vocab_size;
    for (const c of parity.cases) {
      // the fixture's prompt ids are what the tokenizer gives for the chat-templated problem
      c.problems.forEach((problem, r) => {
        const ids =
          tok.encode(`<s><|user|>${problem}<|assistant|>`, { add_special_tokens: false }).ids;
        const row = c.input_ids[r].slice(c.input_ids[r].length - ids.length);
        assert.deepEqual(row, ids);
      });
      let mask = c.attention_mask.map((r) => [...r]);
      let pos = c.position_ids;
      let out = await step(session, parity, c.input_ids, mask, pos, null);
      let last = lastLogits(out.logits);
      assert.ok(maxAbsDiff(last, c.logits[0]) <= parity.tolerance, `prefill ${c.ids}`);
      assert.deepEqual(out.hidden.dims.slice(0, 2), [c.input_ids.length, c.input_ids[0].length]);
      const greedy: number[][] = [];
      for (let t = 0; t < parity.greedy_steps; t++) {
        const next = argmaxRows(last, v);
        greedy.push(next);
        mask = mask.map((r) => [...r, 1]);
        pos = pos.map((r) => [r[r.length - 1] + 1]);
        out = await step(session, parity, next.map((x) => [x]), mask, pos, out.present);
        last = lastLogits(out.logits);
        if (t < parity.decode_steps) {
          const d = maxAbsDiff(last, c.logits[t + 1]);
          assert.ok(d <= parity.tolerance, `decode step ${t + 1} of ${c.ids}: max |diff| ${d}`);
        }
      }
      assert.deepEqual(greedy, c.greedy_ids, `greedy ids of ${c.ids}`);
    }
  });
}
