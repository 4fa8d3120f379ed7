import assert from "node:assert/strict";
import { MATH500_PATH, readMath, readMath500 } from "./math.ts";
import { loadDataset } from "./registry.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function tempJsonl(lines: string[]): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

Deno.test("readMath500: 500 problems with unique ids, numeric levels 1-5 and subjects", async () => {
  const problems = await collect(readMath500());
  assert.equal(problems.length, 500);
  assert.equal(new Set(problems.map((p) => p.id)).size, 500);
  const first = problems[0];
  assert.equal(first.id, "test/precalculus/807.json");
  assert.equal(first.answer, "\\left( 3, \\frac{\\pi}{2} \\right)");
  assert.equal(first.level, 2);
  assert.equal(first.subject, "Precalculus");
  assert.match(first.problem, /^Convert the point \$\(0,3\)\$/);
  assert.ok(first.solution?.includes("\\boxed{"));
  for (const p of problems) {
    assert.ok(p.level !== undefined && p.level >= 1 && p.level <= 5, p.id);
    assert.equal(typeof p.subject, "string");
  }
});

Deno.test("readMath: limit stops early and 0 yields nothing", async () => {
  assert.equal((await collect(readMath(MATH500_PATH, { limit: 7 }))).length, 7);
  assert.equal((await collect(readMath(MATH500_PATH, { limit: 0 }))).length, 0);
  assert.equal((await loadDataset("math500", { limit: 3 })).length, 3);
  await assert.rejects(() => collect(readMath(MATH500_PATH, { limit: -1 })), RangeError);
});

Deno.test("readMath: 'Level 3' and 3 both give level 3; 'Level ?' gives none", async () => {
  const row = (id: string, level: unknown) =>
    JSON.stringify({ problem: "p", answer: "1", unique_id: id, level, subject: "Algebra" });
  const path = await tempJsonl([row("a", "Level 3"), row("b", 3), row("c", "Level ?")]);
  try {
    const [a, b, c] = await collect(readMath(path));
    assert.equal(a.level, 3);
    assert.equal(b.level, 3);
    assert.equal(c.level, undefined);
    assert.equal(a.solution, undefined);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readMath: malformed JSON on line 2 names the file and line", async () => {
  const good = JSON.stringify({ problem: "p", answer: "1", unique_id: "a" });
  const path = await tempJsonl([good, '{"problem": "p", "answer": ']);
  try {
    await assert.rejects(() => collect(readMath(path)), (e: Error) => {
      assert.ok(e.message.startsWith(`${path}:2: malformed JSON`), e.message);
      return true;
    });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readMath: a row missing answer names the file, line and field", async () => {
  const good = JSON.stringify({ problem: "p", answer: "1", unique_id: "a" });
  const bad = JSON.stringify({ problem: "p", unique_id: "b" });
  const path = await tempJsonl([good, bad]);
  try {
    await assert.rejects(
      () => collect(readMath(path)),
      new Error(`${path}:2: missing field "answer"`),
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readMath: a bad level is an error naming the line", async () => {
  const path = await tempJsonl([
    JSON.stringify({ problem: "p", answer: "1", unique_id: "a", level: "hard" }),
  ]);
  try {
    await assert.rejects(() => collect(readMath(path)), /:1: field "level" is not a level/);
  } finally {
    await Deno.remove(path);
  }
});
