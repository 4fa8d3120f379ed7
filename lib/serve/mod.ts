/**
 * The model server: an OpenAI-compatible HTTP API (vLLM-flavoured: `stop_reason`,
 * `include_stop_str_in_output`, `top_k`, `min_p`, `/pooling`) over the in-process ONNX runner,
 * with request batching. `experiments/serve.ts` is its command line (`deno task serve`).
 *
 * @example
 * ```ts
 * import { startModelServer } from "./mod.ts";
 * const server = await startModelServer({ model: "models/embedded", port: 0 });
 * const res = await fetch(`${server.url}/v1/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({ prompt: "<s><|user|>What is 2+3?<|assistant|>", max_tokens: 32 }),
 * });
 * console.log((await res.json()).choices[0].text);
 * await server.shutdown();
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./validate.ts";
export * from "./batcher.ts";
export * from "./chat.ts";
export * from "./pooling.ts";
export * from "./replicas.ts";
export * from "./server.ts";
export * from "./spawn.ts";
