import assert from "node:assert/strict";
import { GSM8K_PATH, readGsm8k, splitGsm8kAnswer } from "./gsm8k.ts";
import { loadDataset } from "./registry.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("splitGsm8kAnswer: strips thousands commas and keeps the solution before ####", () => {
  assert.deepEqual(splitGsm8kAnswer("So 5 * 290,000 = 1,450,000\n#### 1,450,000"), {
    solution: "So 5 * 290,000 = 1,450,000",
    answer: "1450000",
  });
  assert.deepEqual(splitGsm8kAnswer("a\nb\n#### -3"), { solution: "a\nb", answer: "-3" });
  assert.equal(splitGsm8kAnswer("no final line 42"), null);
});

Deno.test("readGsm8k: 1319 problems, ids are row indices, answers are plain numbers", async () => {
  const problems = await collect(readGsm8k());
  assert.equal(problems.length, 1319);
  assert.deepEqual(problems.slice(0, 3).map((p) => p.id), ["0", "1", "2"]);
  assert.equal(problems[1318].id, "1318");
  const first = problems[0];
  assert.match(first.problem, /^Janet.s ducks lay 16 eggs per day/);
  assert.equal(first.answer, "18");
  assert.equal(
    first.solution,
    "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\n" +
      "She makes 9 * 2 = $<<9*2=18>>18 every day at the farmer\u2019s market.",
  );
  for (const p of problems) {
    assert.match(p.answer, /^-?[0-9.]+$/, p.id);
    assert.ok(!p.solution?.includes("####"), p.id);
  }
  // The README counts 14 answers written with thousands commas and 2 negative ones.
  const raw = (await Deno.readTextFile(GSM8K_PATH)).trim().split("\n").map((l) => JSON.parse(l));
  const commas = raw.flatMap((r, i) => /#### .*,/.test(r.answer) ? [i] : []);
  assert.equal(commas.length, 14);
  for (const i of commas) {
    assert.equal(problems[i].answer, /#### (.*)$/.exec(raw[i].answer)![1].replaceAll(",", ""));
    assert.ok(!problems[i].answer.includes(","));
  }
  assert.equal(problems.filter((p) => p.answer.startsWith("-")).length, 2);
});

Deno.test("readGsm8k: limit through the registry", async () => {
  const problems = await loadDataset("gsm8k", { limit: 5 });
  assert.deepEqual(problems.map((p) => p.id), ["0", "1", "2", "3", "4"]);
});

Deno.test("readGsm8k: an answer without #### and malformed JSON name file and line", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    const good = JSON.stringify({ question: "q", answer: "x\n#### 1,000" });
    await Deno.writeTextFile(path, `${good}\n${JSON.stringify({ question: "q", answer: "7" })}\n`);
    await assert.rejects(
      () => collect(readGsm8k(path)),
      new Error(`${path}:2: field "answer" does not end with "#### <number>"`),
    );
    await Deno.writeTextFile(path, `${good}\n{"question": "q"\n`);
    await assert.rejects(() => collect(readGsm8k(path)), (e: Error) => {
      assert.ok(e.message.startsWith(`${path}:2: malformed JSON`), e.message);
      return true;
    });
    const [p] = await collect(readGsm8k(path, { limit: 1 }));
    assert.equal(p.answer, "1000");
  } finally {
    await Deno.remove(path);
  }
});
