/**
 * Next-token choice from a logits row: greedy, or temperature sampling with top-k, top-p (nucleus)
 * and min-p, applied in the Hugging Face order (temperature, top-k, top-p, min-p; min-p is
 * relative to the top probability, which the other filters keep, so its place does not matter).
 *
 * Ties are broken towards the lower token id everywhere, so `topK: 1` equals greedy exactly.
 *
 * @module
 */

/** How to pick the next token. */
export interface SamplingParams {
  /** Softmax temperature; 0 (or below) is greedy. */
  temperature: number;
  /** Keep the k most likely tokens (0 = off). */
  topK: number;
  /** Keep the smallest set of most likely tokens whose mass reaches `topP` (1 = off). */
  topP: number;
  /** Drop tokens whose probability is below `minP` times the top one (0 = off). */
  minP: number;
}

/**
 * Index of the largest value (lowest index on ties).
 *
 * @example
 * ```ts
 * argmax(new Float32Array([1, 3, 3])); // 1
 * ```
 */
export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  let bestValue = x[0];
  for (let i = 1; i < x.length; i++) {
    if (x[i] > bestValue) {
      bestValue = x[i];
      best = i;
    }
  }
  return best;
}

/**
 * log(sum(exp(x))), computed stably in float64.
 *
 * @example
 * ```ts
 * logSumExp(new Float32Array([0, 0])); // Math.log(2)
 * ```
 */
export function logSumExp(x: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - m);
  return m + Math.log(s);
}

/** The k-th largest value of `x` (1-based), by quickselect on a copy: O(V) on average. */
function kthLargest(x: ArrayLike<number>, k: number): number {
  const a = Float64Array.from(x);
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1; // position in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}

/**
 * Choose the next token from `logits` (already edited by any logits hook). `uniform` supplies
 * numbers in [0, 1); it is called once per sampled token and never for greedy choice, so a
 * sequence's random stream depends only on its own tokens.
 *
 * @example
 * ```ts
 * import { rng } from "../../core/random.ts";
 * declare const logits: Float32Array; // one vocabulary-sized row
 * const r = rng(1);
 * const id = sampleToken(logits, { temperature: 0.8, topK: 0, topP: 0.95, minP: 0 }, r.uniform);
 * ```
 */
export function sampleToken(
  logits: Float32Array,
  params: SamplingParams,
  uniform: () => number,
): number {
  const { temperature, topK, topP, minP } = params;
  if (!(temperature > 0) || topK === 1) return argmax(logits);
  const V = logits.length;
  const max = logits[argmax(logits)];
  // Candidate ids after top-k (ascending id order, which fixes tie-breaking).
  let cand: Int32Array;
  if (topK > 0 && topK < V) {
    const thr = kthLargest(logits, topK);
    let above = 0;
    for (let i = 0; i < V; i++) if (logits[i] > thr) above++;
    let ties = topK - above; // take the lowest ids among values equal to the threshold
    cand = new Int32Array(topK);
    let n = 0;
    for (let i = 0; i < V; i++) {
      const l = logits[i];
      if (l > thr || (l === thr && ties-- > 0)) cand[n++] = i;
    }
  } else {
    cand = new Int32Array(V);
    for (let i = 0; i < V; i++) cand[i] = i;
  }
  // Unnormalised probabilities relative to the top token (which always survives).
  const w = new Float64Array(cand.length);
  const invT = 1 / temperature;
  let total = 0;
  for (let c = 0; c < cand.length; c++) {
    const p = Math.exp((logits[cand[c]] - max) * invT);
    w[c] = p;
    total += p;
  }
  if (topP < 1) {
    const order = Array.from(cand.keys()).sort((a, b) => w[b] - w[a] || cand[a] - cand[b]);
    const limit = topP * total;
    let acc = 0;
    let kept = 0;
    for (const c of order) {
      if (kept > 0 && acc >= limit) w[c] = 0; // outside the nucleus
      else {
        acc += w[c];
        kept++;
      }
    }
    total = acc;
  }
  if (minP > 0) {
    total = 0;
    for (let c = 0; c < w.length; c++) {
      if (w[c] < minP) w[c] = 0; // w is p / p_max already
      total += w[c];
    }
  }
  const u = uniform() * total;
  let acc = 0;
  let last = cand[0];
  for (let c = 0; c < w.length; c++) {
    if (w[c] === 0) continue;
    acc += w[c];
    last = cand[c];
    if (u < acc) return cand[c];
  }
  return last;
}
