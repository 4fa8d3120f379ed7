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

Deno.test("grade CLI: a labelled suite reports agreement with expected, ours and Math-Verify's, per source file, each row with its settings", async () => {
  const dir = await Deno.makeTempDir();
  const input = `${dir}/suite.jsonl`;
  const repoFile = { repo: "o/r", file: "tests/t.py", test: "t[0]" };
  await Deno.writeTextFile(
    input,
    [
      // agrees; Math-Verify's stated verdict agrees too
      { gold: "3", pred: "3", expected: true, source: "a.py::x", math_verify: true },
      // a wrong label: ours disagrees with it, Math-Verify's run agrees
      { gold: "3", pred: "4", expected: true, source: "a.py::y", math_verify_run: true },
      // Math-Verify's `strict: false` makes f(x) and f(y) equal: graded with that setting
      {
        gold: "$f(x)$",
        pred: "$f(y)$",
        expected: true,
        source: repoFile,
        settings: { strict: false },
      },
      // the same pair without the setting (not equal), no source, a non-boolean verdict ignored
      { gold: "$f(x)$", pred: "$f(y)$", expected: false, math_verify: "yes" },
      // unlabelled: graded, not counted in the agreement
      { gold: "5", pred: "5" },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  const r = await run([input]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => x.correct), [true, false, true, false, true]);
  assert.deepEqual(rows.map((x) => x.agrees), [true, false, true, true, undefined]);
  const summary = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
  assert.deepEqual(summary.agreement, { n: 4, agree: 3, rate: 0.75 });
  assert.deepEqual(summary.math_verify, { n: 1, agree: 1, rate: 1 });
  assert.deepEqual(summary.math_verify_run, { n: 1, agree: 1, rate: 1 });
  assert.deepEqual(summary.bySource, [
    {
      source: "a.py",
      n: 2,
      agree: 1,
      math_verify: { n: 1, agree: 1, rate: 1 },
      math_verify_run: { n: 1, agree: 1, rate: 1 },
    },
    { source: "o/r:tests/t.py", n: 1, agree: 1 },
    { source: "-", n: 1, agree: 1 },
  ]);
  // An unlabelled file's summary is as before.
  const plain = `${dir}/plain.jsonl`;
  await Deno.writeTextFile(plain, JSON.stringify({ gold: "5", pred: "5" }) + "\n");
  const p = await run([plain]);
  assert.deepEqual(JSON.parse(p.stderr.trim().split("\n").at(-1)!), {
    n: 1,
    graded: 1,
    correct: 1,
    accuracy: 1,
    errors: 0,
  });
  await Deno.remove(dir, { recursive: true });
});
