import assert from "node:assert/strict";
import { type ArmSummary, type ExperimentSummary, mergeSummaries } from "./experiment.ts";

const arm = (config: string, accuracy: number, n: number) =>
  ({ config, method: "m", scorer: "none", accuracy, n_problems: n }) as unknown as ArmSummary;
const summary = (arms: ArmSummary[], limit: number, command: string): ExperimentSummary => ({
  name: "x",
  title: "x",
  paper: "p",
  model: "models/embedded",
  dataset: "synthetic",
  seed: 0,
  limit,
  command,
  finished: `${command} done`,
  arms,
  paperNumbers: [],
});

Deno.test("repro --only merges into the summary in the folder instead of replacing it", () => {
  const old = summary([arm("greedy", 0.5, 500), arm("maj@16", 0.56, 500)], 500, "full");
  const quick = summary([arm("greedy", 0.6, 5)], 5, "quick");
  const m = mergeSummaries(old, quick);
  assert.deepEqual(m.arms.map((a) => [a.config, a.accuracy, a.n_problems]), [
    ["greedy", 0.6, 5],
    ["maj@16", 0.56, 500],
  ]);
  assert.equal(m.limit, 500);
  assert.deepEqual(m.merged, [{ command: "full", finished: "full done" }]);
  assert.equal(m.command, "quick");
  // a second merge keeps the whole history; a new arm is appended
  const more = mergeSummaries(m, summary([arm("bon@16", 0.65, 500)], 500, "bon"));
  assert.deepEqual(more.arms.map((a) => a.config), ["greedy", "maj@16", "bon@16"]);
  assert.deepEqual(more.merged?.map((x) => x.command), ["full", "quick"]);
  assert.equal(mergeSummaries(null, quick), quick);
});
