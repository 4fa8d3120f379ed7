/**
 * Monte-Carlo estimation of MC(s) = P(rollout from s is correct): fixed-k (OmegaPRM, §8.1) and
 * AMCS's adaptive allocation (docs/algorithms.md §8.2a, AMCTS `monte_carlo_estimation_adaptive`):
 *
 * ```text
 * k0 rollouts (bounded by budget and k_max_node); MC ∈ {0,1} → stop
 * features [nll/words, log(words + 1e-6)], z-scored; k-means (K=3, 20 iters) → clusters
 * cluster frozen if n ≥ k_min_cluster and Wilson half-width ≤ ε_cluster
 * while samp < k_max_node:
 *   node Wilson half-width ≤ ε_node → stop
 *   target = non-frozen cluster with the largest half-width (none → stop)
 *   k_step = clip(ceil(hw_target · scale), min_k, max_k); draw; assign to nearest centroid
 * ```
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import type { LabelContext } from "./rollout.ts";
 * declare const ctx: LabelContext;
 * declare const steps: string[]; // the step prefix to estimate
 * const est = await adaptiveMc(ctx, steps, AMCS_MC_DEFAULTS, rng(1));
 * est.mc; // success fraction from est.rollouts.length rollouts
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { kmeans, nearest } from "./kmeans.ts";
import { type LabelContext, type Rollout, rollouts } from "./rollout.ts";
import { wilson } from "./stats.ts";

/** An MC estimate of one state. */
export interface McEstimate {
  /** Success fraction (NaN when no rollout could be drawn). */
  mc: number;
  /** The rollouts drawn. */
  rollouts: Rollout[];
}

/** AMCS adaptive estimation settings (names follow AMCTS `run.py`). */
export interface AdaptiveMcOptions {
  /** Initial rollouts (`k0_adaptive_mc`). */
  k0: number;
  /** Maximum rollouts for one node (`k_max_node`). */
  kMaxNode: number;
  /** Clusters (`num_clusters_k_mc`). */
  clusters: number;
  /** Minimum rollouts before a cluster may freeze (`k_min_cluster`). */
  kMinCluster: number;
  /** Cluster Wilson half-width at which it freezes (`ε_cluster`). */
  epsCluster: number;
  /** Node Wilson half-width at which estimation stops (`ε_node`). */
  epsNode: number;
  /** Rollouts per round = clip(ceil(hw · scale), minK, maxK). */
  scale: number;
  /** Lower clip of a round. */
  minK: number;
  /** Upper clip of a round. */
  maxK: number;
}

/** AMCS defaults of the run script (`run_multi_gpu.sh`): k0 6, k_max 20, ε_node 0.2, scale 12, max_k 6. */
export const AMCS_MC_DEFAULTS: AdaptiveMcOptions = {
  k0: 6,
  kMaxNode: 20,
  clusters: 3,
  kMinCluster: 3,
  epsCluster: 0.2,
  epsNode: 0.2,
  scale: 12,
  minK: 1,
  maxK: 6,
};

/**
 * Fixed-k estimate (OmegaPRM): `k` rollouts, MC = successes / drawn.
 *
 * @example
 * ```ts
 * import type { LabelContext } from "./rollout.ts";
 * declare const ctx: LabelContext;
 * declare const steps: string[];
 * const { mc } = await fixedMc(ctx, steps, 8);
 * ```
 */
export async function fixedMc(
  ctx: LabelContext,
  steps: readonly string[],
  k: number,
): Promise<McEstimate> {
  const rs = await rollouts(ctx, steps, k);
  return { mc: rs.length ? rs.filter((r) => r.correct).length / rs.length : NaN, rollouts: rs };
}

/** AMCS rollout features: [nll per word, log length in words]. */
export function rolloutFeatures(r: Rollout): [number, number] {
  return [r.nll / Math.max(r.words, 1), Math.log(r.words + 1e-6)];
}

/**
 * AMCS adaptive estimate (see module doc). `r` seeds the k-means initialisation.
 */
export async function adaptiveMc(
  ctx: LabelContext,
  steps: readonly string[],
  o: AdaptiveMcOptions,
  r: Rng,
): Promise<McEstimate> {
  const all = await rollouts(ctx, steps, Math.min(o.k0, o.kMaxNode));
  let succ = all.filter((x) => x.correct).length;
  const mcOf = () => (all.length ? succ / all.length : NaN);
  if (all.length === 0 || succ === 0 || succ === all.length) return { mc: mcOf(), rollouts: all };

  // z-score the features with the statistics of the first batch, then cluster.
  const raw = all.map(rolloutFeatures);
  const mu = [0, 1].map((j) => raw.reduce((a, f) => a + f[j], 0) / raw.length);
  const sd = [0, 1].map((j) =>
    Math.sqrt(raw.reduce((a, f) => a + (f[j] - mu[j]) ** 2, 0) / raw.length) || 1
  );
  const z = (f: [number, number]) => f.map((v, j) => (v - mu[j]) / sd[j]);
  const { centroids, assign } = kmeans(raw.map(z), o.clusters, r);
  const cn = centroids.map(() => 0), cs = centroids.map(() => 0);
  assign.forEach((c, i) => {
    cn[c]++;
    if (all[i].correct) cs[c]++;
  });
  const frozen = (c: number) =>
    cn[c] >= o.kMinCluster && wilson(cs[c], cn[c]).halfWidth <= o.epsCluster;

  while (all.length < o.kMaxNode) {
    if (wilson(succ, all.length).halfWidth <= o.epsNode) break;
    let target = -1, hw = -1;
    for (let c = 0; c < centroids.length; c++) {
      if (frozen(c)) continue;
      const h = wilson(cs[c], cn[c]).halfWidth;
      if (h > hw) {
        hw = h;
        target = c;
      }
    }
    if (target < 0) break;
    const kStep = Math.min(o.maxK, Math.max(o.minK, Math.ceil(hw * o.scale)));
    const more = await rollouts(ctx, steps, Math.min(kStep, o.kMaxNode - all.length));
    if (more.length === 0) break;
    for (const x of more) {
      const c = nearest(centroids, z(rolloutFeatures(x)));
      cn[c]++;
      if (x.correct) {
        cs[c]++;
        succ++;
      }
      all.push(x);
    }
  }
  return { mc: mcOf(), rollouts: all };
}
