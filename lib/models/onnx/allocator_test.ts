import assert from "node:assert/strict";
import { tuneAllocator } from "./allocator.ts";

Deno.test("tuneAllocator applies the glibc settings once, where it can", () => {
  const linuxGlibc = Deno.build.os === "linux" && Deno.build.env !== "musl";
  const first = tuneAllocator();
  assert.equal(first, linuxGlibc, "tests run with -A, so on Linux/glibc mallopt must succeed");
  assert.equal(tuneAllocator(), first, "a second call reports the first call's outcome");
});
