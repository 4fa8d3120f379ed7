import assert from "node:assert/strict";
import { fork } from "../../core/random.ts";
import { createOpenAIPolicy } from "./policy.ts";
import { createClassifyScorer, createPoolingScorer } from "./scorer.ts";

type Body = Record<string, unknown>;

/** A fake OpenAI server: records bodies and answers through `reply`; tracks requests in flight. */
function fakeServer(reply: (path: string, body: Body) => unknown, delayMs = 0) {
  const bodies: { path: string; body: Body }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/v1/models") return Response.json({ data: [{ id: "fake-model" }] });
    const body = await req.json();
    bodies.push({ path, body });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return Response.json(reply(path, body));
    } finally {
      inFlight--;
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    bodies,
    maxInFlight: () => maxInFlight,
    close: () => server.shutdown(),
  };
}

/** Completions answers whose text names the prompt's last character, stop dropped by the server. */
const echo = (_path: string, body: Body) => ({
  choices: Array.from({ length: body.n as number }, (_, j) => ({
    index: j,
    text: `<${String(body.prompt).slice(-1)}${j}>`,
    finish_reason: "stop",
    stop_reason: "\n\n",
    logprobs: { tokens: ["token_id:9", "token_id:8"], token_logprobs: [-0.5, -0.25] },
  })),
});

Deno.test("completions: vLLM fields, per-state seeds, prompt-sorted dispatch, caller order", async () => {
  const f = fakeServer(echo);
  try {
    const policy = await createOpenAIPolicy({
      endpoints: [f.url],
      promptFor: (p) => `P:${p}|`,
      concurrency: 1,
    });
    assert.equal(policy.name, "fake-model");
    assert.equal(policy.api, "completions");
    const states = ["c", "a", "b"].map((p) => policy.start(p));
    const out = await policy.extend(states, {
      n: 2,
      temperature: 0.7,
      topK: 5,
      minP: 0.1,
      maxTokens: 33,
      seed: 11,
    });
    // One request per state, sent in prompt order (a, b, c) with concurrency 1.
    assert.deepEqual(f.bodies.map((b) => b.body.prompt), ["P:a|", "P:b|", "P:c|"]);
    const byPrompt = new Map(f.bodies.map((b) => [b.body.prompt, b.body]));
    states.forEach((s, i) => {
      const b = byPrompt.get(`P:${s.problem}|`)!;
      assert.equal(b.seed, fork(11, i), "state i is seeded with fork(seed, i)");
      assert.deepEqual([b.model, b.n, b.max_tokens, b.temperature, b.top_k, b.min_p], [
        "fake-model",
        2,
        33,
        0.7,
        5,
        0.1,
      ]);
      assert.deepEqual(b.stop, ["\n\n"]);
      assert.equal(b.include_stop_str_in_output, true);
    });
    // Results in the caller's order; the dropped stop is re-appended; tokens and logprobs parsed.
    assert.deepEqual(out.map((r) => r.map((c) => c.text)), [
      ["<|0>\n\n", "<|1>\n\n"],
      ["<|0>\n\n", "<|1>\n\n"],
      ["<|0>\n\n", "<|1>\n\n"],
    ]);
    const c = out[1][1];
    assert.deepEqual([c.finishReason, c.stopString, c.tokens, c.cumulativeLogprob], [
      "stop",
      "\n\n",
      [9, 8],
      -0.75,
    ]);
    assert.deepEqual(c.state, { problem: "a", text: "<|1>\n\n", steps: ["<|1>\n\n"] });
    // Continuing: the prompt is promptFor(problem) + text.
    await policy.extend([c.state], { temperature: 0, includeStop: false });
    const last = f.bodies.at(-1)!.body;
    assert.equal(last.prompt, "P:a|<|1>\n\n");
    assert.equal(last.include_stop_str_in_output, false);
    await assert.rejects(
      policy.extend(states, { logitsHook: () => {} }),
      /logitsHook needs raw logits/,
    );
  } finally {
    await f.close();
  }
});

