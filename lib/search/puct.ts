/**
 * Child-selection rules of the two MCTS families (docs/algorithms.md §5.4, §6.2, §9):
 *
 * - AlphaMath PUCT: `Q(child) + c_puct · prior(child) · sqrt(N(parent)) / (1 + N(child))`,
 *   `Q = 0` when `N(child) = 0`; argmax over non-terminal children, ties broken uniformly at
 *   random (`random.choice`).
 * - rStar-Math UCT (no prior): `Q(child) + c · sqrt(ln N(parent) / N(child))`, the bonus is 0
 *   when `N(parent) = 0` or `N(child) = 0`; argmax over non-terminal children, ties → first.
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { qValue, type StepNode } from "./step_tree.ts";

/** The statistics a selection rule reads from a child. */
export interface ChildStats {
  /** Visit count N. */
  visits: number;
  /** Sum of backed-up values W. */
  valueSum: number;
  /** Step prior (PUCT only). */
  prior: number;
}

/**
 * AlphaMath PUCT score of a child (Super_MARIO `MCTSNode.puct`).
 *
 * @example
 * ```ts
 * // Q = 0.5, bonus = 1.25 · 0.4 · sqrt(4) / (1 + 2) = 1/3
 * puctScore({ visits: 2, valueSum: 1, prior: 0.4 }, 4, 1.25); // 0.8333…
 * ```
 */
export function puctScore(child: ChildStats, parentVisits: number, cPuct: number): number {
  return puctFromQ(qValue(child), child.visits, child.prior, parentVisits, cPuct);
}

/**
 * The PUCT formula from a stored `Q` (offline inference on a saved tree keeps `Q`, not `W`).
 *
 * @example
 * ```ts
 * puctFromQ(0.5, 2, 0.4, 4, 1.25); // 0.8333…
 * ```
 */
export function puctFromQ(
  q: number,
  visits: number,
  prior: number,
  parentVisits: number,
  cPuct: number,
): number {
  return (visits > 0 ? q : 0) + cPuct * prior * Math.sqrt(parentVisits) / (1 + visits);
}

/**
 * rStar-Math UCT score of a child (no prior; bonus 0 when either count is 0).
 *
 * @example
 * ```ts
 * uctScore({ visits: 1, valueSum: 0.2, prior: 1 }, 3, 2); // 0.2 + 2·sqrt(ln 3)
 * ```
 */
export function uctScore(child: ChildStats, parentVisits: number, c: number): number {
  const q = qValue(child);
  if (parentVisits === 0 || child.visits === 0) return q;
  return q + c * Math.sqrt(Math.log(parentVisits) / child.visits);
}

/**
 * AlphaMath `select_child`: the non-terminal child with the highest PUCT score; exact ties are
 * broken by `rng` (uniform); null when every child is terminal.
 *
 * @example
 * ```ts
 * import { rng } from "../core/random.ts";
 * import { createRoot } from "./step_tree.ts";
 * selectPuct(createRoot({ problem: "p", text: "" }), 1.25, rng(0)); // null (no children)
 * ```
 */
export function selectPuct(node: StepNode, cPuct: number, rng: Rng): StepNode | null {
  const best = argmaxTies(node, (c) => puctScore(c, node.visits, cPuct));
  if (best.length === 0) return null;
  return best.length === 1 ? best[0] : best[rng.int(best.length)];
}

/**
 * rStar-Math `select_child`: the non-terminal child with the highest UCT score, the first one on
 * ties; null when every child is terminal.
 *
 * @example
 * ```ts
 * import { createRoot } from "./step_tree.ts";
 * selectUct(createRoot({ problem: "p", text: "" }), 2); // null (no children)
 * ```
 */
export function selectUct(node: StepNode, c: number): StepNode | null {
  return argmaxTies(node, (ch) => uctScore(ch, node.visits, c))[0] ?? null;
}

function argmaxTies(node: StepNode, score: (child: StepNode) => number): StepNode[] {
  let bestValue = -Infinity;
  let best: StepNode[] = [];
  for (const child of node.children) {
    if (child.terminal) continue;
    const s = score(child);
    if (s === bestValue) best.push(child);
    else if (s > bestValue) {
      bestValue = s;
      best = [child];
    }
  }
  return best;
}
