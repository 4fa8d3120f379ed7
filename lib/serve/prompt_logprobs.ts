/**
 * vLLM's `prompt_logprobs` for the model server: for every prompt token after the first, its
 * log-probability, its rank and its text, plus the `k` most likely alternatives, read by one
 * teacher-forced pass over the prompt (what `Policy.logprobs` asks a server for).
 *
 * @module
 */
import type { OnnxRunner } from "../models/onnx/runner.ts";
import type { Batcher } from "./batcher.ts";

/** One position: token id → its log-probability, rank (1 = most likely) and text. */
export type PromptLogprobRow = Record<
  string,
  { logprob: number; rank: number; decoded_token: string }
>;

/**
 * `prompt_logprobs` of each prompt: `[null, row, row, ...]`, one row per token after the first.
 *
 * @example
 * ```ts
 * import type { OnnxRunner } from "../models/onnx/runner.ts";
 * import type { Batcher } from "./batcher.ts";
 * import { readPromptLogprobs } from "./prompt_logprobs.ts";
 * declare const runner: OnnxRunner;
 * declare const batcher: Batcher;
 * const [rows] = await readPromptLogprobs(runner, batcher, [[1, 4, 20, 21]], 0);
 * ```
 */
export async function readPromptLogprobs(
  runner: OnnxRunner,
  batcher: Batcher,
  prompts: readonly (readonly number[])[],
  k: number,
): Promise<(PromptLogprobRow | null)[][]> {
  const rows = await batcher.exclusive(async () => {
    const nodes = prompts.map((ids) => runner.cache.nodeFor(ids));
    nodes.forEach((n) => runner.cache.retain(n));
    try {
      return await runner.encode(prompts.map((ids, i) => ({
        node: nodes[i],
        to: ids.length,
        logitsAt: Array.from({ length: ids.length - 1 }, (_, j) => j),
      })));
    } finally {
      nodes.forEach((n) => runner.cache.release(n));
    }
  });
  return prompts.map((ids, i) => [
    null,
    ...rows[i].logits.map((row, j) => {
      let max = -Infinity;
      for (const x of row) max = Math.max(max, x);
      let sum = 0;
      for (const x of row) sum += Math.exp(x - max);
      const lse = max + Math.log(sum);
      const entry = (t: number) => ({
        logprob: row[t] - lse,
        rank: 1 + row.reduce((c, x) => c + (x > row[t] ? 1 : 0), 0),
        decoded_token: runner.codec.decode([t]),
      });
      const out: PromptLogprobRow = {};
      out[ids[j + 1]] = entry(ids[j + 1]);
      if (k > 0) {
        const top = Array.from(row.keys()).sort((a, b) => row[b] - row[a]).slice(0, k);
        for (const t of top) out[t] ??= entry(t);
      }
      return out;
    }),
  ]);
}