Deno.test("chat: continue_final_message for partial solutions, system prompt", async () => {
  const f = fakeServer((_p, body) => ({
    choices: [{
      index: 0,
      message: { role: "assistant", content: "x = 1" },
      finish_reason: "stop",
      stop_reason: null,
    }],
    _echo: body,
  }));
  try {
    const policy = await createOpenAIPolicy({ endpoints: [f.url], systemPrompt: "SYS" });
    assert.equal(policy.api, "chat");
    const [[first]] = await policy.extend([policy.start("Q")], { temperature: 0 });
    assert.equal(first.finishReason, "eos");
    const b0 = f.bodies[0];
    assert.equal(b0.path, "/v1/chat/completions");
    assert.deepEqual(b0.body.messages, [{ role: "system", content: "SYS" }, {
      role: "user",
      content: "Q",
    }]);
    assert.deepEqual([b0.body.add_generation_prompt, b0.body.continue_final_message], [
      true,
      false,
    ]);
    await policy.extend([{ problem: "Q", text: "Step 1: " }], { temperature: 0 });
    const b1 = f.bodies[1].body;
    assert.deepEqual((b1.messages as Body[]).at(-1), { role: "assistant", content: "Step 1: " });
    assert.deepEqual([b1.add_generation_prompt, b1.continue_final_message], [false, true]);
  } finally {
    await f.close();
  }
});

Deno.test("many endpoints: load spreads evenly and the per-endpoint limit holds", async () => {
  const servers = [0, 1, 2].map(() => fakeServer(echo, 25));
  try {
    const policy = await createOpenAIPolicy({
      endpoints: servers.map((s) => s.url),
      promptFor: (p) => p,
      concurrency: 2,
    });
    const states = Array.from({ length: 24 }, (_, i) => policy.start(`q${i}`));
    const out = await policy.extend(states, { temperature: 0 });
    assert.equal(out.length, 24);
    assert.deepEqual(servers.map((s) => s.bodies.length), [8, 8, 8]);
    for (const s of servers) assert.ok(s.maxInFlight() <= 2, `in flight ${s.maxInFlight()}`);
    assert.ok(servers.every((s) => s.maxInFlight() === 2), "each endpoint was used concurrently");
    assert.deepEqual(policy.pool.endpoints.map((e) => e.outstanding), [0, 0, 0]);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

Deno.test("an unreachable endpoint fails creation with one line naming it", async () => {
  const f = fakeServer(echo);
  await f.close();
  await assert.rejects(
    createOpenAIPolicy({ endpoints: [f.url], attempts: 2, backoffMs: 5 }),
    (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `GET ${f.url.replace("/v1", "")}/v1/models failed after 2 attempts: Connection refused`,
        ),
      );
      return true;
    },
  );
});

Deno.test("pooling scorer: Qwen PRM messages, step rows and per-token rows via /tokenize", async () => {
  const f = fakeServer((path, body) => {
    if (path === "/tokenize") return { tokens: [1, 151651, 2, 151651] };
    const content = (body.messages as Body[])[2].content as string;
    const tags = content.split("<extra_0>").length - 1;
    const perToken = (body.messages as Body[])[1].content === "tok";
    const rows = perToken
      ? [[1, 0], [0.3, 0.7], [1, 0], [0.9, 0.1]]
      : Array.from({ length: tags }, (_, k) => [1 - (k + 1) / 10, (k + 1) / 10]);
    return { data: [{ index: 0, data: rows }] };
  });
  try {
    const prm = await createPoolingScorer({ endpoints: [f.url] });
    const scores = await prm.score([{ problem: "Q", steps: ["a\n\n", "b\n\n", "c"] }]);
    assert.deepEqual(scores, [[0.1, 0.2, 0.3]]);
    const msgs = f.bodies[0].body.messages as Body[];
    assert.deepEqual(msgs.map((m) => m.role), ["system", "user", "assistant"]);
    assert.equal(msgs[2].content, "a<extra_0>b<extra_0>c<extra_0>");
    assert.deepEqual(await prm.score([{ problem: "Q", steps: ["a", "b"] }], { lastOnly: true }), [[
      0.2,
    ]]);
    assert.deepEqual(await prm.score([{ problem: "tok", steps: ["a", "b"] }]), [[0.7, 0.1]]);
    assert.equal(f.bodies.filter((b) => b.path === "/tokenize").length, 1);
  } finally {
    await f.close();
  }
});

Deno.test("classify scorer: one input per step prefix, positive class probability", async () => {
  const f = fakeServer((_p, body) => ({
    data: (body.input as string[]).map((s, index) => ({
      index,
      probs: [1 - s.length / 100, s.length / 100],
    })),
  }));
  try {
    const rm = await createClassifyScorer({
      endpoints: [f.url],
      inputFor: (p, s) => p + s.join(""),
    });
    assert.deepEqual(await rm.score([{ problem: "QQ", steps: ["aaaa", "bb"] }]), [[0.06, 0.08]]);
    assert.deepEqual(f.bodies[0].body.input, ["QQaaaa", "QQaaaabb"]);
    assert.deepEqual(await rm.score([{ problem: "Q", steps: ["a"] }], { lastOnly: true }), [[
      0.02,
    ]]);
  } finally {
    await f.close();
  }
});
