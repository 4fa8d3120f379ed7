import assert from "node:assert/strict";
import { paperVsOursFrame, type PaperVsOursRow, paperVsOursTable } from "./paper_vs_ours.ts";

const rows: PaperVsOursRow[] = [
  {
    method: "Q# <guided>",
    paper: {
      value: 46.7,
      citation: "arXiv 2502.20548, Table 1",
      url: "https://arxiv.org/abs/2502.20548",
    },
    ours: { value: 44.94, lo: 40.6, hi: 49.31 },
    model: "tiny & fast",
    data: "MATH500[:100]",
    seed: 0,
  },
  {
    method: "CD",
    paper: {
      value: 45.3,
      citation: "arXiv 2502.20548, Table 1",
      url: "https://arxiv.org/abs/2502.20548",
    },
    ours: null,
    model: "m",
    data: "d",
    seed: "0-4",
  },
  { method: "greedy", model: "m", data: "d", seed: 1, ours: { value: 30, lo: 25, hi: 35 } },
];

Deno.test("paperVsOursTable shows values, CIs, one note per distinct citation, and escapes", () => {
  const { html, text } = paperVsOursTable(rows, { caption: "pass@1 (%)" });
  assert.ok(html.includes("46.7 <sup>[1]</sup>"));
  assert.ok(html.includes("45.3 <sup>[1]</sup>"));
  assert.equal(html.match(/<li>/g)!.length, 1);
  assert.ok(html.includes('<a href="https://arxiv.org/abs/2502.20548">'));
  assert.ok(html.includes("44.9 <small>[40.6, 49.3]</small>"));
  assert.ok(html.includes('title="not run yet">—'));
  assert.ok(html.includes('title="not reported by the paper">—'));
  assert.ok(html.includes("Q# &lt;guided&gt;") && html.includes("tiny &amp; fast"));
  assert.ok(!html.includes("<guided>"));
  assert.equal(text.split("\n").length, 3);
});

Deno.test("paperVsOursFrame has one row per input and nulls where numbers are missing", () => {
  const df = paperVsOursFrame(rows);
  assert.deepEqual(df.columns, [
    "method",
    "paper",
    "citation",
    "ours",
    "ci_lo",
    "ci_hi",
    "model",
    "data",
    "seed",
  ]);
  const records = df.toRecords();
  assert.equal(records.length, 3);
  assert.equal(records[1].ours, null);
  assert.equal(records[2].paper, null);
  assert.equal(records[1].seed, "0-4");
});
