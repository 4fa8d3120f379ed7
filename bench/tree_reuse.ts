/**
 * Prefix sharing in tree search: beam search (N = 16, M = 4) and AlphaMath MCTS (40 simulations,
 * 5 children per expansion) on the embedded model, each run twice on the same problems with the
 * same seeds: with the runner's shared-prefix K/V cache (default budget), and with reuse off
 * (`cacheBytes: 0`: nothing is kept between `extend` calls, so every extension re-encodes its
 * whole prefix, prompt included, from the first token; the `n` samples of one call still share
 * that one encoding, as in any batched engine).
 *
 * Reported per search: tokens generated (decoded) and tokens encoded (prefill) on each side, the
 * speed-up of reuse (time per generated token without it over time with it), the share of each
 * side's time in prefill, and a ceiling no cache can pass (the time without reuse over the time,
 * with it, inside the decoding graph's runs alone, since every token is decoded either way). The verifier is
 * the exact step checker (`oracleScorer`), which calls no model, so the time is the policy's.
 * Each run gets a fresh policy (a warm session, an empty cache), runs alternate ABBA between the
 * two sides, and the best of `reps` is kept.
 *
 * @example
 * ```ts
 * const r = await benchTreeReuse({ model: "models/embedded", threads: 2, problems: 1, reps: 1 });
 * r.treeReuseSpeedup.cpu;
 * ```
 *
 * @module
 */
import type { SearchResult } from "../lib/core/types.ts";
import { createOnnxPolicy, type OnnxPolicy } from "../lib/models/onnx/mod.ts";
import { oracleScorer } from "../lib/rewards/oracle.ts";
import { beamSearch, mcts } from "../lib/search/mod.ts";
import { evalSplit, type SyntheticProblem } from "../lib/tasks/mod.ts";
import { compare, mark, since, type Span } from "./timing.ts";

/** A tree search to measure: a name and how it runs one problem. */
export interface TreeSearch {
  /** Name in the output. */
  name: string;
  /** Run on one problem with the policy given (the step checker as verifier). */
  run(problem: SyntheticProblem, policy: OnnxPolicy): Promise<SearchResult>;
}

/** Beam search, N = 16 beams, width M = 4 (4 survivors), seed 0, its other defaults. */
export const BEAM16: TreeSearch = {
  name: "beam16",
  run: (problem, policy) => beamSearch(problem, policy, oracleScorer(), { n: 16, m: 4, seed: 0 }),
};

/** AlphaMath MCTS with its defaults (40 simulations, 5 children per expansion), seed 0. */
export const MCTS40: TreeSearch = {
  name: "mcts40",
  run: (problem, policy) => mcts(problem, policy, oracleScorer(), { seed: 0 }),
};

/** What one run of a search over the problems cost. */
export interface TreeRun {
  /** Tokens the policy generated (decoded), EOS and stop tokens included. */
  generated: number;
  /** Tokens encoded by prefill (prompts, and prefixes whose K/V was not held). */
  encoded: number;
  /** Tokens the searches reported in their cost (equals `generated`). */
  searchTokens: number;
  /** Wall time inside `session.run` for prefill, ms. */
  prefillRunMs: number;
  /** Wall time inside `session.run` for decoding, ms. */
  decodeRunMs: number;
  /** Time of the searches (policy load and warm-up excluded). */
  span: Span;
}

/**
 * Run `search` over `problems` on a fresh policy from `open` and account for its tokens from the
 * runner's counters.
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
 * import { evalSplit } from "../lib/tasks/mod.ts";
 * const run = await measureTreeRun(
 *   () => createOnnxPolicy("models/embedded", { cacheBytes: 0 }),
 *   BEAM16,
 *   evalSplit().slice(0, 1),
 * );
 * run.encoded / run.generated; // prefill tokens per generated token without reuse
 * ```
 */
export async function measureTreeRun(
  open: () => Promise<OnnxPolicy>,
  search: TreeSearch,
  problems: readonly SyntheticProblem[],
): Promise<TreeRun> {
  const policy = await open();
  try {
    // Warm the session on an unrelated prompt, then drop it (the cache starts empty).
    const warm = policy.start("Ann has 2 cups. She buys 3 more.");
    const [[w]] = await policy.extend([warm], { temperature: 0, maxTokens: 8, seed: 0 });
    policy.release([warm, w.state]);
    const before = { ...policy.runner.counters };
    const t0 = mark();
    let searchTokens = 0;
    for (const p of problems) searchTokens += (await search.run(p, policy)).cost.tokens;
    const span = since(t0);
    const after = policy.runner.counters;
    return {
      generated: after.decodeTokens - before.decodeTokens,
      encoded: after.prefillTokens - before.prefillTokens,
      searchTokens,
      prefillRunMs: after.prefillRunMs - before.prefillRunMs,
      decodeRunMs: after.decodeRunMs - before.decodeRunMs,
      span,
    };
  } finally {
    await policy.dispose();
  }
}

/** Both sides of one figure: with the shared-prefix cache and without. */
export interface WithAndWithout<T> {
  /** With the cache. */
  reuse: T;
  /** With `cacheBytes: 0`. */
  noReuse: T;
}

