/**
 * Step-tag PRM scorers (docs/algorithms.md §1.3): build the format's input text, tokenize, run the
 * model once over the whole sequence, read P(step correct) at the tag positions. The model side is
 * one function from token ids to logits, so the scorer is tested with fake logits; for a real
 * Hugging Face ONNX PRM folder use {@linkcode onnxStepTagPrm}.
 *
 * @example
 * ```ts
 * const prm = await onnxStepTagPrm("models/qwen2.5-math-prm-onnx", "qwen-prm");
 * const [[s1, s2]] = await prm.score([{ problem: "2+3?", steps: ["2+3=5\n\n", "\\boxed{5}"] }]);
 * ```
 *
 * @module
 */
import * as ort from "onnxruntime-node";
import type { Scorer, ScoreRequest } from "../core/types.ts";
import { loadModelFolder } from "../models/onnx/folder.ts";
import { createTextCodec } from "../models/onnx/tokenizer.ts";
import { MATH_SHEPHERD_TAG, type PrmFormat, prmInputText, QWEN_PRM_TAG } from "./prm_format.ts";
import { type StepTagIds, stepTagScores } from "./step_tag_scores.ts";

/** Logits of one token sequence: `[ids.length, width]` row-major. */
export type LogitsForward = (
  ids: readonly number[],
) => Promise<{ logits: Float32Array; width: number }>;

/** What {@linkcode stepTagPrmScorer} needs. */
export interface StepTagPrmOptions {
  /** Scorer name. */
  name: string;
  /** Which format. */
  format: PrmFormat;
  /** Tokenizer: text (special tokens written out) → ids. */
  encode: (text: string) => number[];
  /** The model. */
  forward: LogitsForward;
  /** Token ids the format reads. */
  ids: StepTagIds;
  /** System prompt (math-shepherd: sal's default; qwen-prm: the Qwen PRM system message). */
  systemPrompt?: string;
  /** The folder's chat template (chat formats). */
  template?: string;
  /** Special tokens for the template. */
  specials?: { bos_token?: string; eos_token?: string };
}

/**
 * A {@linkcode Scorer} over a step-tag PRM. Each request's steps must map one-to-one to tags
 * (a step containing `"\n\n"` inside would not): otherwise a one-line error says so.
 *
 * @example
 * ```ts
 * declare const encode: (text: string) => number[];
 * declare const forward: LogitsForward; // e.g. fake logits in a test
 * const ids = { format: "qwen-prm", tagId: 151651 } as const;
 * const scorer = stepTagPrmScorer({ name: "fake", format: "qwen-prm", encode, forward, ids });
 * ```
 */
export function stepTagPrmScorer(o: StepTagPrmOptions): Scorer {
  const one = async (r: ScoreRequest): Promise<number[]> => {
    if (r.steps.length === 0) return [];
    const text = prmInputText(o.format, r.problem, r.steps, {
      systemPrompt: o.systemPrompt,
      template: o.template,
      stepwise: true,
      ...o.specials,
    });
    const ids = o.encode(text);
    const { logits, width } = await o.forward(ids);
    const scores = stepTagScores(ids, logits, width, { ...o.ids, format: o.format });
    if (scores.length !== r.steps.length) {
      throw new Error(
        `${o.name}: ${scores.length} step tags for ${r.steps.length} steps (each step must map to one tag)`,
      );
    }
    return scores;
  };
  return {
    name: o.name,
    async score(requests, options) {
      const out: number[][] = [];
      for (const r of requests) {
        const s = await one(r);
        out.push(options?.lastOnly ? s.slice(-1) : s);
      }
      return out;
    },
  };
}

/**
 * Full-sequence logits from an ONNX graph (one row, no cache): feeds `input_ids`,
 * `attention_mask`, `position_ids` where present, and empty `past_key_values.*` tensors where the
 * export has them (shape from `config.json`).
 *
 * @example
 * ```ts
 * const forward = await onnxLogitsForward("models/embedded");
 * const { logits, width } = await forward([1, 4, 20]);
 * ```
 */
