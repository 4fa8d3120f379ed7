import assert from "node:assert/strict";
import { katexCss, katexPreamble, tex, texHtml } from "./katex.ts";

Deno.test("texHtml renders LaTeX with KaTeX and reports errors inline", () => {
  const html = texHtml("\\frac{a}{b} + \\sqrt{2}");
  assert.ok(html.includes('class="katex-display"'));
  assert.ok(html.includes("<math"));
  assert.ok(!texHtml("x", { display: false }).includes("katex-display"));
  assert.ok(texHtml("\\frac{").includes("katex-error"));
  assert.equal(tex("x^2").text, "x^2");
});

Deno.test("katexCss inlines every woff2 font, or drops font faces for system fonts", () => {
  const css = katexCss();
  const faces = css.match(/@font-face\{/g)!.length;
  assert.ok(faces >= 15);
  assert.equal(css.match(/data:font\/woff2;base64,/g)!.length, faces);
  assert.ok(!/url\(fonts\//.test(css));
  const system = katexCss({ fonts: "system" });
  assert.ok(!system.includes("@font-face"));
  assert.ok(system.includes(".katex"));
  assert.ok(katexPreamble().html.startsWith("<style>"));
});
