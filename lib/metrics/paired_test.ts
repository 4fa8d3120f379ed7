import assert from "node:assert/strict";
import { pairedBootstrapCI } from "./bootstrap.ts";
import { pairedDifference } from "./paired.ts";

Deno.test("pairedDifference: pairs by id, a's order, bootstrap over the shared problems", () => {
  const a = [
    { id: "p1", correct: true, tokens: 10 },
    { id: "p2", correct: true, tokens: 20 },
    { id: "p3", correct: false, tokens: 30 },
    { id: "only-a", correct: true, tokens: 1000 },
  ];
  const b = [
    { id: "p3", correct: false, tokens: 3 },
    { id: "p2", correct: false, tokens: 2 },
    { id: "p1", correct: false, tokens: 1 },
    { id: "only-b", correct: true, tokens: 1000 },
  ];
  const d = pairedDifference(a, b, { seed: 4 })!;
  const ci = pairedBootstrapCI([1, 1, 0], [0, 0, 0], { seed: 4 });
  assert.deepEqual(d, {
    n: 3,
    diff: ci.mean,
    lo: ci.lo,
    hi: ci.hi,
    tokensA: 20,
    tokensB: 2,
  });
  assert.ok(Math.abs(d.diff - 2 / 3) < 1e-12);
});

Deno.test("pairedDifference: null without a shared problem; a repeated id counts its last outcome", () => {
  assert.equal(pairedDifference([{ id: "x", correct: true, tokens: 1 }], [], { seed: 0 }), null);
  const a = [{ id: "x", correct: false, tokens: 1 }, { id: "x", correct: true, tokens: 5 }];
  const b = [{ id: "x", correct: false, tokens: 2 }];
  const d = pairedDifference(a, b, { seed: 0 })!;
  assert.equal(d.n, 1);
  assert.equal(d.diff, 1);
  assert.equal(d.tokensA, 5);
});
