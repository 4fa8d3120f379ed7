/**
 * The native sampler: one onnxruntime run per decoding step over the batch's logits `[B, V]`
 * (the graph of `sampler_graph.ts`) gives each row its maximum, the mask of the tokens near the
 * top and the exponential sums over the rest, so that choosing a token
 * ({@linkcode chooseTokenNear}) reads only those tokens in JavaScript. On a 151,936-token
 * vocabulary that replaces two `Math.exp` per logit (about 3.5 ms a row) with vectorised passes
 * in onnxruntime; the runner uses it where the vocabulary is large (see `runner.ts`).
 *
 * @module
 */
import * as ort from "onnxruntime-node";
import { samplerGraph } from "./sampler_graph.ts";
import { ortSessionOptions, type SessionOptions } from "./session.ts";
import type { NearTop } from "./sampling.ts";

/**
 * Tokens within this many nats of the top (after the temperature) are read in JavaScript: the
 * top-p nucleus must end a quarter nat inside, or the row falls back to the full pass. With 10,
 * `bench/real_vocab.ts` (`models/random-qwen2`, temperature 0.8, top-p 0.95, 1,024 draws) leaves
 * no row to the full pass (`samplerFallbacks` 0); a wider span means more tokens to read.
 */
export const NEAR_SPAN = 10;

/** A session for the sampler graph. */
export interface NativeSampler {
  /** Summarise a step's logits, rows of `vocab`; `invT[r]` is row r's inverse temperature. */
  run(logits: Float32Array, vocab: number, invT: Float32Array): Promise<NearTop>;
  /** Release both sessions. */
  release(): Promise<void>;
}

/**
 * Open the sampler's sessions (one with temperatures, one for steps where every row has
 * temperature 1 or is greedy, which skips a pass), on the CPU with the decoder's thread settings.
 *
 * @example
 * ```ts
 * const sampler = await createNativeSampler({ intraOpNumThreads: 2 });
 * const near = await sampler.run(new Float32Array(2 * 64), 64, new Float32Array([1, 1.25]));
 * console.log(near.max);
 * await sampler.release();
 * ```
 */
export async function createNativeSampler(options: SessionOptions = {}): Promise<NativeSampler> {
  const opts = ortSessionOptions({ ...options, device: "cpu" });
  const tempered = await ort.InferenceSession.create(samplerGraph(NEAR_SPAN, true), opts);
  const plain = await ort.InferenceSession.create(samplerGraph(NEAR_SPAN, false), opts);
  return {
    async run(logits, vocab, invT) {
      const B = invT.length;
      const x = new ort.Tensor("float32", logits.subarray(0, B * vocab), [B, vocab]);
      const one = invT.every((t) => t === 1);
      const out = one
        ? await plain.run({ logits: x })
        : await tempered.run({ logits: x, inv_t: new ort.Tensor("float32", invT, [B, 1]) });
      const f = (name: string) => out[name].data as Float32Array;
      const floorExp = one ? new Float32Array(B).fill(f("floor_exp")[0]) : f("floor_exp");
      return {
        vocab,
        span: NEAR_SPAN,
        max: f("max"),
        keep: out.keep.data as Uint8Array,
        sum: f("sum"),
        floorExp,
        sumT: one ? f("sum") : f("sum_t"),
        floorExpT: one ? floorExp : f("floor_exp_t"),
        fallbacks: 0,
      };
    },
    async release() {
      await tempered.release();
      await plain.release();
    },
  };
}
