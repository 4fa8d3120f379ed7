/**
 * K-means (Lloyd's algorithm) with seeded random initialisation, for AMCS's rollout clusters
 * (docs/algorithms.md §8.2: K = 3, 20 iterations, random init, on z-scored [nll, log length]).
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * const { assign, centroids } = kmeans([[0, 0], [0, 1], [9, 9]], 2, rng(1));
 * ```
 *
 * @module
 */
import type { Rng } from "../core/random.ts";

/** Result of {@linkcode kmeans}. */
export interface KMeans {
  /** Cluster centres (at most `k`; fewer when there are fewer distinct points). */
  centroids: number[][];
  /** Cluster of each point. */
  assign: number[];
}

/** Squared Euclidean distance. */
function dist2(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return s;
}

/**
 * Index of the centroid nearest to `x` (first on ties).
 *
 * @example
 * ```ts
 * nearest([[0, 0], [5, 5]], [4, 4]); // 1
 * ```
 */
export function nearest(centroids: readonly (readonly number[])[], x: readonly number[]): number {
  let best = 0, bd = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = dist2(centroids[c], x);
    if (d < bd) {
      bd = d;
      best = c;
    }
  }
  return best;
}

/**
 * Cluster `points` into `k` groups: centroids start at `k` distinct random points, then `iters`
 * rounds of assign / re-centre (an emptied cluster keeps its centre).
 */
export function kmeans(
  points: readonly (readonly number[])[],
  k: number,
  r: Rng,
  iters = 20,
): KMeans {
  const n = points.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const centroids: number[][] = [];
  for (const i of idx) {
    if (centroids.length >= k) break;
    if (!centroids.some((c) => dist2(c, points[i]) === 0)) centroids.push([...points[i]]);
  }
  let assign = points.map((p) => nearest(centroids, p));
  for (let it = 0; it < iters; it++) {
    const sums = centroids.map((c) => c.map(() => 0));
    const counts = centroids.map(() => 0);
    points.forEach((p, i) => {
      counts[assign[i]]++;
      p.forEach((v, j) => (sums[assign[i]][j] += v));
    });
    centroids.forEach((c, ci) => {
      if (counts[ci] > 0) { for (let j = 0; j < c.length; j++) c[j] = sums[ci][j] / counts[ci]; }
    });
    const next = points.map((p) => nearest(centroids, p));
    if (next.every((a, i) => a === assign[i])) break;
    assign = next;
  }
  return { centroids, assign };
}
