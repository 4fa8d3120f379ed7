/**
 * The on-disk cache of frozen hidden states: `hidden.f32` (little-endian float32 rows, `count ×
 * dim`) plus `index.json` (format, feature model, columns describing each row). Extracted once
 * through the policy, read by every head training run.
 *
 * Row kinds:
 * - `step`  — hidden state at the last token of a step of a policy sample (value, twist, and the
 *   held-out truth for PRM evaluation); `outcome` = the sample's final correctness.
 * - `token` — hidden state before a token of a policy sample, `token` = that token (Q#).
 * - `label` — hidden state at the last token of a step of a labelled path (`deno task label`
 *   output); `label` / `soft` = the labelling method's hard / soft label (PRM training).
 * - `mcts` — hidden state at the end of a node of an AlphaMath MCTS tree (`mcts_features.ts`);
 *   `q` = the node's value target (Q of an open node, ±1 of a final: `mcts_targets.ts`),
 *   `outcome` = 1/0 for finals and −1 for open nodes, `sample` = the node id.
 *
 * @example
 * ```ts
 * const set = await readFeatures("results/features/train");
 * set.dim; // 128
 * ```
 *
 * @module
 */
import { join } from "node:path";
import type { FeatureModel } from "../rewards/head.ts";

/** Format tag of `index.json`. */
export const FEATURES_FORMAT = "ttsearch-features/1";

/** Kind of a feature row. */
export type RowKind = "step" | "token" | "label" | "mcts";

/** Row metadata, column-wise (every array has `count` entries). */
export interface FeatureColumns {
  /** Row kind. */
  kind: RowKind[];
  /** Index into `problems`. */
  problem: number[];
  /** Sample (or labelled path) index within the problem; the tree node id for mcts rows. */
  sample: number[];
  /** Step index (step/label/mcts rows) or token index in the solution text (token rows). */
  step: number[];
  /** Final correctness of the sample (1/0; −1 unknown). */
  outcome: number[];
  /** Hard step label (label rows; −1 elsewhere). */
  label: number[];
  /** Soft step label (label rows; null elsewhere). */
  soft: (number | null)[];
  /** Step checker truth of the step (1 = prefix still correct, 0 = not, −1 unknown). */
  truth: number[];
  /** Next token id (token rows; −1 elsewhere). */
  token: number[];
  /**
   * MCTS value target (mcts rows; null elsewhere). Absent from sets without mcts rows (and from
   * caches written before it existed).
   */
  q?: (number | null)[];
}

/** A feature set in memory. */
export interface FeatureSet {
  /** Hidden size. */
  dim: number;
  /** Rows. */
  count: number;
  /** The model the states came from. */
  model: FeatureModel;
  /** Problem ids, indexed by `columns.problem`. */
  problems: string[];
  /** Token vocabulary size of the model (Q# heads). */
  vocab: number;
  /** Row metadata. */
  columns: FeatureColumns;
  /** Hidden states, `count × dim`. */
  x: Float32Array;
  /** How the set was made (command, seed, sampling...). */
  source: Record<string, unknown>;
}

/** Empty column set. */
export function emptyColumns(): FeatureColumns {
  return {
    kind: [],
    problem: [],
    sample: [],
    step: [],
    outcome: [],
    label: [],
    soft: [],
    truth: [],
    token: [],
  };
}

/**
 * Pack one hidden-state vector per row into the `count × dim` matrix of a feature set.
 *
 * @example
 * ```ts
 * packRows([new Float32Array([1, 2]), new Float32Array([3, 4])], 2); // Float32Array [1, 2, 3, 4]
 * ```
 */
export function packRows(rows: readonly Float32Array[], dim: number): Float32Array {
  const x = new Float32Array(rows.length * dim);
  rows.forEach((h, i) => x.set(h, i * dim));
  return x;
}

/**
 * Write a feature set to `dir` (`index.json` + `hidden.f32`), replacing what is there.
 *
 * @example
 * ```ts
 * declare const set: FeatureSet;
 * await writeFeatures("results/features/train", set);
 * ```
 */
export async function writeFeatures(dir: string, set: FeatureSet): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  if (set.x.length !== set.count * set.dim) {
    throw new Error(`writeFeatures: ${set.x.length} values for ${set.count} rows × ${set.dim}`);
  }
  const bytes = new Uint8Array(set.x.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < set.x.length; i++) view.setFloat32(i * 4, set.x[i], true);
  await Deno.writeFile(join(dir, "hidden.f32"), bytes);
  const { x: _x, ...meta } = set;
  await Deno.writeTextFile(
    join(dir, "index.json"),
    JSON.stringify({ format: FEATURES_FORMAT, ...meta }) + "\n",
  );
}

/**
 * Read a feature set; one-line errors name the file and what is wrong.
 *
 * @example
 * ```ts
 * const { x, columns } = await readFeatures("results/features/train");
 * ```
 */
export async function readFeatures(dir: string): Promise<FeatureSet> {
  const indexPath = join(dir, "index.json"), dataPath = join(dir, "hidden.f32");
  let meta: FeatureSet & { format?: string };
  try {
    meta = JSON.parse(await Deno.readTextFile(indexPath));
  } catch (e) {
    throw new Error(
      `${indexPath}: cannot read feature index (${e instanceof Error ? e.message : e})`,
    );
  }
  if (meta.format !== FEATURES_FORMAT) {
    throw new Error(
      `${indexPath}: format is ${JSON.stringify(meta.format)}, expected "${FEATURES_FORMAT}"`,
    );
  }
  for (const [k, v] of Object.entries(meta.columns ?? {})) {
    if (!Array.isArray(v) || v.length !== meta.count) {
      throw new Error(`${indexPath}: column ${k} does not have ${meta.count} rows`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(dataPath);
  } catch (e) {
    throw new Error(
      `${dataPath}: cannot read hidden states (${e instanceof Error ? e.message : e})`,
    );
  }
  if (bytes.length !== meta.count * meta.dim * 4) {
    throw new Error(
      `${dataPath}: ${bytes.length} bytes, expected ${meta.count} rows × ${meta.dim} × 4`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const x = new Float32Array(meta.count * meta.dim);
  for (let i = 0; i < x.length; i++) x[i] = view.getFloat32(i * 4, true);
  return { ...meta, x };
}
