import assert from "node:assert/strict";
import {
  perfectScorer,
  simProblem,
  simProblemSet,
  simulatedPolicy,
} from "../models/simulated/mod.ts";
import { beamSearch } from "./beam.ts";
import { bestOfNSearch } from "./best_of_n.ts";
import { pathText } from "./trace.ts";

Deno.test("beam search with a perfect scorer solves every solvable problem", async () => {
  // every step right with p ≥ 0.6: one right step among N = 16 extensions is near-certain, and a
  // perfect value scorer keeps only right prefixes; best-of-16 on the same problems fails often.
  const problems = simProblemSet({ count: 30, steps: [3, 6], pRight: [0.6, 0.95], seed: 3 });
  let bonMisses = 0;
  for (const [k, p] of problems.entries()) {
    const res = await beamSearch(p, simulatedPolicy(), perfectScorer(), { n: 16, m: 4, seed: k });
    assert.equal(res.answer, p.answer, p.id);
    const bon = await bestOfNSearch(p, simulatedPolicy(), perfectScorer(), { n: 16, seed: k });
    if (bon.answer !== p.answer) bonMisses++;
  }
  assert.ok(bonMisses > 0);
});

Deno.test("beam search: bookkeeping follows §2.3", async () => {
  const p = simProblem({ id: "b", steps: 3, pRight: 0.5, answer: "4" });
  const res = await beamSearch(p, simulatedPolicy(), perfectScorer(), { n: 8, m: 2, seed: 1 });
  // every iteration extends N = 8 beams with one request and scores them with one call
  assert.equal(res.cost.policyCalls, 4);
  assert.equal(res.cost.scorerCalls, 4);
  const byDepth = Map.groupBy(res.trace.nodes.filter((x) => x.depth > 0), (x) => x.depth);
  for (const nodes of byDepth.values()) assert.equal(nodes.length, 8);
  // survivors: N/M = 4 distinct parents at most, each expanded M times per survivor copy
  for (const [d, nodes] of byDepth) {
    if (d === 1) continue;
    const parents = new Set(nodes.map((x) => x.parent));
    assert.ok(parents.size <= 4);
    for (const parent of parents) {
      const prev = res.trace.nodes[parent!];
      const top4 = [...byDepth.get(d - 1)!].sort((a, b) => b.score! - a.score!)[3].score!;
      assert.ok(prev.score! >= top4); // only top-N/M beams were extended
    }
  }
  assert.equal(res.candidates.length, 8);
  for (const c of res.candidates) assert.equal(c.stepScores!.length, 4);
  const selected = res.trace.nodes.filter((x) => x.selected && x.terminal);
  assert.equal(selected.length, 1);
  assert.equal(
    pathText(res.trace, selected[0].id),
    res.candidates.find((c) => c.answer === res.answer)!.text,
  );
});

Deno.test("beam search: filterDuplicates and the last iteration without stop", async () => {
  const p = simProblem({ id: "d", steps: 4, pRight: 1, answer: "2" });
  const res = await beamSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 4,
    m: 2,
    numIterations: 2,
    filterDuplicates: true,
    seed: 0,
  });
  // all beams are identical: after de-duplication one survives and is copied to 4
  const d2 = res.trace.nodes.filter((x) => x.depth === 2);
  assert.equal(new Set(d2.map((x) => x.parent)).size, 1);
  // iteration 2 had no stop string: solutions are complete
  for (const c of res.candidates) assert.equal(c.text.endsWith("\\boxed{2}"), true);
  await assert.rejects(
    () => beamSearch(p, simulatedPolicy(), perfectScorer(), { n: 6, m: 4 }),
    RangeError,
  );
});
