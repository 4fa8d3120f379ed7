/**
 * A small head on frozen policy hidden states: standardise, then linear (or one tanh hidden
 * layer), giving one logit. The kind decides the link:
 *
 * - `value` — AlphaMath value head (docs/algorithms.md §5.6): `v = tanh(z)` in [−1, 1], trained by
 *   MSE to the outcome ±1; as a probability `(v + 1) / 2` (= σ(2z)).
 * - `twist` — TSMC twist ψ = σ(z) (§4.2/§4.3, trained with CTL, [UNVERIFIED] against the paper code).
 * - `prm` — step-correctness probability σ(z), BCE on step labels (§1.3 PRM semantics).
 * - `qsharp` — Q# classifier (§7.2): σ(z_a) = P(the π_ref rollout ends correct | prefix, next
 *   token a). Design choice: the classifier reads the hidden state h of the prefix (the one the
 *   decoder already has when choosing the next token, `LogitsContext.hidden`) and scores every
 *   candidate at once with `z_a = b + w·f(h) + c_a + u_a·f(h)` — a shared state value plus a
 *   per-token advantage (weight-decayed, so rare tokens fall back to the state value). The
 *   alternative, a scalar head on the hidden state after appending each candidate (the paper's
 *   1B classifier run on prefix + a), needs K extra forward positions per decoded token; with the
 *   small character-level embedded vocabulary the per-token rows are cheap and well covered.
 *
 * Plain typed arrays, no ML framework: with hidden ≤ 256 and ≤ 1e5 examples a hand-written
 * forward/backward pass is a few dozen lines and trains in seconds.
 *
 * @example
 * ```ts
 * declare const head: Head;
 * declare const hiddenState: Float32Array; // length head.dim
 * const p = headProbability(head, hiddenState); // in [0, 1]
 * ```
 *
 * @module
 */

/** What a head predicts. */
export type HeadKind = "value" | "twist" | "prm" | "qsharp";

/** Every head kind. */
export const HEAD_KINDS: readonly HeadKind[] = ["value", "twist", "prm", "qsharp"];

/** The model whose hidden states a head reads. */
export interface FeatureModel {
  /** Policy name (model folder). */
  name: string;
  /** Hidden size. */
  dim: number;
  /** Which activation: the `last_hidden_state` output of the ONNX policy. */
  output: string;
  /** Where in the sequence: e.g. "last token of each step" or "every token". */
  position: string;
  /** Content hash of the model file, where known (detects a retrained policy). */
  sha256?: string;
}

/** The card shipped with a head: what it is, what it was trained on, how good it is. */
export interface HeadCard {
  /** Head kind. */
  kind: HeadKind;
  /** Seed of initialisation and shuffling. */
  seed: number;
  /** Training data description (feature folder, counts, split). */
  data: Record<string, unknown>;
  /** Held-out metrics (AUC, loss...). */
  metrics: Record<string, number | null>;
  /** The model the features came from. */
  featureModel: FeatureModel;
  /** Training settings (lr, batch, epochs, hidden...). */
  training: Record<string, unknown>;
  /** Free-form notes (e.g. [UNVERIFIED] markers). */
  notes?: string[];
}

/** A trained head: parameters plus card. */
export interface Head {
  /** Head kind (decides the link function). */
  kind: HeadKind;
  /** Input (hidden state) size. */
  dim: number;
  /** Hidden units of the MLP; 0 means a linear head. */
  hidden: number;
  /** Per-feature mean used to standardise inputs. */
  mean: Float32Array;
  /** Per-feature standard deviation used to standardise inputs (> 0). */
  std: Float32Array;
  /** First layer weights, `hidden × dim` row-major (empty when linear). */
  w1: Float32Array;
  /** First layer biases (`hidden`, empty when linear). */
  b1: Float32Array;
  /** Output weights (`hidden`, or `dim` when linear). */
  w2: Float32Array;
  /** Output bias. */
  b2: number;
  /** Token rows of the Q# classifier (0 for state-only heads). */
  vocab: number;
  /** Per-token advantage weights, `vocab × (hidden || dim)` (empty when `vocab = 0`). */
  wa: Float32Array;
  /** Per-token advantage biases (`vocab`). */
  ba: Float32Array;
  /** The card. */
  card: HeadCard;
}

