import assert from "node:assert/strict";
import type { Continuation, SeqState } from "../../core/types.ts";
import { createOnnxPolicy, type OnnxPolicy, type OnnxPolicyOptions } from "./policy.ts";

const MODEL = new URL("../../../models/embedded", import.meta.url).pathname;

interface ParityCase {
  problems: string[];
  input_ids: number[][];
  logits: number[][];
  greedy_ids: number[][];
}
const parity: { decode_steps: number; tolerance: number; cases: ParityCase[] } = JSON.parse(
  await Deno.readTextFile(`${MODEL}/parity.json`),
);
const singles = parity.cases.filter((c) => c.problems.length === 1);
const batched = parity.cases.find((c) => c.problems.length > 1)!;
const PROBLEMS = [
  "Sam has 7 pens. He buys 5 more. How many pens does Sam have now?",
  singles[0].problems[0],
  "Ann has 12 cups.",
  singles[1].problems[0],
];
const EOS = 2;

const open = (o: OnnxPolicyOptions = {}) => createOnnxPolicy(MODEL, { intraOpNumThreads: 2, ...o });
const shared = await open();
const greedy = { temperature: 0, stop: [] as string[] };

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Greedy ids up to and including the first EOS (PyTorch keeps going after it). */
function untilEos(ids: number[]): number[] {
  const i = ids.indexOf(EOS);
  return i < 0 ? ids : ids.slice(0, i + 1);
}

function sameContinuations(a: Continuation[][], b: Continuation[][], tol = 1e-4) {
  assert.equal(a.length, b.length);
  a.forEach((row, i) =>
    row.forEach((x, j) => {
      const y = b[i][j];
      assert.deepEqual(x.tokens, y.tokens, `state ${i} sample ${j}`);
      assert.equal(x.text, y.text);
      assert.equal(x.finishReason, y.finishReason);
      assert.ok(maxDiff(x.logprobs, y.logprobs) <= tol, `logprobs of ${i}/${j}`);
    })
  );
}

Deno.test("prompt ids and chat template match the training prompt", () => {
  for (const c of parity.cases) {
    c.problems.forEach((p, r) => {
      const ids = shared.runner.codec.promptIds(p);
      const row = c.input_ids[r];
      assert.deepEqual(ids, row.slice(row.length - ids.length));
    });
  }
  assert.ok(shared.runner.codec.promptText("2+3").startsWith("<s><|user|>2+3<|assistant|>"));
});

Deno.test("parity: prefill and decode logits within tolerance, greedy ids equal PyTorch", async () => {
  for (const c of singles) {
    const prompt = c.input_ids[0];
    const ids = [...prompt, ...c.greedy_ids.slice(0, parity.decode_steps).map((x) => x[0])];
    const positions = c.logits.map((_, k) => prompt.length - 1 + k);
    const [got] = await shared.logitsAt([{ ids, positions }]);
    c.logits.forEach((ref, k) => {
      const d = maxDiff(got[k], ref);
      assert.ok(d <= parity.tolerance, `step ${k}: max |diff| ${d}`);
    });
    const want = untilEos(c.greedy_ids.map((x) => x[0]));
    const [[g]] = await shared.extend([{ problem: c.problems[0], text: "" }], {
      ...greedy,
      maxTokens: want.length,
    });
    assert.deepEqual(g.tokens, want);
  }
});

Deno.test("parity: a left-padded batch decodes like PyTorch's batch (logits and ids)", async () => {
  const policy = await open({ splitCost: 0 }); // one padded batch, never split by length
  try {
    const V = batched.logits[0].length / batched.problems.length;
    const seen: Float32Array[][] = batched.problems.map(() => []);
    const out = await policy.extend(batched.problems.map((p) => ({ problem: p, text: "" })), {
      ...greedy,
      maxTokens: batched.greedy_ids.length,
      logitsHook: (ctx) => {
        seen[ctx.index].push(ctx.logits.slice());
      },
    });
    batched.problems.forEach((_, r) => {
      const want = untilEos(batched.greedy_ids.map((x) => x[r]));
      assert.deepEqual(out[r][0].tokens, want);
      for (let k = 0; k < Math.min(batched.logits.length, want.length); k++) {
        const ref = batched.logits[k].slice(r * V, (r + 1) * V);
        const d = maxDiff(seen[r][k], ref);
        assert.ok(d <= parity.tolerance, `row ${r} step ${k}: ${d}`);
      }
    });
  } finally {
    await policy.dispose();
  }
});

