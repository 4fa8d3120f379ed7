import assert from "node:assert/strict";
import { dataFrame, table, tableHtml, tableMarkdown } from "./table.ts";
import { JUPYTER_DISPLAY, mediaBundle } from "./display.ts";

Deno.test("dataFrame keeps first-seen column order and fills missing cells with null", () => {
  const df = dataFrame([{ a: 1, b: "x" }, { b: "y", c: true }]);
  assert.deepEqual(df.columns, ["a", "b", "c"]);
  assert.deepEqual(df.toRecords(), [{ a: 1, b: "x", c: null }, { a: null, b: "y", c: true }]);
});

Deno.test("tableHtml escapes headers, cells and the caption", () => {
  const html = tableHtml([{ "<th>": "<script>alert(1)</script>", "a&b": `"q"` }], {
    caption: "<i>cap</i>",
  });
  assert.ok(!html.includes("<script>"));
  assert.ok(!html.includes("<th><th>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("&lt;th&gt;"));
  assert.ok(html.includes("a&amp;b"));
  assert.ok(html.includes("&quot;q&quot;"));
  assert.ok(html.includes("<caption>&lt;i&gt;cap&lt;/i&gt;</caption>"));
});

Deno.test("tableHtml formats numbers and nulls, shows dtypes, truncates long tables", () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ i, x: i / 3, s: i % 2 ? null : "s" }));
  const html = tableHtml(rows, { maxRows: 5, digits: 2 });
  assert.equal(html.match(/<tr>/g)!.length, 1 + 5 + 1); // header, 5 rows, footer
  assert.ok(html.includes('<td class="repro-num">0.33</td>'));
  assert.ok(html.includes('<td class="repro-null">null</td>'));
  assert.ok(html.includes("Float64"));
  assert.ok(html.includes("2 more rows (7 × 3)"));
});

Deno.test("table is displayable by the Deno kernel as text/html", () => {
  const view = table([{ a: 1 }]);
  const bundle = view[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/html"], view.html);
  assert.equal(typeof bundle["text/plain"], "string");
  assert.equal(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
});

Deno.test("tableHtml works when columns shadow DataFrame methods (rows, height, head, columns)", () => {
  const view = table([{ rows: 3, height: 1.5, head: "h", columns: "c", dtypes: null }]);
  assert.ok(view.html.includes("<th>rows"));
  assert.ok(view.html.includes('<td class="repro-num">1.500</td>'));
  assert.ok(view.html.includes("<td>h</td><td>c</td>"));
  assert.ok(view.text.startsWith("rows\theight\thead\tcolumns\tdtypes"));
});

Deno.test("tableMarkdown: a GFM table with caption, aligned numbers, escaped cells and a footer", () => {
  const rows = [
    { arm: "orm_bon@16", "acc %": 61.25, note: "a|b" },
    { arm: "maj@16", "acc %": 50, note: null },
    { arm: "greedy", "acc %": 45.5, note: "$x$" },
  ];
  assert.equal(
    tableMarkdown(rows, { caption: "Every *arm*", digits: 1, maxRows: 2 }),
    [
      "**Every \\*arm\\***",
      "",
      "| arm | acc % | note |",
      "| :-- | --: | :-- |",
      "| orm_bon@16 | 61.3 | a\\|b |",
      "| maj@16 | 50 | – |",
      "",
      "_1 more rows (3 × 3)_",
    ].join("\n"),
  );
  assert.equal(tableMarkdown([], { caption: "x" }), "**x**\n\n_(no columns)_");
  const view = table(rows);
  assert.equal(view.markdown, tableMarkdown(rows));
  assert.deepEqual(mediaBundle(view, "static"), {
    "text/markdown": view.markdown,
    "text/plain": view.text,
  });
  assert.equal(mediaBundle(view, "html")["text/html"], view.html);
});
