/**
 * Seeded randomness of the synthetic world: {@linkcode mulberry32} seeded by {@linkcode hashSeed},
 * so the same seed gives the same problems on any machine, and the few draws built on it.
 *
 * These draws are frozen: the embedded models were trained on the problems they make, so a change
 * here changes every problem, the evaluation split and the training streams
 * (`determinism_test.ts` holds their hashes).
 *
 * @example
 * ```ts
 * import { hashSeed, mulberry32, randInt } from "./random.ts";
 * const rng = mulberry32(hashSeed("train", 7, 123));
 * randInt(rng, 1, 6); // the same number on every machine
 * ```
 *
 * @module
 */

import { rng } from "../../core/random.ts";

/**
 * A uniform random number generator on [0, 1).
 *
 * @example
 * ```ts
 * const r: Rng = mulberry32(7);
 * r() < 1; // true
 * ```
 */
export type Rng = () => number;

/**
 * Mulberry32: a small, fast 32-bit seeded PRNG (same sequence on every platform).
 *
 * @example
 * ```ts
 * const rng = mulberry32(42);
 * const x = rng(); // in [0, 1), always the same for seed 42
 * ```
 */
export function mulberry32(seed: number): Rng {
  return rng(seed).uniform;
}

/**
 * Hash strings and numbers into one 32-bit seed (FNV-1a over the parts, then a murmur finalizer).
 *
 * @example
 * ```ts
 * const rng = mulberry32(hashSeed("train", 7, 123)); // problem 123 of train stream 7
 * ```
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${typeof part}:${part};`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Uniform integer in [lo, hi] (inclusive).
 *
 * @example
 * ```ts
 * randInt(mulberry32(1), 1, 6); // a die roll
 * ```
 */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/**
 * Uniform element of a non-empty array.
 *
 * @example
 * ```ts
 * pick(mulberry32(1), ["a", "b", "c"]);
 * ```
 */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/**
 * Index drawn with probability proportional to `weights`.
 *
 * @example
 * ```ts
 * pickWeighted(mulberry32(1), [1, 1, 2]); // 2 half of the time
 * ```
 */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}
