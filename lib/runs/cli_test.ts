import assert from "node:assert/strict";
import { numberFlag, parseCli, UsageError } from "./cli.ts";

Deno.test("parseCli names an unknown flag", () => {
  assert.throws(
    () => parseCli(["--limt", "3"], { limit: { type: "string" } }),
    (e) => e instanceof UsageError && /--limt/.test(e.message),
  );
});

Deno.test("numberFlag parses, defaults and names a bad value", () => {
  assert.equal(numberFlag("limit", "12", { integer: true }), 12);
  assert.equal(numberFlag("limit", undefined, { fallback: 5 }), 5);
  assert.throws(() => numberFlag("limit", "1.5", { integer: true }), /--limit must be an integer/);
  assert.throws(() => numberFlag("n", "x"), /--n must be a number, got "x"/);
  assert.throws(() => numberFlag("n", "0", { min: 1 }), /--n must be a number >= 1/);
  assert.throws(() => numberFlag("n", undefined), /missing required flag --n/);
});
