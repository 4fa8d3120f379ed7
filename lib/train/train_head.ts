/**
 * Train a {@linkcode Head} on frozen hidden states with Adam, seeded initialisation and shuffling,
 * mini-batches and early stopping on a held-out split of problems.
 *
 * Losses (z = head logit):
 * - `value` — AlphaMath (docs/algorithms.md §5.6): `(tanh(z) − y)²`, y = outcome ±1.
 * - `prm` — BCE(σ(z), step label) on the step's last token (§1.3 semantics: P(step correct)).
 * - `qsharp` — Q# (§7.2): BCE(σ(z), rollout outcome 0/1) at every token position of the sample.
 * - `twist` — TSMC CTL (§4.3, **[UNVERIFIED]** sample-based reconstruction, not checked against
 *   the paper code): per (problem, step t) group of K samples with outcomes r_i and ψ_i = σ(z_i),
 *   `L_t = −Σ_i (r_i/Σ_j r_j)·log ψ_i + log Σ_i ψ_i` (no positive term when Σ r = 0).
 *
 * Hand-written on typed arrays: at hidden ≤ 256 and ≤ 1e5 rows a framework buys nothing; one epoch
 * is a few million multiply-adds. Same data + same seed ⇒ bit-identical weights (no parallelism,
 * fixed summation order).
 *
 * @example
 * ```ts
 * import type { FeatureModel } from "../rewards/head.ts";
 * declare const dataset: HeadDataset;
 * declare const featureModel: FeatureModel;
 * const { head, metrics } = trainHead(dataset, { kind: "value", seed: 1, featureModel });
 * ```
 *
 * @module
 */
import { auc, withinGroupAuc } from "../metrics/auc.ts";
import {
  type FeatureModel,
  type Head,
  type HeadKind,
  headLogit,
  sigmoid,
} from "../rewards/head.ts";
import { type Rng, rng as seeded } from "../core/random.ts";
import { shuffle } from "./shuffle.ts";

/** Rows to train on: hidden states with targets. */
export interface HeadDataset {
  /** Hidden size. */
  dim: number;
  /** Hidden states, `n × dim` row-major. */
  x: Float32Array;
  /** Target per row: ±1 (value), 0/1 or soft in [0,1] (prm, qsharp), outcome 0/1 (twist). */
  target: Float32Array;
  /** Problem index per row: the train/held-out split never separates one problem's rows. */
  problem: Int32Array;
  /** CTL group per row (twist only): rows of one problem at one step boundary share a group. */
  group?: Int32Array;
  /** Ground truth per row for evaluation only (e.g. the step checker's verdict; NaN = unknown). */
  truth?: Float32Array;
  /** Row weights (default 1). */
  weight?: Float32Array;
  /** Next token id per row (qsharp: the token whose advantage row the row trains). */
  token?: Int32Array;
}

/** Training settings. */
export interface TrainOptions {
  /** What to train. */
  kind: HeadKind;
  /** Seed of split, initialisation and shuffling. */
  seed: number;
  /** The model the features come from (goes on the card). */
  featureModel: FeatureModel;
  /** Hidden units (0 = linear head; default 0). */
  hidden?: number;
  /** Token rows of a qsharp head (the policy's vocabulary size; required for qsharp). */
  vocab?: number;
  /** Adam step size (default 3e-3). */
  lr?: number;
  /** Rows per mini-batch, or groups per batch for twist (default 64). */
  batchSize?: number;
  /** Maximum epochs (default 60). */
  epochs?: number;
  /** Stop after this many epochs without held-out improvement (default 6). */
  patience?: number;
  /** L2 penalty on weights (not biases; default 1e-4). */
  weightDecay?: number;
  /** Fraction of problems held out (default 0.15). */
  heldOut?: number;
  /** Free-form description of the data (goes on the card). */
  data?: Record<string, unknown>;
  /** Notes for the card. */
  notes?: string[];
}

