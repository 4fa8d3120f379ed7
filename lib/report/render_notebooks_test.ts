import assert from "node:assert/strict";
import { join } from "node:path";
import { listNotebooks, notebookTitle, summarizeNbconvertError } from "./render_notebooks.ts";

Deno.test("summarizeNbconvertError picks the error line after the cell listing and drops noise", () => {
  const stderr = [
    "0.00s - Debugger warning: It seems that frozen modules are being used, which may",
    '\x1b[0m\x1b[33mWarning\x1b[0m "deno jupyter" is unstable and might change in the future.',
    "[NbConvertApp] Converting notebook x.ipynb to html",
    "Traceback (most recent call last):",
    '  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 915, in _check_raise_for_error',
    "nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:",
    "------------------",
    'throw new Error("boom")',
    "------------------",
    "",
    "\x1b[31mError: boom\x1b[0m",
    "    at <anonymous>:1:7",
    "Error: boom",
    "",
  ].join("\n");
  const { summary, tail } = summarizeNbconvertError(stderr);
  assert.equal(summary, "Error: boom");
  assert.ok(tail.length <= 15);
  assert.ok(!tail.some((l) => /Debugger|unstable|NbConvertApp/.test(l)));
  assert.equal(tail.at(-1), "Error: boom");
});

Deno.test("summarizeNbconvertError falls back to the last line, or a fixed message", () => {
  assert.equal(
    summarizeNbconvertError("a\nNo such kernel named deno\n").summary,
    "No such kernel named deno",
  );
  assert.equal(summarizeNbconvertError("").summary, "nbconvert failed with no output");
});

Deno.test("listNotebooks and notebookTitle read a notebooks folder", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const nb = (cells: unknown[]) =>
      JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
    Deno.writeTextFileSync(
      join(dir, "b.ipynb"),
      nb([{ cell_type: "markdown", source: ["intro\n", "## Table 2: pass@1\n"] }]),
    );
    Deno.writeTextFileSync(
      join(dir, "a.ipynb"),
      nb([{ cell_type: "code", source: "# not a title" }]),
    );
    Deno.writeTextFileSync(join(dir, "notes.txt"), "");
    Deno.writeTextFileSync(join(dir, ".hidden.ipynb"), "{}");
    assert.deepEqual(listNotebooks(dir), ["a", "b"]);
    assert.equal(notebookTitle(join(dir, "b.ipynb")), "Table 2: pass@1");
    assert.equal(notebookTitle(join(dir, "a.ipynb")), null);
    assert.equal(notebookTitle(join(dir, "missing.ipynb")), null);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
