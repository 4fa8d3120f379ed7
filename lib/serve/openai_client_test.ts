/**
 * The official `openai` npm client against `deno task serve`'s app on loopback: models,
 * completions (n, logprobs, stop), chat, streaming of both, and errors, as a user of any
 * OpenAI-compatible server would call them.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startModelServer } from "./server.ts";

const MODEL = "models/embedded";

Deno.test({
  name: "openai client: models, completions (n, logprobs, stop), chat, streaming and errors",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startModelServer({ model: MODEL, port: 0, intraOpNumThreads: 1 });
    try {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
      const models = await client.models.list();
      assert.equal(models.data[0].id, MODEL);

      const prompt = "<s><|user|>Calculate 12 + 30 - 5.<|assistant|>";
      const done = await client.completions.create({
        model: MODEL,
        prompt,
        max_tokens: 64,
        temperature: 0,
        n: 2,
        stop: ["\n\n"],
        logprobs: 2,
      });
      assert.equal(done.choices.length, 2);
      assert.equal(done.choices[0].text, done.choices[1].text, "greedy: the same twice");
      assert.match(done.choices[0].text, /^Step 1: 12 \+ 30 = 42/);
      assert.equal(done.choices[0].finish_reason, "stop");
      assert.ok((done.choices[0].logprobs?.token_logprobs?.length ?? 0) > 5);

      // the same completion, streamed: the pieces join to the same text
      const stream = await client.completions.create({
        model: MODEL,
        prompt,
        max_tokens: 64,
        temperature: 0,
        stop: ["\n\n"],
        stream: true,
      });
      let streamed = "";
      let finish: string | null = null;
      let events = 0;
      for await (const chunk of stream) {
        events++;
        streamed += chunk.choices[0]?.text ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(streamed, done.choices[0].text);
      assert.equal(finish, "stop");
      assert.ok(events > 5, `${events} events: one per token`);

      const chat = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "Calculate 7 * 6." }],
        temperature: 0,
        max_tokens: 200,
      });
      const answer = chat.choices[0].message.content ?? "";
      assert.match(answer, /\\boxed\{42\}/);

      const chatStream = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "Calculate 7 * 6." }],
        temperature: 0,
        max_tokens: 200,
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = "";
      let role: string | undefined;
      let usage: number | undefined;
      for await (const chunk of chatStream) {
        role ??= chunk.choices[0]?.delta?.role;
        content += chunk.choices[0]?.delta?.content ?? "";
        usage ??= chunk.usage?.completion_tokens;
      }
      assert.equal(role, "assistant");
      assert.equal(content, answer);
      assert.ok((usage ?? 0) > 0, "usage in the last chunk");

      // errors come back as the client's APIError with the status and the server's message
      await assert.rejects(
        () => client.completions.create({ model: MODEL, prompt: "x", n: 0 }),
        (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && /"n"/.test(e.message),
      );
      await assert.rejects(
        () => client.completions.create({ model: "other", prompt: "x" }),
        (e: unknown) => e instanceof OpenAI.APIError && e.status === 404,
      );
    } finally {
      await server.shutdown();
    }
  },
});