/** Trunk features of a hidden state: standardised input (linear head) or tanh hidden layer. */
function trunk(head: Head, h: ArrayLike<number>): Float64Array {
  const { dim, hidden, mean, std, w1, b1 } = head;
  if (h.length !== dim) {
    throw new Error(`head (${head.kind}) expects hidden size ${dim}, got ${h.length}`);
  }
  const x = new Float64Array(dim);
  for (let j = 0; j < dim; j++) x[j] = (h[j] - mean[j]) / std[j];
  if (hidden === 0) return x;
  const f = new Float64Array(hidden);
  for (let u = 0; u < hidden; u++) {
    let a = b1[u];
    const row = u * dim;
    for (let j = 0; j < dim; j++) a += w1[row + j] * x[j];
    f[u] = Math.tanh(a);
  }
  return f;
}

function baseLogit(head: Head, f: Float64Array): number {
  let z = head.b2;
  for (let j = 0; j < f.length; j++) z += head.w2[j] * f[j];
  return z;
}

function advantage(head: Head, f: Float64Array, token: number): number {
  if (!(token >= 0 && token < head.vocab)) {
    throw new Error(`head (${head.kind}) has ${head.vocab} token rows, got token ${token}`);
  }
  let a = head.ba[token];
  const row = token * f.length;
  for (let j = 0; j < f.length; j++) a += head.wa[row + j] * f[j];
  return a;
}

/**
 * The raw logit z of `head` on hidden state `h` (length `head.dim`). For a head with token rows
 * (`vocab > 0`, the Q# classifier) pass the candidate next `token`; without it the state-only
 * part is returned.
 *
 * @example
 * ```ts
 * declare const head: Head;
 * declare const h: Float32Array;
 * const z = headLogit(head, h);
 * ```
 */
export function headLogit(head: Head, h: ArrayLike<number>, token?: number): number {
  const f = trunk(head, h);
  const z = baseLogit(head, f);
  return token === undefined || head.vocab === 0 ? z : z + advantage(head, f, token);
}

/**
 * Q# classifier logits of several candidate next tokens from one hidden state (one trunk pass):
 * `z_a = b + w·f(h) + c_a + u_a·f(h)`.
 *
 * @example
 * ```ts
 * import type { LogitsContext } from "../core/types.ts";
 * declare const qsharpHead: Head;
 * declare const ctx: LogitsContext; // a logits hook's argument
 * const zs = candidateLogits(qsharpHead, ctx.hidden!, [17, 4, 9]);
 * ```
 */
export function candidateLogits(
  head: Head,
  h: ArrayLike<number>,
  tokens: readonly number[],
): Float64Array {
  if (head.vocab === 0) throw new Error(`head (${head.kind}) has no token rows`);
  const f = trunk(head, h);
  const z = baseLogit(head, f);
  return Float64Array.from(tokens, (t) => z + advantage(head, f, t));
}

/** The logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The head's output as a probability in [0, 1]: σ(z) for `twist`/`prm`/`qsharp`, and for `value`
 * the tanh value mapped by `(v + 1) / 2` (so v = −1 → 0, v = +1 → 1; the core Scorer contract).
 *
 * @example
 * ```ts
 * declare const head: Head;
 * declare const h: Float32Array;
 * headProbability(head, h); // 0.83
 * ```
 */
export function headProbability(head: Head, h: ArrayLike<number>, token?: number): number {
  const z = headLogit(head, h, token);
  return head.kind === "value" ? (Math.tanh(z) + 1) / 2 : sigmoid(z);
}

/**
 * The value-head output `tanh(z)` in [−1, 1] (AlphaMath §5.6); for other kinds `2σ(z) − 1`.
 *
 * @example
 * ```ts
 * declare const valueHead: Head;
 * declare const h: Float32Array;
 * headValue(valueHead, h); // e.g. 0.4
 * ```
 */
export function headValue(head: Head, h: ArrayLike<number>): number {
  return 2 * headProbability(head, h) - 1;
}
