/**
 * Open an onnxruntime-node session for a decoder and discover its input/output contract from the
 * session itself (names, dtypes), so a transformers.js-style export of our embedded model and a
 * real optimum export (e.g. Qwen2.5-Math-1.5B, maybe without `last_hidden_state`, maybe with
 * `num_logits_to_keep`) go through the same code.
 *
 * @module
 */
import * as ort from "onnxruntime-node";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ModelShape } from "./folder.ts";
import { tuneAllocator } from "./allocator.ts";

/** Where and how the graph runs. */
export interface SessionOptions {
  /** Execution provider: `cpu` (default) or `cuda` (only where the installed build ships it). */
  device?: "cpu" | "cuda";
  /** CUDA device index. */
  deviceId?: number;
  /** Threads inside one operator (default: onnxruntime's choice, all cores). */
  intraOpNumThreads?: number;
  /** Threads across operators (only with `executionMode: "parallel"`). */
  interOpNumThreads?: number;
  /** Graph optimisation level (default `all`). */
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  /**
   * Let idle intra-op threads spin (onnxruntime's default, true). Turning it off costs a little
   * latency on a quiet machine and saves a lot on one shared with other work.
   */
  allowSpinning?: boolean;
  /** Further onnxruntime session config entries (`extra`, string values). */
  extra?: Record<string, unknown>;
  /**
   * Tune glibc's allocator so decoding steps reuse memory instead of page-faulting through fresh
   * pages (default true; see {@linkcode tuneAllocator}). Process-wide and applied once.
   */
  tuneAllocator?: boolean;
}

/** The decoder's input/output contract, read from the session. */
export interface ModelIO {
  /** Number of layers with a KV cache (from the `past_key_values.{i}.key` inputs). */
  numLayers: number;
  /** Key/value heads of the cache. */
  numKvHeads: number;
  /** Size of one head. */
  headDim: number;
  /** `past_key_values.{i}.key` / `.value` input names, layer by layer. */
  pastKeys: string[];
  /** See {@linkcode ModelIO.pastKeys}. */
  pastValues: string[];
  /** `present.{i}.key` / `.value` output names, layer by layer. */
  presentKeys: string[];
  /** See {@linkcode ModelIO.presentKeys}. */
  presentValues: string[];
  /** Whether the graph takes `position_ids`. */
  hasPositionIds: boolean;
  /** Integer type of `input_ids` / `attention_mask` / `position_ids`. */
  idsType: "int64" | "int32";
  /** Name of the `num_logits_to_keep` / `logits_to_keep` input when the graph has one. */
  logitsToKeep: string | null;
  /** Whether the graph has the `use_cache_branch` input (merged decoders). */
  useCacheBranch: boolean;
  /** Name of the final hidden state output (`last_hidden_state`), or null when not exported. */
  hiddenOutput: string | null;
}

/** A live session plus its contract. */
export interface DecoderSession {
  /** The onnxruntime session. */
  session: ort.InferenceSession;
  /** Its contract. */
  io: ModelIO;
  /** The execution provider in use. */
  device: "cpu" | "cuda";
}

function findCudaProvider(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(dirname(require.resolve("onnxruntime-node")));
    const lib = join(root, "bin", "napi-v6", "linux", "x64", "libonnxruntime_providers_cuda.so");
    Deno.statSync(lib);
    return lib;
  } catch {
    return null;
  }
}

/**
 * Check that `device` can run here; throws one line saying why not. `cuda` needs Linux x64, the
 * binding to list it, and the CUDA provider library that onnxruntime-node's install script
 * downloads (Deno skips that script unless it is approved).
 */
export function checkDevice(device: "cpu" | "cuda"): void {
  if (device === "cpu") return;
  if (device !== "cuda") throw new Error(`onnx model: unknown device "${device}" (cpu or cuda)`);
  const listed = ort.listSupportedBackends().some((b) => b.name === "cuda");
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64" || !listed) {
    throw new Error(
      `onnx model: device cuda is not in this onnxruntime-node build (${Deno.build.os}/${Deno.build.arch})`,
    );
  }
  if (findCudaProvider() === null) {
    throw new Error(
      "onnx model: device cuda unavailable: libonnxruntime_providers_cuda.so is not installed " +
        "(Deno skips onnxruntime-node's install script: fetch it as the README's 'Running on GPU servers' says, with CUDA 12 and cuDNN 9; or use device cpu)",
    );
  }
}

