/**
 * Serving a process reward model folder the way vLLM serves Qwen2.5-Math-PRM-7B with the pooling
 * runner: `POST /pooling` (and `/v1/pooling`) takes the PRM chat (`messages`: system, user
 * question, assistant steps each followed by `<extra_0>`) or raw `input` text with the tags
 * written in, runs the token classifier once per input, and answers one `[P(wrong), P(right)]`
 * row per step tag (vLLM's STEP pooler). `/v1/models` lists it with `pooling: "step"`; the text
 * generation routes answer 400.
 *
 * A folder is a PRM when its `config.json` has `step_separator` or an architecture ending in
 * `ForProcessRewardModel` ({@linkcode isRewardModelFolder}).
 *
 * @module
 */
import { loadModelFolder, readJsonFile } from "../models/onnx/folder.ts";
import { createTextCodec } from "../models/onnx/tokenizer.ts";
import { onnxLogitsForward, renderChat } from "../rewards/mod.ts";
import { httpError } from "./errors.ts";
import { type Route, routeHandler, type ServerLimits } from "./routes.ts";
import { parsePoolingBody } from "./validate.ts";

/** The step tag of the Qwen2.5-Math-PRM contract. */
const TAG = "<extra_0>";

/** A loaded app: its name, request handler and cleanup. */
export interface RewardApp {
  readonly name: string;
  handler(req: Request): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Whether `dir/config.json` describes a process reward model.
 *
 * @example
 * ```ts
 * await isRewardModelFolder("models/prm"); // true
 * await isRewardModelFolder("models/embedded"); // false
 * ```
 */
export async function isRewardModelFolder(dir: string): Promise<boolean> {
  try {
    const c = await readJsonFile(`${dir}/config.json`);
    const arch = Array.isArray(c.architectures) ? c.architectures.map(String) : [];
    return typeof c.step_separator === "string" ||
      arch.some((a) => a.endsWith("ForProcessRewardModel"));
  } catch {
    return false;
  }
}

/** Probability of class 1 over a row's two logits. */
function rightProbability(a: number, b: number): number {
  const m = Math.max(a, b);
  const ea = Math.exp(a - m);
  const eb = Math.exp(b - m);
  return eb / (ea + eb);
}

/**
 * Load a PRM folder and build its request handler.
 *
 * @example
 * ```ts
 * const app = await createRewardApp({ model: "models/prm" });
 * const res = await app.handler(new Request("http://x/pooling", {
 *   method: "POST",
 *   body: JSON.stringify({ messages: [
 *     { role: "user", content: "Calculate 2 + 3." },
 *     { role: "assistant", content: "Step 1: 2 + 3 = 5<extra_0>The answer is \\boxed{5}.<extra_0>" },
 *   ] }),
 * }));
 * ```
 */
export async function createRewardApp(
  options: {
    model: string;
    servedModelName?: string;
    intraOpNumThreads?: number;
    limits?: ServerLimits;
  },
): Promise<RewardApp> {
  const folder = await loadModelFolder(options.model);
  const codec = createTextCodec(folder);
  const tagIds = codec.encode(TAG);
  if (tagIds.length !== 1) throw new Error(`${options.model}: ${TAG} is not one token`);
  const tagId = tagIds[0];
  const template = folder.tokenizerConfig.chat_template;
  if (typeof template !== "string") throw new Error(`${options.model}: no chat_template`);
  const str = (v: unknown) =>
    typeof v === "string" ? v : (v as { content?: string } | undefined)?.content;
  const specials = {
    bos_token: str(folder.tokenizerConfig.bos_token),
    eos_token: str(folder.tokenizerConfig.eos_token),
  };
  const forward = await onnxLogitsForward(options.model, {
    intraOpNumThreads: options.intraOpNumThreads,
  });
  const name = options.servedModelName ?? options.model;
  const maxLen = folder.shape.maxPositions;
  const created = Math.floor(Date.now() / 1000);
  // one forward at a time: onnxruntime sessions are not shared between concurrent runs here
  let lock: Promise<unknown> = Promise.resolve();
  let ids = 0;

  const score = async (text: string, at: string) => {
    const tokens = codec.encode(text);
    if (!tokens.includes(tagId)) throw httpError(400, `${at} has no ${TAG} step tag to score`, at);
    if (tokens.length > maxLen) {
      throw httpError(400, `${at}: ${tokens.length} tokens exceed the context (${maxLen})`, at);
    }
    const run = lock.then(() => forward(tokens));
    lock = run.catch(() => {});
    const { logits, width } = await run;
    if (width !== 2) throw httpError(500, `${options.model}: ${width} logits per token, not 2`);
    const rows: number[][] = [];
    tokens.forEach((t, i) => {
      if (t !== tagId) return;
      const p = rightProbability(logits[2 * i], logits[2 * i + 1]);
      rows.push([1 - p, p]);
    });
    return { rows, tokens: tokens.length };
  };

  const pooling = async (body: unknown) => {
    const b = parsePoolingBody(body);
    if (b.model !== undefined && b.model !== name) {
      throw httpError(404, `model "${b.model}" is not served here (serving "${name}")`, "model");
    }
    const texts = b.messages ? [renderChat(template, b.messages, specials)] : b.inputs!;
    const out = [];
    let used = 0;
    for (const [i, t] of texts.entries()) {
      const { rows, tokens } = await score(t, b.messages ? "messages" : `input[${i}]`);
      out.push(rows);
      used += tokens;
    }
    return Response.json({
      id: `pool-${++ids}`,
      object: "list",
      created: Math.floor(Date.now() / 1000),
      model: name,
      data: out.map((d, index) => ({ index, object: "pooling", data: d })),
      usage: { prompt_tokens: used, total_tokens: used },
    });
  };
  const generation = () =>
    Promise.reject(
      httpError(400, `${name} is a process reward model: score steps with POST /pooling`),
    );
  const routes: Record<string, Route> = {
    "/health": { method: "GET", run: () => Promise.resolve(Response.json({ status: "ok" })) },
    "/v1/models": {
      method: "GET",
      run: () =>
        Promise.resolve(Response.json({
          object: "list",
          data: [{
            id: name,
            object: "model",
            created,
            owned_by: "ttsearch",
            root: options.model,
            max_model_len: maxLen,
            pooling: "step",
          }],
        })),
    },
    "/pooling": { method: "POST", run: pooling },
    "/v1/pooling": { method: "POST", run: pooling },
    "/v1/completions": { method: "POST", run: generation },
    "/v1/chat/completions": { method: "POST", run: generation },
  };
  return {
    name,
    handler: routeHandler(routes, options.limits),
    close: async () => {
      await lock;
    },
  };
}
