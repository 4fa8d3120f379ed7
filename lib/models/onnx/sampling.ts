/**
 * Next-token choice from a logits row: greedy, or temperature sampling with top-k, top-p (nucleus)
 * and min-p, applied in the Hugging Face order (temperature, top-k, top-p, min-p; min-p is
 * relative to the top probability, which the other filters keep, so its place does not matter).
 *
 * Ties are broken towards the lower token id everywhere, so `topK: 1` equals greedy exactly.
 *
 * Cost on a real vocabulary (151,936 logits per row). {@linkcode chooseToken} reads the row twice:
 * once for its maximum, once computing every probability (and, for the log-probability of the
 * chosen token, `logSumExp`) into reused buffers, so no vocabulary-sized array is allocated per
 * token. Top-p does not sort the vocabulary: the same pass files each token within 16 of the top
 * in `(logit - max) / temperature` into a bucket of width 1/8 (the rest into one more) and sums
 * each bucket's mass, the buckets from the top give a threshold whose set holds the nucleus, and
 * only that set (the nucleus and the rest of one bucket, typically tens to hundreds of tokens) is
 * sorted. The kept set, its mass and every floating-point sum are the ones a full sort gives (the
 * same terms added in the same order), so the tokens drawn from a random stream are unchanged;
 * when the set cannot be shown to hold the nucleus (top-p so near 1 that it reaches 16 below the
 * top, non-finite logits) the full sort runs instead.
 *
 * What remains is `Math.exp`: two per logit for a sampled token at a temperature other than 1
 * (the temperature's weights, and `logSumExp` for the log-probability), one otherwise, about 8 ns
 * each on a shared 2-core machine, so about 2.5 ms per row at 151,936 logits. Where the vocabulary
 * is large the runner therefore has onnxruntime make the passes over the whole row
 * (`native_sampler.ts`) and chooses with {@linkcode chooseTokenNear}, which reads only the tokens
 * near the top and does the rest exactly as here.
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
 * Whether these settings choose greedily: temperature 0 (or below), or top-k 1.
 *
 * @example
 * ```ts
 * isGreedy({ temperature: 0.8, topK: 1, topP: 1, minP: 0 }); // true
 * ```
 */
