/**
 * An OpenAI-compatible HTTP server for an ONNX model folder (the embedded model by default):
 * `/v1/models`, `/v1/completions` and `/v1/chat/completions` (with `"stream": true`, server-sent
 * events in vLLM's and OpenAI's chunk format, one per token, sent once the answer is complete;
 * `prompt_logprobs` as vLLM), `/pooling` (a trained head, with
 * `--head`), `/health`, `/stats` (batching and engine counters, JSON). Concurrent requests are batched into shared engine calls
 * (`batcher.ts`); responses carry vLLM's `stop_reason` next to `finish_reason`; errors are
 * OpenAI-shaped JSON (400 naming the field, 404 for unknown routes and models), never a crash;
 * {@linkcode ModelServer.shutdown} finishes in-flight requests first.
 *
 * @module
 */
import { createOnnxRunner, type OnnxRunner } from "../models/onnx/runner.ts";
import type { SessionOptions } from "../models/onnx/session.ts";
import { loadHead } from "../rewards/head_file.ts";
import type { Head } from "../rewards/head.ts";
import {
  type Batcher,
  type BatcherOptions,
  createBatcher,
  type GenerationJob,
  type JobSample,
} from "./batcher.ts";
import { createReplicas, type ReplicaSet } from "./replicas.ts";
import { type ChatPrompter, createChatPrompter } from "./chat.ts";
import { httpError } from "./errors.ts";
import { type Route, routeHandler, type ServerLimits } from "./routes.ts";
import { readPromptLogprobs } from "./prompt_logprobs.ts";
import { sse, tokenPieces } from "./sse.ts";
import { poolWithHead } from "./pooling.ts";
import { createRewardApp, isRewardModelFolder } from "./reward_app.ts";
import {
  type CompletionBody,
  parseChatBody,
  parseCompletionBody,
  parsePoolingBody,
  type SamplingFields,
} from "./validate.ts";

/** Options of {@linkcode createModelApp}. */
export interface ModelAppOptions extends BatcherOptions {
  /** Model folder (Hugging Face ONNX layout). */
  model: string;
  /** Name reported by `/v1/models` and accepted in `model` (default: `model` as given). */
  servedModelName?: string;
  /** A head file (`lib/rewards/head_file.ts`) that `/pooling` scores with. */
  head?: string;
  /** Rows decoded together by the engine (default 32). */
  maxBatch?: number;
  /** onnxruntime threads per operator. */
  intraOpNumThreads?: number;
  /** `cpu` (default) or `cuda`. */
  device?: SessionOptions["device"];
  /** K/V cache budget in bytes. */
  cacheBytes?: number;
  /**
   * Engine replicas, each on its own thread with its own session and cache (default 1; see
   * `replicas.ts`): concurrent requests use that many cores.
   */
  replicas?: number;
  /** Body size, admitted requests and time limits (`routes.ts`; defaults `SERVER_LIMITS`). */
  limits?: ServerLimits;
  /** Longest prompt in tokens (default: the model's context less one). */
  maxPromptTokens?: number;
}

/** A loaded model with its request handler (no socket; see {@linkcode startModelServer}). */
export interface ModelApp {
  /** The served model name. */
  readonly name: string;
  /** The engine. */
  readonly runner: OnnxRunner;
  /** The request batcher. */
  readonly batcher: Batcher;
  /** Handle one HTTP request; never throws. */
  handler(req: Request): Promise<Response>;
  /** Finish queued work and release the engine. */
  close(): Promise<void>;
}

/** Options of {@linkcode startModelServer}. */
export interface ModelServerOptions extends ModelAppOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
}

/** A listening server. */
export interface ModelServer {
  /** `http://host:port`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The app behind it: a text model's, or a process reward model's (`reward_app.ts`). */
  readonly app: Pick<ModelApp, "name" | "handler" | "close">;
  /** Stop accepting, finish in-flight requests, release the engine. */
  shutdown(): Promise<void>;
  /** Resolves once the server has shut down. */
  readonly finished: Promise<void>;
}

