/**
 * Seeded in-place shuffle (Fisher-Yates) over the shared PRNG of `lib/core/random.ts`.
 *
 * @module
 */
import type { Rng } from "../core/random.ts";

/**
 * Shuffle `xs` in place with `r`; returns `xs`. The same seed gives the same order.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * shuffle([1, 2, 3, 4], rng(3));
 * ```
 */
export function shuffle<T extends { length: number; [i: number]: unknown }>(xs: T, r: Rng): T {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
  return xs;
}