/** Per-epoch trace. */
export interface EpochLog {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss. */
  train: number;
  /** Held-out loss. */
  heldOut: number;
}

/** What {@linkcode trainHead} returns. */
export interface TrainResult {
  /** The best head (by held-out loss). */
  head: Head;
  /** Held-out metrics (also on the card). */
  metrics: Record<string, number | null>;
  /** Loss per epoch. */
  history: EpochLog[];
  /** Which problems were held out. */
  heldOutProblems: number[];
}

interface Layout {
  dim: number;
  hidden: number;
  /** Trunk width: hidden, or dim when linear. */
  width: number;
  vocab: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  wa: number;
  ba: number;
  size: number;
}

function layout(dim: number, hidden: number, vocab: number): Layout {
  const width = hidden === 0 ? dim : hidden;
  const w1 = 0, b1 = hidden * dim, w2 = b1 + hidden;
  const b2 = w2 + width;
  const wa = b2 + 1, ba = wa + vocab * width;
  return { dim, hidden, width, vocab, w1, b1, w2, b2, wa, ba, size: ba + vocab };
}

/**
 * Forward one standardised row; fills `f` with trunk features (x itself when linear, else the
 * tanh activations); `token` ≥ 0 adds that token's advantage row. Returns z.
 */
function forward(
  p: Float64Array,
  L: Layout,
  x: Float64Array,
  f: Float64Array,
  token: number,
): number {
  const { dim, hidden, width } = L;
  if (hidden === 0) f.set(x);
  else {
    for (let u = 0; u < hidden; u++) {
      let a = p[L.b1 + u];
      const row = L.w1 + u * dim;
      for (let j = 0; j < dim; j++) a += p[row + j] * x[j];
      f[u] = Math.tanh(a);
    }
  }
  let z = p[L.b2];
  for (let j = 0; j < width; j++) z += p[L.w2 + j] * f[j];
  if (token >= 0) {
    z += p[L.ba + token];
    const row = L.wa + token * width;
    for (let j = 0; j < width; j++) z += p[row + j] * f[j];
  }
  return z;
}

/** Accumulate dz · ∂z/∂θ into `g` (after {@linkcode forward} filled `f` for the same row). */
function backward(
  p: Float64Array,
  L: Layout,
  x: Float64Array,
  f: Float64Array,
  token: number,
  dz: number,
  g: Float64Array,
): void {
  const { dim, hidden, width } = L;
  g[L.b2] += dz;
  for (let j = 0; j < width; j++) g[L.w2 + j] += dz * f[j];
  const row = L.wa + token * width;
  if (token >= 0) {
    g[L.ba + token] += dz;
    for (let j = 0; j < width; j++) g[row + j] += dz * f[j];
  }
  if (hidden === 0) return;
  for (let u = 0; u < hidden; u++) {
    const wOut = p[L.w2 + u] + (token >= 0 ? p[row + u] : 0);
    const da = dz * wOut * (1 - f[u] * f[u]);
    g[L.b1 + u] += da;
    const r1 = L.w1 + u * dim;
    for (let j = 0; j < dim; j++) g[r1 + j] += da * x[j];
  }
}

/** Loss and dL/dz of one row for the pointwise kinds. */
function pointLoss(kind: HeadKind, z: number, y: number): [number, number] {
  if (kind === "value") {
    const v = Math.tanh(z);
    return [(v - y) ** 2, 2 * (v - y) * (1 - v * v)];
  }
  // BCE with logits, numerically stable.
  const loss = Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  return [loss, sigmoid(z) - y];
}

/**
 * CTL loss of one group and dL/dz_i written into `dz` (§4.3, [UNVERIFIED]).
 * log ψ = log σ(z) ⇒ ∂/∂z_i: (1 − σ_i)(ψ_i/Σψ − r_i/Σr).
 */
