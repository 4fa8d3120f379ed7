/**
 * Counting compute: wrap a policy and a scorer so that every call is tallied into a
 * {@linkcode Cost} (tokens generated, policy and scorer calls, wall time).
 *
 * @example
 * ```ts
 * import type { Policy, Scorer } from "../core/types.ts";
 * import { meter } from "./cost.ts";
 * declare const policy: Policy;
 * declare const scorer: Scorer;
 * const m = meter(policy, scorer);
 * await m.policy.extend([m.policy.start("1+1?")]);
 * m.cost(); // { tokens: …, policyCalls: 1, scorerCalls: 0, wallMs: … }
 * ```
 *
 * @module
 */
import type { Continuation, Cost, Policy, Scorer } from "../core/types.ts";

/** Tokens of one continuation (token ids, else logprobs, else 0 when the backend reports none). */
export function continuationTokens(c: Continuation): number {
  return c.tokens.length || c.logprobs.length;
}

/** A metered policy / scorer pair and the running cost. */
export interface Metered {
  /** The policy, counting `extend` calls and generated tokens. */
  policy: Policy;
  /** The scorer, counting `score` calls (undefined when none was given). */
  scorer: Scorer | undefined;
  /** Cost so far; `wallMs` is measured from the `meter` call. */
  cost(): Cost;
}

/**
 * Wrap `policy` and `scorer` to count their use. The wrappers forward everything else
 * unchanged (`hidden`, `release`, capabilities), so a method sees the same backend.
 */
export function meter(policy: Policy, scorer?: Scorer): Metered {
  const t0 = performance.now();
  const c = { tokens: 0, policyCalls: 0, scorerCalls: 0 };
  const p: Policy = {
    name: policy.name,
    capabilities: policy.capabilities,
    start: (problem) => policy.start(problem),
    async extend(states, options) {
      c.policyCalls++;
      const out = await policy.extend(states, options);
      for (const row of out) for (const x of row) c.tokens += continuationTokens(x);
      return out;
    },
    ...(policy.hidden ? { hidden: (states) => policy.hidden!(states) } : {}),
    ...(policy.release ? { release: (states) => policy.release!(states) } : {}),
  };
  const s: Scorer | undefined = scorer && {
    name: scorer.name,
    score(requests, options) {
      c.scorerCalls++;
      return scorer.score(requests, options);
    },
  };
  return { policy: p, scorer: s, cost: () => ({ ...c, wallMs: performance.now() - t0 }) };
}
