import assert from "node:assert/strict";
import { isHttpError } from "./errors.ts";
import { parseChatBody, parseCompletionBody, parsePoolingBody } from "./validate.ts";

function rejects400(f: () => unknown, param: string | null, message: RegExp) {
  assert.throws(f, (e: unknown) => {
    assert.ok(isHttpError(e), "an HttpError");
    assert.equal(e.status, 400);
    assert.equal(e.param, param);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("completion bodies: defaults and vLLM fields", () => {
  const b = parseCompletionBody({ prompt: "P" });
  assert.deepEqual(
    [b.prompts, b.n, b.maxTokens, b.temperature, b.topP, b.topK, b.minP, b.seed, b.stop],
    [["P"], 1, 16, 1, 1, 0, 0, undefined, []],
  );
  assert.equal(b.includeStop, false);
  const v = parseCompletionBody({
    prompt: [[1, 2], "x"],
    n: 4,
    max_tokens: 9,
    temperature: 0,
    top_k: -1,
    min_p: 0.1,
    seed: 3,
    stop: "\n\n",
    include_stop_str_in_output: true,
    logprobs: 2,
    return_tokens_as_token_ids: true,
  });
  assert.deepEqual(v.prompts, [[1, 2], "x"]);
  assert.deepEqual([v.n, v.maxTokens, v.topK, v.seed, v.stop, v.includeStop], [
    4,
    9,
    0,
    3,
    ["\n\n"],
    true,
  ]);
  assert.deepEqual([v.logprobs, v.topLogprobs, v.tokensAsIds], [true, 2, true]);
});

Deno.test("bad completion fields are 400s naming the field", () => {
  rejects400(() => parseCompletionBody([]), null, /JSON object/);
  rejects400(() => parseCompletionBody({}), "prompt", /"prompt" must be/);
  rejects400(
    () => parseCompletionBody({ prompt: "x", n: 0 }),
    "n",
    /"n" must be in \[1, 256\], got 0/,
  );
  rejects400(() => parseCompletionBody({ prompt: "x", n: 1.5 }), "n", /integer/);
  rejects400(
    () => parseCompletionBody({ prompt: "x", temperature: "hot" }),
    "temperature",
    /number/,
  );
  rejects400(() => parseCompletionBody({ prompt: "x", top_p: 0 }), "top_p", /\(0, 1\]/);
  rejects400(
    () => parseCompletionBody({ prompt: "x", stop: ["a", 3] }),
    "stop[1]",
    /non-empty string/,
  );
  rejects400(() => parseCompletionBody({ prompt: [[1, -2]] }), "prompt[0][1]", /token id/);
  assert.equal(parseCompletionBody({ prompt: "x", stream: true }).stream, true);
  rejects400(() => parseCompletionBody({ prompt: "x", stream: "yes" }), "stream", /boolean/);
  rejects400(() => parseCompletionBody({ prompt: "x", logprobs: 21 }), "logprobs", /\[0, 20\]/);
  rejects400(() => parseCompletionBody({ prompt: "x", max_tokens: 0 }), "max_tokens", /got 0/);
});

Deno.test("chat bodies: continue_final_message rules and message checks", () => {
  const msgs = [{ role: "user", content: "Q" }, { role: "assistant", content: "A" }];
  const b = parseChatBody({ messages: msgs, continue_final_message: true, logprobs: true });
  assert.deepEqual([b.addGenerationPrompt, b.continueFinalMessage, b.maxTokens], [
    false,
    true,
    null,
  ]);
  assert.equal(parseChatBody({ messages: msgs.slice(0, 1) }).addGenerationPrompt, true);
  const parts = parseChatBody({
    messages: [{
      role: "user",
      content: [{ type: "text", text: "a" }, { type: "text", text: "b" }],
    }],
  });
  assert.equal(parts.messages[0].content, "ab");
  rejects400(() => parseChatBody({ messages: [] }), "messages", /non-empty array/);
  rejects400(
    () => parseChatBody({ messages: [{ role: "tool", content: "x" }] }),
    "messages[0].role",
    /must be "system", "user" or "assistant"/,
  );
  rejects400(
    () => parseChatBody({ messages: msgs.slice(0, 1), continue_final_message: true }),
    "continue_final_message",
    /last message to be an assistant/,
  );
  rejects400(
    () =>
      parseChatBody({ messages: msgs, continue_final_message: true, add_generation_prompt: true }),
    "continue_final_message",
    /cannot both be true/,
  );
  rejects400(() => parseChatBody({ messages: msgs, top_logprobs: 2 }), "top_logprobs", /logprobs/);
});

Deno.test("pooling bodies: input or messages", () => {
  assert.deepEqual(parsePoolingBody({ input: "a<extra_0>" }).inputs, ["a<extra_0>"]);
  assert.equal(
    parsePoolingBody({ messages: [{ role: "user", content: "Q" }] }).messages!.length,
    1,
  );
  rejects400(() => parsePoolingBody({ input: [1] }), "input[0]", /must be a string/);
  rejects400(() => parsePoolingBody({}), "input", /messages/);
});
