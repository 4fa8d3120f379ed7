/**
 * Validation of request bodies for the OpenAI-compatible routes: every bad field is a 400 whose
 * message names the field (`"top_p" must be in (0, 1], got 2`). Field names and defaults follow
 * vLLM's OpenAI server (`include_stop_str_in_output`, `top_k`, `min_p`, `ignore_eos`,
 * `return_tokens_as_token_ids`, `continue_final_message`).
 *
 * @module
 */
import { httpError } from "./errors.ts";

/** Sampling and stopping fields shared by completions and chat completions. */
export interface SamplingFields {
  /** Served model name the client asked for (checked by the server), if given. */
  model?: string;
  /** Samples per prompt. */
  n: number;
  /** New tokens at most (null: up to the context length). */
  maxTokens: number | null;
  /** Softmax temperature (0 = greedy). */
  temperature: number;
  /** Nucleus mass. */
  topP: number;
  /** Top-k (0 = off; vLLM's -1 is read as 0). */
  topK: number;
  /** Min-p (0 = off). */
  minP: number;
  /** Seed, if given (else the server draws one). */
  seed?: number;
  /** Stop strings. */
  stop: string[];
  /** Keep the stop string that fired in the text (vLLM `include_stop_str_in_output`). */
  includeStop: boolean;
  /** Treat EOS as an ordinary token. */
  ignoreEos: boolean;
  /** Return log-probabilities. */
  logprobs: boolean;
  /** Alternatives per position in `top_logprobs` (0..20). */
  topLogprobs: number;
  /** Spell tokens as `token_id:N` (vLLM `return_tokens_as_token_ids`). */
  tokensAsIds: boolean;
  /**
   * vLLM `prompt_logprobs`: also return, for every prompt token after the first, its
   * log-probability and rank plus this many alternatives (null: not asked).
   */
  promptLogprobs: number | null;
  /** Answer as server-sent events (`"stream": true`). */
  stream: boolean;
  /** With `stream`, end with a chunk carrying `usage` (`stream_options.include_usage`). */
  includeUsage: boolean;
}

/** A validated `/v1/completions` body. */
export interface CompletionBody extends SamplingFields {
  /** Prompts: text, or token ids. */
  prompts: (string | number[])[];
}

/** One chat message. */
export interface Message {
  /** `system`, `user` or `assistant`. */
  role: "system" | "user" | "assistant";
  /** Text. */
  content: string;
}

/** A validated `/v1/chat/completions` body. */
export interface ChatBody extends SamplingFields {
  /** The conversation. */
  messages: Message[];
  /** Open an assistant turn after the messages (default true). */
  addGenerationPrompt: boolean;
  /** Continue the final (assistant) message instead of closing it (default false). */
  continueFinalMessage: boolean;
}

/** A validated `/pooling` body: raw inputs or one conversation. */
export interface PoolingBody {
  /** Served model name, if given. */
  model?: string;
  /** Raw texts (step tags inside), when `input` was given. */
  inputs?: string[];
  /** A conversation (Qwen2.5-Math-PRM style), when `messages` was given. */
  messages?: Message[];
}

type Json = Record<string, unknown>;

const bad = (param: string, what: string, got: unknown): never => {
  throw httpError(400, `"${param}" ${what}, got ${JSON.stringify(got) ?? String(got)}`, param);
};

function asObject(body: unknown): Json {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw httpError(400, "request body must be a JSON object");
  }
  return body as Json;
}

function num(
  o: Json,
  key: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false, openMin = false } = {},
): number {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  const range = `${openMin ? "(" : "["}${min}, ${max}]`;
  if (typeof v !== "number" || !Number.isFinite(v)) bad(key, "must be a number", v);
  const x = v as number;
  if (integer && !Number.isInteger(x)) bad(key, "must be an integer", v);
  if (x < min || x > max || (openMin && x === min)) bad(key, `must be in ${range}`, v);
  return x;
}

function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") bad(key, "must be a boolean", v);
  return v as boolean;
}

