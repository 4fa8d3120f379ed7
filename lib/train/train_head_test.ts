import assert from "node:assert/strict";
import { ctlGroupLoss, type HeadDataset, trainHead } from "./train_head.ts";
import { rng as seeded } from "../core/random.ts";
import { encodeHead } from "../rewards/head_file.ts";
import { candidateLogits, headLogit, headProbability } from "../rewards/head.ts";

const featureModel = { name: "toy", dim: 8, output: "last_hidden_state", position: "step end" };

/** Rows whose label is a noisy linear function of the features; 40 problems × 10 rows. */
function toyData(seed: number, kind: "value" | "prm" | "twist"): HeadDataset {
  const rng = seeded(seed);
  const dim = 8, n = 400;
  const x = new Float32Array(n * dim), target = new Float32Array(n);
  const problem = new Int32Array(n), group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      x[i * dim + j] = rng.normal();
      s += (j < 3 ? 1 : 0) * x[i * dim + j];
    }
    const y = s + 0.3 * rng.normal() > 0 ? 1 : 0;
    target[i] = kind === "value" ? 2 * y - 1 : y;
    problem[i] = Math.floor(i / 10);
    group[i] = Math.floor(i / 5);
  }
  return { dim, x, target, problem, group };
}

Deno.test("training is deterministic by seed: same seed ⇒ identical weights", () => {
  for (const kind of ["value", "prm", "twist"] as const) {
    const ds = toyData(1, kind);
    const a = trainHead(ds, { kind, seed: 5, featureModel, epochs: 8 });
    const b = trainHead(ds, { kind, seed: 5, featureModel, epochs: 8 });
    assert.equal(encodeHead(a.head), encodeHead(b.head), kind);
    const c = trainHead(ds, { kind, seed: 6, featureModel, epochs: 8 });
    assert.notDeepEqual(c.head.w2, a.head.w2, `${kind}: another seed changes the weights`);
  }
});

Deno.test("a linear value head and an MLP PRM head learn a separable toy problem", () => {
  const v = trainHead(toyData(2, "value"), { kind: "value", seed: 1, featureModel });
  assert.ok(v.metrics.aucTarget! > 0.9, `value auc ${v.metrics.aucTarget}`);
  const p = trainHead(toyData(3, "prm"), { kind: "prm", seed: 1, featureModel, hidden: 8 });
  assert.ok(p.metrics.aucTarget! > 0.9, `prm auc ${p.metrics.aucTarget}`);
  assert.equal(p.head.w1.length, 8 * 8);
  const prob = headProbability(p.head, new Float32Array(8));
  assert.ok(prob > 0 && prob < 1);
});

Deno.test("twist (CTL, [UNVERIFIED]) ranks positives above negatives within groups", () => {
  const t = trainHead(toyData(4, "twist"), { kind: "twist", seed: 1, featureModel });
  assert.ok(t.metrics.aucTarget! > 0.85, `twist auc ${t.metrics.aucTarget}`);
  assert.match(t.head.card.notes!.join(" "), /UNVERIFIED/);
});

Deno.test("ctlGroupLoss gradient matches finite differences", () => {
  const z = [0.3, -1.2, 2.0, 0.1], r = [1, 0, 1, 0];
  const dz = new Float64Array(4);
  ctlGroupLoss(z, r, dz);
  const tmp = new Float64Array(4);
  for (let i = 0; i < 4; i++) {
    const zp = z.slice(), zm = z.slice();
    zp[i] += 1e-5;
    zm[i] -= 1e-5;
    const num = (ctlGroupLoss(zp, r, tmp) - ctlGroupLoss(zm, r, tmp)) / 2e-5;
    assert.ok(Math.abs(num - dz[i]) < 1e-6, `dz[${i}] ${dz[i]} vs ${num}`);
  }
});

Deno.test("a qsharp head learns per-token advantages on top of the state value", () => {
  const r = seeded(9);
  const dim = 4, n = 1200, vocab = 5;
  const x = new Float32Array(n * dim), target = new Float32Array(n);
  const problem = new Int32Array(n), token = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) x[i * dim + j] = r.normal();
    token[i] = r.int(vocab);
    // Success depends on the state (feature 0) and on the token (token 3 good, token 1 bad).
    const z = 1.5 * x[i * dim] + (token[i] === 3 ? 2 : token[i] === 1 ? -2 : 0);
    target[i] = r.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    problem[i] = Math.floor(i / 20);
  }
  for (const hidden of [0, 6]) {
    const { head, metrics } = trainHead({ dim, x, target, problem, token }, {
      kind: "qsharp",
      seed: 2,
      featureModel: { ...featureModel, dim: 4 },
      vocab,
      hidden,
    });
    assert.ok(metrics.aucTarget! > 0.8, `qsharp auc ${metrics.aucTarget} (hidden ${hidden})`);
    const zs = candidateLogits(head, [0, 0, 0, 0], [1, 0, 3]);
    assert.ok(zs[0] < zs[1] && zs[1] < zs[2], `token order ${[...zs]}`);
    assert.equal(zs[2], headLogit(head, [0, 0, 0, 0], 3));
  }
  assert.throws(
    () => trainHead({ dim, x, target, problem }, { kind: "qsharp", seed: 1, featureModel, vocab }),
    /qsharp training needs opts.vocab and a token per row/,
  );
});