export function isGreedy(params: SamplingParams): boolean {
  return !(params.temperature > 0) || params.topK === 1;
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

// Buffers reused by every call (sampling is synchronous, so no two calls share them at once),
// grown to the largest row seen: weights, candidate ids, bucket links, nucleus members.
let weights = new Float64Array(0);
let ids = new Int32Array(0);
let links = new Int32Array(0);
let members = new Int32Array(0);
let gathered = new Float32Array(0);
function reserve(V: number): void {
  if (weights.length >= V) return;
  weights = new Float64Array(V);
  gathered = new Float32Array(V);
  ids = new Int32Array(V);
  links = new Int32Array(V);
  members = new Int32Array(V);
}

/**
 * Top-p buckets: width 1/PER_NAT in -(logit - max) / T, over the top SPAN nats; the last one
 * holds everything below (its members are linked only when the nucleus reaches it).
 */
const PER_NAT = 8;
const SPAN = 16;
const LAST = SPAN * PER_NAT;
const BUCKETS = LAST + 1;
const head = new Int32Array(BUCKETS);
const bucketMass = new Float64Array(BUCKETS);

/** The k-th largest value of `x` (1-based), by quickselect on a copy: O(V) on average. */
function kthLargest(x: ArrayLike<number>, k: number): number {
  const a = weights.subarray(0, x.length);
  for (let i = 0; i < x.length; i++) a[i] = x[i];
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
 * Top-p by a full sort of the `n` weights (descending, lower id first on ties): weights outside
 * the nucleus are set to 0; returns the nucleus mass.
 */
function nucleusBySort(w: Float64Array, n: number, topP: number, total: number): number {
  const order = Array.from({ length: n }, (_, c) => c).sort((a, b) => w[b] - w[a] || a - b);
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
  return acc;
}

/**
 * Min-p, then one draw over candidates `c < n` in ascending id order: candidate `c` is token
 * `id(c)` with weight `w[at(c)]`; zero weights are skipped, and `first` is returned when nothing
 * is drawn.
 */
function draw(
  w: Float64Array,
  n: number,
  at: (c: number) => number,
  id: (c: number) => number,
  first: number,
  minP: number,
  total: number,
  uniform: () => number,
): number {
  if (minP > 0) {
    total = 0;
    for (let c = 0; c < n; c++) {
      const k = at(c);
      if (w[k] < minP) w[k] = 0; // w is p / p_max already
      total += w[k];
    }
  }
  const u = uniform() * total;
  let acc = 0;
  let last = first;
  for (let c = 0; c < n; c++) {
    const k = at(c);
    if (w[k] === 0) continue;
    acc += w[k];
    last = id(c);
    if (u < acc) return last;
  }
  return last;
}

const identity = (c: number) => c;

/**
 * The nucleus without a full sort, after the bucket pass: the smallest run of buckets from the top
 * whose mass exceeds the limit gives the set of every weight at least that run's smallest one
 * (plus the ties in the next bucket), which is sorted and walked exactly as the full sort's order
 * would be. Returns the nucleus size (its indices into `w`, in `members`, ascending: token ids for
 * the full pass, candidate positions for {@linkcode chooseTokenNear}) and mass, or null when the
 * set cannot be shown to hold the nucleus (or it reaches bucket `lastBucket`).
 */
function nucleusByBuckets(
  w: Float64Array,
  x: Float32Array,
  max: number,
  invT: number,
  topP: number,
  total: number,
  lastBucket = LAST,
): { kept: number; mass: number } | null {
  if (!(total >= 1 && total < Infinity)) return null; // the top token alone weighs 1
  const limit = topP * total;
  const want = limit * (1 + 1e-9); // bucket sums are in another order than the walk's
  let mass = 0;
  let b = 0;
  for (; b < lastBucket; b++) {
    mass += bucketMass[b];
    if (mass >= want) break;
  }
  if (b >= lastBucket) return null;
  if (b + 1 === LAST) {
    // the boundary bucket is the rest, not linked in the first pass: link it now
    for (let i = 0; i < w.length; i++) {
      if (!(-(x[i] - max) * invT < SPAN)) {
        links[i] = head[LAST];
        head[LAST] = i;
      }
    }
  }
  let n = 0;
  let least = Infinity;
  for (let k = 0; k <= b; k++) {
    for (let i = head[k]; i >= 0; i = links[i]) {
      members[n++] = i;
      if (w[i] < least) least = w[i];
    }
  }
  // Bucket b + 1 may hold weights equal to (or, by rounding, above) the smallest one taken; any
  // further bucket is at least e^(-1/8) below it.
  for (let i = head[b + 1]; i >= 0; i = links[i]) if (w[i] >= least) members[n++] = i;
  const set = members.subarray(0, n).sort((a, c) => w[c] - w[a] || a - c);
  let acc = 0;
  let kept = 0;
  for (; kept < n; kept++) {
    if (kept > 0 && acc >= limit) break;
    acc += w[set[kept]];
  }
  if (kept === n && !(acc >= limit) && n < w.length) return null;
  members.subarray(0, kept).sort();
  return { kept, mass: acc };
}

/** A chosen token and the log-sum-exp of the logits it was chosen from. */
export interface TokenChoice {
  /** The token id. */
  token: number;
  /** `logSumExp(logits)`: the token's log-probability is `logits[token] - logSumExp`. */
  logSumExp: number;
}

const noUniform = (): number => {
  throw new Error("sampling: a random stream is needed");
};

/**
 * Choose the next token from `logits` (as {@linkcode sampleToken}: greedy when the temperature is
 * 0 or `topK` is 1) and compute `logSumExp(logits)` in the same passes, so the chosen token's
 * log-probability under the raw logits costs no extra pass when the temperature is 1 and one
 * `exp` per logit otherwise. The token equals {@linkcode sampleToken}'s for the same random stream,
 * and `logSumExp` equals {@linkcode logSumExp}'s, to the bit.
 *
 * @example
 * ```ts
 * import { rng } from "../../core/random.ts";
 * const logits = new Float32Array([1, 2, 0.5, -1]);
 * const r = rng(1);
 * const { token, logSumExp } = chooseToken(logits, { temperature: 0.8, topK: 0, topP: 0.95, minP: 0 }, r.uniform);
 * const logprob = logits[token] - logSumExp;
 * ```
 */
export function chooseToken(
  logits: Float32Array,
  params: SamplingParams,
  uniform: () => number = noUniform,
): TokenChoice {
  return choose(logits, params, uniform, true);
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
  return choose(logits, params, uniform, false).token;
}

function choose(
  x: Float32Array,
  params: SamplingParams,
  uniform: () => number,
  wantLse: boolean,
): TokenChoice {
  const { topK } = params;
  const V = x.length;
  let best = 0;
  let max = x[0];
  for (let i = 1; i < V; i++) {
    if (x[i] > max) {
      max = x[i];
      best = i;
    }
  }
  // With a NaN first logit `max` is NaN (as `argmax` leaves it) and differs from logSumExp's.
  const lseApart = () => (wantLse ? logSumExp(x) : NaN);
  if (isGreedy(params)) {
    if (max !== max) return { token: best, logSumExp: lseApart() };
    let lse = NaN;
    if (wantLse) {
      if (max === -Infinity) lse = -Infinity;
      else {
        let s = 0;
        for (let i = 0; i < V; i++) s += Math.exp(x[i] - max);
        lse = max + Math.log(s);
      }
    }
    return { token: best, logSumExp: lse };
  }
  reserve(V);
  if (topK > 0 && topK < V) {
    return { token: sampleTopK(x, max, params, uniform), logSumExp: lseApart() };
  }
  if (max !== max) {
    return { token: sampleAll(x, max, params, uniform, false).token, logSumExp: lseApart() };
  }
  return sampleAll(x, max, params, uniform, wantLse);
}

/** Sampling over the whole vocabulary (no top-k), `logSumExp` fused into the weights' pass. */
function sampleAll(
  x: Float32Array,
  max: number,
  params: SamplingParams,
  uniform: () => number,
  wantLse: boolean,
): TokenChoice {
  const { temperature, topP, minP } = params;
  const V = x.length;
  const w = weights;
  const invT = 1 / temperature;
  const nucleus = topP < 1 && max === max;
  const bothExp = wantLse && invT !== 1;
  if (nucleus) {
    head.fill(-1);
    bucketMass.fill(0);
  }
  // Unnormalised probabilities relative to the top token (which always survives).
  let total = 0;
  let s = 0;
  for (let i = 0; i < V; i++) {
    const d = x[i] - max;
    const z = d * invT;
    const p = Math.exp(z);
    w[i] = p;
    total += p;
    if (bothExp) s += Math.exp(d);
    if (nucleus) {
      if (-z < SPAN) {
        const b = (-z * PER_NAT) | 0;
        links[i] = head[b];
        head[b] = i;
        bucketMass[b] += p;
      } else bucketMass[LAST] += p;
    }
  }
  let lse = NaN;
  if (wantLse) lse = max === -Infinity ? -Infinity : max + Math.log(bothExp ? s : total);
  if (topP < 1) {
    const found = nucleus ? nucleusByBuckets(w.subarray(0, V), x, max, invT, topP, total) : null;
    if (found) {
      const m = members;
      const at = (c: number) => m[c];
      return { token: draw(w, found.kept, at, at, 0, minP, found.mass, uniform), logSumExp: lse };
    }
    total = nucleusBySort(w, V, topP, total);
  }
  return { token: draw(w, V, identity, identity, 0, minP, total, uniform), logSumExp: lse };
}

/** Sampling among the `topK` most likely tokens (candidates in ascending id order). */
function sampleTopK(
  x: Float32Array,
  max: number,
  params: SamplingParams,
  uniform: () => number,
): number {
  const { temperature, topK, topP, minP } = params;
  const V = x.length;
  const thr = kthLargest(x, topK);
  let above = 0;
  for (let i = 0; i < V; i++) if (x[i] > thr) above++;
  let ties = topK - above; // take the lowest ids among values equal to the threshold
  const cand = ids;
  let n = 0;
  for (let i = 0; i < V; i++) {
    const l = x[i];
    if (l > thr || (l === thr && ties-- > 0)) cand[n++] = i;
  }
  const w = weights;
  const invT = 1 / temperature;
  let total = 0;
  for (let c = 0; c < n; c++) {
    const p = Math.exp((x[cand[c]] - max) * invT);
    w[c] = p;
    total += p;
  }
  if (topP < 1) total = nucleusBySort(w, n, topP, total);
  return draw(w, n, identity, (c) => cand[c], cand[0], minP, total, uniform);
}

/**
 * Whether {@linkcode chooseTokenNear} can choose under these settings: greedy, or sampling with
 * top-p below 1 and no top-k (those read the whole row).
 *
 * @example
 * ```ts
 * nearEligible({ temperature: 0.8, topK: 0, topP: 0.95, minP: 0 }, 151936); // true
 * ```
 */
export function nearEligible(params: SamplingParams, vocab: number): boolean {
  if (isGreedy(params)) return true;
  return (params.topK <= 0 || params.topK >= vocab) && params.topP < 1;
}

/**
 * One row's part of the native sampler's output (see `native_sampler.ts`): its maximum, the mask
 * of the tokens within `span` nats of it after the temperature, and the clipped exponential sums
 * whose excess over the kept tokens' `floor` terms is the tail's mass.
 */
export interface NearRow {
  /** The largest logit. */
  max: number;
  /** 1 where `x - max ≥ -span / invT` (the row's slice). */
  keep: Uint8Array;
  /** The mask's span, nats after the temperature. */
  span: number;
  /** Σ exp(min(x - max, -span / invT) · invT). */
  sumT: number;
  /** exp(-span / invT · invT), as the sum's terms were computed. */
  floorExpT: number;
  /** Σ exp(min(x - max, -span / invT)). */
  sum: number;
  /** exp(-span / invT). */
  floorExp: number;
}

/** What the native sampler's graph gives for the rows of one step (see `sampler_graph.ts`). */
export interface NearTop {
  /** Tokens per row. */
  vocab: number;
  /** The span of `keep`, in nats after the temperature. */
  span: number;
  /** Each row's largest logit `[B]`. */
  max: Float32Array;
  /** `[B, V]`: 1 where `x - max ≥ -span / invT`. */
  keep: Uint8Array;
  /** Σ exp(min(x - max, -span / invT)) per row `[B]`. */
  sum: Float32Array;
  /** exp(-span / invT) per row `[B]`. */
  floorExp: Float32Array;
  /** Σ exp(min(x - max, -span / invT) · invT) per row `[B]`. */
  sumT: Float32Array;
  /** exp(-span / invT · invT) per row `[B]`. */
  floorExpT: Float32Array;
  /** Rows whose choice fell back to the full pass (counted by the caller). */
  fallbacks: number;
}

/**
 * Row `r` of a step's {@linkcode NearTop}.
 *
 * @example
 * ```ts
 * declare const near: NearTop;
 * const row = nearRow(near, 0);
 * row.keep.length === near.vocab; // true
 * ```
 */
export function nearRow(near: NearTop, r: number): NearRow {
  const V = near.vocab;
  return {
    max: near.max[r],
    keep: near.keep.subarray(r * V, (r + 1) * V),
    span: near.span,
    sum: near.sum[r],
    floorExp: near.floorExp[r],
    sumT: near.sumT[r],
    floorExpT: near.floorExpT[r],
  };
}

/**
 * Indices of the non-zero bytes of `mask`, ascending, into `out`; returns their count. Eight
 * bytes at a time: a word of 0/1 bytes read as a float64 is 0 only when every byte is 0 (no such
 * word is -0 or NaN), so a sparse mask costs about one comparison per eight tokens.
 */
function collectKept(mask: Uint8Array, out: Int32Array): number {
  const V = mask.length;
  let n = 0;
  let i = 0;
  while (i < V && ((mask.byteOffset + i) & 7) !== 0) {
    if (mask[i] !== 0) out[n++] = i;
    i++;
  }
  const words = (V - i) >> 3;
  const f = new Float64Array(mask.buffer, mask.byteOffset + i, words);
  for (let k = 0; k < words; k++) {
    if (f[k] === 0) continue;
    for (let j = i + 8 * k, end = j + 8; j < end; j++) if (mask[j] !== 0) out[n++] = j;
  }
  for (let j = i + 8 * words; j < V; j++) if (mask[j] !== 0) out[n++] = j;
  return n;
}

/**
 * {@linkcode chooseToken} from the native sampler's summary of the row: only the tokens near the
 * top are read. Their weights, the nucleus and the draw are computed exactly as the full pass
 * does (the same float64 terms, buckets, sort and walk), and the mass of the rest comes from the
 * graph's float32 sum of a small tail, so the total (and the top-p limit) differs from the full
 * pass's only far below the weight of any token in a nucleus: the same random stream draws the
 * same token, and `logSumExp` agrees to about 1e-6. Returns null, for the full pass to choose,
 * when the settings need the whole row ({@linkcode nearEligible}), a logit or sum is not finite,
 * or the nucleus reaches the edge of the mask.
 *
 * @example
 * ```ts
 * import { rng } from "../../core/random.ts";
 * declare const logits: Float32Array; // one row
 * declare const near: NearRow; // the sampler graph's output for it
 * const params = { temperature: 0.8, topK: 0, topP: 0.95, minP: 0 };
 * const choice = chooseTokenNear(logits, near, params, rng(1).uniform) ??
 *   chooseToken(logits, params, rng(1).uniform);
 * ```
 */
export function chooseTokenNear(
  x: Float32Array,
  near: NearRow,
  params: SamplingParams,
  uniform: () => number = noUniform,
): TokenChoice | null {
  const V = x.length;
  if (!nearEligible(params, V)) return null;
  const { max } = near;
  if (!(Math.abs(max) < Infinity && Number.isFinite(near.sum) && Number.isFinite(near.sumT))) {
    return null;
  }
  reserve(V);
  const n = collectKept(near.keep, ids);
  const greedy = isGreedy(params);
  const invT = greedy ? 1 : 1 / params.temperature;
  const bothExp = invT !== 1;
  const w = weights;
  if (!greedy) {
    head.fill(-1);
    bucketMass.fill(0);
  }
  // Indexed by candidate (ids[c] ascending), not by token: compact arrays stay in cache. The
  // logits are gathered first, in a loop of loads only, whose cache misses the CPU overlaps.
  const xs = gathered;
  for (let c = 0; c < n; c++) xs[c] = x[ids[c]];
  let best = -1;
  let s = 0; // Σ exp(x - max) over the kept tokens
  let total = 0; // Σ exp((x - max) · invT) over them
  for (let c = 0; c < n; c++) {
    const d = xs[c] - max;
    if (d === 0 && best < 0) best = ids[c]; // the lowest id at the maximum, as argmax
    const z = d * invT;
    const p = Math.exp(z);
    w[c] = p;
    total += p;
    if (bothExp) s += Math.exp(d);
    if (!greedy) {
      const b = Math.min((-z * PER_NAT) | 0, LAST - 1);
      links[c] = head[b];
      head[b] = c;
      bucketMass[b] += p;
    }
  }
  if (best < 0) return null;
  const tailT = Math.max(0, near.sumT - n * near.floorExpT);
  const tail = bothExp ? Math.max(0, near.sum - n * near.floorExp) : tailT;
  const lse = max + Math.log((bothExp ? s : total) + tail);
  if (greedy) return { token: best, logSumExp: lse };
  total += tailT;
  // The nucleus must end at least two buckets inside the mask: bucket b + 1 is read for ties,
  // and the graph's float32 comparison may put a token at the mask's edge on either side.
  const found = nucleusByBuckets(
    w.subarray(0, n),
    x,
    max,
    invT,
    params.topP,
    total,
    near.span * PER_NAT - 2,
  );
  if (!found || !(found.mass >= params.topP * total)) return null;
  const m = members;
  return {
    token: draw(w, found.kept, (c) => m[c], (c) => ids[m[c]], 0, params.minP, found.mass, uniform),
    logSumExp: lse,
  };
}