function samplingFields(o: Json, chat: boolean): SamplingFields {
  if (o.echo === true) throw httpError(400, `"echo": echoing the prompt is not supported`, "echo");
  if (o.best_of !== undefined && o.best_of !== null && o.best_of !== o.n && o.best_of !== 1) {
    bad("best_of", "is not supported (use n and rank by logprobs)", o.best_of);
  }
  if (o.model !== undefined && typeof o.model !== "string") {
    bad("model", "must be a string", o.model);
  }
  let stop: string[] = [];
  if (typeof o.stop === "string") stop = [o.stop];
  else if (Array.isArray(o.stop)) {
    o.stop.forEach((s, i) => {
      if (typeof s !== "string" || s === "") bad(`stop[${i}]`, "must be a non-empty string", s);
    });
    stop = o.stop as string[];
  } else if (o.stop !== undefined && o.stop !== null) {
    bad("stop", "must be a string or an array of strings", o.stop);
  }
  const topK = num(o, "top_k", 0, { min: -1, integer: true });
  let logprobs = false;
  let topLogprobs = 0;
  if (chat) {
    logprobs = bool(o, "logprobs", false);
    topLogprobs = num(o, "top_logprobs", 0, { min: 0, max: 20, integer: true });
    if (topLogprobs > 0 && !logprobs) {
      bad("top_logprobs", 'needs "logprobs": true', o.top_logprobs);
    }
  } else if (o.logprobs !== undefined && o.logprobs !== null) {
    topLogprobs = num(o, "logprobs", 0, { min: 0, max: 20, integer: true });
    logprobs = true;
  }
  const maxKey = chat && o.max_tokens === undefined ? "max_completion_tokens" : "max_tokens";
  const maxTokens = o[maxKey] === undefined || o[maxKey] === null
    ? (chat ? null : 16)
    : num(o, maxKey, 16, { min: 1, integer: true });
  const seed = o.seed === undefined || o.seed === null
    ? undefined
    : num(o, "seed", 0, { min: -(2 ** 63), max: 2 ** 64, integer: true });
  return {
    ...(o.model === undefined ? {} : { model: o.model as string }),
    n: num(o, "n", 1, { min: 1, max: 256, integer: true }),
    maxTokens,
    temperature: num(o, "temperature", 1, { min: 0, max: 100 }),
    topP: num(o, "top_p", 1, { min: 0, max: 1, openMin: true }),
    topK: topK === -1 ? 0 : topK,
    minP: num(o, "min_p", 0, { min: 0, max: 1 }),
    ...(seed === undefined ? {} : { seed }),
    stop,
    includeStop: bool(o, "include_stop_str_in_output", false),
    ignoreEos: bool(o, "ignore_eos", false),
    logprobs,
    topLogprobs,
    tokensAsIds: bool(o, "return_tokens_as_token_ids", false),
    promptLogprobs: o.prompt_logprobs === undefined || o.prompt_logprobs === null
      ? null
      : num(o, "prompt_logprobs", 0, { min: 0, max: 20, integer: true }),
    stream: bool(o, "stream", false),
    includeUsage: streamUsage(o),
  };
}

function streamUsage(o: Json): boolean {
  const so = o.stream_options;
  if (so === undefined || so === null) return false;
  if (typeof so !== "object" || Array.isArray(so)) bad("stream_options", "must be an object", so);
  return bool(so as Json, "include_usage", false);
}

function tokenIds(v: unknown[], param: string): number[] {
  v.forEach((t, i) => {
    if (typeof t !== "number" || !Number.isInteger(t) || t < 0) {
      bad(`${param}[${i}]`, "must be a token id (integer >= 0)", t);
    }
  });
  return v as number[];
}

/**
 * Validate a `/v1/completions` body. `prompt` is a string, an array of strings, an array of token
 * ids, or an array of such arrays (as OpenAI and vLLM accept).
 *
 * @example
 * ```ts
 * const b = parseCompletionBody({ prompt: "2+3=", max_tokens: 8, temperature: 0 });
 * b.prompts; // ["2+3="]
 * ```
 */
