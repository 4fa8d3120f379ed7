import assert from "node:assert/strict";
import { alphaMathFormat, codeBlocks, formatCodeStep, rStarFormat, unfence } from "./code_steps.ts";
import { isErrorObservation, observation } from "./observation.ts";

Deno.test("alphaMathFormat: finds the step's code block, fenced or not, stop kept or not", () => {
  const f = alphaMathFormat();
  assert.equal(f.codeStop, "</code>");
  assert.equal(
    f.stepCode("", "Step 1: compute 2 + 3\n<code>\nprint(2 + 3)\n</code>"),
    "print(2 + 3)",
  );
  assert.equal(f.stepCode("", "Step 1:\n<code>\nprint(2 + 3)\n"), "print(2 + 3)");
  assert.equal(
    f.stepCode("", "<step>\n<p>\nadd\n</p>\n<code>\n```python\nx = 1\nprint(x)\n```\n</code>"),
    "x = 1\nprint(x)",
  );
  assert.equal(f.stepCode("", "Step 1: 2 + 3 = 5\n\n"), null);
  // a closed block followed by more text is not a code stop
  assert.equal(f.stepCode("", "<code>\nprint(1)\n</code>\n<output>\n1\n</output>\n\n"), null);
  assert.equal(f.formatOutput("5"), "\n<output>\n5\n</output>");
  assert.equal(
    alphaMathFormat({ after: "\n</step>" }).formatOutput("5"),
    "\n<output>\n5\n</output>\n</step>",
  );
});

Deno.test("alphaMathFormat.history: earlier blocks in order, timed-out ones skipped", () => {
  const f = alphaMathFormat();
  const parent = [
    formatCodeStep("Step 1: a", "x = 2", ""),
    formatCodeStep("Step 2: b", "while True: pass", "TimeoutError: execution exceeded"),
    formatCodeStep("Step 3: c", "y = x + 1\nprint(y)", "3"),
  ].join("\n\n") + "\n\n";
  assert.deepEqual(f.history(parent), ["x = 2", "y = x + 1\nprint(y)"]);
  assert.deepEqual(codeBlocks(parent).map((b) => b.output), [
    "",
    "TimeoutError: execution exceeded",
    "3",
  ]);
});

Deno.test("rStarFormat: one program since the last output, markers removed", () => {
  const f = rStarFormat();
  assert.equal(f.codeStop, "<end_of_code>");
  assert.equal(
    f.stepCode("# add\nx = 2 + 3<end_of_step>", "\nprint(x)\n<end_of_code>"),
    "# add\nx = 2 + 3\nprint(x)",
  );
  const parent = "x = 1<end_of_step>\nprint(x)\n<end_of_code><output>1<end_of_output>";
  assert.equal(f.stepCode(parent, "\nprint(7)\n<end_of_code>"), "print(7)");
  assert.equal(f.stepCode("", "x = 1<end_of_step>"), null);
  assert.equal(f.formatOutput("1"), "<output>1<end_of_output>");
  assert.deepEqual(f.history(parent), []);
});

Deno.test("unfence strips a Markdown fence only", () => {
  assert.equal(unfence("```python\nprint(1)\n```"), "print(1)");
  assert.equal(unfence("\nprint(1)\n"), "print(1)");
});

Deno.test("observation: output, exception line, timeout, truncation, ASCII", () => {
  const base = { stdout: "", stderr: "", truncated: false };
  assert.equal(observation({ ...base, stdout: "51\n" }), "51");
  assert.equal(observation({ ...base, stdout: "a\n", stderr: "warn\n" }), "a\nwarn");
  const tb =
    'Traceback (most recent call last):\n  File "<code>", line 1, in <module>\nValueError: bad\nvalue';
  assert.equal(observation({ ...base, stdout: "x\n", error: tb }), "x\nValueError: bad\nvalue");
  assert.equal(observation({ ...base, error: tb }, { traceback: "full" }), tb);
  assert.equal(
    observation({ ...base, error: "TimeoutError: execution exceeded the time limit of 5 ms" }),
    "TimeoutError: execution exceeded the time limit of 5 ms",
  );
  assert.equal(
    observation({ ...base, stdout: "abc", truncated: true }),
    "abc\n... (output truncated)",
  );
  assert.equal(
    observation({ ...base, stdout: "x".repeat(20) }, { maxChars: 5 }),
    "xxxxx\n... (output truncated)",
  );
  assert.equal(observation({ ...base, stdout: "π≈3" }, { ascii: true }), "??3");
  assert.equal(isErrorObservation("NameError: name 'x' is not defined"), true);
  assert.equal(isErrorObservation("42"), false);
});
