import assert from "node:assert/strict";
import { GSM8K_PATH } from "./gsm8k.ts";
import { MATH500_PATH } from "./math.ts";

const README = new URL("../../data/README.md", import.meta.url);

async function sha256(path: URL): Promise<string> {
  const bytes = await Deno.readFile(path);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Rows of the README's table: file → {rows, bytes, sha256}. */
async function readmeTable(): Promise<Map<string, { rows: number; bytes: number; sha: string }>> {
  const out = new Map<string, { rows: number; bytes: number; sha: string }>();
  for (const line of (await Deno.readTextFile(README)).split("\n")) {
    const m = /^\| `([^`]+\.jsonl)` \| ([\d,]+) \| ([\d,]+) \| `([0-9a-f]{64})` \|/.exec(line);
    if (m) {
      const num = (s: string) => Number(s.replaceAll(",", ""));
      out.set(m[1], { rows: num(m[2]), bytes: num(m[3]), sha: m[4] });
    }
  }
  return out;
}

Deno.test("data/: the bundled copies match the README's rows, bytes and sha256", async () => {
  const table = await readmeTable();
  const files: [string, URL, number][] = [
    ["math500_test.jsonl", MATH500_PATH, 500],
    ["gsm8k_test.jsonl", GSM8K_PATH, 1319],
  ];
  for (const [name, path, rows] of files) {
    const entry = table.get(name);
    assert.ok(entry, `${name} is missing from data/README.md`);
    assert.equal(entry.rows, rows);
    const text = await Deno.readTextFile(path);
    assert.equal(text.split("\n").filter((l) => l.trim() !== "").length, rows);
    assert.equal((await Deno.stat(path)).size, entry.bytes);
    assert.equal(await sha256(path), entry.sha);
  }
});

Deno.test("data/README.md: carries the MIT copyright lines of every source", async () => {
  const text = await Deno.readTextFile(README);
  for (
    const line of [
      "Copyright (c) 2023 OpenAI",
      "Copyright (c) 2021 Dan Hendrycks",
      "Copyright (c) 2021 OpenAI",
      "Permission is hereby granted, free of charge",
    ]
  ) assert.ok(text.includes(line), line);
});