const json = (body: unknown) => Response.json(body);

function choiceFinish(s: JobSample) {
  return {
    finish_reason: s.finishReason === "length" ? "length" : "stop",
    stop_reason: s.finishReason === "stop" ? s.stopString ?? null : null,
  };
}

/**
 * Load a model folder (and head) and build the request handler.
 *
 * @example
 * ```ts
 * const app = await createModelApp({ model: "models/embedded" });
 * const res = await app.handler(new Request("http://x/v1/models"));
 * ```
 */
export async function createModelApp(options: ModelAppOptions): Promise<ModelApp> {
  const runnerOptions = {
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    ...(options.intraOpNumThreads === undefined
      ? {}
      : { intraOpNumThreads: options.intraOpNumThreads }),
    ...(options.device === undefined ? {} : { device: options.device }),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
  };
  const runner = await createOnnxRunner(options.model, runnerOptions);
  let head: Head | null = null;
  if (options.head !== undefined) {
    head = await loadHead(options.head, { dim: runner.shape.hiddenSize });
    if (head.kind === "qsharp") {
      throw new Error(
        `${options.head}: a qsharp head scores tokens, not steps; /pooling needs a state head`,
      );
    }
  }
  const batcherOptions = {
    ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
    ...(options.keepNodes === undefined ? {} : { keepNodes: options.keepNodes }),
  };
  let replicas: ReplicaSet;
  try {
    replicas = await createReplicas(runner, createBatcher(runner, batcherOptions), {
      model: options.model,
      count: options.replicas ?? 1,
      runner: runnerOptions,
      batcher: batcherOptions,
    });
  } catch (e) {
    await runner.dispose();
    throw e;
  }
  const { batcher } = replicas;
  const chat: ChatPrompter = createChatPrompter(runner.folder, runner.codec);
  const name = options.servedModelName ?? options.model;
  const created = Math.floor(Date.now() / 1000);
  const { codec } = runner;
  const maxPositions = runner.shape.maxPositions;
  const vocab = runner.vocabSize;
  let ids = 0;

  const maxPrompt = options.maxPromptTokens ??
    (Number.isFinite(maxPositions) ? maxPositions - 1 : 32_768);
  // every token spells at most this many characters: a longer text is refused untokenized
  const longestToken = codec.longestTokenChars();
  const checkPromptChars = (chars: number, at: string) => {
    if (chars > maxPrompt * longestToken) {
      throw httpError(
        400,
        `"${at}" is too long: ${chars} characters are more than ${maxPrompt} tokens`,
        at,
      );
    }
  };
  const checkPromptTokens = (tokens: number, at: string) => {
    if (tokens > maxPrompt) {
      throw httpError(400, `"${at}" has ${tokens} tokens, more than ${maxPrompt}`, at);
    }
  };

  const checkModel = (model: string | undefined) => {
    if (model !== undefined && model !== name) {
      throw httpError(
        404,
        `The model "${model}" does not exist; this server serves "${name}"`,
        "model",
      );
    }
  };

  const job = (b: SamplingFields, prompts: number[][]): GenerationJob => {
    const longest = prompts.reduce((m, p) => Math.max(m, p.length), 0);
    if (longest >= maxPositions) {
      throw httpError(
        400,
        `prompt of ${longest} tokens leaves no room in the context (${maxPositions})`,
        "prompt",
      );
    }
    const room = Number.isFinite(maxPositions) ? maxPositions - longest : 512;
    return {
      prompts,
      n: b.n,
      maxTokens: Math.min(b.maxTokens ?? room, room),
      stop: b.stop,
      includeStop: b.includeStop,
      ignoreEos: b.ignoreEos,
      sampling: { temperature: b.temperature, topP: b.topP, topK: b.topK, minP: b.minP },
      seed: b.seed ?? Math.floor(Math.random() * 2 ** 32),
      topLogprobs: b.topLogprobs,
    };
  };

  const tokenText = (id: number, asIds: boolean) => asIds ? `token_id:${id}` : codec.decode([id]);

  const pieces = (s: JobSample) => tokenPieces(codec, s);
  const promptLogprobs = (prompts: number[][], k: number) =>
    readPromptLogprobs(runner, batcher, prompts, k);

  const usage = (prompts: number[][], samples: JobSample[][]) => {
    const prompt = prompts.reduce((a, p) => a + p.length, 0);
    const completion = samples.flat().reduce((a, s) => a + s.tokens.length, 0);
    return {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    };
  };

  const completions = async (body: unknown, signal: AbortSignal) => {
    const b: CompletionBody = parseCompletionBody(body);
    checkModel(b.model);
    const prompts = b.prompts.map((p, i) => {
      const at = b.prompts.length === 1 ? "prompt" : `prompt[${i}]`;
      if (typeof p === "string") {
        checkPromptChars(p.length, at);
        const enc = codec.encode(p);
        if (enc.length === 0) throw httpError(400, `"${at}" is empty`, at);
        checkPromptTokens(enc.length, at);
        return enc;
      }
      checkPromptTokens(p.length, at);
      const out = p.find((t) => t >= vocab);
      if (out !== undefined) {
        throw httpError(400, `"${at}" has token id ${out} >= vocabulary size ${vocab}`, at);
      }
      return p;
    });
    const samples = await batcher.submit(job(b, prompts), signal);
    const prompted = b.promptLogprobs === null
      ? null
      : await promptLogprobs(prompts, b.promptLogprobs);
    if (b.stream) {
      const id = `cmpl-${++ids}`;
      const head = {
        id,
        object: "text_completion",
        created: Math.floor(Date.now() / 1000),
        model: name,
      };
      const chunks: unknown[] = [];
      samples.forEach((row, i) =>
        row.forEach((s, j) => {
          const index = i * b.n + j;
          for (const text of pieces(s)) {
            chunks.push({
              ...head,
              choices: [{ index, text, logprobs: null, finish_reason: null }],
            });
          }
          chunks.push({
            ...head,
            choices: [{ index, text: "", logprobs: null, ...choiceFinish(s) }],
          });
        })
      );
      if (b.includeUsage) chunks.push({ ...head, choices: [], usage: usage(prompts, samples) });
      return sse(chunks);
    }
    const choices = samples.flatMap((row, i) =>
      row.map((s, j) => ({
        index: i * b.n + j,
        text: s.text,
        ...(prompted ? { prompt_logprobs: prompted[i] } : {}),
        logprobs: b.logprobs
          ? {
            tokens: s.tokens.map((t) => tokenText(t, b.tokensAsIds)),
            token_logprobs: s.logprobs,
            top_logprobs: s.top
              ? s.top.map((alts) =>
                Object.fromEntries(alts.map(([t, lp]) => [tokenText(t, b.tokensAsIds), lp]))
              )
              : null,
          }
          : null,
        ...choiceFinish(s),
      }))
    );
    return json({
      id: `cmpl-${++ids}`,
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: name,
      choices,
      usage: usage(prompts, samples),
    });
  };

  const chatCompletions = async (body: unknown, signal: AbortSignal) => {
    const b = parseChatBody(body);
    checkModel(b.model);
    checkPromptChars(b.messages.reduce((n, m) => n + m.content.length, 0), "messages");
    const prompt = chat.ids(b.messages, b.addGenerationPrompt, b.continueFinalMessage);
    checkPromptTokens(prompt.length, "messages");
    const [row] = await batcher.submit(job(b, [prompt]), signal);
    const prompted = b.promptLogprobs === null
      ? null
      : (await promptLogprobs([prompt], b.promptLogprobs))[0];
    if (b.stream) {
      const id = `chatcmpl-${++ids}`;
      const head = {
        id,
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: name,
      };
      const chunks: unknown[] = [];
      row.forEach((s, index) => {
        const delta = (d: Record<string, unknown>, finish: Record<string, unknown> | null) => ({
          ...head,
          choices: [{ index, delta: d, logprobs: null, ...(finish ?? { finish_reason: null }) }],
        });
        chunks.push(delta({ role: "assistant", content: "" }, null));
        for (const text of pieces(s)) chunks.push(delta({ content: text }, null));
        chunks.push(delta({}, choiceFinish(s)));
      });
      if (b.includeUsage) chunks.push({ ...head, choices: [], usage: usage([prompt], [row]) });
      return sse(chunks);
    }
    const entry = (t: number, lp: number) => {
      const token = tokenText(t, b.tokensAsIds);
      return { token, logprob: lp, bytes: [...new TextEncoder().encode(token)] };
    };
    const choices = row.map((s, j) => ({
      index: j,
      message: { role: "assistant", content: s.text },
      logprobs: b.logprobs
        ? {
          content: s.tokens.map((t, k) => ({
            ...entry(t, s.logprobs[k]),
            top_logprobs: (s.top?.[k] ?? []).map(([a, lp]) => entry(a, lp)),
          })),
        }
        : null,
      ...choiceFinish(s),
    }));
    return json({
      id: `chatcmpl-${++ids}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: name,
      choices,
      ...(prompted ? { prompt_logprobs: prompted } : {}),
      usage: usage([prompt], [row]),
    });
  };

  const pooling = async (body: unknown) => {
    const b = parsePoolingBody(body);
    checkModel(b.model);
    const { data, promptTokens } = await poolWithHead(runner, batcher, chat, head, b);
    return json({
      id: `pool-${++ids}`,
      object: "list",
      created: Math.floor(Date.now() / 1000),
      model: name,
      data: data.map((d, index) => ({ index, object: "pooling", data: d })),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  };

  const routes: Record<string, Route> = {
    "/health": { method: "GET", run: () => Promise.resolve(json({ status: "ok" })) },
    "/stats": {
      method: "GET",
      run: async () => json(await replicas.stats()),
    },
    "/v1/models": {
      method: "GET",
      run: () =>
        Promise.resolve(json({
          object: "list",
          data: [{
            id: name,
            object: "model",
            created,
            owned_by: "ttsearch",
            root: options.model,
            max_model_len: Number.isFinite(maxPositions) ? maxPositions : null,
            pooling: head ? head.kind : null,
          }],
        })),
    },
    "/v1/completions": { method: "POST", run: completions },
    "/v1/chat/completions": { method: "POST", run: chatCompletions },
    "/pooling": { method: "POST", run: pooling },
    "/v1/pooling": { method: "POST", run: pooling },
  };

  const handler = routeHandler(routes, options.limits);

  return {
    name,
    runner,
    batcher,
    handler,
    async close() {
      await replicas.close();
      await runner.dispose();
    },
  };
}

/**
 * Load the model and listen. Use port 0 for a free port (read it from the result). A process
 * reward model folder (`models/prm`) is served on `/pooling` only (`reward_app.ts`).
 *
 * @example
 * ```ts
 * const server = await startModelServer({ model: "models/embedded", port: 0 });
 * console.log(`listening on ${server.url}`);
 * // ... later
 * await server.shutdown();
 * ```
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const app = await isRewardModelFolder(options.model)
    ? await createRewardApp(options)
    : await createModelApp(options);
  const hostname = options.host ?? "127.0.0.1";
  let resolveAddr: (port: number) => void;
  const bound = new Promise<number>((r) => (resolveAddr = r));
  const server = Deno.serve({
    hostname,
    port: options.port ?? 8000,
    onListen: ({ port }) => resolveAddr(port),
  }, app.handler);
  const port = await bound;
  let closing: Promise<void> | null = null;
  const shutdown = () =>
    closing ??= (async () => {
      await server.shutdown();
      await app.close();
    })();
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    shutdown,
    finished: server.finished.then(() => closing ?? undefined),
  };
}
