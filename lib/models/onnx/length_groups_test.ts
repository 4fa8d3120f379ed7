import assert from "node:assert/strict";
import { lengthGroups } from "./length_groups.ts";

Deno.test("lengthGroups: splits far-apart lengths, keeps close ones, exact optimum", () => {
  assert.deepEqual(lengthGroups([], 10), []);
  assert.deepEqual(lengthGroups([5], 10), [[0]]);
  assert.deepEqual(lengthGroups([30, 300, 32, 310], 100), [[0, 2], [1, 3]]);
  assert.deepEqual(lengthGroups([30, 300, 32, 310], 10_000), [[0, 2, 1, 3]]);
  // weights: many rows of one short sequence make its own group worth it
  assert.deepEqual(lengthGroups([100, 120], 50, [1, 1]), [[0, 1]]);
  assert.deepEqual(lengthGroups([100, 120], 50, [16, 1]), [[0], [1]]);
  // against brute force over all contiguous partitions of the sorted lengths
  const rng = (s: number) => () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const r = rng(7);
  for (let t = 0; t < 50; t++) {
    const lens = Array.from({ length: 1 + Math.floor(r() * 8) }, () => 1 + Math.floor(r() * 400));
    const cost = (gs: number[][]) =>
      gs.reduce((a, g) => a + 200 + g.length * Math.max(...g.map((i) => lens[i])), 0);
    const sorted = lens.map((_, i) => i).sort((a, b) => lens[a] - lens[b] || a - b);
    let brute = Infinity;
    for (let mask = 0; mask < 2 ** (sorted.length - 1); mask++) {
      const gs: number[][] = [[sorted[0]]];
      for (let k = 1; k < sorted.length; k++) {
        if (mask & (1 << (k - 1))) gs.push([]);
        gs[gs.length - 1].push(sorted[k]);
      }
      brute = Math.min(brute, cost(gs));
    }
    const got = lengthGroups(lens, 200);
    assert.equal(cost(got), brute);
    assert.deepEqual(got.flat().sort((a, b) => a - b), lens.map((_, i) => i));
  }
});
