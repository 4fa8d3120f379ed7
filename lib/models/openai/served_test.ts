/**
 * End-to-end: the client against real `experiments/serve.ts` processes on loopback, serving the
 * embedded model.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Policy } from "../../core/types.ts";
import { openRecords } from "../../runs/records.ts";
import { type SpawnedServer, spawnServer } from "../../serve/spawn.ts";
import { evalSplit, extractBoxed } from "../../tasks/mod.ts";
import { createOnnxPolicy } from "../onnx/mod.ts";
import { createOpenAIPolicy } from "./policy.ts";
import { promptFromFolder } from "./prompt.ts";

const MODEL = "models/embedded";
const ARGS = ["--threads", "1"];
const PROBLEMS = evalSplit().slice(0, 6);

/** Greedy step-by-step solutions (batched over unfinished problems), at most `steps` steps. */
async function solveGreedy(policy: Policy, problems: string[], steps = 10): Promise<string[]> {
  const states = problems.map((p) => policy.start(p));
  const open = new Set(problems.map((_, i) => i));
  for (let k = 0; k < steps && open.size > 0; k++) {
    const idx = [...open];
    const out = await policy.extend(idx.map((i) => states[i]), { temperature: 0, maxTokens: 48 });
    out.forEach(([c], j) => {
      states[idx[j]] = c.state;
      if (c.finishReason !== "stop") open.delete(idx[j]);
    });
  }
  return states.map((s) => s.text);
}

let reference: string[] | null = null;
async function inProcess(): Promise<string[]> {
  if (reference) return reference;
  const local = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 });
  try {
    reference = await solveGreedy(local, PROBLEMS.map((p) => p.problem));
  } finally {
    await local.dispose();
  }
  return reference;
}