Deno.test("batched output equals unbatched (mixed lengths, left padding, mid-text states)", async () => {
  const first = await shared.extend([shared.start(PROBLEMS[0])], { ...greedy, maxTokens: 9 });
  const states: SeqState[] = [
    ...PROBLEMS.map((p) => ({ problem: p, text: "" })),
    { problem: PROBLEMS[0], text: first[0][0].state.text }, // no handle: re-encoded
    first[0][0].state, // handle: cached
  ];
  const opts = { ...greedy, maxTokens: 20 };
  const together = await open({ splitCost: 0 }); // one padded batch
  const grouped = await open({ splitCost: 1 }); // split into batches of similar length
  const alone = await open({ maxBatch: 1 });
  const refilled = await open({ maxBatch: 4 }); // rows leave at different steps, others join
  try {
    const a = await together.extend(states, opts);
    const b: Continuation[][] = [];
    for (const s of states) b.push(...await alone.extend([s], opts));
    sameContinuations(a, b);
    assert.deepEqual(a[4][0].tokens, a[5][0].tokens);
    const sampled = { ...opts, n: 2, temperature: 1, seed: 3 };
    const runs = async (p: typeof grouped) => {
      const before = p.runner.counters.decodeRuns;
      const out = await p.extend(states, sampled);
      return { out, runs: p.runner.counters.decodeRuns - before };
    };
    const g = await runs(grouped);
    const h = await runs(together);
    sameContinuations(g.out, h.out);
    assert.ok(g.runs > h.runs, `split into batches of similar length: ${g.runs} vs ${h.runs} runs`);
    const ragged = { ...opts, n: 2, stop: ["\n\n", "5", ":"] };
    const c = await refilled.extend(states, ragged);
    const d: Continuation[][] = [];
    for (const s of states) d.push(...await alone.extend([s], ragged));
    sameContinuations(c, d);
    assert.ok(
      new Set(c.map((r) => r[0].tokens.length)).size > 1,
      "rows finished at different steps",
    );
  } finally {
    await together.dispose();
    await grouped.dispose();
    await alone.dispose();
    await refilled.dispose();
  }
});

Deno.test("a fork continues exactly as a sequence decoded from scratch, reusing the cache", async () => {
  const root = shared.start(PROBLEMS[1]);
  const [[step]] = await shared.extend([root], { ...greedy, maxTokens: 12 });
  const before = shared.runner.counters.prefillTokens;
  const opts = { stop: [], maxTokens: 16, n: 3, temperature: 0.9, seed: 5 };
  const forks = await shared.extend([step.state], opts);
  const greedyForks = await shared.extend([step.state], { ...greedy, n: 2, maxTokens: 16 });
  assert.equal(shared.runner.counters.prefillTokens, before, "the forked prefix is not re-encoded");
  const scratch = await open();
  try {
    const plain = { problem: step.state.problem, text: step.state.text };
    sameContinuations(forks, await scratch.extend([plain], opts));
    sameContinuations(
      greedyForks,
      await scratch.extend([plain], { ...greedy, n: 2, maxTokens: 16 }),
    );
    assert.deepEqual(greedyForks[0][0].tokens, greedyForks[0][1].tokens);
  } finally {
    await scratch.dispose();
  }
  shared.release([root, step.state, ...forks[0].map((c) => c.state)]);
});

