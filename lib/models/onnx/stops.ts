/**
 * Stop-string detection on streamed text. Text grows by the detokenized delta of each token; a
 * stop may span token boundaries, so each check looks back `stop.length - 1` characters before
 * the delta.
 *
 * @module
 */

/** Where a stop string fired in the generated text. */
export interface StopHit {
  /** The stop string. */
  stop: string;
  /** Index in the text where it starts. */
  start: number;
  /** Index just past it. */
  end: number;
}

/**
 * Find the first stop that completes in `text` at or after `from` (the text length before the
 * newest delta). When several fire in the same delta, the one that ends first wins; among those,
 * the longest (earliest start). Returns null when none fired.
 *
 * @example
 * ```ts
 * findStop("x = 1\n\ny", ["\n\n"], 5); // { stop: "\n\n", start: 5, end: 7 }
 * findStop("ab", ["bc"], 1); // null
 * ```
 */
export function findStop(text: string, stops: readonly string[], from: number): StopHit | null {
  let best: StopHit | null = null;
  for (const stop of stops) {
    if (stop === "") continue;
    const start = text.indexOf(stop, Math.max(0, from - stop.length + 1));
    if (start < 0) continue;
    const end = start + stop.length;
    if (best === null || end < best.end || (end === best.end && start < best.start)) {
      best = { stop, start, end };
    }
  }
  return best;
}
