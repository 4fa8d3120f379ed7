/**
 * Layered tidy layout of a {@linkcode Trace}: a search tree or a particle genealogy (a forest).
 *
 * Layers are the distance from the root (so a node always sits one layer below its parent).
 * Within a layer, subtrees keep the order of the trace's node list and are packed side by side
 * as close as their contours allow (at least one slot apart on every shared layer); each parent is
 * centred over its first and last child. Particle genealogies, where most lineages die early,
 * stay about as wide as the largest layer instead of one column per dead lineage.
 *
 * @module
 */

import type { Trace, TraceNode } from "../core/types.ts";

/** A node with its position. */
export interface PlacedNode {
  /** The trace node. */
  node: TraceNode;
  /** Horizontal position in slots (0 = leftmost). */
  x: number;
  /** Layer: distance from the node's root. */
  layer: number;
  /** On a highlighted path: selected, or an ancestor of a selected node. */
  onPath: boolean;
}

/** An edge from a parent to a child (ids). */
export interface PlacedEdge {
  /** Parent id. */
  from: number;
  /** Child id. */
  to: number;
  /** Both ends on a highlighted path. */
  onPath: boolean;
}

/** A laid-out trace. */
export interface TraceLayout {
  /** Nodes in the trace's order. */
  nodes: PlacedNode[];
  /** One edge per node with a parent in the trace. */
  edges: PlacedEdge[];
  /** Number of slots across (max x + 1; 0 for an empty trace). */
  width: number;
  /** Number of layers (max layer + 1; 0 for an empty trace). */
  layers: number;
}

/** Per-layer [left, right] extents, deepest layer first; true value = stored + `add`. */
interface Contour {
  lv: Array<[number, number]>;
  add: number;
}

/**
 * Lay a trace out. Nodes whose parent is null or not in the trace are roots. Throws on duplicate
 * ids and on parent cycles.
 *
 * @example
 * ```ts
 * import { layoutTrace } from "./trace_layout.ts";
 * const layout = layoutTrace({ kind: "tree", nodes: [
 *   { id: 0, parent: null, text: "", depth: 0 },
 *   { id: 1, parent: 0, text: "a", depth: 1 },
 *   { id: 2, parent: 0, text: "b", depth: 1, selected: true },
 * ] });
 * layout.nodes.map((n) => n.x); // [0.5, 0, 1]
 * layout.edges.length; // 2
 * ```
 */
export function layoutTrace(trace: Trace): TraceLayout {
  const byId = new Map<number, TraceNode>();
  for (const n of trace.nodes) {
    if (byId.has(n.id)) throw new Error(`trace: duplicate node id ${n.id}`);
    byId.set(n.id, n);
  }
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const n of trace.nodes) {
    if (n.parent === null || !byId.has(n.parent)) roots.push(n.id);
    else {
      const list = children.get(n.parent);
      if (list) list.push(n.id);
      else children.set(n.parent, [n.id]);
    }
  }

  // Pre-order from the roots (iterative: traces may be deep); it also finds layers.
  const layer = new Map<number, number>();
  const order: number[] = [];
  const stack: Array<[number, number]> = [...roots].reverse().map((id) => [id, 0]);
  while (stack.length > 0) {
    const [id, l] = stack.pop()!;
    layer.set(id, l);
    order.push(id);
    const kids = children.get(id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], l + 1]);
  }
  if (order.length !== trace.nodes.length) {
    const stuck = trace.nodes.find((n) => !layer.has(n.id))!;
    throw new Error(`trace: node ${stuck.id} is on a parent cycle`);
  }

  // Post-order placement: each subtree gets a contour (per relative layer, [left, right]) and each
  // child an offset relative to its parent. Contours are stored deepest layer first with a lazy
  // shift, so a parent adds its own layer in O(1) and siblings merge the shallower contour into
  // the deeper one: chains cost O(1) per node and bushy trees stay near O(n log n).
  const contours = new Map<number, Contour>();
  const offset = new Map<number, number>();
  const at = (c: Contour, d: number) => c.lv[c.lv.length - 1 - d];
  const pack = (ids: readonly number[]): Contour => {
    let merged: Contour | undefined;
    let last = 0;
    for (const id of ids) {
      const c = contours.get(id)!;
      contours.delete(id);
      if (!merged) {
        offset.set(id, 0);
        merged = c;
        continue;
      }
      let shift = -Infinity;
      for (let d = 0; d < Math.min(c.lv.length, merged.lv.length); d++) {
        shift = Math.max(shift, at(merged, d)[1] + merged.add - (at(c, d)[0] + c.add) + 1);
      }
      offset.set(id, shift);
      last = shift;
      c.add += shift;
      const [big, small] = c.lv.length > merged.lv.length ? [c, merged] : [merged, c];
      for (let d = 0; d < small.lv.length; d++) {
        const b = at(big, d);
        const s = at(small, d);
        b[0] = Math.min(b[0], s[0] + small.add - big.add);
        b[1] = Math.max(b[1], s[1] + small.add - big.add);
      }
      merged = big;
    }
    const center = last / 2; // the first child sits at 0
    for (const id of ids) offset.set(id, offset.get(id)! - center);
    merged ??= { lv: [], add: 0 };
    merged.add -= center;
    return merged;
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    const kids = children.get(id);
    const c = kids ? pack(kids) : { lv: [], add: 0 };
    c.lv.push([-c.add, -c.add]); // this node's own layer, at 0
    contours.set(id, c);
  }
  const forest = pack(roots);

  const x = new Map<number, number>();
  for (const id of order) {
    const p = byId.get(id)!.parent;
    x.set(id, offset.get(id)! + (p !== null && x.has(p) ? x.get(p)! : 0));
  }
  let minX = 0;
  for (const [l] of forest.lv) minX = Math.min(minX, l + forest.add);

  const onPath = new Set<number>();
  for (const n of trace.nodes) {
    if (!n.selected) continue;
    for (let id: number | null = n.id; id !== null && !onPath.has(id);) {
      onPath.add(id);
      const parent: number | null = byId.get(id)!.parent;
      id = parent !== null && byId.has(parent) ? parent : null;
    }
  }

  const nodes = trace.nodes.map((node) => ({
    node,
    x: x.get(node.id)! - minX,
    layer: layer.get(node.id)!,
    onPath: onPath.has(node.id),
  }));
  const edges = trace.nodes
    .filter((n) => n.parent !== null && byId.has(n.parent))
    .map((n) => ({
      from: n.parent!,
      to: n.id,
      onPath: onPath.has(n.id) && onPath.has(n.parent!),
    }));
  let width = 0;
  let layers = 0;
  for (const n of nodes) {
    width = Math.max(width, n.x + 1);
    layers = Math.max(layers, n.layer + 1);
  }
  return { nodes, edges, width, layers };
}