Deno.test("stop strings spanning tokens fire, includeStop keeps or drops them, nothing leaks", async () => {
  const problem = PROBLEMS[0];
  const [[full]] = await shared.extend([{ problem, text: "" }], { ...greedy, maxTokens: 40 });
  assert.equal(full.finishReason, full.tokens.at(-1) === EOS ? "eos" : "length");
  const stop = full.text.slice(4, 7); // three characters, i.e. three tokens
  assert.equal(stop.length, 3);
  const at = full.text.indexOf(stop);
  const decode = shared.runner.codec.decode;

  const [[kept]] = await shared.extend([{ problem, text: "" }], {
    ...greedy,
    stop: ["@@never@@", stop],
    maxTokens: 40,
  });
  assert.equal(kept.finishReason, "stop");
  assert.equal(kept.stopString, stop);
  assert.equal(kept.text, full.text.slice(0, at + 3));
  assert.deepEqual(kept.tokens, full.tokens.slice(0, kept.tokens.length));
  assert.equal(decode(kept.tokens), kept.text);

  const [[dropped]] = await shared.extend([{ problem, text: "" }], {
    ...greedy,
    stop: [stop],
    includeStop: false,
    maxTokens: 40,
  });
  assert.equal(dropped.text, full.text.slice(0, at));
  assert.equal(dropped.state.text, dropped.text);
  assert.deepEqual(dropped.tokens, kept.tokens, "tokens list what was sampled, stop included");
  // The new state's handle spells exactly its text, so continuing it equals continuing the text.
  assert.deepEqual(shared.tokensOf(dropped.state), shared.tokenize(problem, dropped.text).ids);
  const viaHandle = await shared.extend([dropped.state], { ...greedy, maxTokens: 10 });
  const viaText = await shared.extend([{ problem, text: dropped.text }], {
    ...greedy,
    maxTokens: 10,
  });
  sameContinuations(viaHandle, viaText);

  const [[none]] = await shared.extend([{ problem, text: "" }], {
    ...greedy,
    stop: ["@@never@@"],
    maxTokens: 40,
  });
  assert.equal(none.text, full.text);
  assert.equal(none.stopString, undefined);
});

Deno.test("same seed gives the same samples whatever the batch; other seeds differ", async () => {
  const s = { problem: PROBLEMS[0], text: "" };
  const other = { problem: PROBLEMS[3], text: "" };
  // A hot temperature so that distinct streams give distinct samples even from a confident model.
  const opts = { n: 4, temperature: 2.5, stop: [], maxTokens: 20, seed: 11 };
  const a = await shared.extend([s], opts);
  const b = await shared.extend([s], opts);
  sameContinuations(a, b, 0);
  const c = await shared.extend([s], { ...opts, seed: 12 });
  assert.notDeepEqual(a[0].map((x) => x.tokens), c[0].map((x) => x.tokens));
  const small = await open({ maxBatch: 3 });
  try {
    const d = await small.extend([s, other], opts); // state 0 keeps index 0: same streams
    sameContinuations(a, [d[0]]);
  } finally {
    await small.dispose();
  }
  // Samples of one state differ from each other (independent streams per sample index).
  assert.ok(new Set(a[0].map((x) => x.tokens.join(","))).size > 1);
});

Deno.test("concurrent extend calls share engine steps and each gets what it gets alone", async () => {
  const a = { problem: PROBLEMS[0], text: "" };
  const b = { problem: PROBLEMS[3], text: "" };
  const c = { problem: PROBLEMS[1], text: "" };
  const hot = { n: 3, temperature: 2.5, stop: [], maxTokens: 16, seed: 5 };
  let hookSaw = -1;
  const calls = [
    (p: OnnxPolicy) => p.extend([a, b], hot),
    (p: OnnxPolicy) => p.extend([c], { ...greedy, maxTokens: 12 }),
    (p: OnnxPolicy) =>
      p.extend([b, a], {
        ...hot,
        n: 2,
        seed: 9,
        topK: 5,
        logitsHook: (ctx) => {
          hookSaw = Math.max(hookSaw, ctx.index);
        },
      }),
    (p: OnnxPolicy) => p.extend([a], { ...hot, stop: ["="] }), // other stops: its own call
  ];
  const alone: Continuation[][][] = [];
  let aloneRuns = 0;
  for (const call of calls) {
    const p = await open();
    try {
      alone.push(await call(p));
      aloneRuns += p.runner.counters.decodeRuns;
    } finally {
      await p.dispose();
    }
  }
  assert.equal(hookSaw, 1, "the hook sees its own call's indices");
  const p = await open();
  try {
    const together = await Promise.all(calls.map((call) => call(p)));
    together.forEach((got, k) => sameContinuations(alone[k], got, 1e-5));
    // the first call runs alone; the three queued behind it share steps where stops agree
    assert.ok(
      p.runner.counters.decodeRuns < aloneRuns,
      `${p.runner.counters.decodeRuns} decode steps merged vs ${aloneRuns} alone`,
    );
  } finally {
    await p.dispose();
  }
});

