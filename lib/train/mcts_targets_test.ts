import assert from "node:assert/strict";
import { mcts } from "../search/mcts.ts";
import { scriptedPolicy, scriptedScorer } from "../search/_scripted.ts";
import type { TreeTraceNode } from "../search/step_tree.ts";
import { goldRewardScorer } from "./gold_reward.ts";
import { type MctsTargetRow, mctsTargets } from "./mcts_targets.ts";

function near(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

const byText = (rows: MctsTargetRow[], text: string) => rows.find((r) => r.text === text)!;

/** The tree of mcts_test.ts's hand computation: root → A, B; A → A1 = \boxed{1}, A2 = junk. */
const script = {
  "": [{ text: "A\n\n", prob: 0.8 }, { text: "B\n\n", prob: 0.5 }],
  "A\n\n": [
    { text: "\\boxed{1}", prob: 0.9, finish: "eos" as const },
    { text: "junk", prob: 0.6, finish: "eos" as const },
  ],
  "B\n\n": [{ text: "C\n\n", prob: 0.7 }, { text: "D\n\n", prob: 0.7 }],
};
/** Value model: v = 2p − 1 gives root .2, A .5, B .1 (and .9 for A1 when it is asked). */
const table = { "": 0.6, "A\n\n": 0.75, "B\n\n": 0.55, "A\n\n\\boxed{1}": 0.95 };

Deno.test("mctsTargets: an open node on the way to a correct answer gets its Q, not +1", async () => {
  // Three simulations, B2 = 2, c_puct 1.25, finals rewarded by the grader (gold "1"):
  // 1. expand root (A, B); v(root) = .2 → root (1, .2).
  // 2. PUCT: A = 1.25·.8·1/1 = 1.0 > B = .625 → expand A: A1 valid final, A2 invalid.
  //    A2 −1 → A2 (1, −1), A (1, −1), root (2, −.8); v(A) = .5 → A (2, −.5), root (3, −.3);
  //    A1 correct → +1 → A1 (1, 1), A (3, .5), root (4, .7).
  // 3. PUCT (N(root) 4): A = .5/3 + 1.25·.8·2/4 = .667 < B = 1.25·.5·2/1 = 1.25 → expand B
  //    (C, D open, never visited); v(B) = .1 → B (1, .1), root (5, .8).
  // Targets: A = Q = .5/3 (the outcome target of the path A → A1 would be +1), B = .1,
  // A1 = +1, A2 = −1; C, D (N = 0) and the root have no row.
  const scorer = scriptedScorer(table);
  const r = await mcts("q", scriptedPolicy(script), goldRewardScorer(scorer, "1"), {
    iterations: 3,
    samplesPerNode: 2,
  });
  assert.deepEqual(scorer.requests, ["", "A\n\n", "B\n\n"], "the final went to the grader");
  const rows = mctsTargets(r.trace, { gold: "1" });
  assert.deepEqual(rows.map((x) => [x.text, x.kind, x.visits]), [
    ["A\n\n", "open", 3],
    ["B\n\n", "open", 1],
    ["A\n\n\\boxed{1}", "final", 1],
    ["A\n\njunk", "invalid", 1],
  ]);
  const a = byText(rows, "A\n\n");
  near(a.target, 0.5 / 3);
  assert.notEqual(a.target, 1, "outcome-at-every-step would give +1 here");
  near(byText(rows, "B\n\n").target, 0.1);
  const a1 = byText(rows, "A\n\n\\boxed{1}");
  assert.deepEqual([a1.target, a1.q, a1.correct, a1.answer], [1, 1, true, "1"]);
  assert.deepEqual(a1.steps, ["A\n\n", "\\boxed{1}"]);
  assert.deepEqual([byText(rows, "A\n\njunk").target, byText(rows, "A\n\njunk").status], [
    -1,
    "no_valid_child",
  ]);
  // The root's Q (.8 / 5) is on the tree but not a row: the prompt alone is not a state to train.
  near(r.trace.nodes[0].q, 0.8 / 5);
});

Deno.test("mctsTargets: a wrong final gives −1 and pulls its parent's Q down", async () => {
  // Same tree with gold "2": A1 is wrong → −1: A (3, −1.5), Q −.5; B still .1.
  const r = await mcts("q", scriptedPolicy(script), goldRewardScorer(scriptedScorer(table), "2"), {
    iterations: 3,
    samplesPerNode: 2,
  });
  const rows = mctsTargets(r.trace, { gold: "2" });
  near(byText(rows, "A\n\n").target, -0.5);
  const a1 = byText(rows, "A\n\n\\boxed{1}");
  assert.deepEqual([a1.target, a1.correct], [-1, false]);
});

Deno.test("mctsTargets: finals valued by the value model keep the grader's ±1 as target", async () => {
  // Test-time valuation (no gold rewards): v(A1) = .9 → A (3, .4), Q .4/3; A1's target is still
  // the grader's +1, its Q .9.
  const r = await mcts("q", scriptedPolicy(script), scriptedScorer(table), {
    iterations: 3,
    samplesPerNode: 2,
  });
  const rows = mctsTargets(r.trace, { gold: "1" });
  near(byText(rows, "A\n\n").target, 0.4 / 3);
  const a1 = byText(rows, "A\n\n\\boxed{1}");
  assert.equal(a1.target, 1);
  near(a1.q, 0.9);
});

Deno.test("mctsTargets on a hand-built trace: statuses, paths, grader equivalence, bad input", () => {
  const node = (
    id: number,
    parent: number | null,
    text: string,
    visits: number,
    q: number,
    status: TreeTraceNode["status"],
    answer: string | null = null,
  ): TreeTraceNode => ({
    id,
    parent,
    text,
    depth: 0,
    visits,
    q,
    valueSum: q * visits,
    value: null,
    prior: 1,
    status,
    answer,
    terminal: status !== "open",
  });
  const nodes = [
    node(0, null, "", 6, 0.1, "open"),
    node(1, 0, "x = 1/2\n\n", 4, 0.25, "open"),
    node(2, 0, "y\n\n", 0, 0, "open"),
    node(3, 1, "\\boxed{\\frac{1}{2}}", 1, 0.7, "final", "\\frac{1}{2}"),
    node(4, 1, "z\n\n", 1, -1, "too_many_steps"),
    node(5, 1, "\\boxed{3}", 1, 0.2, "final", "3"),
  ];
  const rows = mctsTargets({ nodes }, { gold: "0.5" });
  assert.deepEqual(
    rows.map((r) => [r.node, r.parent, r.depth, r.kind, r.target]),
    [[1, 0, 1, "open", 0.25], [3, 1, 2, "final", 1], [4, 1, 2, "invalid", -1], [
      5,
      1,
      2,
      "final",
      -1,
    ]],
  );
  assert.equal(rows[1].text, "x = 1/2\n\n\\boxed{\\frac{1}{2}}");
  assert.throws(
    () =>
      mctsTargets({ nodes: [{ id: 0, parent: null, text: "", depth: 0 }] as TreeTraceNode[] }, {
        gold: "1",
      }),
    /node 0 has no q \/ status/,
  );
  assert.throws(
    () => mctsTargets({ nodes: [nodes[0], node(7, 6, "w\n\n", 1, 0, "open")] }, { gold: "1" }),
    /node 7: parent 6 missing/,
  );
});

Deno.test("goldRewardScorer: finals with an answer scored by the grader, the rest in one call", async () => {
  const inner = scriptedScorer({ "a\n\n": 0.3, "a\n\n\\boxed{}": 0.4 });
  let calls = 0;
  const counted = {
    name: "t",
    score: (...a: Parameters<typeof inner.score>) => (calls++, inner.score(...a)),
  };
  const s = goldRewardScorer(counted, "7");
  assert.equal(s.name, "t+gold-reward");
  const out = await s.score([
    { problem: "q", steps: ["a\n\n", "\\boxed{7}"] },
    { problem: "q", steps: ["a\n\n"] },
    { problem: "q", steps: ["a\n\n", "\\boxed{8}"] },
    { problem: "q", steps: ["a\n\n", "\\boxed{}"] }, // no answer: not a valid final
  ], { lastOnly: true });
  assert.deepEqual(out, [[1], [0.3], [0], [0.4]]);
  assert.equal(calls, 1);
  assert.deepEqual(inner.requests, ["a\n\n", "a\n\n\\boxed{}"]);
  assert.deepEqual(await s.score([], { lastOnly: true }), []);
  // Per step: the value model's score of every prefix, a final step's replaced by its reward.
  const perStep = goldRewardScorer({
    name: "len",
    score: (reqs) => Promise.resolve(reqs.map((r) => r.steps.map((_, k) => (k + 1) / 10))),
  }, "7");
  assert.deepEqual(
    await perStep.score([{ problem: "q", steps: ["a\n\n", "b\n\n", "\\boxed{7}"] }]),
    [[0.1, 0.2, 1]],
  );
});