export function ctlGroupLoss(z: ArrayLike<number>, r: ArrayLike<number>, dz: Float64Array): number {
  let sumR = 0, sumPsi = 0;
  const n = z.length;
  for (let i = 0; i < n; i++) {
    sumR += r[i];
    sumPsi += sigmoid(z[i]);
  }
  let loss = Math.log(sumPsi);
  for (let i = 0; i < n; i++) {
    const s = sigmoid(z[i]);
    const w = sumR > 0 ? r[i] / sumR : 0;
    if (w > 0) loss -= w * Math.log(Math.max(s, 1e-12));
    dz[i] = (1 - s) * (s / sumPsi - w);
  }
  return loss;
}

/** Split problems into train / held-out with `rng`. */
function splitProblems(problem: Int32Array, frac: number, rng: Rng): Set<number> {
  const ids = [...new Set(problem)].sort((a, b) => a - b);
  shuffle(ids, rng);
  const k = Math.max(1, Math.round(frac * ids.length));
  return new Set(ids.slice(0, Math.min(k, ids.length - 1)));
}

/**
 * Train a head. Throws when the dataset is empty or inconsistent.
 *
 * @example
 * ```ts
 * import type { FeatureModel } from "../rewards/head.ts";
 * declare const featureModel: FeatureModel;
 * const ds = { dim: 2, x: new Float32Array([0, 1, 1, 0]), target: new Float32Array([1, -1]),
 *   problem: new Int32Array([0, 1]) };
 * const { head } = trainHead(ds, { kind: "value", seed: 3, featureModel, heldOut: 0.5 });
 * ```
 */
