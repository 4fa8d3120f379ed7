import assert from "node:assert/strict";
import type { Trace } from "../core/types.ts";
import { drawTrace, traceSvg } from "./trace_svg.ts";

const trace: Trace = {
  kind: "tree",
  nodes: [
    { id: 0, parent: null, text: "Problem: <x> & y", depth: 0, score: 0.5, visits: 10 },
    { id: 1, parent: 0, text: "step a", depth: 1, score: 0.1, visits: 3 },
    { id: 2, parent: 0, text: "step b", depth: 1, score: 0.9, visits: 7, selected: true },
    { id: 3, parent: 1, text: "end a", depth: 2, terminal: true, answer: "<3>", visits: 1 },
    {
      id: 4,
      parent: 2,
      text: "end b",
      depth: 2,
      terminal: true,
      answer: "\\frac{1}{2}",
      selected: true,
      visits: 5,
    },
    { id: 5, parent: 2, text: "dead end", depth: 2, score: 0.3, visits: 1 },
  ],
};

Deno.test("traceSvg draws every node once and one edge per parent link", () => {
  const svg = traceSvg(trace, { title: "demo <1>" });
  assert.ok(svg.startsWith("<svg") && svg.endsWith("</svg>"));
  assert.equal(svg.match(/<circle class="repro-node/g)!.length, trace.nodes.length);
  assert.equal(svg.match(/<path class="repro-edge/g)!.length, trace.nodes.length - 1);
  for (const n of trace.nodes) assert.ok(svg.includes(`data-id="${n.id}"`));
  // Selected path 0 -> 2 -> 4: two highlighted edges.
  assert.equal(svg.match(/repro-edge repro-path/g)!.length, 2);
  assert.equal(svg.match(/class="repro-answer"/g)!.length, 2);
  assert.equal(svg.match(/<title>/g)!.length, trace.nodes.length);
});

Deno.test("traceSvg escapes texts, answers and the title", () => {
  const svg = traceSvg(trace, { title: "demo <1>" });
  assert.ok(svg.includes("Problem: &lt;x&gt; &amp; y"));
  assert.ok(svg.includes(">&lt;3&gt;</text>"));
  assert.ok(svg.includes("demo &lt;1&gt;"));
  assert.ok(!svg.includes("<x>") && !svg.includes("<3>"));
});

Deno.test("traceSvg colours by score and greys unscored nodes", () => {
  const svg = traceSvg(trace);
  assert.ok(svg.includes('fill="#440154"')); // lowest score (0.1)
  assert.ok(svg.includes('fill="#fde725"')); // highest score (0.9)
  assert.ok(svg.includes('fill="#cccccc"')); // no score
});

Deno.test("drawTrace gives a displayable view with a plain-text summary", () => {
  const view = drawTrace({ kind: "particles", nodes: trace.nodes });
  assert.ok(view.html.includes('data-kind="particles"'));
  assert.ok(view.html.includes("round 0"));
  assert.equal(view.text, "[particles trace: 6 nodes, 2 terminal]");
});
