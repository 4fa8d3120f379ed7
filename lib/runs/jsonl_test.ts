import assert from "node:assert/strict";
import { appendJsonl, readJsonl, readJsonlStrict } from "./jsonl.ts";

Deno.test("readJsonl yields values and names the line of a malformed row", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a.jsonl`;
  await Deno.writeTextFile(path, '{"a":1}\n\n{"a":\n{"a":3}\r\n');
  const rows = [];
  for await (const row of readJsonl<{ a: number }>(path)) rows.push(row);
  assert.deepEqual(rows.map((r) => r.line), [1, 3, 4]);
  assert.equal(rows[0].value?.a, 1);
  assert.match(rows[1].error ?? "", /a\.jsonl:3: malformed JSON/);
  assert.equal(rows[2].value?.a, 3);
  await assert.rejects(readJsonlStrict(path), /a\.jsonl:3/);
});

Deno.test("readJsonl names a missing file", async () => {
  await assert.rejects(async () => {
    for await (const _ of readJsonl("/nonexistent/x.jsonl")) { /* nothing */ }
  }, /\/nonexistent\/x\.jsonl: cannot open/);
});

Deno.test("appendJsonl appends one line per record", async () => {
  const path = `${await Deno.makeTempDir()}/b.jsonl`;
  await appendJsonl(path, { x: 1 });
  await appendJsonl(path, { x: "two\nlines" });
  assert.deepEqual(await readJsonlStrict(path), [{ x: 1 }, { x: "two\nlines" }]);
});
