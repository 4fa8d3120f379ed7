import assert from "node:assert/strict";
import type { Problem } from "../core/types.ts";
import { datasetNames, loadDataset, registerDataset, streamDataset } from "./registry.ts";

Deno.test("registry: bundled datasets are listed; unknown names are an error listing them", () => {
  assert.ok(datasetNames().includes("math500"));
  assert.ok(datasetNames().includes("gsm8k"));
  assert.throws(
    () => streamDataset("nope"),
    /unknown dataset "nope" \(known: .*gsm8k.*math500.*synthetic/,
  );
});

Deno.test("registry: registerDataset adds a loader; a taken name throws", async () => {
  const tiny = async function* ({ limit = Infinity }): AsyncGenerator<Problem> {
    for (let i = 0; i < Math.min(3, limit); i++) {
      yield { id: String(i), problem: `What is ${i}+1?`, answer: String(i + 1) };
    }
  };
  registerDataset("registry_test_tiny", tiny);
  assert.deepEqual((await loadDataset("registry_test_tiny")).map((p) => p.answer), ["1", "2", "3"]);
  assert.equal((await loadDataset("registry_test_tiny", { limit: 2 })).length, 2);
  assert.throws(() => registerDataset("registry_test_tiny", tiny), /already registered/);
  assert.throws(() => registerDataset("math500", tiny), /already registered/);
});
