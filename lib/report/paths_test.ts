import assert from "node:assert/strict";
import { repoPath } from "./paths.ts";

Deno.test("repoPath resolves from the repository root, whatever the working directory", () => {
  assert.ok(Deno.statSync(repoPath("deno.json")).isFile);
  assert.ok(Deno.statSync(repoPath("lib", "report", "paths.ts")).isFile);
  assert.equal(repoPath("lib/report/"), repoPath("lib", "report"));
});
