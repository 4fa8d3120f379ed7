/**
 * Hidden states for MCTS value rows ({@linkcode mctsValueData}): one `mcts` row of a
 * {@linkcode FeatureSet} per tree row, the policy's hidden state at the end of the node's text
 * (the last token of the state, what the value-head scorer reads for that node during a search:
 * `hiddenAt` at the text's end equals `Policy.hidden` of the state), with the row's target in the
 * `q` column.
 *
 * Identical state texts of one problem (duplicate siblings) are encoded once. Columns of a row:
 * `problem` (index into `problems`), `sample` = node id, `step` = depth − 1, `q` = target,
 * `outcome` = 1/0 for finals (correct / wrong or invalid) and −1 for open nodes, `truth` = the
 * step checker's verdict on the node's last step where the item has one (else −1).
 *
 * @example
 * ```ts
 * import type { FeatureModel } from "../rewards/head.ts";
 * import type { FeaturePolicy } from "./extract.ts";
 * import type { MctsTreeRows } from "./mcts_data.ts";
 * declare const policy: FeaturePolicy;
 * declare const trees: MctsTreeRows[];
 * declare const model: FeatureModel;
 * const set = await mctsFeatures(trees.map((tree) => ({ tree, problem: "…" })), {
 *   policy, model, vocab: 85,
 * });
 * set.columns.q; // the targets
 * ```
 *
 * @module
 */
import type { FeatureModel } from "../rewards/head.ts";
import type { FeaturePolicy } from "./extract.ts";
import { emptyColumns, type FeatureSet, packRows } from "./features.ts";
import type { MctsTreeRows } from "./mcts_data.ts";

/** One problem's tree with what the features need about the problem. */
export interface MctsFeatureItem {
  /** The tree's rows. */
  tree: MctsTreeRows;
  /** The problem statement (the prompt the states continue). */
  problem: string;
  /** The step checker of the problem, where one exists (1 = prefix still correct). */
  truth?: (steps: readonly string[]) => number[];
}

/** Options of {@linkcode mctsFeatures}. */
export interface MctsFeatureOptions {
  /** The policy whose hidden states are the features. */
  policy: Pick<FeaturePolicy, "hiddenAt">;
  /** Feature model (goes into the index and onto head cards). */
  model: FeatureModel;
  /** Vocabulary size of the policy. */
  vocab: number;
  /** Provenance for the index (command, search settings...). */
  source?: Record<string, unknown>;
  /** Called after each problem. */
  onProblem?: (done: number) => void;
}

/**
 * A feature set of `mcts` rows, one per tree row, problems in the order given.
 *
 * @example
 * ```ts
 * import type { FeatureModel } from "../rewards/head.ts";
 * import type { FeaturePolicy } from "./extract.ts";
 * import { writeFeatures } from "./features.ts";
 * declare const policy: FeaturePolicy;
 * declare const items: MctsFeatureItem[];
 * declare const model: FeatureModel;
 * await writeFeatures("results/features/mcts", await mctsFeatures(items, { policy, model, vocab: 85 }));
 * ```
 */
export async function mctsFeatures(
  items: readonly MctsFeatureItem[],
  o: MctsFeatureOptions,
): Promise<FeatureSet> {
  const c = emptyColumns();
  const q: (number | null)[] = [];
  const chunks: Float32Array[] = [];
  for (const [pi, item] of items.entries()) {
    const texts = [...new Set(item.tree.rows.map((r) => r.text))];
    const hs = texts.length > 0
      ? await o.policy.hiddenAt(
        texts.map((text) => ({ problem: item.problem, text, positions: [text.length] })),
      )
      : [];
    const hiddenOf = new Map(texts.map((t, i) => [t, hs[i][0]]));
    for (const row of item.tree.rows) {
      const h = hiddenOf.get(row.text)!;
      if (h.length !== o.model.dim) {
        throw new Error(`hidden size ${h.length}, expected ${o.model.dim}`);
      }
      chunks.push(h);
      c.kind.push("mcts");
      c.problem.push(pi);
      c.sample.push(row.node);
      c.step.push(row.depth - 1);
      c.outcome.push(row.kind === "open" ? -1 : row.correct ? 1 : 0);
      c.label.push(-1);
      c.soft.push(null);
      c.truth.push(item.truth?.(row.steps).at(-1) ?? -1);
      c.token.push(-1);
      q.push(row.target);
    }
    o.onProblem?.(pi + 1);
  }
  const dim = o.model.dim;
  const x = packRows(chunks, dim);
  return {
    dim,
    count: chunks.length,
    model: o.model,
    problems: items.map((it) => it.tree.id),
    vocab: o.vocab,
    columns: { ...c, q },
    x,
    source: { ...o.source },
  };
}
