/**
 * The OpenAI-compatible HTTP backend: a {@linkcode Policy} over `/v1/completions` or
 * `/v1/chat/completions` and {@linkcode Scorer}s over `/pooling` and `/classify`, spread over
 * many endpoints (one server per GPU, any number of machines) with load balancing, concurrency
 * limits, timeouts and retries. Works with vLLM, SGLang, llama.cpp and `deno task serve`.
 *
 * @example
 * ```ts
 * import { createOpenAIPolicy } from "./mod.ts";
 * const policy = await createOpenAIPolicy({
 *   endpoints: ["http://gpu0:8000", "http://gpu1:8000"],
 * });
 * const [samples] = await policy.extend([policy.start("What is 2+3?")], { n: 4, seed: 0 });
 * ```
 *
 * @module
 */
export * from "./endpoints.ts";
export * from "./http.ts";
export * from "./wire.ts";
export * from "./policy.ts";
export * from "./scorer.ts";
export * from "./prompt.ts";
export * from "./launch.ts";
