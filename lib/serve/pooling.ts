/**
 * `/pooling` for the model server: step scores from a trained head (`lib/rewards/head.ts`: value,
 * PRM or twist head) on the policy's own final hidden states, returned in the shape vLLM gives for
 * Qwen2.5-Math-PRM (one `[1 - p, p]` pair per `<extra_0>` step tag), so the same client scorer
 * talks to vLLM and to this server.
 *
 * Input: `messages` (the Qwen PRM chat: user question, assistant steps each followed by
 * `<extra_0>`; the prompt is the conversation before the assistant turn, rendered with a
 * generation prompt) or `input` (raw texts with tags). The score of tag `k` is the head on the
 * hidden state of the last token of `prompt + steps[0..k]`: the state {@linkcode headScorer} reads
 * in process, so HTTP and in-process scores agree.
 *
 * @module
 */
import type { OnnxRunner } from "../models/onnx/runner.ts";
import { type Head, headProbability } from "../rewards/head.ts";
import type { Batcher } from "./batcher.ts";
import type { ChatPrompter } from "./chat.ts";
import { httpError } from "./errors.ts";
import type { PoolingBody } from "./validate.ts";

/** The step tag of Qwen2.5-Math-PRM (token id 151651 in its vocabulary). */
export const STEP_TAG = "<extra_0>";

/** Scores of one pooling request. */
export interface PoolingResult {
  /** Per input, one `[1 - p, p]` row per step tag. */
  data: number[][][];
  /** Tokens read (longest prefix of each input). */
  promptTokens: number;
}

/** Token ids of each tagged prefix of one input: `base ++ encode(parts[0..k])` for each tag k. */
function prefixes(runner: OnnxRunner, base: readonly number[], text: string, at: string) {
  const parts = text.split(STEP_TAG);
  if (parts.length < 2) {
    throw httpError(400, `${at} has no ${STEP_TAG} step tag to score`, at);
  }
  const out: number[][] = [];
  for (let k = 1; k < parts.length; k++) {
    out.push([...base, ...runner.codec.encode(parts.slice(0, k).join(""))]);
  }
  return out;
}

/**
 * Score a validated pooling body with `head` (or fail with a 400 naming what is missing).
 *
 * @example
 * ```ts
 * import type { OnnxRunner } from "../models/onnx/runner.ts";
 * import type { Head } from "../rewards/head.ts";
 * import type { Batcher } from "./batcher.ts";
 * import type { ChatPrompter } from "./chat.ts";
 * declare const runner: OnnxRunner;
 * declare const batcher: Batcher;
 * declare const chat: ChatPrompter;
 * declare const head: Head; // a prm head
 * const { data } = await poolWithHead(runner, batcher, chat, head, {
 *   messages: [{ role: "user", content: "Q" }, { role: "assistant", content: "a\n\n<extra_0>" }],
 * });
 * ```
 */
export async function poolWithHead(
  runner: OnnxRunner,
  batcher: Batcher,
  chat: ChatPrompter,
  head: Head | null,
  body: PoolingBody,
): Promise<PoolingResult> {
  if (!head) {
    throw httpError(
      400,
      "/pooling needs a scoring head: start the server with --head FILE (a value, prm or twist head)",
    );
  }
  if (!runner.io.hiddenOutput) {
    throw httpError(400, `/pooling: model ${runner.name} has no last_hidden_state output`);
  }
  let seqs: number[][][];
  if (body.messages) {
    const last = body.messages.at(-1)!;
    if (last.role !== "assistant") {
      throw httpError(
        400,
        `/pooling messages must end with the assistant turn holding ${STEP_TAG} tags`,
        "messages",
      );
    }
    const base = chat.ids(body.messages.slice(0, -1), true, false);
    const at = `messages[${body.messages.length - 1}].content`;
    seqs = [prefixes(runner, base, last.content, at)];
  } else {
    seqs = body.inputs!.map((t, i) => prefixes(runner, [], t, `input[${i}]`));
  }
  const flat = seqs.flat();
  const limit = runner.shape.maxPositions;
  flat.forEach((ids) => {
    if (ids.length > limit) {
      throw httpError(400, `pooling input of ${ids.length} tokens exceeds the context (${limit})`);
    }
  });
  const hidden = await batcher.exclusive(async () => {
    const nodes = flat.map((ids) => runner.cache.nodeFor(ids));
    nodes.forEach((n) => runner.cache.retain(n));
    try {
      return await runner.encode(
        flat.map((ids, i) => ({ node: nodes[i], to: ids.length, hiddenAt: [ids.length - 1] })),
      );
    } finally {
      nodes.forEach((n) => runner.cache.release(n));
    }
  });
  let r = 0;
  const data = seqs.map((s) =>
    s.map(() => {
      const p = headProbability(head, hidden[r++].hidden[0]);
      return [1 - p, p];
    })
  );
  return { data, promptTokens: seqs.reduce((a, s) => a + s[s.length - 1].length, 0) };
}
