/**
 * Load a Hugging Face model folder laid out for ONNX (transformers.js / optimum layout):
 * `config.json`, `generation_config.json` (optional), `tokenizer.json`, `tokenizer_config.json`
 * and `onnx/model.onnx`. Every failure is one line that names the offending path.
 *
 * @module
 */
import { join } from "node:path";

/** Architecture facts the runner needs, read from `config.json` (and `generation_config.json`). */
export interface ModelShape {
  /** Decoder layers (`num_hidden_layers`). */
  numLayers: number;
  /** Attention (query) heads. */
  numHeads: number;
  /** Key/value heads (`num_key_value_heads`, GQA); equals `numHeads` when absent. */
  numKvHeads: number;
  /** Size of one head (`head_dim`, else `hidden_size / num_attention_heads`). */
  headDim: number;
  /** Width of the residual stream (`hidden_size`): the length of a hidden-state vector. */
  hiddenSize: number;
  /** Width of the feed-forward layer (`intermediate_size`, else 4 × `hidden_size`). */
  intermediateSize: number;
  /** Vocabulary size (`vocab_size`). */
  vocabSize: number;
  /** Longest sequence the positions support (`max_position_embeddings`), or Infinity. */
  maxPositions: number;
  /** Token ids that end generation (union of config and generation config). */
  eosTokenIds: number[];
  /** Beginning-of-sequence token, if any. */
  bosTokenId: number | null;
  /** Id used for padding slots (masked, never attended): pad, else eos, else 0. */
  padTokenId: number;
  /** `model_type` from the config (for messages). */
  modelType: string;
}

/** Everything read from a model folder, parsed but not yet turned into live objects. */
export interface ModelFolder {
  /** The folder as given. */
  dir: string;
  /** Path of the ONNX graph that will be loaded. */
  modelPath: string;
  /** Raw `config.json`. */
  config: Record<string, unknown>;
  /** Raw `generation_config.json` (empty object when the file is absent). */
  generationConfig: Record<string, unknown>;
  /** Raw `tokenizer.json`. */
  tokenizerJson: Record<string, unknown>;
  /** Raw `tokenizer_config.json`. */
  tokenizerConfig: Record<string, unknown>;
  /** The architecture facts derived from the configs. */
  shape: ModelShape;
}

/** Options of {@linkcode loadModelFolder}. */
export interface LoadFolderOptions {
  /** ONNX file inside the folder (default `onnx/model.onnx`). */
  modelFile?: string;
}

/** Read and parse a JSON file; a missing or malformed file gives one line naming it. */
export async function readJsonFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`onnx model: missing file ${path}`);
    throw new Error(`onnx model: cannot read ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`onnx model: corrupt JSON in ${path}: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`onnx model: ${path} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function ids(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === "number");
  return [];
}

function positiveInt(config: Record<string, unknown>, key: string, path: string): number {
  const v = config[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new Error(`onnx model: ${path} needs a positive integer "${key}" (got ${String(v)})`);
  }
  return v;
}

/**
 * Derive the {@linkcode ModelShape} from `config.json` (text configs nested under `text_config`
 * are accepted) and `generation_config.json`.
 *
 * @example
 * ```ts
 * const shape = modelShape({ num_hidden_layers: 2, num_attention_heads: 4, hidden_size: 64,
 *   vocab_size: 100, eos_token_id: 2 }, {}, "config.json");
 * shape.headDim; // 16
 * ```
 */
export function modelShape(
  rawConfig: Record<string, unknown>,
  generationConfig: Record<string, unknown>,
  path = "config.json",
): ModelShape {
  const config = (typeof rawConfig.text_config === "object" && rawConfig.text_config !== null)
    ? { ...rawConfig, ...(rawConfig.text_config as Record<string, unknown>) }
    : rawConfig;
  const numLayers = positiveInt(config, "num_hidden_layers", path);
  const numHeads = positiveInt(config, "num_attention_heads", path);
  const hiddenSize = positiveInt(config, "hidden_size", path);
  const vocabSize = positiveInt(config, "vocab_size", path);
  const numKvHeads = config.num_key_value_heads === undefined || config.num_key_value_heads === null
    ? numHeads
    : positiveInt(config, "num_key_value_heads", path);
  const headDim = typeof config.head_dim === "number" ? config.head_dim : hiddenSize / numHeads;
  if (!Number.isInteger(headDim)) {
    throw new Error(`onnx model: ${path}: hidden_size ${hiddenSize} not divisible by heads`);
  }
  const eos = [...new Set([...ids(config.eos_token_id), ...ids(generationConfig.eos_token_id)])];
  const bos = ids(generationConfig.bos_token_id ?? config.bos_token_id)[0] ?? null;
  const pad = ids(generationConfig.pad_token_id ?? config.pad_token_id)[0] ?? eos[0] ?? 0;
  const maxPos = config.max_position_embeddings;
  return {
    numLayers,
    numHeads,
    numKvHeads,
    headDim,
    hiddenSize,
    intermediateSize: typeof config.intermediate_size === "number" && config.intermediate_size > 0
      ? config.intermediate_size
      : 4 * hiddenSize,
    vocabSize,
    maxPositions: typeof maxPos === "number" && maxPos > 0 ? maxPos : Infinity,
    eosTokenIds: eos,
    bosTokenId: bos,
    padTokenId: pad,
    modelType: typeof config.model_type === "string" ? config.model_type : "unknown",
  };
}

/**
 * Read a model folder. Throws a one-line error naming the path when the folder, a required file or
 * the ONNX graph is missing, or a JSON file is corrupt.
 *
 * @example
 * ```ts
 * const folder = await loadModelFolder("models/embedded");
 * console.log(folder.shape.numLayers, folder.modelPath);
 * ```
 */
export async function loadModelFolder(
  dir: string,
  options: LoadFolderOptions = {},
): Promise<ModelFolder> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    throw new Error(`onnx model: model folder not found: ${dir}`);
  }
  if (!info.isDirectory) throw new Error(`onnx model: not a folder: ${dir}`);
  const configPath = join(dir, "config.json");
  const config = await readJsonFile(configPath);
  const genPath = join(dir, "generation_config.json");
  let generationConfig: Record<string, unknown> = {};
  try {
    await Deno.stat(genPath);
    generationConfig = await readJsonFile(genPath);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const tokenizerJson = await readJsonFile(join(dir, "tokenizer.json"));
  const tokenizerConfig = await readJsonFile(join(dir, "tokenizer_config.json"));
  const modelPath = join(dir, options.modelFile ?? join("onnx", "model.onnx"));
  try {
    const st = await Deno.stat(modelPath);
    if (!st.isFile || st.size === 0) throw new Error("empty");
  } catch {
    throw new Error(`onnx model: missing or empty ONNX file ${modelPath}`);
  }
  return {
    dir,
    modelPath,
    config,
    generationConfig,
    tokenizerJson,
    tokenizerConfig,
    shape: modelShape(config, generationConfig, configPath),
  };
}