Deno.test("top-k = 1 equals greedy; maxTokens ends with length", async () => {
  const s = { problem: PROBLEMS[1], text: "" };
  const [[g]] = await shared.extend([s], { ...greedy, maxTokens: 15 });
  const [[k]] = await shared.extend([s], {
    temperature: 1.3,
    topK: 1,
    stop: [],
    maxTokens: 15,
    seed: 3,
  });
  assert.deepEqual(k.tokens, g.tokens);
  if (!g.tokens.includes(EOS)) {
    assert.equal(g.finishReason, "length");
    assert.equal(g.tokens.length, 15);
  }
  assert.ok(Math.abs(g.cumulativeLogprob - g.logprobs.reduce((x, y) => x + y, 0)) < 1e-9);
  assert.ok(g.logprobs.every((x) => x <= 0));
});

/** A small tree search: two sampled children per node, three levels, release the losers. */
async function miniSearch(policy: OnnxPolicy) {
  const out: string[] = [];
  let frontier: SeqState[] = [policy.start(PROBLEMS[0]), policy.start(PROBLEMS[2])];
  for (let depth = 0; depth < 3; depth++) {
    const res = await policy.extend(frontier, {
      n: 2,
      temperature: 1,
      seed: depth,
      stop: [],
      maxTokens: 6,
    });
    const next = res.flatMap((row) => row.map((c) => c.state));
    out.push(
      ...res.flatMap((row) => row.map((c) => `${c.tokens.join(",")}|${c.logprobs[0].toFixed(4)}`)),
    );
    policy.release(frontier);
    frontier = next.filter((_, i) => i % 2 === 0);
    policy.release(next.filter((_, i) => i % 2 === 1));
  }
  const greedyEnds = await policy.extend(frontier, { ...greedy, maxTokens: 8 });
  out.push(...greedyEnds.map((r) => r[0].tokens.join(",")));
  return out;
}

Deno.test("eviction under a tiny memory budget gives identical results", async () => {
  const roomy = await open();
  const tiny = await open({ cacheBytes: 1 });
  try {
    const a = await miniSearch(roomy);
    const b = await miniSearch(tiny);
    assert.deepEqual(b, a);
    const st = tiny.cacheStats();
    assert.ok(st.evictions > 0, "evictions");
    assert.equal(st.bytes, 0, "nothing stays cached over budget after a call");
    assert.equal(roomy.cacheStats().evictions, 0, "a roomy cache never evicts");
    assert.ok(
      tiny.runner.counters.prefillTokens > roomy.runner.counters.prefillTokens,
      `re-encoding: ${tiny.runner.counters.prefillTokens} vs ${roomy.runner.counters.prefillTokens}`,
    );
  } finally {
    await roomy.dispose();
    await tiny.dispose();
  }
});

Deno.test("hidden states: last position, chosen text offsets and token positions agree", async () => {
  assert.equal(shared.capabilities.hidden, true);
  const root = shared.start(PROBLEMS[0]);
  const [[c]] = await shared.extend([root], { ...greedy, maxTokens: 10 });
  const [hRoot, hState, hPlain] = await shared.hidden([
    root,
    c.state,
    { problem: c.state.problem, text: c.state.text },
  ]);
  assert.equal(hState.length, shared.runner.shape.hiddenSize);
  assert.ok(maxDiff(hState, hPlain) < 1e-4);
  const t = shared.tokenize(PROBLEMS[0], c.state.text);
  const [[a0, a3, aEnd]] = await shared.hiddenAt([
    { problem: PROBLEMS[0], text: c.state.text, positions: [0, 3, c.state.text.length] },
  ]);
  const [[b0, b3]] = await shared.hiddenAtTokens([
    { ids: t.ids, positions: [t.promptLength - 1, t.promptLength + 2] },
  ]);
  assert.ok(maxDiff(a0, hRoot) < 1e-4);
  assert.ok(maxDiff(a0, b0) < 1e-4);
  assert.ok(maxDiff(a3, b3) < 1e-4);
  assert.ok(maxDiff(aEnd, hState) < 1e-4);
  assert.ok(maxDiff(a0, a3) > 1e-3, "different positions give different states");
  shared.release([root, c.state]);
});

