import assert from "node:assert/strict";
import { createOnnxPolicy } from "../models/onnx/mod.ts";
import { createPoolingScorer } from "../models/openai/scorer.ts";
import { onnxStepTagPrm } from "../rewards/step_tag_prm.ts";
import { bestOfNSearch } from "../search/best_of_n.ts";
import { evalSplit } from "../tasks/mod.ts";
import { createRewardApp, isRewardModelFolder } from "./reward_app.ts";
import { startModelServer } from "./server.ts";

const PRM = "models/prm";

async function call(handler: (r: Request) => Promise<Response>, path: string, body?: unknown) {
  const res = await handler(
    new Request(`http://x${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return { status: res.status, json: await res.json() };
}

Deno.test("reward app: a PRM folder is served on /pooling only, with one row per step tag", async () => {
  assert.equal(await isRewardModelFolder(PRM), true);
  assert.equal(await isRewardModelFolder("models/embedded"), false);
  const app = await createRewardApp({ model: PRM, intraOpNumThreads: 1 });
  try {
    const models = await call(app.handler, "/v1/models");
    assert.equal(models.json.data[0].pooling, "step");
    const gen = await call(app.handler, "/v1/completions", { prompt: "x" });
    assert.equal(gen.status, 400);
    assert.match(gen.json.error.message, /process reward model/);
    const p = evalSplit()[0];
    const messages = [
      { role: "system", content: "S" },
      { role: "user", content: p.problem },
      { role: "assistant", content: `${p.solution.split("\n\n").join("<extra_0>")}<extra_0>` },
    ];
    const ok = await call(app.handler, "/pooling", { messages });
    assert.equal(ok.status, 200);
    const rows: number[][] = ok.json.data[0].data;
    assert.equal(rows.length, p.solution.split("\n\n").length);
    for (const [a, b] of rows) assert.ok(Math.abs(a + b - 1) < 1e-6 && b > 0 && b < 1);
    const none = await call(app.handler, "/pooling", { input: "no tags here" });
    assert.equal(none.status, 400);
    assert.match(none.json.error.message, /no <extra_0> step tag/);
  } finally {
    await app.close();
  }
});

Deno.test("best-of-N with models/prm: over HTTP (deno task serve) and in process, the same answers", async () => {
  const server = await startModelServer({ model: PRM, port: 0, intraOpNumThreads: 1 });
  const policy = await createOnnxPolicy("models/embedded", { intraOpNumThreads: 1 });
  try {
    const local = await onnxStepTagPrm(PRM, "qwen-prm", { intraOpNumThreads: 1 });
    const remote = await createPoolingScorer({ endpoints: [server.url] });
    const problems = evalSplit().slice(0, 20);
    const run = (scorer: typeof local) =>
      Promise.all(
        problems.map((p, i) =>
          bestOfNSearch(p, policy, scorer, { n: 4, temperature: 0.8, seed: i, maxTokens: 512 })
        ),
      );
    const [a, b] = [await run(local), await run(remote)];
    for (let i = 0; i < problems.length; i++) {
      assert.equal(a[i].answer, b[i].answer, `problem ${i}`);
      assert.deepEqual(
        a[i].candidates.map((c) => c.score),
        b[i].candidates.map((c) => c.score),
        `problem ${i}: scores`,
      );
    }
  } finally {
    await policy.dispose();
    await server.shutdown();
  }
});
