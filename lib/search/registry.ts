/**
 * The registry of search methods by name, so that a CLI or an experiment can say
 * `--method beam --n 16 --m 4`.
 *
 * Each entry has `run` (the method, taking a plain options object), `defaults` (every flag-able
 * option with its default: numbers, strings and booleans only — the judge and other objects are
 * passed in code), `describe` (one line, with the docs/algorithms.md section) and `needsScorer`.
 * Other methods add themselves here with {@linkcode entry}.
 *
 * @example
 * ```ts
 * import type { Policy, Problem, Scorer } from "../core/types.ts";
 * import { methodOptions, methods } from "./registry.ts";
 * declare const problem: Problem;
 * declare const policy: Policy;
 * declare const prm: Scorer;
 * const opts = methodOptions("beam", { n: "16", m: "4", "filter-duplicates": "true" });
 * const res = await methods.beam.run(problem, policy, prm, opts);
 * ```
 *
 * @module
 */
import type { Policy, Problem, Scorer, SearchResult } from "../core/types.ts";
import { BEAM_DEFAULTS, beamSearch } from "./beam.ts";
import { bestOfNSearch } from "./best_of_n.ts";
import { DVTS_DEFAULTS, dvtsSearch } from "./dvts.ts";
import { GREEDY_DEFAULTS, greedySearch } from "./greedy.ts";
import { PARTICLE_FILTER_DEFAULTS, particleFilterSearch } from "./particle_filter.ts";
import { SAMPLING_DEFAULTS, samplingSearch } from "./sampling.ts";
import { TSMC_DEFAULTS, tsmcSearch } from "./tsmc.ts";
import { sbs, SBS_DEFAULTS } from "./sbs.ts";
import { mcts, MCTS_DEFAULTS } from "./mcts.ts";
import { RSTAR_DEFAULTS, rstarMcts } from "./rstar_mcts.ts";
import { qsharp, QSHARP_DEFAULTS } from "./qsharp.ts";

/** A flag-able option value. */
export type FlagValue = number | string | boolean;

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
  defaults: Readonly<Record<string, FlagValue>>;
  /** One line: what it is, with the docs/algorithms.md section. */
  describe: string;
  /** Whether it needs a scorer. */
  needsScorer: boolean;
  /**
   * The role its scorer plays, when it takes one: step rewards (`prm`: best-of-N, weighted
   * majority, beam, DVTS, PF), state values (`value`: SBS, MCTS, rStar) or twists (`twist`: TSMC).
   */
  role: ScorerRole;
}

/** What a method uses its scorer for (CLIs pick the verifier by role: `--prm`, `--value`). */
export type ScorerRole = "prm" | "value" | "twist";

/**
 * Wrap a typed method into a {@linkcode MethodSpec}.
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
 * methods.mine = entry(mySearch, { n: 4 }, "my method (§9)", true);
 * ```
 */
export function entry<O>(
  run: (p: Problem | string, policy: Policy, s: Scorer | undefined, o: O) => Promise<SearchResult>,
  defaults: Readonly<Record<string, FlagValue>>,
  describe: string,
  needsScorer: boolean,
  role: ScorerRole = "prm",
): MethodSpec {
  return {
    run: (p, policy, s, o = {}) => run(p, policy, s, o as O),
    defaults,
    describe,
    needsScorer,
    role,
  };
}

/** All registered methods by name. */
export const methods: Record<string, MethodSpec> = {
  greedy: entry(greedySearch, GREEDY_DEFAULTS, "temperature-0 decoding to EOS (baseline)", false),
  sampling: entry(
    samplingSearch,
    { ...SAMPLING_DEFAULTS, select: "majority" },
    "N samples + majority / weighted majority / best-of-N selection (§2.2, §2.5)",
    false,
  ),
  best_of_n: entry(
    bestOfNSearch,
    SAMPLING_DEFAULTS,
    "best-of-N by aggregated PRM score (search-and-learn, §2.2)",
    true,
  ),
  beam: entry(
    beamSearch,
    BEAM_DEFAULTS,
    "PRM beam search over \\n\\n steps, keep N/M (§2.3)",
    true,
  ),
  dvts: entry(dvtsSearch, DVTS_DEFAULTS, "diverse verifier tree search, N/M subtrees (§2.4)", true),
  particle_filter: entry(
    particleFilterSearch,
    PARTICLE_FILTER_DEFAULTS,
    "particle filtering with PRM likelihood, multinomial resampling (§3.2)",
    true,
  ),
  tsmc: entry(
    tsmcSearch,
    TSMC_DEFAULTS,
    "twisted SMC, step level, ordered stratified resampling in groups of M (§4.2)",
    true,
    "twist",
  ),
  sbs: entry(
    sbs,
    SBS_DEFAULTS,
    "AlphaMath step-level beam search SBS(B1, B2) with a value model (§5.3)",
    false,
    "value",
  ),
  mcts: entry(
    mcts,
    MCTS_DEFAULTS,
    "AlphaMath MCTS (PUCT with step priors, value backups) + offline q_value decision (§5.4, §5.5)",
    true,
    "value",
  ),
  rstar_mcts: entry(
    rstarMcts,
    RSTAR_DEFAULTS,
    "rStar-Math MCTS: UCT c=2, rollouts to terminal, PPM scores (§6.2, §6.3)",
    true,
    "value",
  ),
  qsharp: entry(
    qsharp,
    QSHARP_DEFAULTS,
    "Q# value-guided token decoding via logits hook; pass options.classifier in code (§7.1, §7.3)",
    false,
  ),
};

/**
 * Turn CLI-style flags into a method's options: keys in kebab-case or camelCase, values coerced
 * to the type of the default (numbers via `Number`, booleans from `true/false/1/0`). Unknown keys
 * and bad values throw `RangeError`. Options not given keep their defaults inside the method.
 *
 * @example
 * ```ts
 * methodOptions("tsmc", { "stop-steps": "3", tau: 0.5 }); // { stopSteps: 3, tau: 0.5 }
 * ```
 */
export function methodOptions(
  name: string,
  flags: Readonly<Record<string, FlagValue | undefined>>,
): Record<string, FlagValue> {
  const spec = methods[name];
  if (!spec) {
    throw new RangeError(`unknown method ${name}; known: ${Object.keys(methods).join(", ")}`);
  }
  const out: Record<string, FlagValue> = {};
  for (const [raw, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const key = raw.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(key in spec.defaults)) {
      throw new RangeError(
        `${name}: unknown option ${raw}; known: ${Object.keys(spec.defaults).join(", ")}`,
      );
    }
    const d = spec.defaults[key];
    if (typeof d === "number") {
      const x = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(x) || value === "") throw new RangeError(`${name}: ${raw} must be a number`);
      out[key] = x;
    } else if (typeof d === "boolean") {
      const s = String(value);
      if (!["true", "false", "1", "0"].includes(s)) {
        throw new RangeError(`${name}: ${raw} must be true or false`);
      }
      out[key] = s === "true" || s === "1";
    } else {
      out[key] = String(value);
    }
  }
  return out;
}
