import assert from "node:assert/strict";
import {
  bestOfNAtKScores,
  majAtKScores,
  metricAtK,
  passAtKScores,
  tokensAtK,
  weightedAtKScores,
} from "./at_k.ts";
import type { ProblemRecord } from "./records.ts";

const strict = (a: string, b: string) => a === b;
/** A toy judge: `\frac{a}{b}` and decimals compare by value, anything else by text. */
function toyJudge(a: string, b: string): boolean {
  const value = (s: string) => {
    const f = /^\\frac\{(-?\d+)\}\{(\d+)\}$/.exec(s.trim());
    return f ? Number(f[1]) / Number(f[2]) : /^-?\d*\.?\d+$/.test(s.trim()) ? Number(s) : NaN;
  };
  const [x, y] = [value(a), value(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? a.trim() === b.trim() : Math.abs(x - y) < 1e-9;
}

function rec(
  id: string,
  gold: string,
  answers: (string | null)[],
  scores?: number[],
): ProblemRecord {
  return {
    id,
    gold,
    samples: answers.map((answer, i) => (scores ? { answer, score: scores[i] } : { answer })),
  };
}

const close = (a: number, b: number, eps = 1e-12) =>
  assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

Deno.test("majAtKScores: \\frac{1}{2} and 0.5 vote together through the injected judge", () => {
  const r = rec("half", "0.5", ["\\frac{1}{2}", "3", "0.5"]);
  assert.deepEqual(majAtKScores([r], 3, { same: toyJudge }), [1]);
  // Plain equality splits them: a three-way tie goes to "\frac{1}{2}", which is not "0.5".
  assert.deepEqual(majAtKScores([r], 3, { same: strict }), [0]);
});

Deno.test("majAtKScores: expected value over k-subsets, hand-checked", () => {
  // [B, A, A], gold A. k=2 subsets: {0,1} tie -> B (first) wrong; {0,2} wrong; {1,2} right.
  const r = rec("r", "A", ["B", "A", "A"]);
  close(majAtKScores([r], 2, { same: strict })[0], 1 / 3);
  close(majAtKScores([r], 1, { same: strict })[0], 2 / 3); // maj@1 = share of correct samples
  assert.deepEqual(majAtKScores([r], 3, { same: strict }), [1]);
  // sal's first-k rule: {0,1} only.
  assert.deepEqual(majAtKScores([r], 2, { same: strict, subsets: "prefix" }), [0]);
  // [A, A, B]: every 2-subset elects A (ties go to the first, which is A).
  assert.deepEqual(majAtKScores([rec("s", "A", ["A", "A", "B"])], 2, { same: strict }), [1]);
  // Null answers abstain: [null, A] at k=2 elects A; [null, B] elects B; all-null is wrong.
  assert.deepEqual(
    majAtKScores(
      [rec("n1", "A", [null, "A"]), rec("n2", "A", [null, "B"]), rec("n3", "A", [null])],
      1,
      {
        same: strict,
      },
    ),
    [0.5, 0, 0],
  );
});

Deno.test("majAtKScores: sampled subsets approach the exact value and follow the seed", () => {
  const answers = ["B", "A", "C", "A", "B", "A", "C", "B", "A", "D", "A", "B"];
  const r = rec("big", "A", answers);
  const exact = majAtKScores([r], 5, { same: strict })[0]; // C(12,5) = 792 subsets
  const sampled = (seed: number) =>
    majAtKScores([r], 5, { same: strict, exactLimit: 0, subsetDraws: 4000, seed })[0];
  assert.ok(Math.abs(sampled(1) - exact) < 0.04, `${sampled(1)} vs ${exact}`);
  assert.equal(sampled(1), sampled(1));
  assert.notEqual(sampled(1), sampled(2));
  // Per-problem streams: a record's value does not depend on the other records.
  const other = rec("other", "B", answers);
  const opts = { same: strict, exactLimit: 0, subsetDraws: 500, seed: 3 };
  assert.equal(majAtKScores([other, r], 5, opts)[1], majAtKScores([r], 5, opts)[0]);
});

Deno.test("majAtKScores: the correct flag wins over re-grading", () => {
  const r: ProblemRecord = {
    id: "flag",
    gold: "x",
    samples: [{ answer: "y", correct: true }, { answer: "y", correct: true }, { answer: "x" }],
  };
  assert.deepEqual(majAtKScores([r], 3, { same: strict }), [1]);
});

Deno.test("passAtKScores: unbiased estimator from graded samples; null is never correct", () => {
  const r = rec("p", "2", ["2", "3", null, "2", "5"]);
  close(passAtKScores([r], 2, { same: strict })[0], 0.7);
  close(passAtKScores([r], 1, { same: strict })[0], 0.4);
  assert.deepEqual(passAtKScores([rec("z", "2", [null, "3"])], 2, { same: strict }), [0]);
});

Deno.test("weightedAtKScores: sum of scores per answer class, hand-checked", () => {
  const r = rec("w", "3", ["3", "\\frac{8}{2}", "4"], [0.9, 0.5, 0.45]);
  assert.deepEqual(weightedAtKScores([r], 3, { same: toyJudge }), [0]); // 4-class 0.95 > 0.9
  assert.deepEqual(weightedAtKScores([r], 3, { same: strict }), [1]);
  // k=2 with the judge: {0,1} 0.9 vs 0.5 -> 3 ok; {0,2} -> 3 ok; {1,2} -> 4 wrong.
  close(weightedAtKScores([r], 2, { same: toyJudge })[0], 2 / 3);
  assert.throws(
    () => weightedAtKScores([rec("ns", "3", ["3"])], 1, { same: strict }),
    /problem ns: score 0/,
  );
});

Deno.test("bestOfNAtKScores: the closed form equals enumeration of all k-subsets", () => {
  const scores = [0.3, 0.9, 0.5, 0.9, 0.1, 0.5, 0.7];
  const answers = ["a", "b", "a", "a", "a", "b", "a"];
  const r = rec("b", "a", answers, scores);
  const n = scores.length;
  for (let k = 1; k <= n; k++) {
    let total = 0;
    let count = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      const idx = [...Array(n).keys()].filter((i) => mask & (1 << i));
      if (idx.length !== k) continue;
      const best = idx.reduce((b, i) => (scores[i] > scores[b] ? i : b), idx[0]);
      total += answers[best] === "a" ? 1 : 0;
      count++;
    }
    close(bestOfNAtKScores([r], k, { same: strict })[0], total / count, 1e-9);
  }
  // prefix: best of the first 2 is index 1 ("b").
  assert.deepEqual(bestOfNAtKScores([r], 2, { same: strict, subsets: "prefix" }), [0]);
});

Deno.test("at-k metrics: k above the sample count is an error naming the problem", () => {
  const r = rec("short", "1", ["1", "2"], [0.1, 0.2]);
  for (const metric of ["pass", "maj", "weighted", "best"] as const) {
    assert.throws(
      () => metricAtK([r], metric, 3, { same: strict }),
      /problem short: need 1 <= k <= n/,
    );
    assert.throws(() => metricAtK([r], metric, 0, { same: strict }), RangeError);
  }
  // @ts-expect-error an unknown metric
  assert.throws(() => metricAtK([r], "avg", 1, { same: strict }), /unknown metric/);
});

Deno.test("tokensAtK: k times the mean, or the first k; missing counts are errors", () => {
  const r: ProblemRecord = {
    id: "t",
    gold: "1",
    samples: [{ answer: "1", tokens: 10 }, { answer: "2", tokens: 30 }, {
      answer: "3",
      tokens: 20,
    }],
  };
  assert.deepEqual(tokensAtK([r], 2), [40]);
  assert.deepEqual(tokensAtK([r], 2, "prefix"), [40]);
  assert.deepEqual(tokensAtK([r], 1, "prefix"), [10]);
  assert.throws(
    () => tokensAtK([rec("x", "1", ["1"])], 1),
    /problem x: sample 0 has no token count/,
  );
});
