/**
 * The simulated step-level policy: samples whole units of the simulated solution model
 * ({@link ./document.ts}) and writes them out one character at a time, honouring stop strings,
 * `maxTokens` and the sampling knobs.
 *
 * Conventions (shared with {@linkcode simulatedTokenPolicy}):
 * - one token per character; token id = the character's code (EOS is not counted as a token);
 * - `temperature`, `topK`, `topP`, `minP` act on the distribution over the next unit, so
 *   temperature 0 writes the most likely step (ties: "ok" before "slip", first wrong answer);
 * - `logprobs` are under the untempered model: the log-probability of the sampled unit (given
 *   the units before it and any part of it already in the state) spread evenly over its tokens,
 *   so a complete unit's tokens sum to log P(unit);
 * - options are resolved and checked as on every backend (`resolveExtendOptions`), except that
 *   `maxTokens` defaults to no limit; a `logitsHook` is refused (`capabilities.logits` is false);
 * - stop strings are searched in the new text only; with `includeStop: false` the stop string
 *   (and its tokens) are removed from the continuation. Extending a finished solution returns an
 *   empty continuation with `finishReason: "eos"`; new states are built by `childState`;
 * - randomness: with `options.seed` sample `j` of state `i` depends only on
 *   `(options.seed, i, j, state.text)`; without it, on the policy seed and a per-policy call
 *   counter (so a fresh policy with the same seed replays the same run).
 *
 * @example
 * ```ts
 * import { simProblem, simulatedPolicy } from "./mod.ts";
 * const p = simProblem({ id: "a", steps: 2, pRight: 0.9, answer: "5" });
 * const policy = simulatedPolicy({ seed: 1 });
 * const [[c]] = await policy.extend([policy.start(p.problem)], { temperature: 0 });
 * // c.text === "step 1: ok\n\n", c.finishReason === "stop", c.stopString === "\n\n"
 * ```
 *
 * @module
 */
import type { Continuation, ExtendOptions, Policy, SeqState } from "../../core/types.ts";
import { childState, type ResolvedExtendOptions, resolveExtendOptions } from "../../core/extend.ts";
import { fork, type Rng, rng } from "../../core/random.ts";
import { readSpec } from "./spec.ts";
import { parse } from "./document.ts";
import { pickIndex } from "./sampler.ts";

/** Options of {@linkcode simulatedPolicy}. */
export interface SimulatedPolicyOptions {
  /** Seed of the policy's own stream, used when a call passes no seed (default 0). */
  seed?: number;
  /** Name for records (default `"simulated"`). */
  name?: string;
}

/** The stop, length and knob settings of one continuation. */
export interface Limits {
  stop: readonly string[];
  includeStop: boolean;
  maxTokens: number;
}

/**
 * Resolve and check {@linkcode ExtendOptions} as every backend does (`resolveExtendOptions`),
 * with the simulated policies' own default: no token limit.
 */
export function resolveSimulated(
  options: ExtendOptions | undefined,
  label: string,
  logitsHook: boolean,
): ResolvedExtendOptions {
  return resolveExtendOptions(options, { label, maxTokens: Infinity, logitsHook });
}

/** The stop and length settings of resolved options (empty stop strings never fire). */
export function limitsOf(options: ResolvedExtendOptions): Limits {
  return {
    stop: options.stop.filter((s) => s !== ""),
    includeStop: options.includeStop,
    maxTokens: options.maxTokens,
  };
}

/** Per-sample random streams for one `extend` call. */
export function sampleStreams(
  policySeed: number,
  call: number,
  states: readonly SeqState[],
  n: number,
  seed: number | undefined,
): Rng[][] {
  const base = seed !== undefined ? fork(seed, "request") : fork(policySeed, "call", call);
  return states.map((s, i) => Array.from({ length: n }, (_, j) => rng(fork(base, i, j, s.text))));
}

/** Accumulates one continuation character by character and decides when it ends. */
export function writer(state: SeqState, limits: Limits) {
  let text = "";
  const tokens: number[] = [];
  const logprobs: number[] = [];
  let stopString: string | undefined;
  return {
    /** Append one character; returns true when a stop string fired. */
    push(ch: string, logprob: number): boolean {
      text += ch;
      tokens.push(ch.charCodeAt(0));
      logprobs.push(logprob);
      for (const s of limits.stop) {
        if (text.endsWith(s)) {
          stopString = s;
          return true;
        }
      }
      return false;
    },
    /** Whether another token is allowed. */
    room(): boolean {
      return tokens.length < limits.maxTokens;
    },
    finish(reason: Continuation["finishReason"]): Continuation {
      if (reason === "stop" && stopString !== undefined && !limits.includeStop) {
        const k = stopString.length;
        text = text.slice(0, -k);
        tokens.splice(-k);
        logprobs.splice(-k);
      }
      return {
        text,
        tokens,
        logprobs,
        cumulativeLogprob: logprobs.reduce((a, b) => a + b, 0),
        finishReason: reason,
        ...(reason === "stop" ? { stopString } : {}),
        state: childState(state, text),
      };
    },
  };
}

function continueOne(
  state: SeqState,
  options: ResolvedExtendOptions,
  limits: Limits,
  r: Rng,
): Continuation {
  const spec = readSpec(state.problem);
  const w = writer(state, limits);
  let text = state.text;
  for (;;) {
    const p = parse(spec, text);
    if (p.done) return w.finish("eos");
    if (!w.room()) return w.finish("length");
    const k = pickIndex(p.candidates.map((c) => Math.log(c.prob)), options, r);
    const chosen = p.candidates[k];
    const cond = chosen.prob / p.candidates.reduce((a, c) => a + c.prob, 0);
    const rest = chosen.text.slice(p.partial.length);
    const lp = Math.log(cond) / rest.length;
    for (const ch of rest) {
      if (!w.room()) return w.finish("length");
      text += ch;
      if (w.push(ch, lp)) return w.finish("stop");
    }
  }
}

/**
 * Make a simulated step-level policy (`capabilities.logits = false`).
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * const problemText = simProblem({ id: "e", steps: 3, pRight: 0.8 }).problem;
 * const policy = simulatedPolicy({ seed: 3 });
 * const out = await policy.extend([policy.start(problemText)], { n: 4, stop: [] }); // 4 full solutions
 * ```
 */
export function simulatedPolicy(options: SimulatedPolicyOptions = {}): Policy {
  const seed = options.seed ?? 0;
  let calls = 0;
  return {
    name: options.name ?? "simulated",
    capabilities: { logits: false, hidden: false },
    start(problem: string): SeqState {
      readSpec(problem); // fail early on a non-simulated problem
      return { problem, text: "", steps: [] };
    },
    // deno-lint-ignore require-await
    async extend(states: readonly SeqState[], opts: ExtendOptions = {}): Promise<Continuation[][]> {
      const o = resolveSimulated(opts, "simulated policy", false);
      const limits = limitsOf(o);
      const streams = sampleStreams(seed, calls++, states, o.n, o.seed);
      return states.map((s, i) => streams[i].map((r) => continueOne(s, o, limits, r)));
    },
  };
}
