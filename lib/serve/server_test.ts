import assert from "node:assert/strict";
import { join } from "node:path";
import { rng } from "../core/random.ts";
import { createOnnxPolicy, type OnnxPolicy } from "../models/onnx/mod.ts";
import { prmMessages } from "../models/openai/scorer.ts";
import { headScorer } from "../rewards/head_scorer.ts";
import { evalSplit } from "../tasks/mod.ts";
import type { Head } from "../rewards/head.ts";
import { saveHead } from "../rewards/head_file.ts";
import { createModelApp, type ModelApp } from "./server.ts";

const MODEL = "models/embedded";
let app: ModelApp | null = null;
let local: OnnxPolicy | null = null;
const getApp = async () => (app ??= await createModelApp({ model: MODEL, intraOpNumThreads: 1 }));
const getLocal = async () => (local ??= await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 }));

async function call(a: ModelApp, path: string, body?: unknown, method = "POST") {
  const res = await a.handler(
    new Request(`http://x${path}`, {
      method: body === undefined ? "GET" : method,
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );
  return { status: res.status, json: await res.json() };
}

const problems = evalSplit().slice(0, 3).map((p) => p.problem);

Deno.test("server routes: health, models, and OpenAI-shaped 400/404/405 errors", async () => {
  const a = await getApp();
  assert.deepEqual(await call(a, "/health"), { status: 200, json: { status: "ok" } });
  const models = await call(a, "/v1/models");
  assert.equal(models.json.data[0].id, MODEL);
  assert.equal(models.json.data[0].max_model_len, 1024);
  const cases: [string, unknown, number, string | null, RegExp][] = [
    ["/v1/nope", {}, 404, null, /no route POST \/v1\/nope/],
    ["/v1/completions", "{not json", 400, null, /not valid JSON/],
    ["/v1/completions", { prompt: "x", n: -1 }, 400, "n", /"n" must be in/],
    ["/v1/completions", { prompt: "x", top_p: 3 }, 400, "top_p", /"top_p"/],
    ["/v1/completions", { prompt: [[99999]] }, 400, "prompt", /vocabulary size 85/],
    ["/v1/completions", { prompt: "x", model: "gpt-9" }, 404, "model", /"gpt-9" does not exist/],
    ["/v1/chat/completions", { messages: "hi" }, 400, "messages", /non-empty array/],
    ["/pooling", { input: "a<extra_0>" }, 400, null, /--head FILE/],
  ];
  for (const [path, body, status, param, message] of cases) {
    const r = await call(a, path, body);
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}`);
    assert.equal(r.json.error.code, status);
    assert.equal(r.json.error.param, param);
    assert.match(r.json.error.message, message);
  }
  const wrong = await a.handler(new Request("http://x/v1/completions"));
  assert.equal(wrong.status, 405);
  await wrong.body?.cancel();
});

Deno.test("server = in-process policy for greedy and seeded sampling (tokens, stops, logprobs)", async () => {
  const a = await getApp();
  const policy = await getLocal();
  for (const [temperature, seed] of [[0, 0], [0.9, 5]]) {
    const want = await policy.extend(problems.slice(0, 2).map((p) => policy.start(p)), {
      n: 3,
      temperature,
      seed,
      maxTokens: 48,
      topK: temperature ? 40 : 0,
    });
    const r = await call(a, "/v1/completions", {
      prompt: problems.slice(0, 2).map((p) => policy.runner.codec.promptText(p)),
      n: 3,
      temperature,
      seed,
      max_tokens: 48,
      top_k: temperature ? 40 : -1,
      stop: ["\n\n"],
      include_stop_str_in_output: true,
      logprobs: 0,
      return_tokens_as_token_ids: true,
    });
    assert.equal(r.status, 200);
    want.flat().forEach((w, k) => {
      const c = r.json.choices[k];
      assert.equal(c.index, k);
      assert.equal(c.text, w.text, `choice ${k} at T=${temperature}`);
      assert.equal(c.finish_reason, w.finishReason === "length" ? "length" : "stop");
      assert.equal(c.stop_reason, w.stopString ?? null);
      assert.deepEqual(c.logprobs.tokens, w.tokens.map((t) => `token_id:${t}`));
      c.logprobs.token_logprobs.forEach((lp: number, i: number) =>
        assert.ok(Math.abs(lp - w.logprobs[i]) < 1e-4)
      );
    });
    if (temperature > 0) {
      const texts = new Set(r.json.choices.map((c: { text: string }) => c.text));
      assert.ok(texts.size > 1, "seeded samples differ from one another");
    }
  }
  // Chat with continue_final_message continues a partial solution exactly as extend() does.
  const [[step]] = await policy.extend([policy.start(problems[2])], { temperature: 0 });
  const [[next]] = await policy.extend([step.state], { temperature: 0, maxTokens: 64 });
  const chat = await call(a, "/v1/chat/completions", {
    messages: [{ role: "user", content: problems[2] }, {
      role: "assistant",
      content: step.state.text,
    }],
    continue_final_message: true,
    temperature: 0,
    max_tokens: 64,
    stop: ["\n\n"],
    include_stop_str_in_output: true,
  });
  assert.equal(chat.json.choices[0].message.content, next.text);
});

Deno.test("concurrent requests merge into few engine calls and draw what each would alone", async () => {
  const a = await getApp();
  const bodies = Array.from({ length: 8 }, (_, i) => ({
    prompt: a.runner.codec.promptText(problems[i % 3]),
    n: 1 + (i % 2),
    temperature: i % 3 === 0 ? 0 : 0.7 + i / 20,
    seed: 100 + i,
    top_p: i % 4 === 1 ? 0.9 : 1,
    max_tokens: 40,
    stop: ["\n\n"],
    include_stop_str_in_output: true,
    logprobs: 1,
  }));
  const before = a.batcher.stats();
  const together = await Promise.all(bodies.map((b) => call(a, "/v1/completions", b)));
  const mid = a.batcher.stats();
  assert.equal(mid.jobs - before.jobs, 8);
  assert.ok(
    mid.calls - before.calls <= 2,
    `8 requests took ${mid.calls - before.calls} engine calls`,
  );
  for (const [i, b] of bodies.entries()) {
    const alone = await call(a, "/v1/completions", b);
    assert.deepEqual(
      together[i].json.choices.map((c: { text: string }) => c.text),
      alone.json.choices.map((c: { text: string }) => c.text),
      `request ${i}`,
    );
    // top_logprobs: the best alternative first, the sampled token's logprob among the listed ones
    // whenever it is the argmax.
    const c = together[i].json.choices[0];
    assert.equal(c.logprobs.top_logprobs.length, c.logprobs.tokens.length);
  }
});

Deno.test("two replicas split concurrent requests and give the same samples as one", async () => {
  const a = await getApp();
  const two = await createModelApp({ model: MODEL, intraOpNumThreads: 1, replicas: 2 });
  try {
    const bodies = evalSplit().slice(0, 8).map((p, i) => ({
      prompt: a.runner.codec.promptText(p.problem),
      n: 2,
      temperature: i % 2 ? 0.8 : 0,
      seed: 10 + i,
      max_tokens: 32,
    }));
    const [one, split] = await Promise.all(
      [a, two].map((app) => Promise.all(bodies.map((b) => call(app, "/v1/completions", b)))),
    );
    bodies.forEach((_, i) =>
      assert.deepEqual(
        split[i].json.choices.map((c: { text: string }) => c.text),
        one[i].json.choices.map((c: { text: string }) => c.text),
        `request ${i}`,
      )
    );
    const stats = (await call(two, "/stats")).json;
    assert.equal(stats.replicas, 2);
    assert.equal(stats.jobsPerReplica.length, 2);
    assert.ok(stats.jobsPerReplica.every((n: number) => n > 0), JSON.stringify(stats));
    assert.equal(stats.batcher.jobs, 8);
    assert.equal(stats.batcher.rows, 16);
    assert.ok(stats.engine.decodeTokens >= 8);
  } finally {
    await two.close();
  }
});

Deno.test("/pooling with --head scores steps as the in-process head scorer does", async () => {
  const policy = await getLocal();
  const dim = policy.runner.shape.hiddenSize;
  const r = rng(7);
  const head: Head = {
    kind: "value",
    dim,
    hidden: 0,
    mean: new Float32Array(dim),
    std: new Float32Array(dim).fill(1),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2: Float32Array.from({ length: dim }, () => r.normal() * 0.1),
    b2: 0.05,
    vocab: 0,
    wa: new Float32Array(0),
    ba: new Float32Array(0),
    card: {
      kind: "value",
      seed: 7,
      data: { note: "random test head" },
      metrics: {},
      featureModel: {
        name: MODEL,
        dim,
        output: "last_hidden_state",
        position: "last token of each step",
      },
      training: {},
    },
  };
  const dir = await Deno.makeTempDir();
  const path = join(dir, "value.json");
  await saveHead(path, head);
  const withHead = await createModelApp({ model: MODEL, head: path, intraOpNumThreads: 1 });
  try {
    const steps = ["Step 1: 3 + 4 = 7\n\n", "Step 2: 7 * 2 = 14\n\n", "The answer is \\boxed{14}."];
    const [want] = await headScorer(policy, head).score([{ problem: problems[0], steps }]);
    const res = await call(withHead, "/pooling", {
      messages: prmMessages(problems[0], steps, "SYS", true),
    });
    assert.equal(res.status, 200);
    const got = res.json.data[0].data.map((row: number[]) => row[1]);
    assert.equal(got.length, 3);
    got.forEach((p: number, k: number) => assert.ok(Math.abs(p - want[k]) < 1e-5, `step ${k}`));
    res.json.data[0].data.forEach((row: number[]) =>
      assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-9)
    );
    const models = await call(withHead, "/v1/models");
    assert.equal(models.json.data[0].pooling, "value");
  } finally {
    await withHead.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "server teardown",
  fn: async () => {
    await app?.close();
    await local?.dispose();
  },
});
