import assert from "node:assert/strict";
import type { Trace } from "../core/types.ts";
import { decideTree, type SavedNode } from "./mcts_offline.ts";

/**
 * A saved tree where every strategy disagrees (root N = 20, sqrt(20) = 4.4721):
 *
 * | node | q | value | N | prior | PUCT = q + 1.25·prior·sqrt(20)/(1+N) |
 * |---|---|---|---|---|---|
 * | A 1 | 0.2 | 0.9 | 2 | 0.9 | 0.2 + 1.6771 = 1.8771 |
 * | B 2 | 0.6 | 0.3 | 5 | 0.1 | 0.6 + 0.0932 = 0.6932 |
 * | C 3 | 0.8 | 0.0 | 1 | 0.0 | 0.8 (only an invalid child: pruned) |
 * | D 4 | 0.1 | 0.2 | 12 | 0.05 | 0.1 + 0.0215 = 0.1215 |
 *
 * A → A1 "a1" (q .5); B → B1 "b1" (q .4), B2 open leaf (q .9), B3 too_many_steps;
 * C → C1 no_valid_child; D → D1 "d1" (q .05).
 */
function savedTree(): Trace {
  const n = (
    id: number,
    parent: number | null,
    depth: number,
    s: Partial<SavedNode> & { q: number; value: number; visits: number; prior: number },
  ): SavedNode => ({
    id,
    parent,
    depth,
    text: `n${id}`,
    terminal: false,
    answer: null,
    status: "open",
    ...s,
  });
  const fin = (id: number, parent: number, answer: string, q: number) =>
    n(id, parent, 2, {
      q,
      value: q,
      visits: 1,
      prior: 0.5,
      terminal: true,
      answer,
      status: "final",
    });
  const nodes: SavedNode[] = [
    n(0, null, 0, { q: 0.3, value: 0.1, visits: 20, prior: 1 }),
    n(1, 0, 1, { q: 0.2, value: 0.9, visits: 2, prior: 0.9 }),
    n(2, 0, 1, { q: 0.6, value: 0.3, visits: 5, prior: 0.1 }),
    n(3, 0, 1, { q: 0.8, value: 0.0, visits: 1, prior: 0 }),
    n(4, 0, 1, { q: 0.1, value: 0.2, visits: 12, prior: 0.05 }),
    fin(5, 1, "a1", 0.5),
    fin(6, 2, "b1", 0.4),
    n(7, 2, 2, { q: 0.9, value: 0.9, visits: 1, prior: 0.5 }), // open, never expanded
    n(8, 2, 2, {
      q: -1,
      value: -1,
      visits: 1,
      prior: 0.5,
      terminal: true,
      status: "too_many_steps",
    }),
    n(9, 3, 2, {
      q: -1,
      value: -1,
      visits: 1,
      prior: 0.5,
      terminal: true,
      status: "no_valid_child",
    }),
    fin(10, 4, "d1", 0.05),
  ];
  return { kind: "tree", nodes };
}

Deno.test("decideTree: each strategy descends to its own final on the pruned tree", () => {
  const t = savedTree();
  const q = decideTree(t, { strategy: "q_value" });
  assert.deepEqual([q.answer, q.nodeId, q.path], ["b1", 6, [0, 2, 6]]); // B (0.6) beats A, D; C pruned
  const v = decideTree(t, { strategy: "value" });
  assert.deepEqual([v.answer, v.path], ["a1", [0, 1, 5]]); // A value 0.9
  const vc = decideTree(t, { strategy: "visit_count" });
  assert.deepEqual([vc.answer, vc.path], ["d1", [0, 4, 10]]); // D has 12 visits
  const p = decideTree(t, { strategy: "puct" });
  assert.deepEqual([p.answer, p.path], ["a1", [0, 1, 5]]); // A's PUCT 1.877 is the largest
  // Default = q_value, prune, B1 = 1 (offline_inference.yaml).
  assert.deepEqual(decideTree(t), q);
});

Deno.test("decideTree: pruning removes non-final leaves and all-pruned subtrees", () => {
  const t = savedTree();
  const q = decideTree(t, { strategy: "q_value" });
  assert.deepEqual(q.pruned.toSorted((a, b) => a - b), [3, 7, 8, 9]);
  // Without pruning, q_value walks into C (q 0.8) whose only child is an invalid final: no answer.
  const unpruned = decideTree(t, { strategy: "q_value", prune: false });
  assert.deepEqual([unpruned.answer, unpruned.finals, unpruned.pruned], [null, [], []]);
  // Without C: unpruned q_value keeps B's never-expanded leaf (q 0.9) over B1, then drops it
  // (childless, not final) and ends with no answer; pruning removes that leaf first.
  const noC: Trace = { kind: "tree", nodes: t.nodes.filter((x) => x.id !== 3 && x.id !== 9) };
  assert.equal(decideTree(noC, { strategy: "q_value", prune: false }).answer, null);
  assert.equal(decideTree(noC, { strategy: "q_value", prune: true }).answer, "b1");
});

Deno.test("decideTree: B1 = 2 keeps two nodes per level and ranks the collected finals", () => {
  const d = decideTree(savedTree(), { strategy: "q_value", beamWidth: 2 });
  // Level 1 keeps B (0.6) and A (0.2); level 2 collects A1 (q .5) and B1 (q .4) → A1 first.
  assert.equal(d.answer, "a1");
  assert.deepEqual(d.finals.map((f) => [f.id, f.key]), [[5, 0.5], [6, 0.4]]);
});

Deno.test("decideTree: a tree without a valid final is pruned at the root", () => {
  const t = savedTree();
  const bad: Trace = {
    kind: "tree",
    nodes: t.nodes.map((x) =>
      (x as SavedNode).status === "final" ? { ...x, status: "no_valid_child" } : x
    ),
  };
  const d = decideTree(bad);
  assert.equal(d.answer, null);
  assert.equal(d.pruned.length, bad.nodes.length);
});

Deno.test("decideTree: a JSON round trip of the saved tree decides the same way", () => {
  const t = savedTree();
  const back = JSON.parse(JSON.stringify(t)) as Trace;
  for (const strategy of ["q_value", "value", "visit_count", "puct"] as const) {
    assert.deepEqual(decideTree(back, { strategy }), decideTree(t, { strategy }));
  }
});