export function parseCompletionBody(body: unknown): CompletionBody {
  const o = asObject(body);
  const p = o.prompt;
  let prompts: (string | number[])[];
  if (typeof p === "string") prompts = [p];
  else if (Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === "number")) {
    prompts = [tokenIds(p, "prompt")];
  } else if (Array.isArray(p) && p.length > 0) {
    prompts = p.map((x, i) => {
      if (typeof x === "string") return x;
      if (Array.isArray(x) && x.length > 0) return tokenIds(x, `prompt[${i}]`);
      return bad(`prompt[${i}]`, "must be a string or a non-empty array of token ids", x);
    });
  } else {
    return bad("prompt", "must be a string, an array of strings or token ids", p);
  }
  if (prompts.length > 1024) bad("prompt", "may hold at most 1024 prompts", prompts.length);
  return { ...samplingFields(o, false), prompts };
}

function messageList(v: unknown, param: string): Message[] {
  if (!Array.isArray(v) || v.length === 0) bad(param, "must be a non-empty array of messages", v);
  return (v as unknown[]).map((m, i) => {
    const at = `${param}[${i}]`;
    if (m === null || typeof m !== "object") return bad(at, "must be an object", m);
    const { role, content } = m as Json;
    if (role !== "system" && role !== "user" && role !== "assistant") {
      bad(`${at}.role`, `must be "system", "user" or "assistant"`, role);
    }
    let text: string;
    if (typeof content === "string") text = content;
    else if (Array.isArray(content)) {
      text = content.map((part, k) => {
        const p = part as Json | null;
        if (!p || p.type !== "text" || typeof p.text !== "string") {
          return bad(`${at}.content[${k}]`, `must be {"type": "text", "text": string}`, part);
        }
        return p.text;
      }).join("");
    } else return bad(`${at}.content`, "must be a string or an array of text parts", content);
    return { role: role as Message["role"], content: text };
  });
}

/**
 * Validate a `/v1/chat/completions` body.
 *
 * @example
 * ```ts
 * const b = parseChatBody({
 *   messages: [{ role: "user", content: "2+3?" }, { role: "assistant", content: "Step 1:" }],
 *   add_generation_prompt: false, continue_final_message: true,
 * });
 * ```
 */
export function parseChatBody(body: unknown): ChatBody {
  const o = asObject(body);
  const messages = messageList(o.messages, "messages");
  const continueFinalMessage = bool(o, "continue_final_message", false);
  const addGenerationPrompt = bool(o, "add_generation_prompt", !continueFinalMessage);
  if (continueFinalMessage && addGenerationPrompt) {
    throw httpError(
      400,
      `"continue_final_message" and "add_generation_prompt" cannot both be true`,
      "continue_final_message",
    );
  }
  if (continueFinalMessage && messages.at(-1)!.role !== "assistant") {
    throw httpError(
      400,
      `"continue_final_message" needs the last message to be an assistant message`,
      "continue_final_message",
    );
  }
  return { ...samplingFields(o, true), messages, addGenerationPrompt, continueFinalMessage };
}

/**
 * Validate a `/pooling` body: `input` (a string or strings) or `messages` (one conversation).
 *
 * @example
 * ```ts
 * parsePoolingBody({ messages: [{ role: "user", content: "Q" }, { role: "assistant", content: "a<extra_0>" }] });
 * ```
 */
export function parsePoolingBody(body: unknown): PoolingBody {
  const o = asObject(body);
  if (o.model !== undefined && typeof o.model !== "string") {
    bad("model", "must be a string", o.model);
  }
  const model = o.model === undefined ? {} : { model: o.model as string };
  if (o.messages !== undefined) return { ...model, messages: messageList(o.messages, "messages") };
  const v = o.input;
  if (typeof v === "string") return { ...model, inputs: [v] };
  if (Array.isArray(v) && v.length > 0) {
    v.forEach((x, i) => {
      if (typeof x !== "string") bad(`input[${i}]`, "must be a string", x);
    });
    return { ...model, inputs: v as string[] };
  }
  return bad("input", "must be a string or an array of strings (or give messages)", v);
}
