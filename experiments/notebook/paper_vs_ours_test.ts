import assert from "node:assert/strict";
import { mediaBundle } from "../../lib/report/mod.ts";
import type { ExperimentSummary } from "../experiment.ts";
import { paperVsOurs } from "./paper_vs_ours.ts";

Deno.test("paperVsOurs keeps its header when no paper number aligns, and says so", () => {
  const summary: ExperimentSummary = {
    name: "kit",
    title: "Kit",
    paper: "A paper",
    model: "models/embedded",
    dataset: "synthetic",
    seed: 0,
    limit: 2,
    command: "deno task repro kit --limit 2",
    finished: "2026-12-06T00:00:00.000Z",
    arms: [{
      config: "tsmc@16",
      method: "tsmc",
      scorer: "value",
      paperMethod: "TSMC",
      n_problems: 2,
      accuracy: 0.5,
      ci95: [0, 1],
      tokens_generated: 200,
      tokens_per_problem: 100,
      policy_calls: 2,
      scorer_calls: 2,
      wall_s: 1,
      s_per_problem: 0.5,
    }],
    paperNumbers: [{
      method: "TSMC",
      table: "main results table",
      setting: "MATH500",
      metric: "accuracy %",
      value: null,
      source: "not recovered",
    }],
  };
  const view = paperVsOurs(summary);
  assert.ok(view.html.includes("<th>ours %</th>"), "the header stays");
  assert.ok(view.html.includes("No paper number aligns with an arm of this run."));
  const md = String(mediaBundle(view, "static")["text/markdown"]);
  assert.match(md, /\| arm \| scorer \| ours % \|/);
  assert.ok(md.includes("not recovered"), md);
});
