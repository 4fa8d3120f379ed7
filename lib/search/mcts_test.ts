import assert from "node:assert/strict";
import type { SearchResult, Trace } from "../core/types.ts";
import { perfectScorer, simProblemSet, simulatedPolicy } from "../models/simulated/mod.ts";
import { scriptedPolicy, scriptedScorer } from "./_scripted.ts";
import { mcts } from "./mcts.ts";
import { decideTree } from "./mcts_offline.ts";
import type { TreeTraceNode } from "./step_tree.ts";

function near(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

const byText = (t: Trace, text: string) => t.nodes.find((n) => n.text === text) as TreeTraceNode;

/**
 * Three iterations, B2 = 2, c_puct 1.25, v = 2p − 1:
 * 1. leaf = root; children A (prior .8), B (prior .5); v(root) = .2 → root N1 W.2.
 * 2. PUCT at root (N 1): A = 1.25·.8·1/1 = 1.0 > B = .625 → expand A: A1 = \boxed{1} (valid
 *    final), A2 = junk (EOS, no answer: invalid). Order of backups (upstream's):
 *    A2 −1 → A2 (1, −1), A (1, −1, value −1), root (2, −.8);
 *    v(A) = .5 → A (2, −.5), root (3, −.3);
 *    v(A1) = .9 → A1 (1, .9), A (3, .4), root (4, .6).
 * 3. PUCT at root (N 4): A = .4/3 + 1.25·.8·2/4 = .6333, B = 0 + 1.25·.5·2/1 = 1.25 → expand B
 *    (children C, D open); v(B) = .1 → B (1, .1), root (5, .7).
 * Offline q_value on the pruned tree: B's subtree has no valid final (pruned) → A → A1 → "1".
 */
const script = {
  "": [{ text: "A\n\n", prob: 0.8 }, { text: "B\n\n", prob: 0.5 }],
  "A\n\n": [{ text: "\\boxed{1}", prob: 0.9, finish: "eos" as const }, {
    text: "junk",
    prob: 0.6,
    finish: "eos" as const,
  }],
  "B\n\n": [{ text: "C\n\n", prob: 0.7 }, { text: "D\n\n", prob: 0.7 }],
};
const table = { "": 0.6, "A\n\n": 0.75, "A\n\n\\boxed{1}": 0.95, "B\n\n": 0.55 };

Deno.test("mcts: PUCT selection, expansion and backups match a hand computation", async () => {
  const policy = scriptedPolicy(script);
  const scorer = scriptedScorer(table);
  const r = await mcts("q", policy, scorer, { iterations: 3, samplesPerNode: 2 });
  const t = r.trace;
  const root = t.nodes[0] as TreeTraceNode;
  const [a, b] = [byText(t, "A\n\n"), byText(t, "B\n\n")];
  const [a1, a2] = [byText(t, "\\boxed{1}"), byText(t, "junk")];
  assert.deepEqual([root.visits, a.visits, b.visits, a1.visits, a2.visits], [5, 3, 1, 1, 1]);
  near(root.valueSum, 0.7);
  near(root.q, 0.7 / 5);
  near(root.value!, 0.2);
  near(a.valueSum, 0.4);
  near(a.q, 0.4 / 3);
  assert.equal(a.value, -1); // first value through A came from its invalid child
  near(b.valueSum, 0.1);
  near(a1.valueSum, 0.9);
  assert.deepEqual([a2.valueSum, a2.status, a1.status], [-1, "no_valid_child", "final"]);
  near(a.prior, 0.8);
  near(b.prior, 0.5);
  near(a1.prior, 0.9);
  // C and D exist (B was expanded in iteration 3) but were never visited.
  assert.deepEqual([byText(t, "C\n\n").visits, byText(t, "D\n\n").visits], [0, 0]);
  // Scorer saw the leaves in order (root; A with its final A1; B), one batched call each.
  assert.deepEqual(scorer.requests, ["", "A\n\n", "A\n\n\\boxed{1}", "B\n\n"]);
  assert.deepEqual([r.cost.policyCalls, r.cost.scorerCalls], [3, 3]);
  // Answer: greedy q_value descent over the pruned tree.
  assert.equal(r.answer, "1");
  assert.deepEqual(r.decision.path, [0, a.id, a1.id]);
  assert.deepEqual(t.nodes.filter((n) => n.selected).map((n) => n.id), [0, a.id, a1.id]);
  assert.deepEqual(r.candidates.map((c) => [c.answer, c.text]), [["1", "A\n\n\\boxed{1}"]]);
  near(r.candidates[0].score!, 0.9);
  // Score on the trace is Q, for drawing.
  near(a.score!, 0.4 / 3);
});

Deno.test("mcts: a node whose children are all terminal becomes terminal; iterations are spent", async () => {
  const s = {
    "": [{ text: "\\boxed{3}", prob: 0.9, finish: "eos" as const }, {
      text: "bad",
      prob: 0.9,
      finish: "length" as const,
    }],
  };
  const policy = scriptedPolicy(s);
  const r = await mcts("q", policy, scriptedScorer({ "": 0.5, "\\boxed{3}": 0.7 }), {
    iterations: 5,
    samplesPerNode: 2,
  });
  assert.equal(policy.calls.length, 1); // later iterations hit the terminal root and do nothing
  const root = r.trace.nodes[0] as TreeTraceNode;
  assert.equal(root.terminal, true);
  // root: v(root)=0 after the −1 from "bad" and the .4 of the final: N 3, W −1 + 0 + .4.
  assert.equal(root.visits, 3);
  near(root.valueSum, -0.6);
  assert.equal(r.answer, "3");
});

Deno.test("mcts: a selection that reaches a dead end ends the search, as upstream", async () => {
  // 1. root → A (prior .9), B (prior .2). 2. PUCT picks A → A1 final, A2 invalid. 3. PUCT at
  // root (N 4): A = .4/3 + 1.25·.9·2/4 ≈ .696 > B = 1.25·.2·2/1 = .5 → A, whose children are
  // all terminal: A becomes terminal and the search stops (B is never expanded, although
  // iterations remain and B is open).
  const s = {
    "": [{ text: "A\n\n", prob: 0.9 }, { text: "B\n\n", prob: 0.2 }],
    "A\n\n": [{ text: "\\boxed{1}", prob: 0.9, finish: "eos" as const }, {
      text: "junk",
      prob: 0.5,
      finish: "eos" as const,
    }],
    "B\n\n": [{ text: "C\n\n", prob: 0.5 }, { text: "D\n\n", prob: 0.5 }],
  };
  const policy = scriptedPolicy(s);
  const scorer = scriptedScorer({ "": 0.5, "A\n\n": 0.9, "A\n\n\\boxed{1}": 0.8, "B\n\n": 0.5 });
  const r = await mcts("q", policy, scorer, { iterations: 6, samplesPerNode: 2 });
  assert.equal(policy.calls.length, 2, "root and A only");
  const [a, b] = [byText(r.trace, "A\n\n"), byText(r.trace, "B\n\n")];
  assert.equal(a.terminal, true);
  assert.equal(r.trace.nodes.filter((n) => n.parent === b.id).length, 0, "B never expanded");
  assert.equal(r.answer, "1");
});

Deno.test("mcts: max_depth turns open children deeper than the limit into invalid finals", async () => {
  const s = {
    "": [{ text: "A\n\n", prob: 0.9 }],
    "A\n\n": [{ text: "B\n\n", prob: 0.9 }],
  };
  const r = await mcts("q", scriptedPolicy(s), scriptedScorer({ "": 0.5, "A\n\n": 0.5 }), {
    iterations: 4,
    samplesPerNode: 1,
    maxDepth: 1,
  });
  const b = byText(r.trace, "B\n\n");
  assert.deepEqual([b.status, b.terminal, b.visits, b.valueSum], ["too_many_steps", true, 1, -1]);
  assert.equal(r.answer, null);
});

Deno.test("mcts on the simulated world with a perfect scorer beats a single greedy sample", async () => {
  // Greedy decoding is right iff every step's pRight > 0.5; MCTS (40 simulations, B2 = 3) with
  // an exact value model finds the right path far more often. (Values here are 2·P(success) − 1,
  // mostly negative, so AlphaMath's Q = 0 for unvisited children makes the tree broad: the
  // budget must cover the depth, as in the paper's settings.)
  const problems = simProblemSet({ count: 30, steps: [2, 4], pRight: [0.3, 0.7], seed: 21 });
  const policy = simulatedPolicy({ seed: 5 });
  const scorer = perfectScorer();
  let mctsRight = 0;
  let greedyRight = 0;
  let sampleRight = 0;
  for (const [i, p] of problems.entries()) {
    const r = await mcts(p, policy, scorer, { samplesPerNode: 3, seed: i });
    if (r.answer === p.answer) mctsRight++;
    const [[g]] = await policy.extend([policy.start(p.problem)], { stop: [], temperature: 0 });
    if (g.state.text.endsWith(`\\boxed{${p.answer}}`)) greedyRight++;
    const [[s]] = await policy.extend([policy.start(p.problem)], {
      stop: [],
      temperature: 0.6,
      seed: i,
    });
    if (s.state.text.endsWith(`\\boxed{${p.answer}}`)) sampleRight++;
  }
  assert.ok(mctsRight > greedyRight, `mcts ${mctsRight}/30 vs greedy ${greedyRight}/30`);
  assert.ok(mctsRight > sampleRight, `mcts ${mctsRight}/30 vs one sample ${sampleRight}/30`);
});

Deno.test("mcts: the saved trace re-decides offline to the online answer; same seed, same result", async () => {
  const [p] = simProblemSet({ count: 1, steps: [4, 4], pRight: [0.5, 0.5], seed: 9 });
  const run = (seed: number) =>
    mcts(p, simulatedPolicy({ seed: 0 }), perfectScorer(), {
      iterations: 15,
      samplesPerNode: 3,
      seed,
    });
  const strip = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });
  const a = await run(4);
  assert.deepEqual(strip(a), strip(await run(4)));
  assert.notDeepEqual(strip(a).trace, strip(await run(5)).trace);
  const saved = JSON.parse(JSON.stringify(a.trace)) as Trace;
  assert.equal(decideTree(saved).answer, a.answer);
  assert.deepEqual(decideTree(saved).path, a.decision.path);
  // Every visit of the root came from one backup: N(root) = 1 + Σ_children N(child) here, since
  // the root's own value is backed up once and every other backup passes through a child.
  const root = saved.nodes[0];
  const kids = saved.nodes.filter((n) => n.parent === 0);
  assert.equal(root.visits, 1 + kids.reduce((s, k) => s + (k.visits ?? 0), 0));
});

Deno.test("registry: sbs, mcts and rstar_mcts run by name with CLI-style flags", async () => {
  const { methodOptions, methods } = await import("./registry.ts");
  const [p] = simProblemSet({ count: 1, steps: [3, 3], pRight: [0.6, 0.6], seed: 4 });
  const flags = methodOptions("mcts", {
    iterations: "10",
    "c-puct": "1.5",
    strategy: "visit_count",
  });
  assert.deepEqual(flags, { iterations: 10, cPuct: 1.5, strategy: "visit_count" });
  const strip = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });
  const viaRegistry = await methods.mcts.run(p, simulatedPolicy(), perfectScorer(), flags);
  const direct = await mcts(p, simulatedPolicy(), perfectScorer(), {
    iterations: 10,
    cPuct: 1.5,
    strategy: "visit_count",
  });
  assert.deepEqual(strip(viaRegistry), strip(direct));
  for (const name of ["sbs", "rstar_mcts"]) {
    const opts = methodOptions(name, { "samples-per-node": "3", seed: "2" });
    const r = await methods[name].run(p, simulatedPolicy(), perfectScorer(), opts);
    assert.ok(r.candidates.length >= 1 && r.cost.policyCalls > 0, name);
  }
});
