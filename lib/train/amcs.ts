/**
 * AMCS (Ma et al., docs/algorithms.md §8.2): OmegaPRM's tree search with (a) adaptive Monte-Carlo
 * estimation (Wilson intervals over k-means clusters of [nll/word, log length]), (b) time-varying
 * selection `(1−w)·Q + w·U`, `w = exp(−t/20)`, and (c) rollout filters (> 3 U+FFFD characters or
 * total NLL > 100 never enter the candidate pool).
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import type { LabelContext } from "./rollout.ts";
 * declare const ctx: LabelContext;
 * const { solutions } = await amcs(ctx, AMCS_DEFAULTS, rng(1));
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { AMCS_MC_DEFAULTS } from "./adaptive_mc.ts";
import type { LabelContext } from "./rollout.ts";
import {
  omegaPrm,
  OMEGAPRM_DEFAULTS,
  type OmegaPrmOptions,
  type OmegaPrmResult,
} from "./omegaprm.ts";

/** AMCS defaults (run script: c_puct 0.125, α 0.5, β 0.9, L 500, max_search_count 20). */
export const AMCS_DEFAULTS: OmegaPrmOptions = {
  ...OMEGAPRM_DEFAULTS,
  adaptive: AMCS_MC_DEFAULTS,
  timeDecay: 20,
  filter: { maxReplacementChars: 3, maxNll: 100 },
};

/**
 * Run AMCS on one problem (OmegaPRM core with the AMCS options filled in over `options`).
 */
export function amcs(
  ctx: LabelContext,
  options: Partial<OmegaPrmOptions> = {},
  r: Rng,
): Promise<OmegaPrmResult> {
  return omegaPrm(ctx, { ...AMCS_DEFAULTS, ...options }, r);
}
