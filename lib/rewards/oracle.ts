/**
 * The exact step checker as a verifier of stated quality, for the synthetic world only: every
 * method can be run with a perfect PRM (`oracle`) or one that is wrong on a known share of steps
 * (`oracle:0.1`), so a search's gain can be read as a function of verifier quality.
 *
 * A step's verdict is the checker's local one (right operation on the solution's own earlier
 * results, right arithmetic); with `flip = p`, each verdict is inverted with probability `p`,
 * drawn from a hash of the seed, the problem, the step's position and **the step's text**, so
 * the same step written in two solutions gets the same (possibly wrong) verdict, as a learned
 * verifier's errors would be. Step k scores `1 − ε` when the (noisy) verdicts of steps 1..k are
 * all "right", else `ε` (ε = 0.001 keeps ratios of scores finite). A given step that holds several
 * `"\n\n"` steps of the world (particle filtering scores a whole prefix as one) is judged step
 * by step and scored by its last.
 *
 * It reads the gold plan: use it to measure methods, never as a default.
 *
 * @example
 * ```ts
 * import { evalSplit, goldSteps } from "../tasks/mod.ts";
 * import { oracleScorer } from "./oracle.ts";
 * const p = evalSplit()[0];
 * const [[s1]] = await oracleScorer().score([{ problem: p.problem, steps: [goldSteps(p)[0]] }]);
 * // s1 === 0.999
 * ```
 *
 * @module
 */
import type { Scorer } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { checkSteps, evalSplit, splitSteps, type SyntheticProblem } from "../tasks/mod.ts";

/** Score of a prefix whose verdicts are all right; a wrong one scores `1 − ORACLE_HIGH`. */
export const ORACLE_HIGH = 0.999;

/** Options of {@linkcode oracleScorer}. */
export interface OracleOptions {
  /** Probability of inverting each step verdict (default 0: the exact checker). */
  flip?: number;
  /** Seed of the flips (default 0). */
  seed?: number;
  /** Problems the scorer may be asked about (default the evaluation split). */
  problems?: readonly SyntheticProblem[];
}

/**
 * The checker scorer, named `oracle` or `oracle:<flip>`.
 *
 * @example
 * ```ts
 * const noisy = oracleScorer({ flip: 0.1, seed: 1 }); // noisy.name === "oracle:0.1"
 * ```
 */
export function oracleScorer(options: OracleOptions = {}): Scorer {
  const flip = options.flip ?? 0;
  if (!(flip >= 0 && flip <= 1)) {
    throw new RangeError(`oracle: flip must be in [0, 1], got ${flip}`);
  }
  const seed = options.seed ?? 0;
  let byText: Map<string, SyntheticProblem> | null = null;
  const lookup = (text: string) => {
    byText ??= new Map((options.problems ?? evalSplit()).map((p) => [p.problem, p]));
    const p = byText.get(text);
    if (!p) throw new Error(`oracle: not a known synthetic problem: "${text.slice(0, 60)}"`);
    return p;
  };
  return {
    name: flip === 0 ? "oracle" : `oracle:${flip}`,
    // deno-lint-ignore require-await
    async score(requests, opts) {
      return requests.map((r) => {
        const problem = lookup(r.problem);
        // a given step may hold several of the world's steps (particle filtering scores the
        // whole prefix as one): judge the world's steps, report each given step's last verdict
        const parts = r.steps.map((s) => splitSteps(s).filter((x) => x.trim().length > 0));
        const flat = parts.flat();
        const verdicts = checkSteps(problem, flat).steps;
        let ok = true;
        let v = 0;
        const out = parts.map((sub) => {
          for (const s of sub) {
            let right = verdicts[v]?.locallyCorrect ?? false;
            if (flip > 0 && rng(fork(seed, "oracle", r.problem, v, s.trim())).uniform() < flip) {
              right = !right;
            }
            ok &&= right;
            v++;
          }
          return ok ? ORACLE_HIGH : 1 - ORACLE_HIGH;
        });
        return opts?.lastOnly ? [out.length ? out[out.length - 1] : ORACLE_HIGH] : out;
      });
    },
  };
}
