import assert from "node:assert/strict";
import { diskFullTrials, killTrials, restartTrials } from "./faults.ts";

Deno.test({
  name: "faults: kill -9 during repro, a server restart, a full disk: nothing lost or duplicated",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rows = [await killTrials(2, 1), await restartTrials(1, 1)];
    const full = await diskFullTrials(1);
    if (full) rows.push(full);
    else console.warn("faults_test: disk-full trial skipped (mounting a tmpfs needs root)");
    for (const r of rows) {
      assert.deepEqual([r.lost, r.duplicated, r.changed], [0, 0, 0], `${r.fault}: ${r.note}`);
    }
    if (full) assert.match(full.note, /^1\/1 runs stopped with one error line/);
  },
});
