import assert from "node:assert/strict";
import { join } from "node:path";
import { indexHtml, writeIndex } from "./index_page.ts";

Deno.test("indexHtml links rendered pages, marks failures and escapes everything", () => {
  const html = indexHtml([
    { name: "ok_nb", title: "Table <1>", status: "ok", detail: "rendered in 3.0 s" },
    { name: "bad", title: "Bad", status: "failed", detail: "Error: x < y" },
    { name: "todo", title: "Todo", status: "missing", detail: "not rendered" },
  ], {
    title: "Repro & notebooks",
    date: new Date("2026-01-02T03:04:05Z"),
    commit: "abc1234+dirty",
  });
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  assert.ok(html.includes('<a href="ok_nb.html">Table &lt;1&gt;</a>'));
  assert.ok(!html.includes('href="bad.html"') && !html.includes('href="todo.html"'));
  assert.ok(html.includes("Error: x &lt; y"));
  assert.ok(html.includes("<title>Repro &amp; notebooks</title>"));
  assert.ok(html.includes("2026-01-02 03:04:05 UTC"));
  assert.ok(html.includes("<code>abc1234+dirty</code>"));
});

Deno.test("writeIndex lists every notebook: this run, an earlier page, or missing", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const nbDir = join(dir, "notebooks");
    const out = join(dir, "html");
    Deno.mkdirSync(nbDir);
    Deno.mkdirSync(out);
    const nb = JSON.stringify({
      cells: [{ cell_type: "markdown", source: "# Title A" }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    for (const n of ["a", "b", "c"]) Deno.writeTextFileSync(join(nbDir, `${n}.ipynb`), nb);
    Deno.writeTextFileSync(join(out, "b.html"), "<html></html>");
    const file = await writeIndex(nbDir, out, [{
      name: "a",
      title: "Title A",
      ok: true,
      seconds: 1.25,
    }], {
      commit: null,
    });
    const html = Deno.readTextFileSync(file);
    assert.ok(html.includes('<tr class="status-ok"><td><a href="a.html">Title A</a>'));
    assert.ok(html.includes('<tr class="status-earlier"><td><a href="b.html">'));
    assert.ok(html.includes('<tr class="status-missing"><td>Title A</td><td><code>c.ipynb'));
    assert.ok(html.includes("rendered in 1.3 s") || html.includes("rendered in 1.2 s"));
    assert.ok(html.includes("<code>none</code>"));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
