import assert from "node:assert/strict";
import { majAtKScores } from "./at_k.ts";
import { bootstrapCI } from "./bootstrap.ts";
import { computeCurve, curveAtK } from "./curve.ts";
import type { ProblemRecord } from "./records.ts";

const strict = (a: string, b: string) => a === b;

Deno.test("computeCurve: mean tokens, accuracy and a CI around it per run", () => {
  const runs = [
    { label: "N=4", records: [{ correct: true, tokens: 800 }, { correct: false, tokens: 900 }] },
    {
      label: "N=16",
      records: [{ correct: true, tokens: 3300 }, { correct: true, tokens: 3500 }, {
        correct: false,
        tokens: 3200,
      }],
    },
  ];
  const points = computeCurve(runs, { seed: 0 });
  assert.equal(points.length, 2);
  assert.deepEqual([points[0].label, points[0].tokens, points[0].accuracy, points[0].n], [
    "N=4",
    850,
    0.5,
    2,
  ]);
  assert.equal(points[1].tokens, 10000 / 3);
  assert.ok(Math.abs(points[1].accuracy - 2 / 3) < 1e-12);
  for (const p of points) assert.ok(p.lo <= p.accuracy && p.accuracy <= p.hi);
  assert.deepEqual(computeCurve(runs, { seed: 0 }), points);
  assert.throws(() => computeCurve([{ label: 1, records: [] }], { seed: 0 }), /no records/);
});

Deno.test("curveAtK: maj@k points from one run equal majAtKScores and tokensAtK", () => {
  const answers = [["1", "2", "1", "1"], ["3", "3", "4", "4"], ["5", "6", "7", "5"]];
  const records: ProblemRecord[] = answers.map((as, i) => ({
    id: String(i),
    gold: as[0],
    samples: as.map((answer, j) => ({ answer, tokens: 100 + 10 * j })),
  }));
  const points = curveAtK(records, { metric: "maj", ks: [1, 2, 4], seed: 5, same: strict });
  assert.deepEqual(points.map((p) => p.label), [1, 2, 4]);
  assert.deepEqual(points.map((p) => p.tokens), [115, 230, 460]);
  for (const p of points) {
    const values = majAtKScores(records, p.label as number, { same: strict });
    const ci = bootstrapCI(values, { seed: 5 });
    assert.deepEqual([p.accuracy, p.lo, p.hi], [ci.mean, ci.lo, ci.hi]);
  }
  assert.equal(points[2].accuracy, 1); // maj@4: 1 wins, 3 wins the 3/4 tie, 5 wins
});
