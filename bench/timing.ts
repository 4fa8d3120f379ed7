/**
 * Timing for the benchmarks: spans of wall clock and process CPU time, and interleaved
 * comparisons of two paths, so that ratios are measured in one run under the same load.
 *
 * CPU time counts every thread of the process (user + system); with onnxruntime's spinning off it
 * is work done, which stays meaningful when other processes share the machine.
 *
 * @example
 * ```ts
 * import { compare, mark, since } from "./timing.ts";
 * const work = async () => {
 *   const t0 = mark();
 *   for (let i = 0; i < 1e5; i++) Math.sqrt(i);
 *   return since(t0);
 * };
 * const c = await compare(3, work, work);
 * c.medianRatio.wall; // about 1
 * ```
 *
 * @module
 */
import process from "node:process";

/** Wall-clock and process CPU time (all threads, user + system), in milliseconds. */
export interface Span {
  /** Wall clock, ms. */
  wall: number;
  /** Process CPU time, ms. */
  cpu: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The current instant, to pass to {@linkcode since}.
 *
 * @example
 * ```ts
 * const t0 = mark();
 * since(t0).wall; // ms since mark()
 * ```
 */
export const mark = (): Span => ({ wall: performance.now(), cpu: cpuMs() });

/**
 * Time elapsed since `m` (a {@linkcode mark}).
 *
 * @example
 * ```ts
 * const t0 = mark();
 * const { wall, cpu } = since(t0);
 * ```
 */
export const since = (m: Span): Span => ({
  wall: performance.now() - m.wall,
  cpu: cpuMs() - m.cpu,
});

/**
 * Each field's minimum.
 *
 * @example
 * ```ts
 * minSpan({ wall: 1, cpu: 5 }, { wall: 2, cpu: 3 }); // { wall: 1, cpu: 3 }
 * ```
 */
export const minSpan = (a: Span, b: Span): Span => ({
  wall: Math.min(a.wall, b.wall),
  cpu: Math.min(a.cpu, b.cpu),
});

/**
 * Each field's sum.
 *
 * @example
 * ```ts
 * addSpan({ wall: 1, cpu: 2 }, { wall: 3, cpu: 4 }); // { wall: 4, cpu: 6 }
 * ```
 */
export const addSpan = (a: Span, b: Span): Span => ({ wall: a.wall + b.wall, cpu: a.cpu + b.cpu });

/**
 * Each field times `k`.
 *
 * @example
 * ```ts
 * scale({ wall: 2, cpu: 4 }, 0.5); // { wall: 1, cpu: 2 }
 * ```
 */
export const scale = (a: Span, k: number): Span => ({ wall: a.wall * k, cpu: a.cpu * k });

/**
 * Each field's ratio `a / b`.
 *
 * @example
 * ```ts
 * ratio({ wall: 4, cpu: 6 }, { wall: 2, cpu: 2 }); // { wall: 2, cpu: 3 }
 * ```
 */
export const ratio = (a: Span, b: Span): Span => ({ wall: a.wall / b.wall, cpu: a.cpu / b.cpu });

/**
 * Tokens per second over a span.
 *
 * @example
 * ```ts
 * tokPerS(100, { wall: 50, cpu: 100 }); // { wall: 2000, cpu: 1000 }
 * ```
 */
export const tokPerS = (tokens: number, t: Span): Span => ({
  wall: (tokens / t.wall) * 1000,
  cpu: (tokens / t.cpu) * 1000,
});

/** A span longer than any: the start of a minimum. */
export const NONE: Span = { wall: Infinity, cpu: Infinity };

/** What {@linkcode compare} returns. */
export interface Comparison {
  /** Best time of `a`. */
  a: Span;
  /** Best time of `b`. */
  b: Span;
  /** Median over rounds of `b / a` (above 1: `a` is faster). */
  medianRatio: Span;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/**
 * Time `a` and `b` `reps` times each, interleaved in ABBA order so that load drifts on a shared
 * machine hit both; returns each one's best time and the median of the per-round ratios b / a.
 *
 * @example
 * ```ts
 * const c = await compare(3, async () => ({ wall: 1, cpu: 1 }), async () => ({ wall: 2, cpu: 2 }));
 * c.medianRatio; // { wall: 2, cpu: 2 }
 * ```
 */
export async function compare(
  reps: number,
  a: () => Promise<Span>,
  b: () => Promise<Span>,
): Promise<Comparison> {
  const ta: Span[] = [];
  const tb: Span[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      ta.push(await a());
      tb.push(await b());
    } else {
      tb.push(await b());
      ta.push(await a());
    }
  }
  return {
    a: ta.reduce(minSpan),
    b: tb.reduce(minSpan),
    medianRatio: {
      wall: median(ta.map((x, i) => tb[i].wall / x.wall)),
      cpu: median(ta.map((x, i) => tb[i].cpu / x.cpu)),
    },
  };
}
