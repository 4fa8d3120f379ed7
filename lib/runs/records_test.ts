import assert from "node:assert/strict";
import { openRecords } from "./records.ts";

type Rec = { id: string; v: number };

Deno.test("openRecords resumes: a rerun sees what is done and appends the rest", async () => {
  const path = `${await Deno.makeTempDir()}/run/records.jsonl`;
  const first = await openRecords<Rec>(path, (r) => r.id);
  assert.equal(first.records.length, 0);
  await first.append({ id: "a", v: 1 });
  await first.append({ id: "b", v: 2 });
  const again = await openRecords<Rec>(path, (r) => r.id);
  assert.deepEqual([...again.done], ["a", "b"]);
  await again.append({ id: "c", v: 3 });
  const text = await Deno.readTextFile(path);
  assert.equal(text.trim().split("\n").length, 3);
});

Deno.test("openRecords sets a torn last line aside and keeps the rest", async () => {
  const path = `${await Deno.makeTempDir()}/records.jsonl`;
  await Deno.writeTextFile(path, '{"id":"a","v":1}\n{"id":"b","v":2}\n{"id":"c","v"');
  const out = await openRecords<Rec>(path, (r) => r.id);
  assert.deepEqual([...out.done], ["a", "b"]);
  assert.equal(await Deno.readTextFile(path), '{"id":"a","v":1}\n{"id":"b","v":2}\n');
  assert.equal(await Deno.readTextFile(`${path}.torn`), '{"id":"c","v"\n');
  await out.append({ id: "c", v: 3 });
  const again = await openRecords<Rec>(path, (r) => r.id);
  assert.deepEqual([...again.done], ["a", "b", "c"]);
});

Deno.test("openRecords refuses a file corrupt in the middle and leaves it untouched", async () => {
  const path = `${await Deno.makeTempDir()}/records.jsonl`;
  const text = '{"id":"a","v":1}\nnot json\n{"id":"c","v":3}\n';
  await Deno.writeTextFile(path, text);
  await assert.rejects(openRecords<Rec>(path, (r) => r.id), /records\.jsonl:2: malformed JSON/);
  assert.equal(await Deno.readTextFile(path), text);
});
