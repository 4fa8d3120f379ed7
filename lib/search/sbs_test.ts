import assert from "node:assert/strict";
import type { SearchResult } from "../core/types.ts";
import {
  perfectScorer,
  readSpec,
  simProblemSet,
  simulatedPolicy,
} from "../models/simulated/mod.ts";
import { scriptedPolicy, scriptedScorer } from "./_scripted.ts";
import { sbs } from "./sbs.ts";

function near(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

/**
 * SBS(2, 2), max_depth 3, values v = 2p − 1:
 * step 0 samples B1·B2 = 4 from the root: A .5, B .2, C .8, \boxed{0} .6 → keep C, \boxed{0};
 *   \boxed{0} is final → collected, top = 1;
 * step 1 samples 2 from C: \boxed{1} .1, D .4 → keep D;
 * step 2 samples 2 from D: \boxed{2} .7, junk (EOS, no answer) 0 → keep \boxed{2} → collected.
 * Answer: the top-value final \boxed{2} (.7 > .6), not the first found; \boxed{1} never kept.
 */
const script = {
  "": [
    { text: "A\n\n" },
    { text: "B\n\n" },
    { text: "C\n\n" },
    { text: "\\boxed{0}", finish: "eos" as const },
  ],
  "C\n\n": [{ text: "\\boxed{1}", finish: "eos" as const }, { text: "D\n\n" }],
  "C\n\nD\n\n": [{ text: "\\boxed{2}", finish: "eos" as const }, {
    text: "junk",
    finish: "eos" as const,
  }],
};
const table = {
  "A\n\n": 0.75,
  "B\n\n": 0.6,
  "C\n\n": 0.9,
  "\\boxed{0}": 0.8,
  "C\n\n\\boxed{1}": 0.55,
  "C\n\nD\n\n": 0.7,
  "C\n\nD\n\n\\boxed{2}": 0.85,
  "C\n\nD\n\njunk": 0.5,
};

Deno.test("sbs: keeps top-B1 by value, collects finals, answers with the top-value final", async () => {
  const policy = scriptedPolicy(script);
  const scorer = scriptedScorer(table);
  const r = await sbs("q", policy, scorer, { beamWidth: 2, samplesPerNode: 2, maxDepth: 3 });
  assert.equal(r.answer, "2");
  assert.deepEqual(r.candidates.map((c) => [c.answer, c.text]), [["2", "C\n\nD\n\n\\boxed{2}"], [
    "0",
    "\\boxed{0}",
  ]]);
  near(r.candidates[0].score!, 0.7, 1e-12);
  near(r.candidates[1].score!, 0.6, 1e-12);
  assert.deepEqual(policy.calls.map((c) => c.n), [4, 2, 2]); // B1·B2 first, then B2 per kept node
  assert.deepEqual([r.cost.policyCalls, r.cost.scorerCalls], [3, 3]);
  const chars = Object.values(script).flat().reduce((a, s) => a + s.text.length, 0);
  assert.equal(r.cost.tokens, chars);
  // Trace: root + 8 nodes, the chosen path root → C → D → \boxed{2} selected.
  assert.equal(r.trace.kind, "tree");
  assert.equal(r.trace.nodes.length, 9);
  const sel = r.trace.nodes.filter((n) => n.selected).map((n) => n.text);
  assert.deepEqual(sel, ["", "C\n\n", "D\n\n", "\\boxed{2}"]);
  const junk = r.trace.nodes.find((n) => n.text === "junk")!;
  assert.deepEqual([junk.terminal, junk.answer, (junk as { status?: string }).status], [
    true,
    null,
    "no_valid_child",
  ]);
});

Deno.test("sbs: max_depth bounds the expansions; B1 = 1 keeps one node", async () => {
  const r = await sbs("q", scriptedPolicy(script), scriptedScorer(table), {
    beamWidth: 2,
    samplesPerNode: 2,
    maxDepth: 2,
  });
  assert.equal(r.answer, "0"); // \boxed{2} is never generated
  const one = await sbs("q", scriptedPolicy(script), scriptedScorer(table), {
    beamWidth: 1,
    samplesPerNode: 4,
    maxDepth: 3,
  });
  // B1 = 1: step 0 keeps C (.8) only; then D (.4) over \boxed{1} (.1); then \boxed{2}.
  assert.equal(one.answer, "2");
  assert.deepEqual(one.candidates.map((c) => c.answer), ["2"]);
});

Deno.test("sbs: remove_duplicate drops repeated sibling texts", async () => {
  const dup = {
    "": [{ text: "A\n\n" }, { text: "A\n\n" }, { text: "\\boxed{9}", finish: "eos" as const }],
    "A\n\n": [{ text: "\\boxed{1}", finish: "eos" as const }],
  };
  const scores = { "A\n\n": 0.9, "\\boxed{9}": 0.2, "A\n\n\\boxed{1}": 0.8 };
  const kept = await sbs("q", scriptedPolicy(dup), scriptedScorer(scores), {
    samplesPerNode: 3,
    maxDepth: 3,
  });
  assert.equal(kept.trace.nodes.filter((n) => n.text === "A\n\n").length, 1);
  const all = await sbs("q", scriptedPolicy(dup), scriptedScorer(scores), {
    samplesPerNode: 3,
    maxDepth: 3,
    removeDuplicate: false,
  });
  assert.equal(all.trace.nodes.filter((n) => n.text === "A\n\n").length, 2);
  assert.equal(kept.answer, "1");
});

/** The selected path's nodes, root first. */
function selectedPath(r: SearchResult) {
  return r.trace.nodes.filter((n) => n.selected).sort((a, b) => a.depth - b.depth);
}

Deno.test("sbs on the simulated world with a perfect scorer: wrong only when no right step was sampled", async () => {
  const problems = simProblemSet({ count: 120, steps: [2, 5], pRight: [0.3, 0.7], seed: 7 });
  const policy = simulatedPolicy({ seed: 1 });
  const scorer = perfectScorer();
  let correct = 0;
  let expected = 0;
  let variance = 0;
  for (const [i, p] of problems.entries()) {
    const r = await sbs(p, policy, scorer, { samplesPerNode: 5, temperature: 1, seed: i });
    const ok = r.answer === p.answer;
    correct += ok ? 1 : 0;
    // SBS(1,5) with a perfect value picks a right step whenever one of the 5 samples is right:
    // P(correct) = Π_k (1 − (1 − p_k)^5).
    const pc = readSpec(p.problem).pRight.reduce((a, q) => a * (1 - (1 - q) ** 5), 1);
    expected += pc;
    variance += pc * (1 - pc);
    const path = selectedPath(r);
    const slipAt = path.findIndex((n) => n.text.includes("slip"));
    assert.equal(ok, slipAt < 0, `problem ${i}: correct iff no slip on the chosen path`);
    if (slipAt >= 0) {
      // The slip was chosen only because every sibling slipped too (the problem was unsolvable
      // from that node with these samples).
      const siblings = r.trace.nodes.filter((n) => n.parent === path[slipAt].parent);
      assert.ok(
        siblings.every((n) => n.text.includes("slip")),
        `problem ${i}: a right step was skipped`,
      );
    }
  }
  assert.ok(Math.abs(correct - expected) <= 4 * Math.sqrt(variance), `${correct} vs ${expected}`);
});

Deno.test("sbs: same seed, same result (ignoring wall time)", async () => {
  const [p] = simProblemSet({ count: 1, steps: [4, 4], pRight: [0.5, 0.5], seed: 3 });
  const run = () =>
    sbs(p, simulatedPolicy({ seed: 0 }), perfectScorer(), {
      beamWidth: 2,
      samplesPerNode: 3,
      seed: 11,
    });
  const strip = (r: SearchResult) => ({ ...r, cost: { ...r.cost, wallMs: 0 } });
  const [a, b] = [strip(await run()), strip(await run())];
  assert.deepEqual(a, b);
  const c = strip(
    await sbs(p, simulatedPolicy({ seed: 0 }), perfectScorer(), {
      beamWidth: 2,
      samplesPerNode: 3,
      seed: 12,
    }),
  );
  assert.notDeepEqual(a.trace, c.trace);
});
