/**
 * Select the rows of a {@linkcode FeatureSet} that train (or evaluate) one head kind and turn
 * them into a {@linkcode HeadDataset}:
 *
 * | kind | rows | target | truth (for evaluation) |
 * |---|---|---|---|
 * | value | `step` (policy samples) | outcome ±1 (AlphaMath §5.6) | outcome |
 * | twist | `step`, grouped by (problem, step) | outcome 0/1 (CTL §4.3) | outcome |
 * | prm | `label` (labelled paths) for training; `step` for held-out evaluation | hard (or soft) label | checker truth |
 * | qsharp | `token` | outcome 0/1 (§7.2) | outcome |
 *
 * @example
 * ```ts
 * import { readFeatures } from "./features.ts";
 * const ds = headDataset(await readFeatures("results/features/train"), "prm");
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
}

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
  const want: RowKind = kind === "qsharp" ? "token" : labelRows ? "label" : "step";
  const rows: number[] = [];
  for (let i = 0; i < set.count; i++) {
    if (c.kind[i] !== want) continue;
    if (labelRows ? c.label[i] < 0 : kind === "prm" ? c.truth[i] < 0 : c.outcome[i] < 0) continue;
    rows.push(i);
  }
  if (rows.length === 0) {
    throw new Error(`no ${want} rows for a ${kind} head in this feature set (${set.count} rows)`);
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
    if (kind === "value") target[r] = out > 0 ? 1 : -1;
    else if (kind === "prm") {
      target[r] = !labelRows ? c.truth[i] : o.soft && c.soft[i] !== null ? c.soft[i]! : c.label[i];
    } else target[r] = out > 0 ? 1 : 0;
    truth[r] = kind === "prm" ? (c.truth[i] >= 0 ? c.truth[i] : NaN) : out;
    const key = `${c.problem[i]}:${c.step[i]}`;
    if (!groups.has(key)) groups.set(key, groups.size);
    group[r] = groups.get(key)!;
  });
  return { dim, x, target, truth, problem, group, token: kind === "qsharp" ? token : undefined };
}
