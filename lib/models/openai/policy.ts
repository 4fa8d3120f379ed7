/**
 * A {@linkcode Policy} over OpenAI-compatible servers (vLLM, SGLang, llama.cpp, this repo's
 * `deno task serve`): every search method runs unchanged against one local model or many GPU
 * servers.
 *
 * Each state becomes one request carrying `n` (so the server shares the prompt's prefill across
 * samples). A batch is sent in prompt order, so states that share a prefix reach the server
 * together and hit its prefix cache; results come back in the caller's order. Requests spread
 * over the endpoints by load (fewest in flight), at most `concurrency` per endpoint, with
 * timeouts and bounded retries (`http.ts`).
 *
 * Two prompt modes: `chat` (default; the server applies its chat template, and a partial solution
 * is the final assistant message continued with vLLM's `continue_final_message`) and
 * `completions` (the client builds the text: `promptFor(problem) + text`; use
 * {@linkcode promptFromFolder} to reuse a model folder's template so results match the in-process
 * runner token for token).
 *
 * Seeds: with `seed: S`, state `i` of a batch is sent with `seed = fork(S, i)`, so a seeded run is
 * reproducible whatever the endpoint count, concurrency or arrival order, and states that are
 * equal (beam duplicates) still draw different samples.
 *
 * As on every backend, options are resolved and checked by `resolveExtendOptions` and new states
 * built by `childState` (lib/core/extend.ts); a `logitsHook` is refused (no raw logits over HTTP).
 *
 * @module
 */
import { continuation, resolveExtendOptions } from "../../core/extend.ts";
import { fork } from "../../core/random.ts";
import type {
  Continuation,
  ExtendOptions,
  LogprobRequest,
  Policy,
  PolicyCapabilities,
  SeqState,
  TextLogprobs,
} from "../../core/types.ts";
import { createEndpointPool, type Endpoint, type EndpointPool } from "./endpoints.ts";
import { requestJson, type RetryOptions } from "./http.ts";
import {
  chatBody,
  completionBody,
  parseChoices,
  type WireMessage,
  type WireSampling,
} from "./wire.ts";

/** Options of {@linkcode createOpenAIPolicy}. */
export interface OpenAIPolicyOptions extends RetryOptions {
  /** Base URLs of the servers (`http://host:8000`, with or without `/v1`). */
  endpoints: readonly string[];
  /** Model id to send (default: each server's first `/v1/models` entry). */
  model?: string;
  /** `chat` (default without `promptFor`) or `completions` (default with it). */
  api?: "chat" | "completions";
  /** Prompt text of a problem, for the `completions` API (the text follows it directly). */
  promptFor?: (problem: string) => string;
  /** System message for the `chat` API. */
  systemPrompt?: string;
  /** Requests in flight per endpoint (default 16). */
  concurrency?: number;
  /** `maxTokens` when a call gives none (default 512, as the in-process runner). */
  defaultMaxTokens?: number;
  /** Ask for token ids and log-probabilities (default true). */
  logprobs?: boolean;
  /** More fields for every generation body (server-specific options). */
  extraBody?: Record<string, unknown>;
  /** Name for tables (default: the model id, with the endpoint count when several). */
  name?: string;
}

/** The policy plus its endpoint pool (for load statistics). */
export interface OpenAIPolicy extends Policy {
  /** The endpoints and their counters. */
  readonly pool: EndpointPool;
  /** Which API is used. */
  readonly api: "chat" | "completions";
  /**
   * Teacher-forced log-probabilities through vLLM's `prompt_logprobs` (the text sent as the
   * end of the prompt: a continued assistant message, or `promptFor(problem) + text`).
   */
  logprobs(requests: readonly LogprobRequest[]): Promise<TextLogprobs[]>;
}

/** One position of vLLM's `prompt_logprobs`: token id → its log-probability, rank and text. */
type PromptLogprobRow = Record<string, { logprob: number; rank?: number; decoded_token?: string }>;

