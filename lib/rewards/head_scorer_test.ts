import assert from "node:assert/strict";
import type { Policy, SeqState } from "../core/types.ts";
import type { Head, HeadKind } from "./head.ts";
import { headScorer, prmHeadScorer, valueHeadScorer } from "./head_scorer.ts";
import { qsharpClassifier } from "./qsharp_classifier.ts";

/** Hidden state of a prefix = [characters, steps]: lets the test predict every score. */
const policy: Policy = {
  name: "fake",
  capabilities: { logits: false, hidden: true },
  start: (problem) => ({ problem, text: "" }),
  extend: () => Promise.reject(new Error("unused")),
  hidden: (states: readonly SeqState[]) =>
    Promise.resolve(
      states.map((s) => new Float32Array([s.text.length, s.text.split("\n\n").length - 1])),
    ),
};

function head(kind: HeadKind, w: number[], b: number, vocab = 0): Head {
  return {
    kind,
    dim: 2,
    hidden: 0,
    mean: new Float32Array(2),
    std: new Float32Array([1, 1]),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2: new Float32Array(w),
    b2: b,
    vocab,
    wa: new Float32Array(vocab * 2),
    ba: Float32Array.from({ length: vocab }, (_, i) => i),
    card: {
      kind,
      seed: 0,
      data: {},
      metrics: {},
      training: {},
      featureModel: { name: "fake", dim: 2, output: "h", position: "end" },
    },
  };
}

Deno.test("value-head scorer: (tanh(z)+1)/2 at the end of each step prefix", async () => {
  const scorer = valueHeadScorer(policy, head("value", [0.1, 0], -0.5));
  const steps = ["ab\n\n", "cdef\n\n", "g"];
  const [s] = await scorer.score([{ problem: "P", steps }]);
  const expect = [4, 10, 11].map((n) => (Math.tanh(0.1 * n - 0.5) + 1) / 2);
  s.forEach((x, i) => assert.ok(Math.abs(x - expect[i]) < 1e-6, `${x} vs ${expect[i]}`));
  const [[last]] = await scorer.score([{ problem: "P", steps }], { lastOnly: true });
  assert.ok(Math.abs(last - expect[2]) < 1e-6);
  const [empty] = await scorer.score([{ problem: "P", steps: [] }]);
  assert.deepEqual(empty, []);
});

Deno.test("PRM-head scorer: σ(z) per step; wrong kinds and hidden sizes are refused", async () => {
  const [s] = await prmHeadScorer(policy, head("prm", [0, 2], -1)).score([{
    problem: "P",
    steps: ["a\n\n", "b"],
  }]);
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  assert.ok(Math.abs(s[0] - sig(1)) < 1e-6 && Math.abs(s[1] - sig(1)) < 1e-6);
  assert.throws(
    () => valueHeadScorer(policy, head("prm", [0, 0], 0)),
    /value scorer given a prm head/,
  );
  const wide = {
    ...head("value", [0, 0], 0),
    dim: 3,
    mean: new Float32Array(3),
    std: new Float32Array([1, 1, 1]),
    w2: new Float32Array(3),
  };
  await assert.rejects(
    headScorer(policy, wide).score([{ problem: "P", steps: ["a"] }]),
    /expects hidden size 3, policy gives 2/,
  );
  const blind = { ...policy, capabilities: { logits: false, hidden: false }, hidden: undefined };
  assert.throws(() => headScorer(blind, head("value", [0, 0], 0)), /exposes no hidden states/);
});

Deno.test("Q# classifier: σ of state value plus token advantage, from the hook's hidden state", async () => {
  const c = qsharpClassifier(head("qsharp", [1, 0], 0, 3)); // ba = [0, 1, 2]
  const ctx = {
    index: 0,
    state: { problem: "P", text: "" },
    generated: [],
    logits: new Float32Array(3),
    hidden: new Float32Array([0.5, 9]),
  };
  const p = await c.scoreCandidates(ctx, [2, 0]);
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  assert.ok(Math.abs(p[0] - sig(2.5)) < 1e-6 && Math.abs(p[1] - sig(0.5)) < 1e-6);
  await assert.rejects(
    c.scoreCandidates({ ...ctx, hidden: undefined }, [0]),
    /passes no hidden state/,
  );
});