Deno.test("logits hook edits sampling, sees hidden states, and logprobs stay raw", async () => {
  const s = shared.start(PROBLEMS[3]);
  const [raw] = await shared.nextTokenLogits([s]);
  const best = raw.indexOf(Math.max(...raw));
  const lse = Math.log(raw.reduce((acc, x) => acc + Math.exp(x), 0));
  let hiddenLen = 0;
  const [[banned]] = await shared.extend([s], {
    ...greedy,
    maxTokens: 3,
    logitsHook: (ctx) => {
      hiddenLen = ctx.hidden?.length ?? 0;
      if (ctx.generated.length === 0) ctx.logits[best] = -Infinity;
    },
  });
  assert.notEqual(banned.tokens[0], best);
  assert.ok(Math.abs(banned.logprobs[0] - (raw[banned.tokens[0]] - lse)) < 1e-4);
  assert.equal(hiddenLen, shared.runner.shape.hiddenSize);
  const [[ended]] = await shared.extend([s], {
    ...greedy,
    maxTokens: 10,
    logitsHook: (ctx) => {
      if (ctx.generated.length === 2) ctx.logits[EOS] = 1e9;
    },
  });
  assert.equal(ended.finishReason, "eos");
  assert.equal(ended.tokens.length, 3);
  assert.equal(ended.tokens[2], EOS);
  assert.equal(ended.text, shared.runner.codec.decode(ended.tokens.slice(0, 2)));
  assert.ok(!ended.text.includes("</s>"));
  shared.release([s, banned.state, ended.state]);
});

Deno.test("release frees the nodes of a finished search", async () => {
  const policy = await open();
  try {
    const root = policy.start(PROBLEMS[0]);
    const res = await policy.extend([root], {
      n: 4,
      temperature: 1,
      seed: 2,
      stop: [],
      maxTokens: 5,
    });
    const grown = policy.cacheStats();
    assert.ok(grown.nodes >= 2 && grown.bytes > 0);
    policy.release([root, ...res[0].map((c) => c.state)]);
    assert.equal(policy.cacheStats().nodes, 0);
    assert.equal(policy.cacheStats().bytes, 0);
  } finally {
    await policy.dispose();
  }
});

Deno.test("a missing model folder is a one-line error naming it", async () => {
  await assert.rejects(() => createOnnxPolicy("/nonexistent/embedded"), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /\/nonexistent\/embedded/);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
  await assert.rejects(() => shared.extend([shared.start("x")], { topP: 0 }), /topP/);
});

Deno.test("rows finishing at the end of the batch leave it without breaking the next step", async () => {
  // Samples of different lengths: when the last rows finish first, the past tensors must shrink.
  const s = { problem: PROBLEMS[1], text: "" };
  const opts = { temperature: 1.5, seed: 5, maxTokens: 120, stop: [] };
  const together = await shared.extend([s], { ...opts, n: 6 });
  const lengths = new Set(together[0].map((c) => c.tokens.length));
  assert.ok(lengths.size > 1, "samples should end at different steps");
  for (let j = 0; j < 6; j++) {
    // Sample j alone (same stream: state 0, sample j) must equal sample j of the batch.
    const alone = await shared.extend([s], { ...opts, n: j + 1 });
    assert.deepEqual(alone[0][j].tokens, together[0][j].tokens, `sample ${j}`);
  }
});

Deno.test("small decode steps on the one-thread session give the two-thread session's samples to the bit", async () => {
  // The embedded model's steps are small: `shared` (2 threads) decodes them on its one-thread
  // session; `singleThreadMacs: 0` keeps every step on the two-thread session.
  const states = PROBLEMS.map((problem) => ({ problem, text: "" }));
  const opts = { n: 4, temperature: 1, stop: [], maxTokens: 48, seed: 3 };
  const twoThreads = await open({ singleThreadMacs: 0 });
  try {
    const before = shared.runner.counters.singleThreadRuns;
    const a = await shared.extend(states, opts);
    assert.ok(shared.runner.counters.singleThreadRuns >= before + 48);
    sameContinuations(a, await twoThreads.extend(states, opts), 0);
    assert.equal(twoThreads.runner.counters.singleThreadRuns, 0);
  } finally {
    await twoThreads.dispose();
  }
});
