/**
 * Test doubles for hand-computed tree-search tests: a policy that answers from a script keyed by
 * the solution text so far, and a scorer that answers from a table keyed by the prefix text.
 * (Test support only; the simulated world in `lib/models/simulated/` is the realistic double.)
 *
 * @example
 * ```ts
 * import { scriptedPolicy, scriptedScorer } from "./_scripted.ts";
 * const policy = scriptedPolicy({ "": [{ text: "\\boxed{1}", prob: 0.5, finish: "eos" }] });
 * const scorer = scriptedScorer({ "\\boxed{1}": 0.9 });
 * ```
 *
 * @module
 */
import type {
  Continuation,
  ExtendOptions,
  FinishReason,
  Policy,
  Scorer,
  SeqState,
} from "../core/types.ts";
import { childState } from "../core/extend.ts";

/** One scripted step. */
export interface ScriptedStep {
  /** Step text. */
  text: string;
  /** Geometric-mean token probability, so that the AlphaMath prior is exactly `prob`. */
  prob?: number;
  /** Finish reason (default `"stop"`). */
  finish?: FinishReason;
}

/**
 * A policy whose `extend` returns, for a state with text `t`, the first `n` entries of
 * `script[t]` (fewer when the script has fewer). One token per character; the cumulative
 * logprob is `len · ln(prob)`. Every call's options are recorded in `calls`.
 */
export function scriptedPolicy(
  script: Record<string, ScriptedStep[]>,
): Policy & { calls: ExtendOptions[] } {
  const calls: ExtendOptions[] = [];
  return {
    name: "scripted",
    capabilities: { logits: false, hidden: false },
    calls,
    start: (problem: string): SeqState => ({ problem, text: "", steps: [] }),
    extend(states: readonly SeqState[], options: ExtendOptions = {}): Promise<Continuation[][]> {
      calls.push(options);
      return Promise.resolve(states.map((s) => {
        const steps = script[s.text];
        if (steps === undefined) throw new Error(`no script for ${JSON.stringify(s.text)}`);
        return steps.slice(0, options.n ?? 1).map((st): Continuation => {
          const tokens = [...st.text].map((ch) => ch.charCodeAt(0));
          const lp = Math.log(st.prob ?? 0.5);
          return {
            text: st.text,
            tokens,
            logprobs: tokens.map(() => lp),
            cumulativeLogprob: lp * tokens.length,
            finishReason: st.finish ?? "stop",
            state: childState(s, st.text),
          };
        });
      }));
    },
  };
}

/** A scorer returning `table[steps.join("")]` for each request (lastOnly); throws when missing. */
export function scriptedScorer(table: Record<string, number>): Scorer & { requests: string[] } {
  const requests: string[] = [];
  return {
    name: "scripted",
    requests,
    score(reqs, options = {}) {
      return Promise.resolve(reqs.map((r) => {
        if (!options.lastOnly) throw new Error("scripted scorer: lastOnly only");
        const key = r.steps.join("");
        requests.push(key);
        const p = table[key];
        if (p === undefined) throw new Error(`no score for ${JSON.stringify(key)}`);
        return [p];
      }));
    },
  };
}
