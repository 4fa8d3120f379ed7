import assert from "node:assert/strict";
import { fork, rng } from "../../core/random.ts";
import type { LogitsContext } from "../../core/types.ts";
import {
  acceptToken,
  type DecodeRow,
  decodeStep,
  keptSegment,
  makeRow,
  type RowEnd,
  type RowSpec,
  type StopRules,
} from "./decode_step.ts";
import { createKvCache } from "./kv_cache.ts";
import { logSumExp, sampleToken } from "./sampling.ts";

// A character-level world: token id = character code, 0 = EOS.
const V = 128;
const decode = (ids: readonly number[]) => String.fromCharCode(...ids.filter((i) => i !== 0));
const encode = (text: string) => [...text].map((c) => c.charCodeAt(0));
const cache = createKvCache({ numLayers: 1, numKvHeads: 1, headDim: 1 }, 2 ** 20);
const GREEDY = { temperature: 0, topK: 0, topP: 1, minP: 0 };
const rules: StopRules = { eos: new Set([0]), stops: ["\n\n"], includeStop: true };

function row(over: Partial<RowSpec> = {}): DecodeRow {
  const node = cache.nodeFor(encode("Hi"));
  return makeRow({
    req: 0,
    sample: 0,
    node,
    chain: cache.chain(node),
    tokens: node.tokens,
    prefixLen: 2,
    maxNew: 8,
    seed: 0,
    index: 0,
    sampling: GREEDY,
    decode,
    ...over,
  });
}

/** Logits `[B, 1, V]` whose argmax in row r is `ids[r]`. */
function peaked(ids: readonly number[]): Float32Array {
  const x = new Float32Array(ids.length * V);
  ids.forEach((id, r) => (x[r * V + id] = 4));
  return x;
}

const step = (
  rows: DecodeRow[],
  ids: number[],
  ended: [DecodeRow, number, RowEnd][],
  r: StopRules = rules,
) =>
  decodeStep(
    rows,
    { logits: peaked(ids), logitsLen: 1, hidden: null },
    r,
    () => ({ problem: "", text: "" }),
    (row, i, end) => ended.push([row, i, end]),
  );

Deno.test("makeRow: feeds the sequence's last token; greedy without an rng", () => {
  const r = row();
  assert.equal(r.next, "i".charCodeAt(0));
  assert.equal(r.lenKv, 1);
  assert.equal(r.greedy, true);
  assert.equal(r.rng, null);
  const s = row({ sampling: { temperature: 1, topK: 1, topP: 1, minP: 0 } });
  assert.equal(s.greedy, true, "topK 1 is greedy");
  assert.equal(row({ sampling: { ...GREEDY, temperature: 0.7 } }).greedy, false);
});

Deno.test("decodeStep: rows go on until a stop string; the ended row leaves with its batch index", async () => {
  const a = row();
  const b = row({ sample: 1 });
  const ended: [DecodeRow, number, RowEnd][] = [];
  let active = await step([a, b], [65, 66], ended); // "A", "B"
  assert.deepEqual(active, [a, b]);
  active = await step(active, [10, 67], ended); // "\n", "C"
  active = await step(active, [10, 68], ended); // "\n" completes the stop in row a
  assert.deepEqual(active, [b]);
  assert.equal(ended.length, 1);
  const [who, index, end] = ended[0];
  assert.equal(who, a);
  assert.equal(index, 0);
  assert.deepEqual(end, { reason: "stop", text: "A\n\n", stopString: "\n\n" });
  assert.equal(b.text, "BCD");
  assert.equal(b.lenKv, 4);
  assert.deepEqual(a.generated, [65, 10, 10]);
  // logprobs are under the model's distribution
  const lse = logSumExp(peaked([65]).subarray(0, V));
  assert.ok(Math.abs(a.logprobs[0] - (4 - lse)) < 1e-6);
  assert.ok(Math.abs(a.cumulative - a.logprobs.reduce((s, x) => s + x, 0)) < 1e-9);
});

