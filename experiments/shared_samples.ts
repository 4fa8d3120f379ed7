/**
 * One experiment's answer-selection arms share their samples: majority voting, ORM best-of-N
 * and PRM weighted voting at the same N draw the very same N solutions (same seeds), so the
 * policy is asked once and every later arm re-reads what the first one drew and only scores it.
 * A record whose samples were re-read says so (`shared_samples`), and so does its arm's summary
 * (how many), so its seconds are never mistaken for the price of its samples.
 *
 * Only whole-solution draws from the empty state with a seed and no logits hook are kept (what
 * `lib/search/sampling.ts` asks for); step-level searches never repeat a request, and keeping
 * their calls would hold memory for nothing.
 *
 * @example
 * ```ts
 * import type { Policy } from "../lib/core/types.ts";
 * declare const policy: Policy;
 * const shared = shareSamples(policy);
 * await shared.policy.extend([shared.policy.start("2+3?")], { n: 4, stop: [], seed: 1 });
 * await shared.policy.extend([shared.policy.start("2+3?")], { n: 4, stop: [], seed: 1 }); // re-read
 * shared.reread("2+3?"); // true, and false when asked again
 * ```
 *
 * @module
 */
import type { Continuation, ExtendOptions, Policy, SeqState } from "../lib/core/types.ts";

/** A policy that re-serves repeated whole-solution draws, and which problems it re-served. */
export interface SharedSamples {
  policy: Policy;
  /**
   * Whether a problem's draw was re-served since the last time this was asked for it (asked once
   * after each problem, so each arm's records say whose samples they hold).
   */
  reread(problem: string): boolean;
}

/** Whether a request is a seeded whole-solution draw from the empty state (kept and re-served). */
function keyOf(states: readonly SeqState[], options: ExtendOptions | undefined): string | null {
  if (!options || options.seed === undefined || options.logitsHook) return null;
  if (!options.stop || options.stop.length > 0) return null;
  if (states.length !== 1 || states[0].text !== "") return null;
  const { logitsHook: _, ...rest } = options;
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a < b ? -1 : 1));
  return JSON.stringify([states[0].problem, sorted]);
}

/**
 * Wrap a policy so that a seeded whole-solution draw asked twice is generated once. Continuations
 * are kept without their backend handle (no KV cache is held); a solution drawn to its end is
 * never extended again.
 */
export function shareSamples(inner: Policy): SharedSamples {
  const kept = new Map<string, Continuation[][]>();
  const served = new Set<string>();
  const policy: Policy = {
    name: inner.name,
    capabilities: inner.capabilities,
    start: (problem) => inner.start(problem),
    async extend(states, options) {
      const key = keyOf(states, options);
      if (key === null) return await inner.extend(states, options);
      const old = kept.get(key);
      if (old) {
        served.add(states[0].problem);
        return old.map((row) => row.map((c) => ({ ...c, state: { ...c.state } })));
      }
      const fresh = await inner.extend(states, options);
      kept.set(
        key,
        fresh.map((row) => row.map((c) => ({ ...c, state: { ...c.state, handle: undefined } }))),
      );
      return fresh;
    },
    ...(inner.hidden ? { hidden: inner.hidden.bind(inner) } : {}),
    ...(inner.logprobs ? { logprobs: inner.logprobs.bind(inner) } : {}),
    ...(inner.release ? { release: inner.release.bind(inner) } : {}),
  };
  return { policy, reread: (problem) => served.delete(problem) };
}
