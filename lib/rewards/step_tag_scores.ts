/**
 * Reading step scores out of a PRM's token logits at the step-tag positions
 * (docs/algorithms.md §1.3):
 *
 * - `math-shepherd`: at every position whose token is `ки`, softmax over the logits of the `+` and
 *   `-` tokens (ids 648, 387 for the Mistral tokenizer), take P(+).
 * - `qwen-prm`: the model emits 2-class logits per token; at every `<extra_0>`, softmax, take
 *   class 1.
 * - `rlhflow`: at the position *before* each assistant `+` (the one predicting it), softmax over
 *   the `+`/`-` logits, take P(+). The assistant `+` tokens are found as `+` right after the
 *   assistant header token ids.
 *
 * The session-level entry point takes logits (`[T, width]` row-major) and token ids, so it is
 * testable without a model.
 *
 * @example
 * ```ts
 * declare const ids: number[]; // the PRM's input tokens
 * declare const logits: Float32Array; // its class logits, [ids.length, width] row-major
 * const width = 2;
 * const scores = stepTagScores(ids, logits, width, { format: "qwen-prm", tagId: 151651 });
 * ```
 *
 * @module
 */
import type { PrmFormat } from "./prm_format.ts";

/** Token ids a format needs. */
export interface StepTagIds {
  /** Which format. */
  format: PrmFormat;
  /** Tag token id: `ки` (math-shepherd) or `<extra_0>` (qwen-prm); unused by rlhflow. */
  tagId?: number;
  /** `+` token id (math-shepherd, rlhflow). */
  plusId?: number;
  /** `-` token id (math-shepherd, rlhflow). */
  minusId?: number;
  /** Token ids of the assistant header before the `+` (rlhflow). */
  assistantHeader?: readonly number[];
}

/**
 * Positions whose logits hold the step scores, in step order.
 *
 * @example
 * ```ts
 * tagPositions([5, 9, 7, 9], { format: "math-shepherd", tagId: 9 }); // [1, 3]
 * ```
 */
export function tagPositions(ids: ArrayLike<number>, t: StepTagIds): number[] {
  const out: number[] = [];
  if (t.format === "rlhflow") {
    const h = t.assistantHeader ?? [];
    if (t.plusId === undefined || h.length === 0) {
      throw new Error("rlhflow scoring needs plusId and the assistant header token ids");
    }
    for (let p = h.length; p < ids.length; p++) {
      if (ids[p] !== t.plusId) continue;
      let match = true;
      for (let k = 0; k < h.length && match; k++) match = ids[p - h.length + k] === h[k];
      if (match) out.push(p - 1);
    }
    return out;
  }
  if (t.tagId === undefined) throw new Error(`${t.format} scoring needs the tag token id`);
  for (let p = 0; p < ids.length; p++) if (ids[p] === t.tagId) out.push(p);
  return out;
}

/** Softmax probability of `a` over the pair {a, b} of logits. */
function pairProb(a: number, b: number): number {
  const m = Math.max(a, b);
  const ea = Math.exp(a - m), eb = Math.exp(b - m);
  return ea / (ea + eb);
}

/**
 * Per-step probabilities from the logits of one sequence: `logits` is `[ids.length, width]`
 * row-major (`width` = vocabulary, or 2 for qwen-prm's class logits).
 *
 * @example
 * ```ts
 * // Two tags; P(+) = softmax([2, 0])[0] ≈ 0.881 and softmax([0, 0])[0] = 0.5.
 * const logits = [
 *   2, 0, 0, // token 0 (tag): logits of +, -, tag
 *   0, 0, 0, // token 1
 *   0, 0, 0, // token 2 (tag)
 * ];
 * stepTagScores([7, 1, 7], logits, 3, { format: "math-shepherd", tagId: 7, plusId: 0, minusId: 1 });
 * ```
 */
export function stepTagScores(
  ids: ArrayLike<number>,
  logits: ArrayLike<number>,
  width: number,
  t: StepTagIds,
): number[] {
  if (logits.length !== ids.length * width) {
    throw new Error(`stepTagScores: ${logits.length} logits for ${ids.length} tokens × ${width}`);
  }
  const at = (p: number, c: number) => logits[p * width + c];
  return tagPositions(ids, t).map((p) => {
    if (t.format === "qwen-prm") {
      if (width !== 2) {
        throw new Error(`qwen-prm scoring expects 2 class logits, got width ${width}`);
      }
      return pairProb(at(p, 1), at(p, 0));
    }
    if (t.plusId === undefined || t.minusId === undefined) {
      throw new Error(`${t.format} scoring needs plusId and minusId`);
    }
    return pairProb(at(p, t.plusId), at(p, t.minusId));
  });
}
