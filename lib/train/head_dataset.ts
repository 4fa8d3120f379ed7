/**
 * Select the rows of a {@linkcode FeatureSet} that train (or evaluate) one head kind and turn
 * them into a {@linkcode HeadDataset}:
 *
 * | kind | rows | target | truth (for evaluation) |
 * |---|---|---|---|
 * | value (`targets: "mcts"`, AlphaMath §5.6) | `mcts` (MCTS tree nodes) | Q of an open node, ±1 of a final | step checker truth |
 * | value (`targets: "outcome"`) | `step` (policy samples) | outcome ±1 | outcome |
 * | twist | `step`, grouped by (problem, step) | outcome 0/1 (CTL §4.3) | outcome |
 * | prm | `label` (labelled paths) for training; `step` for held-out evaluation | hard (or soft) label | checker truth |
 * | qsharp | `token` | outcome 0/1 (§7.2) | outcome |
 *
 * `targets` defaults to `"outcome"` here (every existing cache has step rows);
 * `deno task train-head --kind value` defaults to `--targets mcts`.
 *
 * @example
 * ```ts
 * import { readFeatures } from "./features.ts";
 * const ds = headDataset(await readFeatures("results/features/train"), "prm");
 * const value = headDataset(await readFeatures("results/features/mcts"), "value", { targets: "mcts" });
 * ```
 *
 * @module
 */
import type { FeatureSet, RowKind } from "./features.ts";
import type { HeadKind } from "../rewards/head.ts";
import type { HeadDataset } from "./train_head.ts";

/** Options of {@linkcode headDataset}. */
export interface HeadDatasetOptions {
  /** Use the soft (MC fraction) label as the PRM target instead of the hard one. */
  soft?: boolean;
  /** Evaluation rows instead of training rows (PRM: policy-sample steps judged by the checker). */
  evaluation?: boolean;
  /**
   * PRM only: train on the step checker's truth of `step` rows instead of labelling-method labels
   * (oracle labels, for when the policy cannot produce Monte-Carlo labels).
   */
  truthTargets?: boolean;
  /**
   * Value only: train on MCTS targets (`mcts` rows: each tree node's Q, finals ±1; AlphaMath) or
   * on the outcome of policy samples at every step (`step` rows; default `"outcome"`). Evaluation
   * rows are always `step` rows with their outcome.
   */
  targets?: ValueTargets;
}

/** Where a value head's targets come from: MCTS trees (Q) or sample outcomes (±1 at every step). */
export type ValueTargets = "mcts" | "outcome";

/** The value target choices, for flags. */
export const VALUE_TARGETS: readonly ValueTargets[] = ["mcts", "outcome"];

/**
 * Rows of `set` for `kind`; throws (one line) when there are none.
 */
export function headDataset(
  set: FeatureSet,
  kind: HeadKind,
  o: HeadDatasetOptions = {},
): HeadDataset {
  const c = set.columns;
  const labelRows = kind === "prm" && !o.evaluation && !o.truthTargets;
  const mctsRows = kind === "value" && !o.evaluation && o.targets === "mcts";
  const want: RowKind = kind === "qsharp"
    ? "token"
    : labelRows
    ? "label"
    : mctsRows
    ? "mcts"
    : "step";
  const q = c.q;
  if (mctsRows && q === undefined) {
    throw new Error(
      `no mcts rows for a value head in this feature set (${set.count} rows; extract them with ` +
        "--extract --source mcts, or train with --targets outcome)",
    );
  }
  const rows: number[] = [];
  for (let i = 0; i < set.count; i++) {
    if (c.kind[i] !== want) continue;
    if (mctsRows) {
      if (q![i] === null || !Number.isFinite(q![i])) continue;
    } else if (
      labelRows ? c.label[i] < 0 : kind === "prm" ? c.truth[i] < 0 : c.outcome[i] < 0
    ) continue;
    rows.push(i);
  }
  if (rows.length === 0) {
    const hint = mctsRows
      ? "; extract them with --extract --source mcts, or train with --targets outcome"
      : kind === "value" && !o.evaluation && c.kind.includes("mcts")
      ? "; this is an MCTS feature set: train with --targets mcts"
      : "";
    throw new Error(
      `no ${want} rows for a ${kind} head in this feature set (${set.count} rows${hint})`,
    );
  }
  const { dim } = set;
  const x = new Float32Array(rows.length * dim);
  const target = new Float32Array(rows.length);
  const truth = new Float32Array(rows.length);
  const problem = new Int32Array(rows.length);
  const group = new Int32Array(rows.length);
  const token = new Int32Array(rows.length);
  const groups = new Map<string, number>();
  rows.forEach((i, r) => {
    x.set(set.x.subarray(i * dim, (i + 1) * dim), r * dim);
    problem[r] = c.problem[i];
    token[r] = c.token[i];
    const out = c.outcome[i];
    if (mctsRows) target[r] = q![i]!;
    else if (kind === "value") target[r] = out > 0 ? 1 : -1;
    else if (kind === "prm") {
      target[r] = !labelRows ? c.truth[i] : o.soft && c.soft[i] !== null ? c.soft[i]! : c.label[i];
    } else target[r] = out > 0 ? 1 : 0;
    truth[r] = kind === "prm" || mctsRows ? (c.truth[i] >= 0 ? c.truth[i] : NaN) : out;
    const key = `${c.problem[i]}:${c.step[i]}`;
    if (!groups.has(key)) groups.set(key, groups.size);
    group[r] = groups.get(key)!;
  });
  return { dim, x, target, truth, problem, group, token: kind === "qsharp" ? token : undefined };
}
