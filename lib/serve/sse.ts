/**
 * Server-sent events for `"stream": true`: the answer cut into one piece per token, and the
 * `data:` lines of OpenAI's and vLLM's chunk format ending in `data: [DONE]`. The pieces are sent
 * once the answer is complete (the batched engine does not report tokens as they are made).
 *
 * @module
 */
import type { TextCodec } from "../models/onnx/tokenizer.ts";
import type { JobSample } from "./batcher.ts";

/**
 * A sample's text cut into one piece per token (incremental decode, clamped to the text, which
 * may end before the stop string's tokens).
 *
 * @example
 * ```ts
 * import type { TextCodec } from "../models/onnx/tokenizer.ts";
 * import type { JobSample } from "./batcher.ts";
 * import { tokenPieces } from "./sse.ts";
 * declare const codec: TextCodec;
 * declare const sample: JobSample;
 * tokenPieces(codec, sample).join("") === sample.text; // true
 * ```
 */
export function tokenPieces(codec: Pick<TextCodec, "decode">, s: JobSample): string[] {
  const out: string[] = [];
  let shown = 0;
  for (let k = 1; k <= s.tokens.length && shown < s.text.length; k++) {
    const upTo = Math.min(codec.decode(s.tokens.slice(0, k)).length, s.text.length);
    if (upTo > shown) {
      out.push(s.text.slice(shown, upTo));
      shown = upTo;
    }
  }
  if (shown < s.text.length) out.push(s.text.slice(shown));
  return out;
}

/**
 * A server-sent-events response: one `data:` line per chunk, then `data: [DONE]`.
 *
 * @example
 * ```ts
 * import { sse } from "./sse.ts";
 * const res = sse([{ choices: [{ index: 0, text: "4" }] }]);
 * res.headers.get("content-type"); // "text/event-stream"
 * ```
 */
export function sse(chunks: readonly unknown[]): Response {
  const body = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
  return new Response(new TextEncoder().encode(body), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
