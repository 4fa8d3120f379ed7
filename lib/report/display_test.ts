import assert from "node:assert/strict";
import {
  concatViews,
  FIGURE_MIME,
  htmlView,
  JUPYTER_DISPLAY,
  mediaBundle,
  OUTPUT_ENV,
  outputMode,
  staticHtml,
} from "./display.ts";
import { plot } from "./plotly.ts";
import { preamble } from "./preamble.ts";
import { tex } from "./katex.ts";
import { drawTrace } from "./trace_svg.ts";

Deno.test("outputMode reads REPRO_OUTPUT: static, else html", () => {
  assert.equal(OUTPUT_ENV, "REPRO_OUTPUT");
  assert.equal(outputMode(new Map([["REPRO_OUTPUT", "static"]])), "static");
  assert.equal(outputMode(new Map([["REPRO_OUTPUT", "html"]])), "html");
  assert.equal(outputMode(new Map()), "html");
});

Deno.test("mediaBundle: HTML as before; static mode picks Markdown, a figure, or stripped HTML", () => {
  const plain = htmlView("<style>p{}</style><p>x</p><script>go()</script>", "x");
  assert.deepEqual(mediaBundle(plain, "html"), { "text/html": plain.html, "text/plain": "x" });
  assert.deepEqual(mediaBundle(plain, "static"), { "text/html": "<p>x</p>", "text/plain": "x" });
  const md = htmlView("<b>x</b>", "x", { markdown: "**x**" });
  assert.deepEqual(mediaBundle(md, "static"), { "text/markdown": "**x**", "text/plain": "x" });
  const fig = htmlView("<svg></svg>", "[fig]", { figure: true });
  assert.deepEqual(mediaBundle(fig, "static"), {
    [FIGURE_MIME]: "<svg></svg>",
    "text/plain": "[fig]",
  });
  assert.equal(staticHtml("<STYLE type='x'>a</STYLE>b"), "b");
});

Deno.test("the display hook follows REPRO_OUTPUT at display time", () => {
  const view = htmlView("<b>x</b>", "x", { markdown: "**x**" });
  const before = Deno.env.get(OUTPUT_ENV);
  try {
    Deno.env.set(OUTPUT_ENV, "static");
    assert.equal(view[JUPYTER_DISPLAY]()["text/markdown"], "**x**");
    Deno.env.delete(OUTPUT_ENV);
    assert.equal(view[JUPYTER_DISPLAY]()["text/html"], "<b>x</b>");
  } finally {
    if (before === undefined) Deno.env.delete(OUTPUT_ENV);
    else Deno.env.set(OUTPUT_ENV, before);
  }
});

Deno.test("static forms: preamble is a note (no plotly.js), plots and traces are figures, tex is math", () => {
  const pre = mediaBundle(preamble(), "static");
  assert.deepEqual(Object.keys(pre).sort(), ["text/markdown", "text/plain"]);
  assert.ok(String(pre["text/markdown"]).length < 300);
  assert.ok(preamble().html.length > 1_000_000, "the HTML preamble still inlines plotly.js");
  const fig = plot({ data: [{ type: "bar", x: ["a"], y: [1] }] });
  assert.ok(FIGURE_MIME in mediaBundle(fig, "static"));
  const trace = drawTrace({
    kind: "tree",
    nodes: [{ id: 0, parent: null, text: "q", depth: 0, score: 0.5 }],
  });
  assert.ok(FIGURE_MIME in mediaBundle(trace, "static"));
  assert.equal(mediaBundle(tex("x^2"), "static")["text/markdown"], "$$\nx^2\n$$");
  assert.equal(
    mediaBundle(tex("x^2", { display: false }), "static")["text/markdown"],
    "$x^2$",
  );
});

Deno.test("concatViews: a figure when any part is, Markdown when every part has it", () => {
  const a = htmlView("<p>a</p>", "a", { markdown: "a" });
  const b = htmlView("<p>b</p>", "b", { markdown: "b" });
  assert.equal(concatViews([a, b]).markdown, "a\n\nb");
  assert.equal(concatViews([a, "<p>c</p>"]).markdown, undefined);
  const fig = concatViews([a, htmlView("<svg/>", "f", { figure: true })]);
  assert.equal(fig.figure, true);
  assert.equal(fig.markdown, undefined);
});
