/**
 * Sampling one index from log-weights with the usual knobs (temperature, top-k, top-p, min-p),
 * shared by the simulated step and token policies.
 *
 * @example
 * ```ts
 * import { rng } from "../../core/random.ts";
 * import { pickIndex } from "./sampler.ts";
 * pickIndex([Math.log(0.7), Math.log(0.3)], { temperature: 0 }, rng(1)); // 0
 * ```
 *
 * @module
 */
import type { Rng } from "../../core/random.ts";

/** The sampling knobs of {@linkcode ExtendOptions} that shape one draw. */
export interface SampleKnobs {
  /** Softmax temperature (default 1); 0 = argmax (first of ties). */
  temperature?: number;
  /** Keep the k most likely (0/undefined = off). */
  topK?: number;
  /** Nucleus mass (1/undefined = off). */
  topP?: number;
  /** Drop options below `minP` × the top probability (0/undefined = off). */
  minP?: number;
}

/**
 * Draw an index from unnormalised log-weights `logits` (entries may be `-Infinity`).
 * The order of filters is temperature, min-p, top-k, top-p, as in vLLM.
 */
export function pickIndex(logits: ArrayLike<number>, knobs: SampleKnobs, r: Rng): number {
  const t = knobs.temperature ?? 1;
  let best = -1;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > -Infinity && (best < 0 || logits[i] > logits[best])) best = i;
  }
  if (best < 0) throw new RangeError("pickIndex: every option has probability zero");
  if (t === 0) return best;
  if (!(t > 0)) throw new RangeError(`temperature ${t} must be ≥ 0`);
  const top = logits[best] / t;
  const w = Array.from(logits, (l) => (l > -Infinity ? Math.exp(l / t - top) : 0));
  if (knobs.minP && knobs.minP > 0) {
    for (let i = 0; i < w.length; i++) if (w[i] < knobs.minP) w[i] = 0; // top weight is 1
  }
  const needTopK = knobs.topK && knobs.topK > 0 && knobs.topK < w.length;
  const needTopP = knobs.topP !== undefined && knobs.topP < 1;
  if (needTopK || needTopP) {
    const order = w.map((_, i) => i).filter((i) => w[i] > 0).sort((a, b) => w[b] - w[a] || a - b);
    let keep = needTopK ? Math.min(order.length, knobs.topK!) : order.length;
    if (needTopP) {
      const total = order.slice(0, keep).reduce((a, i) => a + w[i], 0);
      let acc = 0;
      for (let k = 0; k < keep; k++) {
        acc += w[order[k]];
        if (acc >= knobs.topP! * total) {
          keep = k + 1;
          break;
        }
      }
    }
    for (const i of order.slice(keep)) w[i] = 0;
  }
  return r.categorical(w);
}