/** What {@linkcode benchTreeReuse} reports for one search. */
export interface TreeSearchFigures {
  /** Problems searched. */
  problems: number;
  /** Tokens generated. */
  generated: WithAndWithout<number>;
  /** Tokens encoded by prefill. */
  encoded: WithAndWithout<number>;
  /** Encoded over generated. */
  encodedPerGenerated: WithAndWithout<number>;
  /** Both sides generated the same tokens (the same tree). */
  sameTree: boolean;
  /** Best time of each side. */
  ms: WithAndWithout<Span>;
  /** Time per generated token without reuse over with it (best runs). */
  speedup: Span;
  /** The same, median of the rounds' ratios. */
  speedupMedianOfRounds: Span;
  /** Share of each side's wall time inside prefill `session.run` (its last run). */
  prefillShare: WithAndWithout<number>;
  /**
   * An upper bound on the speed-up of any cache over this baseline: the best time without reuse
   * over the least time, with reuse, inside the decoding graph's own runs (per generated token).
   * Every token is decoded either way, so no cache can make the run with it shorter than that.
   */
  ceiling: number;
}

/** Options of {@linkcode benchTreeReuse}. */
export interface TreeReuseOptions {
  /** Model folder. */
  model: string;
  /** intraOpNumThreads (default: onnxruntime's). */
  threads?: number;
  /** Let idle onnxruntime threads spin (default: onnxruntime's). */
  allowSpinning?: boolean;
  /** Evaluation problems searched, the first ones (default 2). */
  problems?: number;
  /** Runs of each side per search, alternating; the best is kept (default 2). */
  reps?: number;
  /** The searches (default beam N = 16 and MCTS). */
  searches?: readonly TreeSearch[];
}

/**
 * Measure every search with and without prefix reuse; `treeReuseSpeedup` is over all searches
 * together (time per generated token without reuse over with it, best runs), and
 * `treeReuseCeiling` bounds it from above: what it would be if, with reuse, nothing but the
 * decoding graph's own runs took time.
 *
 * @example
 * ```ts
 * const r = await benchTreeReuse({ model: "models/embedded", searches: [BEAM16], reps: 1 });
 * r.searches.beam16.encoded; // { reuse, noReuse }
 * ```
 */
export async function benchTreeReuse(options: TreeReuseOptions) {
  const problems = evalSplit().slice(0, options.problems ?? 2);
  const reps = options.reps ?? 2;
  const session = { intraOpNumThreads: options.threads, allowSpinning: options.allowSpinning };
  const open = (reuse: boolean) => () =>
    createOnnxPolicy(options.model, reuse ? session : { ...session, cacheBytes: 0 });
  const searches: Record<string, TreeSearchFigures> = {};
  const total = {
    reuse: { wall: 0, cpu: 0, generated: 0 },
    noReuse: { wall: 0, cpu: 0, generated: 0 },
    decodeMs: 0,
  };
  for (const search of options.searches ?? [BEAM16, MCTS40]) {
    let withReuse: TreeRun | undefined;
    let without: TreeRun | undefined;
    let decodeMs = Infinity; // least decoding-graph time with reuse, over the runs
    const cmp = await compare(
      reps,
      async () => {
        withReuse = await measureTreeRun(open(true), search, problems);
        decodeMs = Math.min(decodeMs, withReuse.decodeRunMs);
        return withReuse.span;
      },
      async () => (without = await measureTreeRun(open(false), search, problems)).span,
    );
    const a = withReuse!;
    const b = without!;
    // Per generated token, in case a float difference between the paths changed a sample.
    const k = a.generated / b.generated;
    const speedup = { wall: (cmp.b.wall / cmp.a.wall) * k, cpu: (cmp.b.cpu / cmp.a.cpu) * k };
    searches[search.name] = {
      problems: problems.length,
      generated: { reuse: a.generated, noReuse: b.generated },
      encoded: { reuse: a.encoded, noReuse: b.encoded },
      encodedPerGenerated: { reuse: a.encoded / a.generated, noReuse: b.encoded / b.generated },
      sameTree: a.generated === b.generated && a.searchTokens === b.searchTokens,
      ms: { reuse: cmp.a, noReuse: cmp.b },
      speedup,
      speedupMedianOfRounds: { wall: cmp.medianRatio.wall * k, cpu: cmp.medianRatio.cpu * k },
      prefillShare: {
        reuse: a.prefillRunMs / a.span.wall,
        noReuse: b.prefillRunMs / b.span.wall,
      },
      ceiling: (cmp.b.wall / decodeMs) * k,
    };
    total.decodeMs += decodeMs;
    total.reuse.wall += cmp.a.wall;
    total.reuse.cpu += cmp.a.cpu;
    total.reuse.generated += a.generated;
    total.noReuse.wall += cmp.b.wall;
    total.noReuse.cpu += cmp.b.cpu;
    total.noReuse.generated += b.generated;
  }
  return {
    problems: problems.length,
    reps,
    noReuse: "cacheBytes: 0 (each extend re-encodes its prefix from the first token)",
    searches,
    treeReuseSpeedup: {
      wall: (total.noReuse.wall / total.noReuse.generated) /
        (total.reuse.wall / total.reuse.generated),
      cpu: (total.noReuse.cpu / total.noReuse.generated) /
        (total.reuse.cpu / total.reuse.generated),
    },
    treeReuseCeiling: (total.noReuse.wall / total.noReuse.generated) /
      (total.decodeMs / total.reuse.generated),
  };
}
