import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runScript } from "../runs/_run_script.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

const run = (args: string[]) => runScript(CLI, args);

Deno.test("grade CLI: malformed line in the middle → others graded, error names the line, exit 1", async () => {
  const dir = await Deno.makeTempDir();
  const input = `${dir}/in.jsonl`;
  await Deno.writeTextFile(
    input,
    [
      JSON.stringify({ id: "a", gold: "\\frac{1}{2}", pred: "so $\\boxed{0.5}$.", extra: [1] }),
      JSON.stringify({ id: "b", gold: "3", pred: "The answer is 4." }),
      "{not json",
      JSON.stringify({ id: "d", text: "She has 3 apples.\n#### 1,234" }),
      JSON.stringify({ id: "e", gold: 18, pred: "18" }),
    ].join("\n") + "\n",
  );
  const r = await run([input]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /in\.jsonl:3: malformed JSON/);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => x.id), ["a", "b", "d", "e"]);
  assert.deepEqual(rows[0].extra, [1]);
  assert.equal(rows[0].extracted, "0.5");
  assert.equal(rows[0].correct, true);
  assert.equal(rows[1].correct, false);
  assert.equal(typeof rows[1].reason, "string");
  assert.equal(rows[2].extracted, "1,234");
  assert.equal("correct" in rows[2], false);
  assert.equal(rows[3].correct, true);
  const summary = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
  assert.deepEqual(summary, { n: 5, graded: 3, correct: 2, accuracy: 2 / 3, errors: 1 });

  const out = `${dir}/out.jsonl`;
  const r2 = await run([input, "--out", out]);
  assert.equal(r2.code, 1);
  assert.equal(r2.stdout, "");
  assert.equal((await Deno.readTextFile(out)).trim().split("\n").length, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("grade CLI: missing file and wrong flag are one-line errors with exit 2", async () => {
  const missing = await run(["/nonexistent/nope.jsonl"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: .*nope\.jsonl: no such file\n$/);
  const flag = await run(["--bogus", "x.jsonl"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /error: .*--bogus/);
  assert.equal(flag.stderr.trim().split("\n").length, 1);
});
