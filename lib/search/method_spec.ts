/**
 * The shape of a registered search method ({@linkcode MethodSpec}): how to run it, its flag-able
 * options, one line of description, and what it needs besides a policy ({@linkcode MethodNeeds}),
 * so that a CLI provides a scorer or a token classifier from the declaration alone.
 *
 * This module imports no method, so a method file can import it while the registry
 * (`registry.ts`) imports method files.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
 * import { defineMethod } from "./method_spec.ts";
 * declare function mySearch(
 *   problem: Problem | string,
 *   policy: Policy,
 *   scorer: Scorer | undefined,
 *   options: { n?: number },
 * ): Promise<SearchResult>;
 * export const method = defineMethod(mySearch, {
 *   defaults: { n: 4 },
 *   describe: "my method (arXiv:0000.00000)",
 *   needs: { scorer: "prm" },
 * });
 * method.needsScorer; // true
 * ```
 *
 * @module
 */
import type { Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import type { TokenValue } from "./qsharp.ts";

/** A flag-able option value. */
export type FlagValue = number | string | boolean;

/**
 * What a method uses its scorer for (CLIs pick the verifier by role: `--prm`, `--value`): step
 * rewards (`prm`: best-of-N, weighted majority, beam, DVTS, PF), state values (`value`: SBS,
 * MCTS, rStar) or twists (`twist`: TSMC).
 */
export type ScorerRole = "prm" | "value" | "twist";

/**
 * What a method needs besides a policy. CLIs read this and nothing else: they load a scorer for
 * the role, and put a token classifier in `options.classifier` ({@linkcode neededOptions}).
 */
export interface MethodNeeds {
  /** A scorer in this role, without which the method does not run. */
  scorer?: ScorerRole;
  /**
   * A scorer in this role that the method uses when one is given and runs without (greedy's and
   * sampling's PRM scores, SBS's values).
   */
  optionalScorer?: ScorerRole;
  /** A token-level value classifier (Q♯), passed as `options.classifier`. */
  classifier?: true;
}

/** One registered method. */
export interface MethodSpec {
  /** Run the method; `options` may also carry non-flag options such as `judge`. */
  run(
    problem: Problem | string,
    policy: Policy,
    scorer: Scorer | undefined,
    options?: Record<string, unknown>,
  ): Promise<SearchResult>;
  /** Every flag-able option and its default. */
  readonly defaults: Readonly<Record<string, FlagValue>>;
  /** One line: what it is, with its section or paper. */
  readonly describe: string;
  /** What it needs besides a policy. */
  readonly needs: Readonly<MethodNeeds>;
  /** Whether it needs a scorer (`needs.scorer` is set). */
  readonly needsScorer: boolean;
  /** The role a scorer plays for it: `needs.scorer`, else `needs.optionalScorer`, else `prm`. */
  readonly role: ScorerRole;
}

/** What {@linkcode defineMethod} takes besides the method. */
export interface MethodInfo {
  /** Every flag-able option and its default. */
  defaults: Readonly<Record<string, FlagValue>>;
  /** One line: what it is, with its section or paper. */
  describe: string;
  /** What it needs besides a policy (default nothing). */
  needs?: MethodNeeds;
}

/**
 * Wrap a typed method into a {@linkcode MethodSpec} (`needsScorer` and `role` follow `needs`).
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
 * declare function mySearch(
 *   problem: Problem | string,
 *   policy: Policy,
 *   scorer: Scorer | undefined,
 *   options: { n?: number },
 * ): Promise<SearchResult>;
 * const spec = defineMethod(mySearch, { defaults: { n: 4 }, describe: "mine", needs: { scorer: "value" } });
 * spec.role; // "value"
 * ```
 */
export function defineMethod<O>(
  run: (p: Problem | string, policy: Policy, s: Scorer | undefined, o: O) => Promise<SearchResult>,
  info: MethodInfo,
): MethodSpec {
  const needs = Object.freeze({ ...info.needs });
  return {
    run: (p, policy, s, o = {}) => run(p, policy, s, o as O),
    defaults: info.defaults,
    describe: info.describe,
    needs,
    needsScorer: needs.scorer !== undefined,
    role: needs.scorer ?? needs.optionalScorer ?? "prm",
  };
}

/** Where a CLI gets what a method needs besides a scorer (e.g. `experiments/backends.ts`). */
export interface NeedsProvider {
  /** The token-level value classifier (Q♯). */
  classifier(): Promise<TokenValue>;
}

/**
 * The options a method needs besides its flags, taken from `provider` as its
 * {@linkcode MethodNeeds} declare (today `classifier`); empty for most methods.
 *
 * @example
 * ```ts
 * declare const spec: MethodSpec;
 * declare const provider: NeedsProvider;
 * const extra = await neededOptions(spec, provider); // { classifier } for Q♯, else {}
 * ```
 */
export async function neededOptions(
  spec: Pick<MethodSpec, "needs">,
  provider: NeedsProvider,
): Promise<Record<string, unknown>> {
  return spec.needs.classifier ? { classifier: await provider.classifier() } : {};
}