Deno.test("decodeStep: EOS, maxNew and a cut stop string", async () => {
  const ended: [DecodeRow, number, RowEnd][] = [];
  const eos = row();
  await step([eos], [0], ended);
  assert.deepEqual(ended.pop()![2], { reason: "eos", text: "" });
  const short = row({ maxNew: 2 });
  await step([short], [65], ended);
  await step([short], [66], ended);
  assert.deepEqual(ended.pop()![2], { reason: "length", text: "AB" });
  const cut = row();
  const noStop = { ...rules, includeStop: false };
  await step([cut], [65], ended, noStop);
  await step([cut], [10], ended, noStop);
  await step([cut], [10], ended, noStop);
  assert.deepEqual(ended.pop()![2], { reason: "stop", text: "A", stopString: "\n\n" });
  // the kept segment: tokens whose text lies within the cut text, then any leftover re-encoded
  assert.deepEqual(keptSegment(cut, "A", cut.generated.length, encode), {
    tokens: [65],
    withKv: 1,
  });
  const ignore = row();
  await step([ignore], [0], ended, { ...rules, ignoreEos: true });
  assert.equal(ended.length, 0);
});

Deno.test("decodeStep: the hook sees index, state, tokens so far and may edit the logits", async () => {
  const seen: LogitsContext[] = [];
  const r = row({
    index: 3,
    logitsHook: (ctx) => {
      seen.push({ ...ctx, generated: [...ctx.generated] });
      ctx.logits[90] = 10; // push towards "Z"
    },
  });
  const state = { problem: "p", text: "t" };
  await decodeStep(
    [r],
    { logits: peaked([65]), logitsLen: 1, hidden: null },
    rules,
    () => state,
    () => {},
  );
  assert.equal(seen.length, 1);
  assert.equal(seen[0].index, 3);
  assert.equal(seen[0].state, state);
  assert.deepEqual(seen[0].generated, []);
  assert.deepEqual(r.generated, [90]);
  // the logprob is the raw (unedited) one: logit 0 minus the raw log-sum-exp
  const lse = logSumExp(peaked([65]));
  assert.ok(Math.abs(r.logprobs[0] - (0 - lse)) < 1e-6);
});

Deno.test("decodeStep: a sampled row draws from rng(fork(seed, index, firstSample + sample))", async () => {
  const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
  const r = row({ sampling, seed: 5, index: 2, firstSample: 3, sample: 1 });
  const logits = new Float32Array(V).map((_, i) => Math.sin(i));
  const ref = rng(fork(5, 2, 4));
  const expect = [
    sampleToken(logits.slice(), sampling, ref.uniform),
    sampleToken(logits.slice(), sampling, ref.uniform),
  ];
  for (let t = 0; t < 2; t++) {
    await decodeStep(
      [r],
      { logits: logits.slice(), logitsLen: 1, hidden: null },
      { ...rules, stops: [] },
      () => ({ problem: "", text: "" }),
      () => {},
    );
  }
  assert.deepEqual(r.generated.slice(0, 2), expect);
});

Deno.test("acceptToken: a multi-token character is held back until complete", () => {
  // a decoder that only completes a character on a pair of tokens (like a split UTF-8 sequence)
  const pairs = (ids: readonly number[]) => {
    let s = "";
    for (const id of ids) s += id === 1 ? "\uFFFD" : String.fromCharCode(id);
    return s.replace(/\uFFFD(.)/g, (_, c) => c.toUpperCase());
  };
  const r = row({ decode: pairs });
  assert.equal(acceptToken(r, 1, 0, rules), null);
  assert.equal(r.text, "");
  assert.deepEqual(r.cuts, [-1]);
  assert.equal(acceptToken(r, 97, 0, rules), null);
  assert.equal(r.text, "A");
  assert.deepEqual(r.cuts, [-1, 1]);
});
