import assert from "node:assert/strict";
import { figureHtml, plot, plotlyPreamble, plotlySource } from "./plotly.ts";

Deno.test("plotlyPreamble inlines the whole plotly.js source in one script element", () => {
  const { html } = plotlyPreamble();
  const { source, version } = plotlySource();
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.ok(html.length > source.length);
  assert.equal(html.match(/<script>/g)!.length, 1);
  assert.equal(html.match(/<\/script>/gi)!.length, 1);
  assert.ok(html.includes("window.Plotly = Plotly"));
});

Deno.test("figureHtml embeds the figure as script-safe JSON with a unique div", () => {
  const fig = {
    data: [{ type: "bar", x: ["</script><b>"], y: [1] }],
    layout: { title: { text: "T" } },
  };
  const a = figureHtml(fig);
  const b = figureHtml(fig);
  assert.equal(a.match(/<\/script>/g)!.length, 1);
  assert.ok(a.includes("\\u003c/script\\u003e\\u003cb\\u003e"));
  const id = (h: string) => h.match(/<div id="([^"]+)"/)![1];
  assert.notEqual(id(a), id(b));
  assert.ok(a.includes("Plotly.newPlot"));
  assert.ok(a.includes('"displaylogo":false'));
  assert.ok(
    figureHtml(fig, { id: "fixed", height: 300 }).includes(
      'id="fixed" class="repro-plot" style="width:100%;height:300px"',
    ),
  );
  assert.equal(plot(fig).text, "[plotly figure: T, 1 traces]");
});
