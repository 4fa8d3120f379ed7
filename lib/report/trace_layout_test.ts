import assert from "node:assert/strict";
import type { Trace, TraceNode } from "../core/types.ts";
import { layoutTrace, type TraceLayout } from "./trace_layout.ts";

/** A random tree with `n` nodes (parents drawn among earlier nodes), seeded. */
function randomTree(n: number, seed: number): Trace {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nodes: TraceNode[] = [{ id: 0, parent: null, text: "root", depth: 0 }];
  for (let i = 1; i < n; i++) {
    const parent = nodes[Math.floor(rand() * i)];
    nodes.push({ id: i, parent: parent.id, text: `s${i}`, depth: parent.depth + 1, score: rand() });
  }
  return { kind: "tree", nodes };
}

function assertNoOverlap(layout: TraceLayout) {
  const byLayer = new Map<number, number[]>();
  for (const n of layout.nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n.x]);
  for (const xs of byLayer.values()) {
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] - xs[i - 1] >= 1 - 1e-9, "nodes overlap");
  }
}

Deno.test("layoutTrace places every node of a tree and draws nodes-1 edges", () => {
  for (const seed of [1, 2, 3]) {
    const trace = randomTree(60, seed);
    const layout = layoutTrace(trace);
    assert.equal(layout.nodes.length, 60);
    assert.equal(layout.edges.length, 59);
    assert.deepEqual(layout.nodes.map((n) => n.node.id), trace.nodes.map((n) => n.id));
    for (const p of layout.nodes) {
      assert.equal(p.layer, p.node.depth);
      assert.ok(p.x >= 0 && p.x < layout.width);
    }
    assertNoOverlap(layout);
  }
});

Deno.test("layoutTrace centres parents over their children and keeps child order", () => {
  const nodes: TraceNode[] = [
    { id: 10, parent: null, text: "", depth: 0 },
    { id: 11, parent: 10, text: "", depth: 1 },
    { id: 12, parent: 10, text: "", depth: 1 },
    { id: 13, parent: 10, text: "", depth: 1 },
    { id: 14, parent: 13, text: "", depth: 2 },
  ];
  const x = new Map(layoutTrace({ kind: "tree", nodes }).nodes.map((n) => [n.node.id, n.x]));
  assert.ok(x.get(11)! < x.get(12)! && x.get(12)! < x.get(13)!);
  assert.equal(x.get(10), (x.get(11)! + x.get(13)!) / 2);
  assert.equal(x.get(14), x.get(13));
});

Deno.test("layoutTrace packs a particle genealogy to about its widest layer", () => {
  // 8 particles over 6 rounds; at each round particle i descends from particle floor(i/2)*2
  // (half the lineages die), as after resampling.
  const N = 8;
  const nodes: TraceNode[] = [];
  for (let t = 0; t < 6; t++) {
    for (let i = 0; i < N; i++) {
      const parent = t === 0 ? null : (t - 1) * N + Math.floor(i / 2) * 2;
      nodes.push({
        id: t * N + i,
        parent,
        text: `t${t} p${i}`,
        depth: t,
        selected: t === 5 && i === 0,
      });
    }
  }
  const layout = layoutTrace({ kind: "particles", nodes });
  assert.equal(layout.nodes.length, 48);
  assert.equal(layout.edges.length, 48 - N); // one per non-root
  assert.equal(layout.layers, 6);
  assert.ok(layout.width <= 2 * N, `width ${layout.width}`);
  assertNoOverlap(layout);
  const path = layout.nodes.filter((n) => n.onPath).map((n) => n.node.id);
  assert.deepEqual(path, [0, 8, 16, 24, 32, 40]);
  assert.equal(layout.edges.filter((e) => e.onPath).length, 5);
});

Deno.test("layoutTrace treats orphans as roots and rejects duplicates and cycles", () => {
  const orphan = layoutTrace({
    kind: "tree",
    nodes: [{ id: 1, parent: null, text: "", depth: 0 }, { id: 2, parent: 99, text: "", depth: 3 }],
  });
  assert.equal(orphan.edges.length, 0);
  assert.equal(orphan.width, 2);
  assert.throws(
    () =>
      layoutTrace({
        kind: "tree",
        nodes: [{ id: 1, parent: null, text: "", depth: 0 }, {
          id: 1,
          parent: null,
          text: "",
          depth: 0,
        }],
      }),
    /duplicate node id 1/,
  );
  assert.throws(
    () =>
      layoutTrace({
        kind: "tree",
        nodes: [{ id: 1, parent: 2, text: "", depth: 0 }, { id: 2, parent: 1, text: "", depth: 0 }],
      }),
    /cycle/,
  );
  assert.deepEqual(layoutTrace({ kind: "tree", nodes: [] }), {
    nodes: [],
    edges: [],
    width: 0,
    layers: 0,
  });
});

Deno.test("layoutTrace handles a deep chain without recursion limits", () => {
  const nodes: TraceNode[] = Array.from({ length: 20000 }, (_, i) => ({
    id: i,
    parent: i ? i - 1 : null,
    text: "",
    depth: i,
  }));
  const layout = layoutTrace({ kind: "tree", nodes });
  assert.equal(layout.layers, 20000);
  assert.equal(layout.width, 1);
});
