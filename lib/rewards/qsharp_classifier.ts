/**
 * The Q# token classifier (docs/algorithms.md §7.1–7.2) over a trained `qsharp` head: for the
 * decoding position's hidden state h (`LogitsContext.hidden`) and candidate tokens a, the
 * probability σ(z_a) that π_ref finishes correct after taking a, with
 * `z_a = b + w·f(h) + c_a + u_a·f(h)`
 * (state value + per-token advantage; see `lib/rewards/head.ts` for why this form). Plugs into
 * `lib/search/qsharp.ts` as its `TokenValue`.
 *
 * @example
 * ```ts
 * import type { LogitsContext } from "../core/types.ts";
 * import { loadHead } from "./head_file.ts";
 * declare const ctx: LogitsContext; // a logits hook's argument
 * const classifier = qsharpClassifier(await loadHead("models/heads/qsharp.json", { kind: "qsharp" }));
 * const probs = await classifier.scoreCandidates(ctx, [17, 20, 31]);
 * ```
 *
 * @module
 */
import type { LogitsContext } from "../core/types.ts";
import { candidateLogits, type Head, sigmoid } from "./head.ts";

/** The `TokenValue` shape of `lib/search/qsharp.ts`. */
export interface TokenClassifier {
  /** One probability per candidate token, in `candidates` order. */
  scoreCandidates(ctx: LogitsContext, candidates: number[]): Promise<Float32Array>;
}

/**
 * A Q# classifier from a `qsharp` head; needs a backend that passes hidden states to logits hooks.
 */
export function qsharpClassifier(head: Head): TokenClassifier {
  if (head.kind !== "qsharp") throw new Error(`Q# classifier given a ${head.kind} head`);
  return {
    scoreCandidates(ctx, candidates) {
      if (!ctx.hidden) {
        return Promise.reject(
          new Error("Q# classifier: the backend passes no hidden state to logits hooks"),
        );
      }
      const z = candidateLogits(head, ctx.hidden, candidates);
      return Promise.resolve(Float32Array.from(z, sigmoid));
    },
  };
}