export function trainHead(ds: HeadDataset, opts: TrainOptions): TrainResult {
  const {
    kind,
    seed,
    hidden = 0,
    lr = 3e-3,
    batchSize = 64,
    epochs = 60,
    patience = 6,
    weightDecay = 1e-4,
    heldOut = 0.15,
  } = opts;
  const { dim, x } = ds;
  const n = ds.target.length;
  if (n === 0) throw new Error("trainHead: empty dataset");
  if (x.length !== n * dim) {
    throw new Error(`trainHead: x has ${x.length} values, expected ${n}×${dim}`);
  }
  if (ds.problem.length !== n) throw new Error("trainHead: problem column length mismatch");
  const vocab = kind === "qsharp" ? (opts.vocab ?? 0) : 0;
  if (kind === "qsharp" && (vocab < 1 || !ds.token || ds.token.length !== n)) {
    throw new Error("trainHead: qsharp training needs opts.vocab and a token per row");
  }
  const tok = (i: number) => (vocab > 0 ? ds.token![i] : -1);
  if (kind === "twist" && (!ds.group || ds.group.length !== n)) {
    throw new Error("trainHead: twist training needs a group per row (problem × step)");
  }
  const rng = seeded(seed);
  const held = splitProblems(ds.problem, heldOut, rng);
  const trainRows: number[] = [], heldRows: number[] = [];
  for (let i = 0; i < n; i++) (held.has(ds.problem[i]) ? heldRows : trainRows).push(i);

  // Standardisation from training rows.
  const mean = new Float64Array(dim), sd = new Float64Array(dim);
  for (const i of trainRows) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= trainRows.length;
  for (const i of trainRows) for (let j = 0; j < dim; j++) sd[j] += (x[i * dim + j] - mean[j]) ** 2;
  for (let j = 0; j < dim; j++) sd[j] = Math.max(Math.sqrt(sd[j] / trainRows.length), 1e-3);
  const xs = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) xs[i * dim + j] = (x[i * dim + j] - mean[j]) / sd[j];
  }

  const L = layout(dim, hidden, vocab);
  const p = new Float64Array(L.size);
  if (hidden === 0) {
    for (let j = 0; j < dim; j++) p[L.w2 + j] = 0.01 * rng.normal() / Math.sqrt(dim);
  } else {
    for (let k = 0; k < hidden * dim; k++) p[L.w1 + k] = rng.normal() / Math.sqrt(dim);
    for (let u = 0; u < hidden; u++) p[L.w2 + u] = 0.1 * rng.normal() / Math.sqrt(hidden);
  }
  const isWeight = new Uint8Array(L.size);
  for (let k = 0; k < L.b1; k++) isWeight[k] = 1;
  for (let k = L.w2; k < L.b2; k++) isWeight[k] = 1;
  for (let k = L.wa; k < L.size; k++) isWeight[k] = 1; // advantages (and their biases) decay to 0

  const row = (i: number) => xs.subarray(i * dim, (i + 1) * dim);
  const act = new Float64Array(L.width);
  const w = (i: number) => (ds.weight ? ds.weight[i] : 1);

  // Units of a batch: rows, or CTL groups for twist.
  const unitsOf = (rows: number[]): number[][] => {
    if (kind !== "twist") return rows.map((i) => [i]);
    const m = new Map<number, number[]>();
    for (const i of rows) {
      const g = ds.group![i];
      if (!m.has(g)) m.set(g, []);
      m.get(g)!.push(i);
    }
    return [...m.values()].filter((u) => u.length > 1);
  };
  const trainUnits = unitsOf(trainRows);
  const heldUnits = unitsOf(heldRows);
  if (trainUnits.length === 0) {
    throw new Error(`trainHead: no training ${kind === "twist" ? "groups" : "rows"}`);
  }

  /** Loss of a set of units; when `g` is given, accumulate gradients (mean over units). */
  const lossOf = (units: number[][], g?: Float64Array): number => {
    let total = 0, count = 0;
    const zs = new Float64Array(256), dz = new Float64Array(256);
    for (const unit of units) {
      if (kind === "twist") {
        const zz = unit.length <= zs.length ? zs : new Float64Array(unit.length);
        const dd = unit.length <= dz.length ? dz : new Float64Array(unit.length);
        const r: number[] = [];
        for (let k = 0; k < unit.length; k++) {
          zz[k] = forward(p, L, row(unit[k]), act, -1);
          r.push(ds.target[unit[k]]);
        }
        total += ctlGroupLoss(zz.subarray(0, unit.length), r, dd);
        count++;
        if (g) {
          for (let k = 0; k < unit.length; k++) {
            forward(p, L, row(unit[k]), act, -1);
            backward(p, L, row(unit[k]), act, -1, dd[k], g);
          }
        }
      } else {
        const i = unit[0];
        const z = forward(p, L, row(i), act, tok(i));
        const [l, d] = pointLoss(kind, z, ds.target[i]);
        total += w(i) * l;
        count += w(i);
        if (g) backward(p, L, row(i), act, tok(i), w(i) * d, g);
      }
    }
    return count > 0 ? total / count : NaN;
  };

  const m1 = new Float64Array(L.size), m2 = new Float64Array(L.size), g = new Float64Array(L.size);
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  let t = 0;
  let best = Infinity, bestEpoch = 0, bestP = p.slice();
  const history: EpochLog[] = [];
  const order = trainUnits.map((_, k) => k);
  const evalUnits = heldUnits.length > 0 ? heldUnits : trainUnits;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle(order, rng);
    let sum = 0, batches = 0;
    for (let s = 0; s < order.length; s += batchSize) {
      const batch = order.slice(s, s + batchSize).map((k) => trainUnits[k]);
      g.fill(0);
      const l = lossOf(batch, g);
      const scale = 1 / (kind === "twist" ? batch.length : batch.reduce((a, u) => a + w(u[0]), 0));
      t++;
      const c1 = 1 - beta1 ** t, c2 = 1 - beta2 ** t;
      for (let k = 0; k < L.size; k++) {
        const gk = g[k] * scale + (isWeight[k] ? weightDecay * p[k] : 0);
        m1[k] = beta1 * m1[k] + (1 - beta1) * gk;
        m2[k] = beta2 * m2[k] + (1 - beta2) * gk * gk;
        p[k] -= (lr * (m1[k] / c1)) / (Math.sqrt(m2[k] / c2) + eps);
      }
      sum += l;
      batches++;
    }
    const h = lossOf(evalUnits);
    history.push({ epoch, train: sum / batches, heldOut: h });
    if (h < best - 1e-6) {
      best = h;
      bestEpoch = epoch;
      bestP = p.slice();
    } else if (epoch - bestEpoch >= patience) break;
  }
  p.set(bestP);

  const head: Head = {
    kind,
    dim,
    hidden,
    mean: Float32Array.from(mean),
    std: Float32Array.from(sd),
    w1: Float32Array.from(p.subarray(L.w1, L.b1)),
    b1: Float32Array.from(p.subarray(L.b1, L.w2)),
    w2: Float32Array.from(p.subarray(L.w2, L.b2)),
    b2: p[L.b2],
    vocab,
    wa: Float32Array.from(p.subarray(L.wa, L.ba)),
    ba: Float32Array.from(p.subarray(L.ba, L.size)),
    card: {
      kind,
      seed,
      data: { ...opts.data, rows: n, trainRows: trainRows.length, heldOutRows: heldRows.length },
      metrics: {},
      featureModel: opts.featureModel,
      training: {
        optimizer: "adam",
        lr,
        batchSize,
        epochs,
        patience,
        weightDecay,
        hidden,
        heldOut,
        bestEpoch,
      },
      notes: [
        ...(kind === "twist"
          ? [
            "[UNVERIFIED] CTL loss reconstructed from the paper (docs/algorithms.md §4.3), not its code",
          ]
          : []),
        ...(opts.notes ?? []),
      ],
    },
  };
  const metrics = evaluateRows(head, ds, heldRows.length > 0 ? heldRows : trainRows);
  metrics.heldOutLoss = best;
  metrics.trainLoss = lossOf(trainUnits);
  metrics.bestEpoch = bestEpoch;
  head.card.metrics = metrics;
  return { head, metrics, history, heldOutProblems: [...held].sort((a, b) => a - b) };
}