/**
 * The tokens of `text` (the end of a prompt) from vLLM's `prompt_logprobs` rows of the whole
 * prompt (asked with `prompt_logprobs: 0`, so each row holds the prompt's own token): walking
 * back from the last row, each token's characters end where the next one's begin; a token that
 * straddles the start of `text` is dropped. `greedy` is rank 1. Tokens ending at or before
 * `from` are left out.
 *
 * @example
 * ```ts
 * textFromPromptLogprobs(
 *   [
 *     null,
 *     { "7": { logprob: -0.1, rank: 1, decoded_token: "ab" } },
 *     { "9": { logprob: -2, rank: 3, decoded_token: "c" } },
 *   ],
 *   "abc",
 *   0,
 * ); // { ends: [2, 3], logprobs: [-0.1, -2], greedy: [true, false] }
 * ```
 */
export function textFromPromptLogprobs(
  rows: readonly (PromptLogprobRow | null)[],
  text: string,
  from: number,
): TextLogprobs {
  const out: TextLogprobs = { ends: [], logprobs: [], greedy: [] };
  let end = text.length;
  const picked: { end: number; logprob: number; greedy: boolean }[] = [];
  for (let p = rows.length - 1; p >= 1 && end > 0; p--) {
    const row = rows[p];
    const entries = row ? Object.values(row) : [];
    if (entries.length !== 1) {
      throw new Error(
        `openai policy: prompt_logprobs row ${p} has ${entries.length} entries, not 1`,
      );
    }
    const e = entries[0];
    const len = (e.decoded_token ?? "").length;
    if (end - len < 0) break;
    picked.push({ end, logprob: e.logprob, greedy: (e.rank ?? 1) === 1 });
    end -= len;
  }
  for (const t of picked.reverse()) {
    if (t.end <= from) continue;
    out.ends.push(t.end);
    out.logprobs.push(t.logprob);
    out.greedy.push(t.greedy);
  }
  return out;
}

/**
 * Fill each endpoint's model id: the given one, else the first `/v1/models` entry. Fails with a
 * one-line error naming an endpoint that cannot be reached.
 */
export async function resolveModels(
  pool: EndpointPool,
  model: string | undefined,
  retry: RetryOptions,
): Promise<void> {
  await Promise.all(pool.endpoints.map(async (e: Endpoint) => {
    const { data } = await requestJson<{ data?: { id?: string; owned_by?: string }[] }>(
      pool,
      "/v1/models",
      undefined,
      retry,
      e,
    );
    const ids = (data.data ?? []).map((m) => m.id).filter((x): x is string =>
      typeof x === "string"
    );
    if (model !== undefined) {
      if (ids.length > 0 && !ids.includes(model)) {
        throw new Error(`openai client: ${e.url} serves ${ids.join(", ")}, not "${model}"`);
      }
      e.model = model;
    } else {
      if (ids.length === 0) throw new Error(`openai client: ${e.url}/v1/models lists no model`);
      e.model = ids[0];
    }
    const owner = (data.data ?? []).find((m) => m.id === e.model)?.owned_by;
    e.ownedBy = typeof owner === "string" ? owner : "";
  }));
}

/**
 * Connect to the servers (checking each answers `/v1/models`) and return the policy.
 *
 * @example
 * ```ts
 * const policy = await createOpenAIPolicy({ endpoints: ["http://127.0.0.1:8000"] });
 * const [[step]] = await policy.extend([policy.start("What is 2+3?")], { temperature: 0 });
 * console.log(step.text, step.finishReason, step.stopString);
 * ```
 */
