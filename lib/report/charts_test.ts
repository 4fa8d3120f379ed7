import assert from "node:assert/strict";
import { accuracyVsTokens, barChart } from "./charts.ts";

Deno.test("accuracyVsTokens draws a closed CI band under each line, sorted by tokens", () => {
  const fig = accuracyVsTokens([
    {
      name: "beam",
      points: [{ tokens: 2048, value: 0.4, lo: 0.35, hi: 0.45 }, {
        tokens: 512,
        value: 0.3,
        lo: 0.25,
        hi: 0.35,
      }],
    },
    { name: "greedy", points: [{ tokens: 300, value: 0.2 }] },
  ], { references: [{ name: "paper", value: 0.5 }] });
  assert.equal(fig.data.length, 3); // band + line, line only
  const [band, line, greedy] = fig.data;
  assert.deepEqual(band.x, [512, 2048, 2048, 512]);
  assert.deepEqual(band.y, [0.35, 0.45, 0.35, 0.25]);
  assert.equal(band.fill, "toself");
  assert.deepEqual(line.x, [512, 2048]);
  assert.deepEqual(line.y, [0.3, 0.4]);
  assert.equal(greedy.name, "greedy");
  assert.equal((fig.layout!.xaxis as { type: string }).type, "log");
  assert.equal((fig.layout!.shapes as unknown[]).length, 1);
});

Deno.test("barChart groups series and turns CIs into asymmetric error bars", () => {
  const fig = barChart(["a", 2], [{
    name: "s",
    values: [0.5, 0.2],
    lo: [0.4, 0.1],
    hi: [0.7, 0.25],
  }]);
  const [t] = fig.data;
  assert.deepEqual(t.x, ["a", "2"]);
  const err = t.error_y as { array: number[]; arrayminus: number[] };
  assert.deepEqual(err.array.map((v) => +v.toFixed(6)), [0.2, 0.05]);
  assert.deepEqual(err.arrayminus.map((v) => +v.toFixed(6)), [0.1, 0.1]);
  assert.throws(
    () => barChart(["a"], [{ name: "bad", values: [1, 2] }]),
    /2 values for 1 categories/,
  );
});
