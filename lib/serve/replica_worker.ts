/**
 * One engine replica in a Worker: its own onnxruntime session, K/V cache and
 * {@linkcode createBatcher}, driven by messages from {@linkcode createReplicas}. onnxruntime-node
 * runs a session synchronously on the thread that calls it, so a second core only helps the
 * server through a second thread with its own session; this file is that thread.
 *
 * Messages in: `{ kind: "init", model, runner, batcher }`, `{ kind: "submit", id, job }`,
 * `{ kind: "stats", id }`, `{ kind: "close", id }`. Messages out: `{ kind: "ready" }` or
 * `{ kind: "failed", message }` after init, then `{ id, result }` or `{ id, error }` per request.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { createOnnxRunner, type OnnxRunner, type RunnerOptions } from "../models/onnx/runner.ts";
import { type Batcher, type BatcherOptions, createBatcher } from "./batcher.ts";

let runner: OnnxRunner | null = null;
let batcher: Batcher | null = null;

self.onmessage = async (e: MessageEvent) => {
  const msg = e.data;
  if (msg.kind === "init") {
    try {
      runner = await createOnnxRunner(msg.model, msg.runner as RunnerOptions);
      batcher = createBatcher(runner, msg.batcher as BatcherOptions);
      self.postMessage({ kind: "ready" });
    } catch (err) {
      self.postMessage({ kind: "failed", message: (err as Error).message });
    }
    return;
  }
  const reply = (result: unknown) => self.postMessage({ id: msg.id, result });
  try {
    if (!runner || !batcher) throw new Error("replica not initialised");
    if (msg.kind === "submit") reply(await batcher.submit(msg.job));
    else if (msg.kind === "stats") {
      reply({ batcher: batcher.stats(), engine: { ...runner.counters } });
    } else if (msg.kind === "close") {
      await batcher.drain();
      await runner.dispose();
      reply(null);
    } else throw new Error(`unknown message ${msg.kind}`);
  } catch (err) {
    self.postMessage({ id: msg.id, error: (err as Error).message });
  }
};
