import assert from "node:assert/strict";
import { perfectScorer, simProblem, simulatedPolicy } from "../models/simulated/mod.ts";
import { dvtsSearch } from "./dvts.ts";
import { pathText } from "./trace.ts";

Deno.test("DVTS: N/M disjoint subtrees, M children per expansion, N outputs", async () => {
  const p = simProblem({ id: "v", steps: 4, pRight: 0.6, answer: "3" });
  const n = 12, m = 3;
  const res = await dvtsSearch(p, simulatedPolicy(), perfectScorer(), { n, m, seed: 2 });
  const { nodes } = res.trace;
  const roots = nodes.filter((x) => x.parent === null);
  assert.equal(roots.length, n / m);
  const rootOf = (id: number): number => {
    let at = id;
    while (nodes[at].parent !== null) at = nodes[at].parent!;
    return at;
  };
  // each expanded node has exactly M children, all in its own subtree
  const children = Map.groupBy(nodes.filter((x) => x.parent !== null), (x) => x.parent!);
  for (const [parent, kids] of children) {
    assert.equal(kids.length, m);
    for (const k of kids) assert.equal(rootOf(k.id), rootOf(parent));
  }
  // each subtree expands one chain: one expanded node per depth
  for (const r of roots) {
    const expanded = [...children.keys()].filter((id) => rootOf(id) === r.id);
    assert.equal(new Set(expanded.map((id) => nodes[id].depth)).size, expanded.length);
  }
  // outputs: M consecutive candidates per subtree, the last siblings of that subtree
  assert.equal(res.candidates.length, n);
  const leaves = nodes.filter((x) => x.depth === 5);
  assert.equal(leaves.length, n);
  res.candidates.forEach((c, i) => {
    const leaf = leaves[i];
    assert.equal(rootOf(leaf.id), roots[Math.floor(i / m)].id);
    assert.equal(pathText(res.trace, leaf.id), c.text);
  });
  // prediction: argmax aggregated score; with a perfect scorer it is right iff any leaf is
  assert.equal(res.answer === "3", res.candidates.some((c) => c.answer === "3"));
  assert.equal(res.cost.policyCalls, 5);
});

Deno.test("DVTS: a subtree is pruned once its text contains boxed{", async () => {
  const p = simProblem({ id: "v2", steps: 1, pRight: 0.5, answer: "3" });
  const res = await dvtsSearch(p, simulatedPolicy(), perfectScorer(), {
    n: 4,
    m: 2,
    numIterations: 10,
  });
  assert.equal(res.cost.policyCalls, 2); // step 1, then the answer; then all pruned
  assert.ok(res.candidates.every((c) => c.text.includes("\\boxed{")));
});
