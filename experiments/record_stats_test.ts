import assert from "node:assert/strict";
import type { RunRecord } from "./harness.ts";
import { armRecords, atKCurves, estimate, klEstimate, selections } from "./record_stats.ts";

function rec(
  config: string,
  id: string,
  cands: [string | null, boolean, number][],
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    config,
    method: "sampling",
    id,
    gold: "7",
    answer: null,
    correct: false,
    candidates: cands.map(([answer, correct, score]) => ({ answer, correct, score, tokens: 10 })),
    tokens: 10 * cands.length,
    policy_calls: 1,
    scorer_calls: 0,
    wall_ms: 1,
    seed: 0,
    ...extra,
  };
}

Deno.test("selections: majority, weighted, best and pass@1 over stored candidates", () => {
  const recs = [
    // majority "3" is wrong; weighted picks "7" (0.9 + 0.8 > 0.1 + 0.2 + 0.3); best is "7".
    rec("a", "p1", [["3", false, 0.1], ["7", true, 0.9], ["3", false, 0.2], ["7", true, 0.8], [
      "3",
      false,
      0.3,
    ]]),
    // everything right.
    rec("a", "p2", [["7", true, 0.5], ["7", true, 0.5], [null, false, 0.9], ["7", true, 0.1], [
      "7",
      true,
      0.2,
    ]]),
  ];
  const s = selections(recs, 0);
  assert.deepEqual(s.candidatesPerProblem, 5);
  assert.deepEqual(s.majority.value, 0.5);
  assert.deepEqual(s.weighted?.value, 1);
  // p2: the null answer has the top score, so best-of-N is wrong there.
  assert.deepEqual(s.best?.value, 0.5);
  assert.ok(Math.abs(s.pass1.value - ((2 / 5 + 4 / 5) / 2)) < 1e-9);
});

Deno.test("selections: a record without candidates counts as wrong; no scores → null", () => {
  const r0 = rec("a", "p1", []);
  const r1 = { ...rec("a", "p2", [["7", true, 0]]) };
  r1.candidates = r1.candidates.map(({ score: _s, ...c }) => c);
  const s = selections([r0, r1], 0);
  assert.deepEqual(s.majority.value, 0.5);
  assert.deepEqual(s.weighted, null);
  assert.deepEqual(s.best, null);
});

Deno.test("atKCurves: k above the smallest n is dropped, maj@1 = pass@1", () => {
  const recs = [
    rec("a", "p1", [["7", true, 0.9], ["3", false, 0.1]]),
    rec("a", "p2", [["7", true, 0.9], ["7", true, 0.1]]),
  ];
  const c = atKCurves(recs, ["maj", "best"], [1, 2, 4], 0);
  assert.deepEqual(c.maj?.map((p) => p.label), [1, 2]);
  assert.ok(Math.abs(c.maj![0].accuracy - (0.75)) < 1e-9);
  assert.deepEqual(c.maj![0].tokens, 10);
  assert.deepEqual(c.best![1].accuracy, 1);
});

Deno.test("klEstimate averages per problem, null without kl", () => {
  const recs = [
    rec("q", "p1", [["7", true, 0]], { kl: [1, 3] }),
    rec("q", "p2", [["7", true, 0]], { kl: [4] }),
  ];
  assert.deepEqual(klEstimate(recs, 0)?.value, 3);
  assert.deepEqual(klEstimate([rec("q", "p1", [])], 0), null);
  assert.deepEqual(estimate([], 0).n, 0);
});

Deno.test("armRecords: ids order, last record wins, missing arms absent", async () => {
  const dir = await Deno.makeTempDir();
  const lines = [
    rec("a", "p2", [["1", false, 0]]),
    rec("a", "p1", [["1", false, 0]]),
    rec("a", "p1", [["7", true, 0]]),
  ].map((r) => JSON.stringify(r)).join("\n");
  await Deno.writeTextFile(`${dir}/records.jsonl`, lines + "\n");
  const m = await armRecords(dir, ["a", "b"], ["p1", "p2", "p3"]);
  assert.deepEqual([...m.keys()], ["a"]);
  assert.deepEqual(m.get("a")!.map((r) => r.id), ["p1", "p2"]);
  assert.deepEqual(m.get("a")![0].candidates[0].answer, "7");
  assert.deepEqual((await armRecords(`${dir}/none`, ["a"], ["p1"])).size, 0);
  await Deno.remove(dir, { recursive: true });
});
