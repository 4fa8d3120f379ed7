/**
 * The wire format of the OpenAI-compatible client: request bodies for `/v1/completions` and
 * `/v1/chat/completions` (with vLLM's extra sampling fields) and the parsing of their choices
 * into continuations: which stop fired (vLLM `stop_reason`), the stop string kept or dropped as
 * asked even when a server ignores `include_stop_str_in_output`, token ids
 * (`return_tokens_as_token_ids`) and log-probabilities.
 *
 * @module
 */
import type { ResolvedExtendOptions } from "../../core/extend.ts";
import type { FinishReason, Generation } from "../../core/types.ts";

/** Resolved sampling settings of one request: the resolved extend options a server can be sent. */
export type WireSampling = Omit<ResolvedExtendOptions, "logitsHook">;

/** One chat message. */
export interface WireMessage {
  /** Role. */
  role: "system" | "user" | "assistant";
  /** Text. */
  content: string;
}

/**
 * A choice, decoded: the shared {@linkcode Generation} record (stop kept or dropped as asked;
 * `tokens` and `logprobs` empty when the server gave none).
 */
export type ParsedChoice = Generation;

function common(s: WireSampling, logprobs: boolean): Record<string, unknown> {
  return {
    n: s.n,
    max_tokens: s.maxTokens,
    temperature: s.temperature,
    top_p: s.topP,
    ...(s.topK > 0 ? { top_k: s.topK } : {}),
    ...(s.minP > 0 ? { min_p: s.minP } : {}),
    ...(s.seed === undefined ? {} : { seed: s.seed }),
    ...(s.stop.length > 0 ? { stop: s.stop } : {}),
    include_stop_str_in_output: s.includeStop,
    skip_special_tokens: true,
    ...(logprobs ? { return_tokens_as_token_ids: true } : {}),
  };
}

/**
 * The `/v1/completions` body for one prompt.
 *
 * @example
 * ```ts
 * completionBody("m", "<s>Q", { n: 2, stop: ["\n\n"], includeStop: true, maxTokens: 64,
 *   temperature: 0.8, topP: 1, topK: 0, minP: 0, seed: 1 }, true);
 * ```
 */
export function completionBody(
  model: string,
  prompt: string,
  s: WireSampling,
  logprobs: boolean,
): Record<string, unknown> {
  return { model, prompt, ...common(s, logprobs), ...(logprobs ? { logprobs: 0 } : {}) };
}

/**
 * The `/v1/chat/completions` body: a fresh assistant turn when `continueFinal` is false, else the
 * final assistant message continued (vLLM `continue_final_message`).
 *
 * @example
 * ```ts
 * chatBody("m", [{ role: "user", content: "Q" }, { role: "assistant", content: "Step 1:" }], true,
 *   { n: 1, stop: [], includeStop: true, maxTokens: 8, temperature: 0, topP: 1, topK: 0, minP: 0 }, false);
 * ```
 */
export function chatBody(
  model: string,
  messages: readonly WireMessage[],
  continueFinal: boolean,
  s: WireSampling,
  logprobs: boolean,
): Record<string, unknown> {
  return {
    model,
    messages,
    ...common(s, logprobs),
    add_generation_prompt: !continueFinal,
    continue_final_message: continueFinal,
    ...(logprobs ? { logprobs: true, top_logprobs: 0 } : {}),
  };
}

/**
 * Decide why a choice ended and fix its text: vLLM's `stop_reason` names the stop string (or stop
 * token id) that fired and is null at EOS; servers without it are read from the text (a kept stop
 * string ends it). The stop string is re-appended when the server dropped it and `includeStop`
 * asks for it, and cut when the server kept it and `includeStop` is false.
 *
 * @example
 * ```ts
 * interpretFinish("x = 1", "stop", "\n\n", ["\n\n"], true);
 * // { text: "x = 1\n\n", finishReason: "stop", stopString: "\n\n" }
 * ```
 */
export function interpretFinish(
  text: string,
  finish: unknown,
  stopReason: unknown,
  stops: readonly string[],
  includeStop: boolean,
): { text: string; finishReason: FinishReason; stopString?: string } {
  if (finish !== "stop") return { text, finishReason: "length" };
  let fired: string | undefined;
  if (typeof stopReason === "string" && stops.includes(stopReason)) fired = stopReason;
  else if (stopReason === null || stopReason === undefined) {
    // No stop_reason: a stop string that ends the text is the one that fired (kept by the
    // server); otherwise EOS (vLLM's reading of null).
    fired = stops.filter((s) => text.endsWith(s)).sort((a, b) => b.length - a.length)[0];
  }
  if (fired === undefined) return { text, finishReason: "eos" };
  const kept = text.endsWith(fired);
  const out = includeStop
    ? (kept ? text : text + fired)
    : (kept ? text.slice(0, -fired.length) : text);
  return { text: out, finishReason: "stop", stopString: fired };
}

function tokenId(t: unknown): number | null {
  if (typeof t !== "string") return null;
  const m = /^token_id:(\d+)$/.exec(t);
  return m ? Number(m[1]) : null;
}

function readLogprobs(api: "completions" | "chat", lp: unknown) {
  const tokens: number[] = [];
  const logprobs: number[] = [];
  if (!lp || typeof lp !== "object") return { tokens, logprobs };
  let toks: unknown[] = [];
  let lps: unknown[] = [];
  if (api === "completions") {
    const o = lp as { tokens?: unknown[]; token_logprobs?: unknown[] };
    toks = o.tokens ?? [];
    lps = o.token_logprobs ?? [];
  } else {
    const content = (lp as { content?: { token?: unknown; logprob?: unknown }[] }).content ?? [];
    toks = content.map((c) => c.token);
    lps = content.map((c) => c.logprob);
  }
  for (const x of lps) if (typeof x === "number") logprobs.push(x);
  const ids = toks.map(tokenId);
  if (ids.every((x) => x !== null)) tokens.push(...(ids as number[]));
  return { tokens, logprobs };
}

/**
 * Decode the choices of one answer (ordered by `index`), checking there are `n` of them.
 *
 * @example
 * ```ts
 * const [c] = parseChoices({ choices: [{ index: 0, text: "a\n\n", finish_reason: "stop",
 *   stop_reason: "\n\n" }] }, "completions", 1, ["\n\n"], true);
 * c.finishReason; // "stop"
 * ```
 */
export function parseChoices(
  data: unknown,
  api: "completions" | "chat",
  n: number,
  stops: readonly string[],
  includeStop: boolean,
): ParsedChoice[] {
  const choices = (data as { choices?: unknown })?.choices;
  if (!Array.isArray(choices)) throw new Error("openai client: answer has no choices array");
  if (choices.length !== n) {
    throw new Error(
      `openai client: asked for n=${n} samples, the server returned ${choices.length}`,
    );
  }
  const sorted = [...choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return sorted.map((c) => {
    const raw = api === "completions" ? c.text : c.message?.content;
    if (typeof raw !== "string" && raw !== null) {
      throw new Error("openai client: a choice has no text");
    }
    const fin = interpretFinish(raw ?? "", c.finish_reason, c.stop_reason, stops, includeStop);
    const { tokens, logprobs } = readLogprobs(api, c.logprobs);
    return {
      ...fin,
      tokens,
      logprobs,
      cumulativeLogprob: logprobs.reduce((a, b) => a + b, 0),
    };
  });
}
