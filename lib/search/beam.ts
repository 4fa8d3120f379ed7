/**
 * PRM-guided beam search over `"\n\n"` steps, as HF search-and-learn's `beam_search.py`
 * (docs/algorithms.md §2.3).
 *
 * N beams are extended one step each per iteration; each beam's whole prefix is scored
 * (split into `"\n\n"` steps) and aggregated; beams that ended (EOS, length, or an empty step)
 * move to `completed`; of the rest (optionally de-duplicated by text) the top N/M by score
 * survive, and at the next iteration the survivors are duplicated in order
 * (`(active * (N // len + 1))[:N]`) so that N beams are extended again. The last iteration
 * generates to EOS without a stop string. The final prediction is the completed beam with the
 * highest aggregated score.
 *
 * Deviation: ties in the top-N/M cut keep the earlier beam (numpy's `argsort` is unstable).
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { beamSearch } from "./beam.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const res = await beamSearch(problem, policy, prm, { n: 16, m: 4 });
 * ```
 *
 * @module
 */
import type { Candidate, Policy, Problem, Scorer, SearchResult, SeqState } from "../core/types.ts";
import { fork } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { aggregate, type Aggregation } from "./aggregate.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { splitSteps } from "./steps.ts";
import { traceBuilder } from "./trace.ts";

/** Options of {@linkcode beamSearch}. */
export interface BeamOptions extends SearchOptions {
  /** Number of beams N (default 4). */
  n?: number;
  /** Beam width M: N/M beams survive each iteration (default 4). N must be a multiple of M. */
  m?: number;
  /** Maximum iterations (steps), the last without stop strings (default 40). */
  numIterations?: number;
  /** Aggregation of step scores (default "last"). */
  aggregation?: Aggregation;
  /** Drop beams whose text duplicates an earlier beam before the cut (default false; recipes: true). */
  filterDuplicates?: boolean;
  /** Keep the top-N completed beams by score instead of the first N (default false). */
  sortCompleted?: boolean;
}

/** Defaults of {@linkcode beamSearch} (sal `config.py`). */
export const BEAM_DEFAULTS = {
  n: 4,
  m: 4,
  numIterations: 40,
  temperature: 0.8,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
  aggregation: "last" as Aggregation,
  filterDuplicates: false,
  sortCompleted: false,
};

interface Beam {
  state: SeqState;
  node: number;
  tokens: number;
  completed: boolean;
  stepScores: number[];
  score: number;
}

/**
 * Run beam search; requires a scorer.
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const { answer, trace } = await beamSearch("What is 2+3?", policy, prm, { n: 8, m: 2 });
 * ```
 */
export async function beamSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: BeamOptions = {},
): Promise<SearchResult> {
  if (!scorer) throw new TypeError("beam search needs a scorer");
  const o = { ...BEAM_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  checkInt("m", o.m, 1);
  checkInt("numIterations", o.numIterations, 1);
  if (o.n % o.m !== 0) throw new RangeError(`n (${o.n}) must be a multiple of m (${o.m})`);
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const mt = meter(policy, scorer);
  const t = traceBuilder("tree");
  const root = t.add({ parent: null, text: "", depth: 0 });
  const start = mt.policy.start(text);
  let active: Beam[] = Array.from({ length: o.n }, () => ({
    state: start,
    node: root,
    tokens: 0,
    completed: false,
    stepScores: [],
    score: 0,
  }));
  const completed: Beam[] = [];
  for (let i = 0; i < o.numIterations; i++) {
    if (active.length !== o.n) {
      const reps = Math.floor(o.n / active.length) + 1;
      active = Array.from({ length: reps }, () => active).flat().slice(0, o.n).map((b) => ({
        ...b,
        stepScores: [...b.stepScores],
      }));
    }
    const last = i === o.numIterations - 1;
    const out = await mt.policy.extend(active.map((b) => b.state), {
      n: 1,
      stop: last ? [] : ["\n\n"],
      includeStop: true,
      temperature: o.temperature,
      topP: o.topP,
      maxTokens: o.maxTokens,
      seed: fork(o.seed, "beam", i),
    });
    const scores = await mt.scorer!.score(
      out.map(([c]) => ({ problem: text, steps: splitSteps(c.state.text) })),
    );
    active.forEach((b, k) => {
      const c = out[k][0];
      b.state = c.state;
      b.tokens += continuationTokens(c);
      b.stepScores = scores[k];
      b.score = aggregate(scores[k], o.aggregation);
      b.completed = c.finishReason !== "stop" || c.text === "";
      b.node = t.add({
        parent: b.node,
        text: c.text,
        depth: i + 1,
        score: b.score,
        ...(b.completed ? { terminal: true, answer: judge.extract(c.state.text) } : {}),
      });
      if (b.completed) completed.push(b);
    });
    active = active.filter((b) => !b.completed);
    if (active.length === 0) break;
    if (o.filterDuplicates) {
      const seen = new Set<string>();
      active = active.filter((b) => !seen.has(b.state.text) && seen.add(b.state.text));
    }
    const keep = o.n / o.m;
    const order = active.map((_, k) => k).sort((a, b) =>
      active[b].score - active[a].score || a - b
    );
    const kept = new Set(order.slice(0, keep));
    active = active.filter((_, k) => kept.has(k));
  }
  let final = completed.length > 0 ? completed : active;
  if (o.sortCompleted) {
    final = final.map((b, k) => ({ b, k }))
      .sort((x, y) => y.b.score - x.b.score || x.k - y.k).map((x) => x.b);
  }
  final = final.slice(0, o.n);
  if (final.length !== o.n) {
    const reps = Math.floor(o.n / final.length) + 1;
    final = Array.from({ length: reps }, () => final).flat().slice(0, o.n);
  }
  const candidates: Candidate[] = final.map((b) => ({
    text: b.state.text,
    answer: judge.extract(b.state.text),
    score: b.score,
    stepScores: b.stepScores,
    tokens: b.tokens,
  }));
  let best = 0;
  candidates.forEach((c, k) => {
    if (c.score! > candidates[best].score!) best = k;
  });
  t.select(final[best].node);
  return { answer: candidates[best].answer, candidates, cost: mt.cost(), trace: t.trace() };
}
