/**
 * Building a drawable {@linkcode Trace}: append nodes, then mark the selected path.
 *
 * @example
 * ```ts
 * import { traceBuilder } from "./trace.ts";
 * const t = traceBuilder("tree");
 * const root = t.add({ parent: null, text: "", depth: 0 });
 * const leaf = t.add({ parent: root, text: "step 1\n\n", depth: 1, score: 0.7 });
 * t.select(leaf); // leaf and root get selected: true
 * t.trace(); // { kind: "tree", nodes: [...] }
 * ```
 *
 * @module
 */
import type { Trace, TraceNode } from "../core/types.ts";

/** An append-only trace under construction. */
export interface TraceBuilder {
  /** Append a node; returns its id (ids are 0, 1, 2, … in order of addition). */
  add(node: Omit<TraceNode, "id">): number;
  /** The node with this id (mutable until `trace()` is called). */
  node(id: number): TraceNode;
  /** Mark a node and all its ancestors `selected`. */
  select(id: number): void;
  /** The finished trace. */
  trace(): Trace;
}

/** Start a trace of the given kind. */
export function traceBuilder(kind: Trace["kind"]): TraceBuilder {
  const nodes: TraceNode[] = [];
  return {
    add(node) {
      const id = nodes.length;
      if (node.parent !== null && !(node.parent >= 0 && node.parent < id)) {
        throw new RangeError(`trace: parent ${node.parent} of node ${id} does not exist`);
      }
      nodes.push({ id, ...node });
      return id;
    },
    node: (id) => nodes[id],
    select(id) {
      for (let at: number | null = id; at !== null; at = nodes[at].parent) {
        nodes[at].selected = true;
      }
    },
    trace: () => ({ kind, nodes }),
  };
}

/**
 * The concatenated texts of the nodes from the root down to node `id` (a solution's text for
 * trees and particle genealogies).
 *
 * @example
 * ```ts
 * import type { SearchResult } from "../core/types.ts";
 * declare const res: SearchResult;
 * pathText(res.trace, res.trace.nodes.findLast((n) => n.selected)!.id);
 * ```
 */
export function pathText(trace: Trace, id: number): string {
  let s = "";
  for (let at: number | null = id; at !== null; at = trace.nodes[at].parent) {
    s = trace.nodes[at].text + s;
  }
  return s;
}