/**
 * AUCs of a head's probability on `rows` of a dataset: against the training target (positive =
 * target > 0 for value, ≥ 0.5 otherwise) and, where present, against the ground truth.
 *
 * @example
 * ```ts
 * import type { Head } from "../rewards/head.ts";
 * declare const head: Head;
 * declare const dataset: HeadDataset;
 * evaluateRows(head, dataset, [0, 1, 2]).aucTarget;
 * ```
 */
export function evaluateRows(
  head: Head,
  ds: HeadDataset,
  rows: readonly number[],
): Record<string, number | null> {
  const { dim } = ds;
  const scores: number[] = [], targets: number[] = [], truthScores: number[] = [];
  const truths: number[] = [], problems: number[] = [], truthProblems: number[] = [];
  const cut = head.kind === "value" ? 0 : 0.5;
  for (const i of rows) {
    const z = headLogit(head, ds.x.subarray(i * dim, (i + 1) * dim), ds.token?.[i]);
    scores.push(z);
    problems.push(ds.problem[i]);
    targets.push(
      head.kind === "value" ? (ds.target[i] > cut ? 1 : 0) : (ds.target[i] >= cut ? 1 : 0),
    );
    if (ds.truth && !Number.isNaN(ds.truth[i])) {
      truthScores.push(z);
      truths.push(ds.truth[i] > 0.5 ? 1 : 0);
      truthProblems.push(ds.problem[i]);
    }
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    rows: rows.length,
    aucTarget: finite(auc(scores, targets)),
    aucTruth: truths.length > 0 ? finite(auc(truthScores, truths)) : null,
    // the same, counting only pairs of rows from one problem (what choosing among candidates needs)
    aucTargetWithin: finite(withinGroupAuc(scores, targets, problems)),
    aucTruthWithin: truths.length > 0
      ? finite(withinGroupAuc(truthScores, truths, truthProblems))
      : null,
    truthRows: truths.length,
  };
}
