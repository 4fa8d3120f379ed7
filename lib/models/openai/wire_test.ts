import assert from "node:assert/strict";
import { chatBody, completionBody, interpretFinish, parseChoices } from "./wire.ts";
import { poolingScores } from "./scorer.ts";

const S = {
  n: 2,
  stop: ["\n\n"],
  includeStop: true,
  maxTokens: 64,
  temperature: 0.8,
  topP: 0.9,
  topK: 20,
  minP: 0.05,
  seed: 7,
};

Deno.test("completionBody / chatBody carry vLLM sampling fields", () => {
  const b = completionBody("m", "P", S, true);
  assert.deepEqual(
    [b.model, b.prompt, b.n, b.max_tokens, b.top_p, b.top_k, b.min_p, b.seed, b.logprobs],
    ["m", "P", 2, 64, 0.9, 20, 0.05, 7, 0],
  );
  assert.deepEqual(b.stop, ["\n\n"]);
  assert.equal(b.include_stop_str_in_output, true);
  assert.equal(b.return_tokens_as_token_ids, true);
  const off = completionBody(
    "m",
    "P",
    { ...S, topK: 0, minP: 0, seed: undefined, stop: [] },
    false,
  );
  for (const k of ["top_k", "min_p", "seed", "stop", "logprobs"]) assert.ok(!(k in off), k);
  const c = chatBody(
    "m",
    [{ role: "user", content: "Q" }, { role: "assistant", content: "A" }],
    true,
    S,
    true,
  );
  assert.equal(c.continue_final_message, true);
  assert.equal(c.add_generation_prompt, false);
  assert.equal(c.logprobs, true);
});

Deno.test("interpretFinish: stop_reason, EOS, length, re-appended and stripped stops", () => {
  assert.deepEqual(interpretFinish("a\n\n", "stop", "\n\n", ["\n\n"], true), {
    text: "a\n\n",
    finishReason: "stop",
    stopString: "\n\n",
  });
  // Server dropped the stop although it was asked to keep it: re-appended.
  assert.deepEqual(interpretFinish("a", "stop", "\n\n", ["\n\n"], true).text, "a\n\n");
  // Server kept it although it was asked to drop it: cut.
  assert.deepEqual(interpretFinish("a\n\n", "stop", "\n\n", ["\n\n"], false).text, "a");
  // vLLM: stop_reason null at EOS; an int is a stop token id.
  assert.deepEqual(interpretFinish("a", "stop", null, ["\n\n"], true), {
    text: "a",
    finishReason: "eos",
  });
  assert.equal(interpretFinish("a", "stop", 151643, ["\n\n"], true).finishReason, "eos");
  assert.deepEqual(interpretFinish("ab", "length", null, ["\n\n"], true), {
    text: "ab",
    finishReason: "length",
  });
  // A server without stop_reason that kept the stop: read from the text (longest match).
  assert.deepEqual(interpretFinish("x</step>", "stop", undefined, ["p>", "</step>"], true), {
    text: "x</step>",
    finishReason: "stop",
    stopString: "</step>",
  });
});

Deno.test("parseChoices: index order, token ids, logprobs, n check", () => {
  const data = {
    choices: [
      {
        index: 1,
        text: "b",
        finish_reason: "length",
        logprobs: { tokens: ["token_id:5"], token_logprobs: [-0.5] },
      },
      {
        index: 0,
        text: "a",
        finish_reason: "stop",
        stop_reason: "\n\n",
        logprobs: { tokens: ["token_id:3", "token_id:4"], token_logprobs: [-1, -2] },
      },
    ],
  };
  const [a, b] = parseChoices(data, "completions", 2, ["\n\n"], true);
  assert.deepEqual([a.text, a.tokens, a.logprobs, a.cumulativeLogprob], [
    "a\n\n",
    [3, 4],
    [-1, -2],
    -3,
  ]);
  assert.deepEqual([b.text, b.finishReason, b.tokens], ["b", "length", [5]]);
  assert.throws(() => parseChoices(data, "completions", 3, [], true), /n=3.*returned 2/);
  const chat = {
    choices: [{
      index: 0,
      message: { content: "x" },
      finish_reason: "stop",
      stop_reason: null,
      logprobs: { content: [{ token: "x", logprob: -0.25 }] },
    }],
  };
  const [c] = parseChoices(chat, "chat", 1, ["\n\n"], true);
  // Tokens spelled as text (no token_id:N): ids unknown, logprobs kept.
  assert.deepEqual([c.finishReason, c.tokens, c.logprobs], ["eos", [], [-0.25]]);
});

Deno.test("poolingScores reads step rows, flat pairs and per-token rows", () => {
  assert.deepEqual(poolingScores([[0.2, 0.8], [0.6, 0.4]], 2, 1), [0.8, 0.4]);
  assert.deepEqual(poolingScores([0.2, 0.8, 0.6, 0.4], 2, 1), [0.8, 0.4]);
  const perToken = [[1, 0], [0.3, 0.7], [1, 0], [0.9, 0.1]];
  assert.equal(poolingScores(perToken, 2, 1), null, "per-token rows need tag positions");
  assert.deepEqual(poolingScores(perToken, 2, 1, [1, 3]), [0.7, 0.1]);
  assert.throws(() => poolingScores([[1, 0]], 2, 1), /1 rows for 2 step tags/);
});
