import assert from "node:assert/strict";
import type { SearchResult, Trace } from "../core/types.ts";
import { perfectScorer, simProblemSet, simulatedPolicy } from "../models/simulated/mod.ts";
import { scriptedPolicy, scriptedScorer } from "./_scripted.ts";
import { rstarMcts } from "./rstar_mcts.ts";
import type { TreeTraceNode } from "./step_tree.ts";

function near(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

const byText = (t: Trace, text: string) => t.nodes.find((n) => n.text === text) as TreeTraceNode;

/**
 * Two rollouts, n = 3, c = 2, PPM v = 2p − 1:
 * Rollout 0: root expanded → A (v .6), B (v .2) (duplicate A dropped); both get own updates only.
 *   UCT at root (N 0 → no bonus) = Q → A. A expanded → \boxed{5}, \boxed{6}, junk: a sample
 *   ends with a final answer, so A keeps that one child alone (rStar's `llm_generate`; \boxed{6}
 *   and junk are dropped). \boxed{5} (v .8) recorded, backed up to the root. A has no
 *   non-terminal child → A terminal; rollout ends.
 * Rollout 1: UCT at root skips terminal A → B. B expanded → C (v 0, own update), junk2 (invalid:
 *   own −1; duplicate C dropped). UCT at B (N 1 → ln 1 = 0) → C. C expanded → \boxed{8},
 *   \boxed{7}: \boxed{8} alone (v −.4) recorded and backed up; C terminal.
 * Answer: best PPM score "5" (.8).
 */
const script = {
  "": [{ text: "A\n\n" }, { text: "B\n\n" }, { text: "A\n\n" }],
  "A\n\n": [
    { text: "\\boxed{5}", finish: "eos" as const },
    { text: "\\boxed{6}", finish: "eos" as const },
    { text: "junk", finish: "eos" as const },
  ],
  "B\n\n": [
    { text: "C\n\n" },
    { text: "junk2", finish: "eos" as const },
    { text: "C\n\n" },
  ],
  "B\n\nC\n\n": [
    { text: "\\boxed{8}", finish: "eos" as const },
    { text: "\\boxed{7}", finish: "eos" as const },
  ],
};
const table = {
  "A\n\n": 0.8,
  "B\n\n": 0.6,
  "A\n\n\\boxed{5}": 0.9,
  "B\n\nC\n\n": 0.5,
  "B\n\nC\n\n\\boxed{8}": 0.3,
};

Deno.test("rstarMcts: a final answer ends its node's expansion; UCT, updates and backups by hand", async () => {
  const policy = scriptedPolicy(script);
  const scorer = scriptedScorer(table);
  const r = await rstarMcts("q", policy, scorer, { iterations: 2, samplesPerNode: 3, maxDepth: 4 });
  const t = r.trace;
  const root = t.nodes[0] as TreeTraceNode;
  const [a, b, c] = [byText(t, "A\n\n"), byText(t, "B\n\n"), byText(t, "C\n\n")];
  const junk2 = byText(t, "junk2");
  assert.equal(t.nodes.filter((n) => n.text === "A\n\n").length, 1); // duplicate dropped
  // the final answer's siblings are gone, finals and non-finals alike
  for (const gone of ["\\boxed{6}", "junk", "\\boxed{7}"]) assert.equal(byText(t, gone), undefined);
  assert.deepEqual(t.nodes.filter((n) => n.parent === a.id).map((n) => n.text), ["\\boxed{5}"]);
  assert.deepEqual([root.visits, a.visits, b.visits, c.visits, junk2.visits], [2, 2, 2, 2, 1]);
  near(root.valueSum, 0.4);
  near(a.valueSum, 1.4);
  near(a.value!, 0.6); // first update: its own PPM score
  near(b.valueSum, -0.2);
  near(b.value!, 0.2);
  near(c.valueSum, -0.4);
  assert.equal(c.value, 0);
  assert.deepEqual([junk2.valueSum, junk2.status], [-1, "no_valid_child"]);
  assert.deepEqual([a.terminal, c.terminal, b.terminal], [true, true, false]);
  assert.equal(r.answer, "5");
  assert.deepEqual(r.candidates.map((x) => x.answer), ["5", "8"]);
  near(r.best!.score, 0.8);
  assert.deepEqual(r.rolloutBest.map((x) => [x.rollout, x.answer]), [[0, "5"], [1, "8"]]);
  assert.deepEqual(policy.calls.map((x) => x.n), [3, 3, 3, 3]);
  assert.deepEqual([r.cost.policyCalls, r.cost.scorerCalls], [4, 4]);
  assert.deepEqual(scorer.requests, [
    "A\n\n",
    "B\n\n",
    "A\n\n\\boxed{5}",
    "B\n\nC\n\n",
    "B\n\nC\n\n\\boxed{8}",
  ]);
  assert.deepEqual(t.nodes.filter((n) => n.selected).map((n) => n.text), [
    "",
    "A\n\n",
    "\\boxed{5}",
  ]);
});

Deno.test("rstarMcts on the simulated world with a perfect PPM beats a single greedy sample", async () => {
  const problems = simProblemSet({ count: 30, steps: [2, 4], pRight: [0.3, 0.7], seed: 21 });
  const policy = simulatedPolicy({ seed: 5 });
  let right = 0;
  let greedy = 0;
  for (const [i, p] of problems.entries()) {
    const r = await rstarMcts(p, policy, perfectScorer(), {
      samplesPerNode: 4,
      iterations: 8,
      seed: i,
    });
    if (r.answer === p.answer) right++;
    const [[g]] = await policy.extend([policy.start(p.problem)], { stop: [], temperature: 0 });
    if (g.state.text.endsWith(`\\boxed{${p.answer}}`)) greedy++;
  }
  assert.ok(right > greedy, `rstar ${right}/30 vs greedy ${greedy}/30`);
});

Deno.test("rstarMcts: same seed, same result (ignoring wall time)", async () => {
  const [p] = simProblemSet({ count: 1, steps: [3, 3], pRight: [0.5, 0.5], seed: 2 });
  const run = (seed: number) =>
    rstarMcts(p, simulatedPolicy(), perfectScorer(), { samplesPerNode: 3, iterations: 4, seed });
  const strip = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });
  assert.deepEqual(strip(await run(1)), strip(await run(1)));
  assert.notDeepEqual(strip(await run(1)).trace, strip(await run(2)).trace);
});