function tensorMeta(meta: readonly ort.InferenceSession.ValueMetadata[], name: string) {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

/**
 * Read the decoder contract from a session's names and metadata, cross-checked with the config.
 *
 * @example
 * ```ts
 * import type { InferenceSession } from "onnxruntime-node";
 * import { loadModelFolder } from "./folder.ts";
 * declare const session: InferenceSession; // created on folder.modelPath
 * const folder = await loadModelFolder("models/embedded");
 * const io = discoverIO(session, folder.shape, folder.modelPath);
 * io.numLayers; // from the past_key_values.{i}.key inputs
 * ```
 */
export function discoverIO(
  session: ort.InferenceSession,
  shape: ModelShape,
  path: string,
): ModelIO {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  for (const required of ["input_ids", "attention_mask"]) {
    if (!inputs.has(required)) throw new Error(`onnx model: ${path} has no "${required}" input`);
  }
  if (!outputs.has("logits")) throw new Error(`onnx model: ${path} has no "logits" output`);
  let numLayers = 0;
  while (inputs.has(`past_key_values.${numLayers}.key`)) numLayers++;
  if (numLayers === 0) {
    throw new Error(
      `onnx model: ${path} has no past_key_values.{i}.key inputs (export with cache)`,
    );
  }
  if (numLayers !== shape.numLayers) {
    throw new Error(
      `onnx model: ${path} has ${numLayers} cache layers but config says ${shape.numLayers}`,
    );
  }
  const pastKeys: string[] = [];
  const pastValues: string[] = [];
  const presentKeys: string[] = [];
  const presentValues: string[] = [];
  for (let i = 0; i < numLayers; i++) {
    for (
      const [list, name, set] of [
        [pastKeys, `past_key_values.${i}.key`, inputs],
        [pastValues, `past_key_values.${i}.value`, inputs],
        [presentKeys, `present.${i}.key`, outputs],
        [presentValues, `present.${i}.value`, outputs],
      ] as const
    ) {
      if (!set.has(name)) throw new Error(`onnx model: ${path} lacks "${name}"`);
      list.push(name);
    }
  }
  // Heads and head size: prefer numbers in the graph's own shape, else the config.
  const kvMeta = tensorMeta(session.inputMetadata, pastKeys[0]);
  if (kvMeta && kvMeta.type !== "float32") {
    throw new Error(
      `onnx model: ${path} has a ${kvMeta.type} KV cache; only float32 caches are supported`,
    );
  }
  const dims = kvMeta?.shape ?? [];
  const numKvHeads = typeof dims[1] === "number" ? dims[1] : shape.numKvHeads;
  const headDim = typeof dims[3] === "number" ? dims[3] : shape.headDim;
  const idsMeta = tensorMeta(session.inputMetadata, "input_ids");
  const logitsToKeep = ["num_logits_to_keep", "logits_to_keep"].find((n) => inputs.has(n)) ?? null;
  const hiddenOutput = ["last_hidden_state", "hidden_states"].find((n) => outputs.has(n)) ?? null;
  return {
    numLayers,
    numKvHeads,
    headDim,
    pastKeys,
    pastValues,
    presentKeys,
    presentValues,
    hasPositionIds: inputs.has("position_ids"),
    idsType: idsMeta?.type === "int32" ? "int32" : "int64",
    logitsToKeep,
    useCacheBranch: inputs.has("use_cache_branch"),
    hiddenOutput,
  };
}

/**
 * onnxruntime's session options for ours: execution provider, optimisation level, threads and
 * spinning (shared by the decoder's session and the native sampler's).
 *
 * @example
 * ```ts
 * const opts = ortSessionOptions({ intraOpNumThreads: 2, allowSpinning: false });
 * ```
 */
export function ortSessionOptions(options: SessionOptions): ort.InferenceSession.SessionOptions {
  const device = options.device ?? "cpu";
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: device === "cuda"
      ? [{ name: "cuda", deviceId: options.deviceId ?? 0 }, "cpu"]
      : ["cpu"],
    graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
  };
  if (options.intraOpNumThreads !== undefined) {
    sessionOptions.intraOpNumThreads = options.intraOpNumThreads;
  }
  if (options.allowSpinning !== undefined || options.extra !== undefined) {
    const extra: Record<string, unknown> = { ...options.extra };
    if (options.allowSpinning !== undefined) {
      const spin = options.allowSpinning ? "1" : "0";
      extra.session = {
        ...(extra.session as Record<string, unknown> | undefined),
        intra_op: { allow_spinning: spin },
        inter_op: { allow_spinning: spin },
      };
    }
    sessionOptions.extra = extra;
  }
  if (options.interOpNumThreads !== undefined) {
    sessionOptions.interOpNumThreads = options.interOpNumThreads;
    sessionOptions.executionMode = "parallel";
  }
  return sessionOptions;
}

/**
 * Create the session for a model file and discover its contract. A missing or corrupt file, or an
 * unavailable device, gives a one-line error naming the path or device.
 *
 * @example
 * ```ts
 * import { loadModelFolder } from "./folder.ts";
 * const { shape } = await loadModelFolder("models/embedded");
 * const { session, io } = await openDecoderSession("models/embedded/onnx/model.onnx", shape, {
 *   intraOpNumThreads: 2,
 * });
 * ```
 */
export async function openDecoderSession(
  modelPath: string,
  shape: ModelShape,
  options: SessionOptions = {},
): Promise<DecoderSession> {
  const device = options.device ?? "cpu";
  checkDevice(device);
  if (options.tuneAllocator ?? true) tuneAllocator();
  const sessionOptions = ortSessionOptions(options);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, sessionOptions);
  } catch (e) {
    const msg = String((e as Error).message ?? e).split("\n")[0];
    throw new Error(`onnx model: cannot load ${modelPath} on ${device}: ${msg}`);
  }
  return { session, io: discoverIO(session, shape, modelPath), device };
}
