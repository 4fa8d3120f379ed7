/**
 * The registry of search methods by name, so that a CLI or an experiment can say
 * `--method beam --n 16 --m 4`.
 *
 * Each entry is a {@linkcode MethodSpec}: `run` (the method, taking a plain options object),
 * `defaults` (every flag-able option with its default: numbers, strings and booleans only — the
 * judge and other objects are passed in code), `describe` (one line, with its section or paper)
 * and `needs` (a scorer and its role, a token classifier), from which CLIs provide what a method
 * needs without knowing the method ({@linkcode neededOptions}).
 *
 * Adding a method is one file plus its test: `lib/search/<name>.ts` exporting
 * `const method = defineMethod(...)` is found when this module loads (top-level await; reading
 * the folder needs `--allow-read`, which the CLIs and tests have) and registered as `<name>`.
 * A method file imports `method_spec.ts`, never this module or `mod.ts`.
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
import { defineMethod, type FlagValue, type MethodSpec } from "./method_spec.ts";
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

export type {
  FlagValue,
  MethodInfo,
  MethodNeeds,
  MethodSpec,
  NeedsProvider,
  ScorerRole,
} from "./method_spec.ts";
export { defineMethod, neededOptions } from "./method_spec.ts";

/** The methods of this folder that predate discovery, in the order CLIs list them. */
const BUILT_IN: Record<string, MethodSpec> = {
  greedy: defineMethod(greedySearch, {
    defaults: GREEDY_DEFAULTS,
    describe: "temperature-0 decoding to EOS (baseline)",
    needs: { optionalScorer: "prm" },
  }),
  sampling: defineMethod(samplingSearch, {
    defaults: { ...SAMPLING_DEFAULTS, select: "majority" },
    describe: "N samples + majority / weighted majority / best-of-N selection (§2.2, §2.5)",
    needs: { optionalScorer: "prm" },
  }),
  best_of_n: defineMethod(bestOfNSearch, {
    defaults: SAMPLING_DEFAULTS,
    describe: "best-of-N by aggregated PRM score (search-and-learn, §2.2)",
    needs: { scorer: "prm" },
  }),
  beam: defineMethod(beamSearch, {
    defaults: BEAM_DEFAULTS,
    describe: "PRM beam search over \\n\\n steps, keep N/M (§2.3)",
    needs: { scorer: "prm" },
  }),
  dvts: defineMethod(dvtsSearch, {
    defaults: DVTS_DEFAULTS,
    describe: "diverse verifier tree search, N/M subtrees (§2.4)",
    needs: { scorer: "prm" },
  }),
  particle_filter: defineMethod(particleFilterSearch, {
    defaults: PARTICLE_FILTER_DEFAULTS,
    describe: "particle filtering with PRM likelihood, multinomial resampling (§3.2)",
    needs: { scorer: "prm" },
  }),
  tsmc: defineMethod(tsmcSearch, {
    defaults: TSMC_DEFAULTS,
    describe: "twisted SMC, step level, ordered stratified resampling in groups of M (§4.2)",
    needs: { scorer: "twist" },
  }),
  sbs: defineMethod(sbs, {
    defaults: SBS_DEFAULTS,
    describe: "AlphaMath step-level beam search SBS(B1, B2) with a value model (§5.3)",
    needs: { optionalScorer: "value" },
  }),
  mcts: defineMethod(mcts, {
    defaults: MCTS_DEFAULTS,
    describe:
      "AlphaMath MCTS (PUCT with step priors, value backups) + offline q_value decision (§5.4, §5.5)",
    needs: { scorer: "value" },
  }),
  rstar_mcts: defineMethod(rstarMcts, {
    defaults: RSTAR_DEFAULTS,
    describe: "rStar-Math MCTS: UCT c=2, rollouts to terminal, PPM scores (§6.2, §6.3)",
    needs: { scorer: "value" },
  }),
  qsharp: defineMethod(qsharp, {
    defaults: QSHARP_DEFAULTS,
    describe:
      "Q# value-guided token decoding via logits hook, with its token classifier (§7.1, §7.3)",
    needs: { classifier: true },
  }),
};

/** The export a method file of this folder names its {@linkcode MethodSpec} by. */
export const METHOD_EXPORT = "method";

/** Files of this folder that are never method files (the registry and the barrel import it). */
const NOT_METHODS = new Set(["registry.ts", "mod.ts", "method_spec.ts"]);

/**
 * The method files of this folder: every `<name>.ts` (not a test, not `_`-prefixed, not the
 * registry or the barrel) whose text declares `export const method`, by name, sorted.
 */
async function methodFiles(dir: URL): Promise<{ name: string; url: URL; text: string }[]> {
  const found: { name: string; url: URL; text: string }[] = [];
  for await (const e of Deno.readDir(dir)) {
    const f = e.name;
    if (!e.isFile || !f.endsWith(".ts") || f.endsWith("_test.ts") || f.startsWith("_")) continue;
    if (NOT_METHODS.has(f)) continue;
    const url = new URL(f, dir);
    const text = await Deno.readTextFile(url);
    if (new RegExp(`^export const ${METHOD_EXPORT}\\b`, "m").test(text)) {
      found.push({ name: f.slice(0, -3), url, text });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Import the method files of `dir` (see {@linkcode methodFiles}) and return their specs by file
 * name. A method file must not import `registry.ts` or `mod.ts` (it would wait on the registry
 * that imports it): that, a name taken by a built-in method, or an export that is not a
 * {@linkcode MethodSpec} is an error naming the file.
 *
 * @example
 * ```ts
 * const found = await discoverMethods(new URL("./", import.meta.url));
 * Object.keys(found); // e.g. ["adaptive_consistency"]
 * ```
 */
export async function discoverMethods(dir: URL): Promise<Record<string, MethodSpec>> {
  const out: Record<string, MethodSpec> = {};
  for (const { name, url, text } of await methodFiles(dir)) {
    if (/from\s+["']\.\/(registry|mod)\.ts["']/.test(text)) {
      throw new Error(`${url.pathname}: a method file must not import registry.ts or mod.ts`);
    }
    if (name in BUILT_IN) {
      throw new Error(`${url.pathname}: method name ${name} is taken by a built-in method`);
    }
    const mod = await import(url.href);
    const spec = mod[METHOD_EXPORT] as MethodSpec | undefined;
    if (
      !spec || typeof spec.run !== "function" || typeof spec.describe !== "string" ||
      typeof spec.defaults !== "object" || typeof spec.needs !== "object"
    ) {
      throw new Error(
        `${url.pathname}: export ${METHOD_EXPORT} is not a MethodSpec (use defineMethod)`,
      );
    }
    out[name] = spec;
  }
  return out;
}

/**
 * All registered methods by name: the built-in ones, then every method file of this folder
 * (`lib/search/<name>.ts` exporting `method`, a {@linkcode MethodSpec} made with
 * {@linkcode defineMethod}), found when this module loads. Adding a method is one such file plus
 * its test.
 */
export const methods: Record<string, MethodSpec> = {
  ...BUILT_IN,
  ...(await discoverMethods(new URL("./", import.meta.url))),
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
