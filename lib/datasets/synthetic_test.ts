import assert from "node:assert/strict";
import { evalSplit } from "../tasks/mod.ts";
import { loadDataset } from "./registry.ts";

Deno.test("synthetic: the registry serves lib/tasks' evaluation split, honouring limit", async () => {
  const all = await loadDataset("synthetic");
  const split = evalSplit();
  assert.equal(all.length, split.length);
  assert.deepEqual(all.map((p) => [p.id, p.answer]), split.map((p) => [p.id, p.answer]));
  const some = await loadDataset("synthetic", { limit: 3 });
  assert.deepEqual(some.map((p) => p.id), split.slice(0, 3).map((p) => p.id));
  assert.equal((await loadDataset("synthetic", { limit: 0 })).length, 0);
});
