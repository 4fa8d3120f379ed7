import assert from "node:assert/strict";
import { readJsonlProblems } from "./jsonl_problems.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function withFile(lines: string[], fn: (path: string) => Promise<void>): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("readJsonlProblems: maps named fields, numbers become text, ids default to the index", async () => {
  const rows = [
    { question: "What is 2+3?", final: 5, meta: { difficulty: "Level 1", topic: "arith" } },
    { question: "What is 10/4?", final: "\\frac{5}{2}", meta: { difficulty: 2 } },
  ].map((r) => JSON.stringify(r));
  await withFile(["", ...rows], async (path) => {
    const problems = await collect(
      readJsonlProblems(path, {
        problem: "question",
        answer: "final",
        level: "meta.difficulty",
        subject: "meta.topic",
      }),
    );
    assert.deepEqual(problems, [
      { id: "0", problem: "What is 2+3?", answer: "5", level: 1, subject: "arith" },
      { id: "1", problem: "What is 10/4?", answer: "\\frac{5}{2}", level: 2 },
    ]);
  });
});

Deno.test("readJsonlProblems: default names and an id field", async () => {
  const row = { uid: "x-7", problem: "p", answer: "a", solution: "s", subject: "Geometry" };
  await withFile([JSON.stringify(row)], async (path) => {
    const [p] = await collect(readJsonlProblems(path, { id: "uid" }));
    assert.deepEqual(p, {
      id: "x-7",
      problem: "p",
      answer: "a",
      solution: "s",
      subject: "Geometry",
    });
  });
});

Deno.test("readJsonlProblems: a missing mapped field names file and line 2", async () => {
  const rows = [{ question: "q1", final: "1" }, { question: "q2" }].map((r) => JSON.stringify(r));
  await withFile(rows, async (path) => {
    await assert.rejects(
      () => collect(readJsonlProblems(path, { problem: "question", answer: "final" })),
      new Error(`${path}:2: missing field "final"`),
    );
  });
});

Deno.test("readJsonlProblems: a wrongly typed field is an error naming the line", async () => {
  await withFile([JSON.stringify({ problem: ["p"], answer: "1" })], async (path) => {
    await assert.rejects(
      () => collect(readJsonlProblems(path)),
      new Error(`${path}:1: field "problem" must be a string (got ["p"])`),
    );
  });
});

Deno.test("readJsonlProblems: limit counts problems, malformed rows after it are not read", async () => {
  const good = JSON.stringify({ problem: "p", answer: "1" });
  await withFile([good, good, "{not json"], async (path) => {
    assert.equal((await collect(readJsonlProblems(path, {}, { limit: 2 }))).length, 2);
    await assert.rejects(() => collect(readJsonlProblems(path)), /:3: malformed JSON/);
  });
});

Deno.test("readJsonlProblems: a missing file is an error naming it", async () => {
  await assert.rejects(
    () => collect(readJsonlProblems("/nonexistent/x.jsonl")),
    /x\.jsonl: cannot open/,
  );
});
