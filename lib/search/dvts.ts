/**
 * Diverse verifier tree search (DVTS), as HF search-and-learn's
 * `diverse_verifier_tree_search.py` (docs/algorithms.md §2.4).
 *
 * N/M independent subtrees; at each iteration every live subtree samples M next steps from its
 * current prefix, scores the M extended prefixes, and greedily follows the best one. A subtree
 * is pruned when the chosen step is empty or ended by EOS (or length, which vLLM reports like
 * EOS), or when its text contains `"boxed{"`. The last iteration generates without stop
 * strings. Output: for each subtree its last M siblings (`previous_text + next_texts[k]`, with
 * their scores), N in all; the prediction is the one with the highest aggregated score.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { dvtsSearch } from "./dvts.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const res = await dvtsSearch(problem, policy, prm, { n: 16, m: 4 }); // 4 subtrees
 * ```
 *
 * @module
 */
import type {
  Candidate,
  Continuation,
  Policy,
  Problem,
  Scorer,
  SearchResult,
  SeqState,
} from "../core/types.ts";
import { fork } from "../core/random.ts";
import { defaultJudge } from "./answers.ts";
import { aggregate, type Aggregation } from "./aggregate.ts";
import { continuationTokens, meter } from "./cost.ts";
import { checkInt, problemText, type SearchOptions } from "./options.ts";
import { splitSteps } from "./steps.ts";
import { traceBuilder } from "./trace.ts";

/** Options of {@linkcode dvtsSearch}. */
export interface DvtsOptions extends SearchOptions {
  /** Total outputs N (default 4); N/M subtrees. */
  n?: number;
  /** Expansions per subtree per step M (default 4). N must be a multiple of M. */
  m?: number;
  /** Maximum iterations, the last without stop strings (default 40). */
  numIterations?: number;
  /** Aggregation of step scores (default "last"). */
  aggregation?: Aggregation;
}

/** Defaults of {@linkcode dvtsSearch} (sal; `max_tokens` is hard-coded 2048 there). */
export const DVTS_DEFAULTS = {
  n: 4,
  m: 4,
  numIterations: 40,
  temperature: 0.8,
  topP: 1,
  maxTokens: 2048,
  seed: 0,
  aggregation: "last" as Aggregation,
};

interface Subtree {
  state: SeqState;
  node: number;
  tokens: number;
  pruned: boolean;
  /** The last expansion: tokens of the prefix it extended, siblings, scores and trace nodes. */
  previousTokens: number;
  next: Continuation[];
  nextNodes: number[];
  allScores: number[][];
}

/**
 * Run DVTS; requires a scorer. The trace is a forest: one root per subtree.
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const { answer, candidates } = await dvtsSearch("What is 2+3?", policy, prm, { n: 8, m: 4 });
 * ```
 */
export async function dvtsSearch(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: DvtsOptions = {},
): Promise<SearchResult> {
  if (!scorer) throw new TypeError("DVTS needs a scorer");
  const o = { ...DVTS_DEFAULTS, ...options };
  checkInt("n", o.n, 1);
  checkInt("m", o.m, 1);
  checkInt("numIterations", o.numIterations, 1);
  if (o.n % o.m !== 0) throw new RangeError(`n (${o.n}) must be a multiple of m (${o.m})`);
  const judge = options.judge ?? defaultJudge;
  const text = problemText(problem);
  const mt = meter(policy, scorer);
  const t = traceBuilder("tree");
  const start = mt.policy.start(text);
  const trees: Subtree[] = Array.from({ length: o.n / o.m }, () => ({
    state: start,
    node: t.add({ parent: null, text: "", depth: 0 }),
    tokens: 0,
    pruned: false,
    previousTokens: 0,
    next: [],
    nextNodes: [],
    allScores: [],
  }));
  for (let i = 0; i < o.numIterations; i++) {
    const live = trees.filter((b) => !b.pruned);
    if (live.length === 0) break;
    const last = i === o.numIterations - 1;
    const out = await mt.policy.extend(live.map((b) => b.state), {
      n: o.m,
      stop: last ? [] : ["\n\n"],
      includeStop: true,
      temperature: o.temperature,
      topP: o.topP,
      maxTokens: o.maxTokens,
      seed: fork(o.seed, "dvts", i),
    });
    const requests = out.flat().map((c) => ({ problem: text, steps: splitSteps(c.state.text) }));
    const flat = await mt.scorer!.score(requests);
    live.forEach((b, k) => {
      const next = out[k];
      const allScores = flat.slice(k * o.m, (k + 1) * o.m);
      const agg = allScores.map((s) => aggregate(s, o.aggregation));
      let j = 0;
      agg.forEach((a, q) => {
        if (a > agg[j]) j = q;
      });
      const nodes = next.map((c, q) =>
        t.add({
          parent: b.node,
          text: c.text,
          depth: i + 1,
          score: agg[q],
          ...(c.finishReason !== "stop"
            ? { terminal: true, answer: judge.extract(c.state.text) }
            : {}),
        })
      );
      b.previousTokens = b.tokens;
      b.next = next;
      b.nextNodes = nodes;
      b.allScores = allScores;
      b.state = next[j].state;
      b.tokens += continuationTokens(next[j]);
      b.node = nodes[j];
      if (next[j].text === "" || next[j].finishReason !== "stop") b.pruned = true;
      if (b.state.text.includes("boxed{")) b.pruned = true;
    });
  }
  const candidates: Candidate[] = [];
  const leafNodes: number[] = [];
  for (const b of trees) {
    b.next.forEach((c, q) => {
      candidates.push({
        text: c.state.text,
        answer: judge.extract(c.state.text),
        score: aggregate(b.allScores[q], o.aggregation),
        stepScores: b.allScores[q],
        tokens: b.previousTokens + continuationTokens(c),
      });
      leafNodes.push(b.nextNodes[q]);
    });
  }
  let best = 0;
  candidates.forEach((c, k) => {
    if (c.score! > candidates[best].score!) best = k;
  });
  t.select(leafNodes[best]);
  return { answer: candidates[best].answer, candidates, cost: mt.cost(), trace: t.trace() };
}