export async function onnxLogitsForward(
  dir: string,
  options: { modelFile?: string; intraOpNumThreads?: number } = {},
): Promise<LogitsForward> {
  const folder = await loadModelFolder(dir, { modelFile: options.modelFile });
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(folder.modelPath, {
      executionProviders: ["cpu"],
      ...(options.intraOpNumThreads === undefined
        ? {}
        : { intraOpNumThreads: options.intraOpNumThreads }),
    });
  } catch (e) {
    throw new Error(
      `${folder.modelPath}: cannot load ONNX PRM (${String((e as Error).message).split("\n")[0]})`,
    );
  }
  const names = session.inputNames;
  const { numKvHeads, headDim } = folder.shape;
  const out = session.outputNames.includes("logits") ? "logits" : session.outputNames[0];
  return async (ids) => {
    const T = ids.length;
    const big = (xs: number[]) => new ort.Tensor("int64", BigInt64Array.from(xs, BigInt), [1, T]);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of names) {
      if (name === "input_ids") feeds[name] = big([...ids]);
      else if (name === "attention_mask") feeds[name] = big(new Array(T).fill(1));
      else if (name === "position_ids") feeds[name] = big(Array.from({ length: T }, (_, i) => i));
      else if (name.startsWith("past_key_values")) {
        feeds[name] = new ort.Tensor("float32", new Float32Array(0), [1, numKvHeads, 0, headDim]);
      } else if (name === "use_cache_branch") feeds[name] = new ort.Tensor("bool", [false], [1]);
      else throw new Error(`${folder.modelPath}: unsupported ONNX input "${name}"`);
    }
    const res = await session.run(feeds, [out]);
    const t = res[out];
    const width = t.dims[t.dims.length - 1] as number;
    const rows = t.dims.length === 3 ? (t.dims[1] as number) : T;
    if (rows !== T) {
      throw new Error(`${folder.modelPath}: logits have ${rows} positions for ${T} tokens`);
    }
    return { logits: t.data as Float32Array, width };
  };
}

/**
 * A step-tag PRM from a Hugging Face ONNX folder (`onnx/model.onnx`, tokenizer files, chat
 * template): tag ids are looked up in the tokenizer (`ки`, `<extra_0>`, `+`, `-`, and the Llama-3
 * assistant header for rlhflow).
 */
export async function onnxStepTagPrm(
  dir: string,
  format: PrmFormat,
  options: { systemPrompt?: string; intraOpNumThreads?: number } = {},
): Promise<Scorer> {
  const folder = await loadModelFolder(dir);
  const codec = createTextCodec(folder);
  const single = (s: string) => {
    const ids = codec.encode(s);
    return ids[ids.length - 1];
  };
  const ids: StepTagIds = format === "math-shepherd"
    ? { format, tagId: single(MATH_SHEPHERD_TAG), plusId: single("+"), minusId: single("-") }
    : format === "qwen-prm"
    ? { format, tagId: single(QWEN_PRM_TAG) }
    : {
      format,
      plusId: single("+"),
      minusId: single("-"),
      assistantHeader: codec.encode("<|start_header_id|>assistant<|end_header_id|>\n\n"),
    };
  const t = folder.tokenizerConfig.chat_template;
  const str = (v: unknown) =>
    typeof v === "string" ? v : (v as { content?: string } | undefined)?.content;
  return stepTagPrmScorer({
    name: `${format}:${dir}`,
    format,
    // sal tokenizes the Math-Shepherd text with the tokenizer's default BOS; chat templates write it.
    encode: (s) => {
      const bos = folder.shape.bosTokenId;
      return format === "math-shepherd" && bos !== null
        ? [bos, ...codec.encode(s)]
        : codec.encode(s);
    },
    forward: await onnxLogitsForward(dir, options),
    ids,
    systemPrompt: options.systemPrompt,
    template: format === "math-shepherd" || typeof t !== "string" ? undefined : t,
    specials: {
      bos_token: str(folder.tokenizerConfig.bos_token),
      eos_token: str(folder.tokenizerConfig.eos_token),
    },
  });
}
