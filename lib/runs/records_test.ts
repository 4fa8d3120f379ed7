import assert from "node:assert/strict";
import { openRecords, readRecords, repairTornTail } from "./records.ts";

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

Deno.test("openRecords with an identity: written first, checked on resume, a mismatch is one line", async () => {
  const path = `${await Deno.makeTempDir()}/r.jsonl`;
  const identity = { model: { path: "m", sha256: "aa" }, seed: 0, config: "greedy" };
  const a = await openRecords<Rec>(path, (r) => r.id, { identity });
  await a.append({ id: "x", v: 1 });
  assert.deepEqual(JSON.parse((await Deno.readTextFile(path)).split("\n")[0]), { identity });
  const b = await openRecords<Rec>(path, (r) => r.id, { identity });
  assert.deepEqual(b.records, [{ id: "x", v: 1 }], "the identity line is not a record");
  await assert.rejects(
    openRecords<Rec>(path, (r) => r.id, { identity: { ...identity, seed: 1 } }),
    (e: Error) =>
      /made by another run: seed was 0, now 1/.test(e.message) && !e.message.includes("\n"),
  );
  await assert.rejects(
    openRecords<Rec>(path, (r) => r.id, {
      identity: { ...identity, model: { path: "m", sha256: "bb" } },
    }),
    /model\.sha256 was "aa", now "bb"/,
  );
  // a file of an older run, without identity, is refused rather than mixed
  const old = `${path}.old`;
  await Deno.writeTextFile(old, '{"id":"x","v":1}\n');
  await assert.rejects(openRecords<Rec>(old, (r) => r.id, { identity }), /no run identity/);
  // a torn first record is set aside and the identity still leads the file
  const torn = `${path}.torn-first`;
  await Deno.writeTextFile(torn, `${JSON.stringify({ identity })}\n{"id":"y"`);
  const t = await openRecords<Rec>(torn, (r) => r.id, { identity });
  assert.equal(t.records.length, 0);
  assert.equal(await Deno.readTextFile(torn), `${JSON.stringify({ identity })}\n`);
});

Deno.test("openRecords with a lock: a second writer is refused; a dead writer's lock is taken over", async () => {
  const path = `${await Deno.makeTempDir()}/r.jsonl`;
  const a = await openRecords<Rec>(path, (r) => r.id, { lock: true });
  await assert.rejects(
    openRecords<Rec>(path, (r) => r.id, { lock: true }),
    new RegExp(`another run \\(pid ${Deno.pid}\\) is writing it`),
  );
  await a.close();
  const b = await openRecords<Rec>(path, (r) => r.id, { lock: true });
  await b.close();
  // a lock left by a process that is gone (a killed run)
  const dead = new Deno.Command("true").spawn();
  const { success } = await dead.status;
  assert.ok(success);
  await Deno.writeTextFile(`${path}.lock`, `${dead.pid}\n`);
  const c = await openRecords<Rec>(path, (r) => r.id, { lock: true });
  assert.equal((await Deno.readTextFile(`${path}.lock`)).trim(), `${Deno.pid}`);
  await c.close();
  await assert.rejects(Deno.stat(`${path}.lock`), Deno.errors.NotFound);
});

Deno.test("repairTornTail sets a torn last line aside and leaves a whole file alone", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/traces.jsonl`;
  assert.equal(await repairTornTail(path), false, "a missing file is fine");
  await Deno.writeTextFile(path, '{"a":1}\n{"a":2}\n');
  assert.equal(await repairTornTail(path), false);
  await Deno.writeTextFile(path, '{"a":1}\n{"a":2}\n{"a":');
  assert.equal(await repairTornTail(path), true);
  assert.equal(await Deno.readTextFile(path), '{"a":1}\n{"a":2}\n');
  assert.equal(await Deno.readTextFile(`${path}.torn`), '{"a":\n');
});

Deno.test("openRecords adopts a file from before identities only when the caller's check passes", async () => {
  const path = `${await Deno.makeTempDir()}/r.jsonl`;
  const identity = { seed: 0 };
  const old = '{"id":"a","v":1}\n{"id":"b","v":2}\n{"id":"c"';
  await Deno.writeTextFile(path, old);
  await assert.rejects(
    openRecords<Rec>(path, (r) => r.id, { identity, adopt: () => "made with seed 1" }),
    (e: Error) => e.message === `${path}: made with seed 1; write to another file`,
  );
  assert.equal(await Deno.readTextFile(path), old, "a refused file is untouched");
  const seen: Rec[][] = [];
  const a = await openRecords<Rec>(path, (r) => r.id, {
    identity,
    adopt: (records) => (seen.push([...records]), null),
  });
  assert.deepEqual(seen, [[{ id: "a", v: 1 }, { id: "b", v: 2 }]]);
  await a.append({ id: "c", v: 3 });
  assert.deepEqual(await readRecords<Rec>(path), [
    { id: "a", v: 1 },
    { id: "b", v: 2 },
    { id: "c", v: 3 },
  ]);
  assert.deepEqual(JSON.parse((await Deno.readTextFile(path)).split("\n")[0]), { identity });
  await assert.rejects(Deno.stat(`${path}.new`), Deno.errors.NotFound);
});

Deno.test("readRecords leaves out the identity line and a torn last line, not a torn middle", async () => {
  const path = `${await Deno.makeTempDir()}/r.jsonl`;
  await Deno.writeTextFile(path, '{"identity":{"seed":0}}\n{"id":"a","v":1}\n{"id":"b"');
  assert.deepEqual(await readRecords<Rec>(path), [{ id: "a", v: 1 }]);
  await Deno.writeTextFile(path, '{"id":"a","v":1}\n{"id":\n{"id":"c","v":3}\n');
  await assert.rejects(readRecords<Rec>(path), /r\.jsonl:2: malformed JSON/);
  await assert.rejects(readRecords<Rec>(`${path}.missing`), /cannot open/);
});

Deno.test("openRecords: an identity that differs is adopted only when the caller accepts", async () => {
  const path = `${await Deno.makeTempDir()}/r.jsonl`;
  const a = await openRecords<Rec>(path, (r) => r.id, { identity: { seed: 0, grader: "1" } });
  await a.append({ id: "a", v: 1 });
  const identity = { seed: 0, grader: "2" };
  await assert.rejects(
    openRecords<Rec>(path, (r) => r.id, { identity, adopt: () => "verdicts differ" }),
    /made by another run: grader was "1", now "2"/,
  );
  const b = await openRecords<Rec>(path, (r) => r.id, {
    identity,
    adopt: (records, was) => records.length === 1 && was?.grader === "1" ? null : "no",
  });
  assert.deepEqual(b.records, [{ id: "a", v: 1 }]);
  assert.deepEqual(JSON.parse((await Deno.readTextFile(path)).split("\n")[0]), { identity });
});
