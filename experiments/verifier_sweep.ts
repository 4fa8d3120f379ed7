/**
 * The verifier-quality sweep: every guided method at N = 16 with verifiers of known quality (the
 * exact step checker, the checker with 10% and 20% of step verdicts flipped, self-certainty, and
 * the best verifier measured), against greedy decoding and maj@16 on the same problems. It asks
 * at what verifier quality each method starts to beat majority voting, which is what the papers'
 * claims are statements about. `deno task repro verifier_sweep`.
 *
 * Best-of-N and weighted majority are not arms here: `deno task verifiers` scores the very samples
 * `solve --method best_of_n --n 16` draws with every verifier (`results/verifiers`), and the
 * notebook puts those rows beside these. Arms run method by method, each with every verifier,
 * so a partial run already gives whole curves.
 *
 * @example
 * ```ts
 * import { verifierSweep } from "./verifier_sweep.ts";
 * verifierSweep.arms.length; // greedy, maj@16, then 6 methods × 5 verifiers
 * ```
 *
 * @module
 */
import { pairedBootstrapCI } from "../lib/metrics/mod.ts";
import { readRecords } from "../lib/runs/mod.ts";
import type { Arm, Experiment } from "./experiment.ts";
import type { RunRecord } from "./harness.ts";
import { register } from "./registry.ts";
import { budgetArms, GREEDY_ARM } from "./search_and_learn.ts";

/** The verifiers of the sweep, from the best measured to the noisiest checker. */
export const SWEEP_VERIFIERS = ["recompute-head", "oracle", "oracle:0.1", "logprob", "oracle:0.2"];

/** The tree and particle methods of the sweep (search-and-learn's N = 16 arms), in run order. */
export const SWEEP_METHODS = ["pf", "tsmc", "beam", "sbs", "mcts", "dvts"];

/** The sweep's budget. */
export const SWEEP_N = 16;

const arms: Arm[] = [
  GREEDY_ARM,
  ...budgetArms(SWEEP_N, ["maj"]),
  ...SWEEP_METHODS.flatMap((m) =>
    SWEEP_VERIFIERS.map((v): Arm => {
      const a = budgetArms(SWEEP_N, [m])[0];
      return { ...a, config: `${a.config}/${v}`, verifier: v };
    })
  ),
];

/**
 * Each arm minus maj@16 on the problems both finished, paired over problems (95% bootstrap CI).
 *
 * @example
 * ```ts
 * import type { RunRecord } from "./harness.ts";
 * declare const records: RunRecord[];
 * pairedVsMajority(records, 0)["bon@16/oracle"]; // { n, mean, lo, hi }
 * ```
 */
export function pairedVsMajority(
  records: readonly RunRecord[],
  seed: number,
): Record<string, { n: number; mean: number; lo: number; hi: number }> {
  const maj = new Map(
    records.filter((r) => r.config === `maj@${SWEEP_N}`).map((r) => [r.id, r.correct ? 1 : 0]),
  );
  const out: Record<string, { n: number; mean: number; lo: number; hi: number }> = {};
  for (const config of new Set(records.map((r) => r.config))) {
    const rows = records.filter((r) => r.config === config && maj.has(r.id));
    if (rows.length === 0 || config === `maj@${SWEEP_N}`) continue;
    const ci = pairedBootstrapCI(
      rows.map((r) => (r.correct ? 1 : 0)),
      rows.map((r) => maj.get(r.id)!),
      { seed },
    );
    out[config] = { n: rows.length, mean: ci.mean, lo: ci.lo, hi: ci.hi };
  }
  return out;
}

/** The experiment. */
export const verifierSweep: Experiment = {
  name: "verifier_sweep",
  title: "Guided search against majority voting, as a function of verifier quality",
  paper: "no paper: the curve the papers' claims sit on (PF arXiv 2502.01618, TSMC arXiv " +
    "2410.01920, AlphaMath arXiv 2405.03553, search-and-learn) measured with verifiers of known " +
    "quality",
  dataset: "synthetic",
  limit: 500,
  description: "Each guided method runs at $N = 16$ with five verifiers: the exact step checker " +
    "(`oracle`), the checker with a share $p$ of step verdicts flipped, tied to the step's text " +
    "(`oracle:0.1`, `oracle:0.2`), self-certainty $\\exp(\\tfrac1T\\sum_t \\log \\pi(y_t))$ " +
    "(`logprob`) and re-computation (`recompute-head`: the policy re-derives each step's claim " +
    "in context, in a fresh drill and inverted, and a trained logistic head combines the checks). " +
    "Best-of-N and weighted majority with each verifier come from `deno task verifiers` (the " +
    "same samples). Each arm is compared with maj@16 on the same problems by a paired bootstrap.",
  paperNumbers: [],
  arms,
  async extra(ctx) {
    const records = await readRecords<RunRecord>(`${ctx.dir}/records.jsonl`).catch(
      () => [] as RunRecord[],
    );
    const ids = new Set(ctx.problems.map((p) => p.id));
    return { vsMajority: pairedVsMajority(records.filter((r) => ids.has(r.id)), ctx.seed) };
  },
};

register(verifierSweep);
