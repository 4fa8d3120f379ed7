import assert from "node:assert/strict";
import { metricAtK } from "./at_k.ts";
import type { ProblemRecord } from "./records.ts";
import { metricTable } from "./table.ts";

const strict = (a: string, b: string) => a === b;

Deno.test("metricTable: powers of two up to n by default, values equal the at-k metrics", () => {
  const records: ProblemRecord[] = [
    {
      id: "a",
      gold: "1",
      samples: ["1", "2", "2", "1", "1"].map((answer) => ({ answer, score: 0.5 })),
    },
    {
      id: "b",
      gold: "7",
      samples: ["3", "7", "3", "3", "7"].map((answer) => ({ answer, score: 0.2 })),
    },
  ];
  const rows = metricTable(records, { seed: 0, same: strict, metrics: ["pass", "maj", "best"] });
  assert.deepEqual(rows.map((r) => `${r.metric}@${r.k}`), [
    "pass@1",
    "pass@2",
    "pass@4",
    "maj@1",
    "maj@2",
    "maj@4",
    "best@1",
    "best@2",
    "best@4",
  ]);
  for (const row of rows) {
    const values = metricAtK(records, row.metric, row.k, { same: strict });
    assert.ok(Math.abs(row.mean - values.reduce((a, b) => a + b) / values.length) < 1e-12);
    assert.ok(row.lo <= row.mean && row.mean <= row.hi);
    assert.equal(row.n, 2);
  }
  assert.deepEqual(metricTable(records, { seed: 0, same: strict, ks: [3] }).map((r) => r.k), [
    3,
    3,
  ]);
  assert.throws(() => metricTable([], { seed: 0 }), /no records/);
});
