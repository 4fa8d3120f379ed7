/**
 * In-process ONNX policy: load a Hugging Face ONNX decoder folder and run batched, KV-cached,
 * forkable generation behind the core `Policy` interface (`lib/core/types.ts`).
 *
 * Layers, by file: `folder.ts` (config files, one-line errors), `tokenizer.ts` (tokenizer, chat
 * template, incremental detokenizer), `session.ts` (onnxruntime session, device check, contract
 * discovery), `kv_cache.ts` (prefix tree of K/V segments with an LRU byte budget), `batch.ts`
 * (batch tensor layout and copies), `sampling.ts`, `sampler_graph.ts` and `native_sampler.ts` (the
 * passes over a large vocabulary, in onnxruntime), `stops.ts`, `prefill.ts` (filling the cache),
 * `decode_step.ts` (one decoding step of a batch over plain data), `decode_batch.ts` (the decode
 * batch's tensors), `runner.ts` (the engine that drives them) and `policy.ts` (the `Policy` with
 * handles).
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "./mod.ts";
 * const policy = await createOnnxPolicy("models/embedded", { intraOpNumThreads: 2 });
 * const [[step]] = await policy.extend([policy.start("What is 2+3?")], { temperature: 0 });
 * console.log(step.text, step.finishReason);
 * ```
 *
 * @module
 */
export * from "./folder.ts";
export * from "./tokenizer.ts";
export * from "./session.ts";
export * from "./allocator.ts";
export * from "./kv_cache.ts";
export * from "./batch.ts";
export * from "./length_groups.ts";
export * from "./sampling.ts";
export * from "./sampler_graph.ts";
export * from "./native_sampler.ts";
export * from "./stops.ts";
export * from "./prefill.ts";
export * from "./decode_step.ts";
export * from "./decode_batch.ts";
export * from "./runner.ts";
export * from "./policy.ts";
