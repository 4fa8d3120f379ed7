/**
 * A perceptually uniform colour scale (viridis) for scores.
 *
 * @module
 */

const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

/**
 * Colour of `t` in [0, 1] on the viridis scale (clamped; NaN gives grey), as `#rrggbb`.
 *
 * @example
 * ```ts
 * import { viridis } from "./color_scale.ts";
 * viridis(0); // "#440154"
 * viridis(1); // "#fde725"
 * ```
 */
export function viridis(t: number): string {
  if (Number.isNaN(t)) return "#bbbbbb";
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const hex = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f))
    .map((v) => v.toString(16).padStart(2, "0")).join("");
  return `#${hex}`;
}