export async function createOpenAIPolicy(options: OpenAIPolicyOptions): Promise<OpenAIPolicy> {
  const pool = createEndpointPool(options.endpoints, options.concurrency ?? 16);
  const api = options.api ?? (options.promptFor ? "completions" : "chat");
  if (api === "completions" && !options.promptFor) {
    throw new Error(
      'openai policy: the completions API needs promptFor (e.g. promptFromFolder(dir)); or use api: "chat"',
    );
  }
  const retry: RetryOptions = {
    ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
    ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  };
  await resolveModels(pool, options.model, retry);
  const logprobs = options.logprobs ?? true;
  const defaultMaxTokens = options.defaultMaxTokens ?? 512;
  const capabilities: PolicyCapabilities = { logits: false, hidden: false };
  const model0 = pool.endpoints[0].model;
  const name = options.name ??
    (pool.endpoints.length > 1 ? `${model0} ×${pool.endpoints.length}` : model0);

  const messagesFor = (s: SeqState): WireMessage[] => [
    ...(options.systemPrompt === undefined
      ? []
      : [{ role: "system" as const, content: options.systemPrompt }]),
    { role: "user", content: s.problem },
    ...(s.text === "" ? [] : [{ role: "assistant" as const, content: s.text }]),
  ];
  const promptOf = (s: SeqState) =>
    api === "completions" ? options.promptFor!(s.problem) + s.text : JSON.stringify(messagesFor(s));

  const one = async (state: SeqState, sampling: WireSampling): Promise<Continuation[]> => {
    const path = api === "completions" ? "/v1/completions" : "/v1/chat/completions";
    const bodyFor = (e: Endpoint) => ({
      ...(api === "completions"
        ? completionBody(
          e.model,
          options.promptFor!(state.problem) + state.text,
          sampling,
          logprobs,
        )
        : chatBody(e.model, messagesFor(state), state.text !== "", sampling, logprobs)),
      ...options.extraBody,
    });
    const { data } = await requestJson(pool, path, bodyFor, retry);
    const choices = parseChoices(data, api, sampling.n, sampling.stop, sampling.includeStop);
    return choices.map((c) => continuation(state, c));
  };

  const extend = async (
    states: readonly SeqState[],
    opts: ExtendOptions = {},
  ): Promise<Continuation[][]> => {
    const o = resolveExtendOptions(opts, {
      label: "openai policy",
      maxTokens: defaultMaxTokens,
      logitsHook: false,
    });
    const { n, stop, includeStop, maxTokens, temperature, topP, topK, minP } = o;
    if (n === 0) return states.map(() => []);
    // Send in prompt order so shared prefixes arrive together; answer in the caller's order.
    const prompts = states.map(promptOf);
    const order = states.map((_, i) => i).sort((a, b) =>
      prompts[a] < prompts[b] ? -1 : prompts[a] > prompts[b] ? 1 : a - b
    );
    const out: Continuation[][] = new Array(states.length);
    await Promise.all(order.map(async (i) => {
      out[i] = await one(states[i], {
        n,
        stop,
        includeStop,
        maxTokens,
        temperature,
        topP,
        topK,
        minP,
        ...(opts.seed === undefined ? {} : { seed: fork(opts.seed, i) }),
      });
    }));
    return out;
  };

  const readText = async (r: LogprobRequest): Promise<TextLogprobs> => {
    if (r.text === "") return { ends: [], logprobs: [], greedy: [] };
    const path = api === "completions" ? "/v1/completions" : "/v1/chat/completions";
    const common = { max_tokens: 1, temperature: 0, prompt_logprobs: 0 };
    const bodyFor = (e: Endpoint) =>
      api === "completions"
        ? { model: e.model, prompt: options.promptFor!(r.problem) + r.text, ...common }
        : {
          model: e.model,
          messages: messagesFor({ problem: r.problem, text: r.text }),
          add_generation_prompt: false,
          continue_final_message: true,
          ...common,
        };
    const { data } = await requestJson<{
      prompt_logprobs?: (PromptLogprobRow | null)[];
      choices?: { prompt_logprobs?: (PromptLogprobRow | null)[] }[];
    }>(pool, path, (e: Endpoint) => ({ ...bodyFor(e), ...options.extraBody }), retry);
    const rows = data.prompt_logprobs ?? data.choices?.[0]?.prompt_logprobs;
    if (!Array.isArray(rows)) {
      throw new Error(
        `openai policy: ${path} returned no prompt_logprobs (the server must support vLLM's ` +
          "prompt_logprobs to read a text's log-probabilities)",
      );
    }
    return textFromPromptLogprobs(rows, r.text, r.from ?? 0);
  };

  return {
    name,
    capabilities,
    pool,
    api,
    start: (problem) => ({ problem, text: "", steps: [] }),
    extend,
    logprobs: (requests) => Promise.all(requests.map(readText)),
  };
}
