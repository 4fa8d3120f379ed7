/**
 * A tiny seeded pseudo-random number generator (mulberry32) and seed derivation.
 *
 * Everything random in search and simulation goes through {@linkcode rng} so that a run is a pure
 * function of its seed. {@linkcode fork} derives independent child seeds from a seed and any
 * number of keys (numbers or strings), so that parallel pieces of work (sample `j` of state `i`,
 * iteration `t`, particle group `g`) get their own stream whatever order they run in.
 *
 * @example
 * ```ts
 * import { fork, rng } from "./random.ts";
 * const r = rng(fork(42, "iteration", 3));
 * const u = r.uniform(); // in [0, 1)
 * const k = r.categorical([0.2, 0.8]); // 0 or 1
 * ```
 *
 * @module
 */

/** A seeded stream of random numbers; every method advances the stream. */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Standard normal (Box–Muller; one normal per two uniforms). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /**
   * Index `i` with probability `weights[i] / sum(weights)`. Weights must be finite and
   * non-negative with a positive sum. Zero-weight indices are never returned.
   */
  categorical(weights: ArrayLike<number>): number;
}

/** One round of the splitmix32 finaliser: a good 32-bit mixing function. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string's UTF-16 code units, as an unsigned 32-bit integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * Derive a child seed from `seed` and `keys`: deterministic, order-sensitive, and different keys
 * give unrelated streams. Numbers are mixed by value (non-integers through their string form),
 * strings by their FNV-1a hash; a type tag keeps `fork(s, 1)` and `fork(s, "1")` apart.
 *
 * @example
 * ```ts
 * const a = fork(7, "sample", 0);
 * const b = fork(7, "sample", 1); // unrelated to a
 * ```
 */
export function fork(seed: number, ...keys: readonly (number | string)[]): number {
  let h = mix32(seed >>> 0);
  for (const k of keys) {
    const v = typeof k === "number" && Number.isInteger(k) && Math.abs(k) < 2 ** 53
      ? (k >>> 0) ^ mix32(Math.floor(k / 2 ** 32) >>> 0)
      : hashString(typeof k === "number" ? `#${k}` : `$${k}`);
    h = mix32(h ^ mix32(v ^ (typeof k === "number" ? 0x5bd1e995 : 0x27d4eb2f)));
  }
  return h;
}

/**
 * A mulberry32 generator seeded with `seed` (any number; it is taken modulo 2^32).
 *
 * @example
 * ```ts
 * const r = rng(1);
 * const x = r.normal();
 * ```
 */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const u1 = 1 - uniform(); // (0, 1]
      const u2 = uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    int(n: number) {
      if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`int(n) needs an integer n >= 1`);
      return Math.floor(uniform() * n);
    },
    categorical(weights: ArrayLike<number>) {
      let total = 0;
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i];
        if (!(w >= 0) || !Number.isFinite(w)) {
          throw new RangeError(`categorical: weight ${i} is ${w}`);
        }
        total += w;
      }
      if (!(total > 0)) throw new RangeError("categorical: weights sum to zero");
      const u = uniform() * total;
      let acc = 0;
      let last = -1;
      for (let i = 0; i < weights.length; i++) {
        if (weights[i] <= 0) continue;
        acc += weights[i];
        last = i;
        if (u < acc) return i;
      }
      return last; // rounding: u landed on the total
    },
  };
}