Deno.test("served model: greedy = in-process, 400s, many endpoints, graceful SIGTERM", async (t) => {
  const [a, b] = await Promise.all([spawnServer({ args: ARGS }), spawnServer({ args: ARGS })]);
  let aStopped = false;
  try {
    const want = await inProcess();
    await t.step(
      "greedy through HTTP (chat and completions) gives the in-process text",
      async () => {
        const chat = await createOpenAIPolicy({ endpoints: [a.url] });
        const completions = await createOpenAIPolicy({
          endpoints: [a.url],
          promptFor: await promptFromFolder(MODEL),
        });
        const problems = PROBLEMS.slice(0, 4).map((p) => p.problem);
        for (const policy of [chat, completions]) {
          const got = await solveGreedy(policy, problems);
          assert.deepEqual(got, want.slice(0, 4), policy.api);
          assert.deepEqual(got.map(extractBoxed), want.slice(0, 4).map(extractBoxed));
        }
      },
    );

    await t.step("malformed requests get 400 with a message naming the field", async () => {
      const post = (path: string, body: string) =>
        fetch(`${a.url}${path}`, { method: "POST", body }).then(async (r) => ({
          status: r.status,
          json: await r.json(),
        }));
      const bad = await post("/v1/completions", "{oops");
      assert.deepEqual([bad.status, bad.json.error.message], [
        400,
        "request body is not valid JSON",
      ]);
      const n = await post("/v1/completions", JSON.stringify({ prompt: "x", n: "two" }));
      assert.deepEqual([n.status, n.json.error.param], [400, "n"]);
      assert.match(n.json.error.message, /"n" must be a number/);
      const chat = await post(
        "/v1/chat/completions",
        JSON.stringify({ messages: [{ role: "user" }] }),
      );
      assert.deepEqual([chat.status, chat.json.error.param], [400, "messages[0].content"]);
      const route = await post("/v2/generate", "{}");
      assert.equal(route.status, 404);
    });

    await t.step("two endpoints share the load and give the same answers", async () => {
      const policy = await createOpenAIPolicy({ endpoints: [a.url, b.url], concurrency: 2 });
      const got = await solveGreedy(policy, PROBLEMS.map((p) => p.problem));
      assert.deepEqual(got, want);
      const sent = policy.pool.endpoints.map((e) => e.sent);
      assert.ok(sent.every((s) => s > 0), `requests per endpoint: ${sent}`);
      assert.ok(Math.abs(sent[0] - sent[1]) <= Math.max(2, 0.25 * (sent[0] + sent[1])), `${sent}`);
    });

    await t.step("SIGTERM finishes the in-flight request, then exits 0", async () => {
      const slow = fetch(`${a.url}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({
          prompt: "<s><|user|>What is 2+3?<|assistant|>",
          n: 8,
          max_tokens: 150,
          ignore_eos: true,
          temperature: 0.8,
          seed: 1,
        }),
      }).then((r) => r.json());
      await new Promise((r) => setTimeout(r, 150));
      const status = await a.stop("SIGTERM");
      aStopped = true;
      const done = await slow;
      assert.equal(done.choices.length, 8);
      assert.ok(done.choices.every((c: { finish_reason: string }) => c.finish_reason === "length"));
      assert.equal(done.usage.completion_tokens, 8 * 150);
      assert.equal(status.code, 0, a.stderr());
    });
  } finally {
    if (!aStopped) await a.stop("SIGKILL");
    await b.stop("SIGTERM");
  }
});

Deno.test("a run survives the server being killed and restarted mid-run", async () => {
  const dir = await Deno.makeTempDir();
  let server: SpawnedServer = await spawnServer({ args: ARGS });
  const port = server.port;
  try {
    const want = await inProcess();
    const policy = await createOpenAIPolicy({
      endpoints: [server.url],
      attempts: 60,
      backoffMs: 50,
      maxBackoffMs: 400,
      timeoutMs: 20_000,
    });
    type Rec = { id: string; text: string; answer: string | null };
    const path = join(dir, "records.jsonl");
    const out = await openRecords<Rec>(path, (r) => r.id);
    let restart: Promise<void> | null = null;
    for (const [i, p] of PROBLEMS.entries()) {
      if (out.done.has(p.id)) continue;
      if (i === 2) {
        // Kill it hard while problem 2 is being solved; bring it back on the same port.
        restart = (async () => {
          await new Promise((r) => setTimeout(r, 40));
          const status = await server.stop("SIGKILL");
          assert.equal(status.success, false);
          await new Promise((r) => setTimeout(r, 300));
          server = await spawnServer({ args: ARGS, port });
        })();
      }
      const [text] = await solveGreedy(policy, [p.problem]);
      await out.append({ id: p.id, text, answer: extractBoxed(text) });
    }
    await restart;
    assert.equal(server.port, port);
    assert.ok(policy.pool.endpoints[0].failures > 0, "the client did retry");
    const again = await openRecords<Rec>(path, (r) => r.id);
    assert.equal(again.records.length, PROBLEMS.length, "no record lost or duplicated");
    assert.deepEqual(again.records.map((r) => r.id), PROBLEMS.map((p) => p.id));
    assert.deepEqual(again.records.map((r) => r.text), want);
  } finally {
    await server.stop("SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("served model: text log-probabilities over HTTP (prompt_logprobs) equal in-process ones", async () => {
  const server = await spawnServer({ args: ARGS });
  const local = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 });
  try {
    const p = PROBLEMS[0];
    const requests = [
      { problem: p.problem, text: p.solution },
      { problem: p.problem, text: p.solution, from: p.solution.indexOf("\n\n") + 2 },
      { problem: PROBLEMS[1].problem, text: "Step 1: 12 * 4 = 50\n\n" },
    ];
    const want = await local.logprobs(requests);
    for (const api of ["chat", "completions"] as const) {
      const remote = await createOpenAIPolicy({
        endpoints: [server.url],
        api,
        ...(api === "completions" ? { promptFor: await promptFromFolder(MODEL) } : {}),
      });
      const got = await remote.logprobs(requests);
      got.forEach((g, i) => {
        assert.deepEqual(g.ends, want[i].ends, `${api} ${i}: token ends`);
        assert.deepEqual(g.greedy, want[i].greedy, `${api} ${i}: greedy flags`);
        g.logprobs.forEach((x, k) =>
          assert.ok(Math.abs(x - want[i].logprobs[k]) < 1e-4, `${api} ${i}: token ${k}`)
        );
      });
      assert.ok(got[2].greedy.includes(false), "a wrong result is not the greedy choice");
    }
  } finally {
    await local.dispose();
    await server.stop();
  }
});
