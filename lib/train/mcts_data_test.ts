import assert from "node:assert/strict";
import { noisyScorer, simProblemSet, simulatedPolicy } from "../models/simulated/mod.ts";
import type { FeaturePolicy } from "./extract.ts";
import { readFeatures, writeFeatures } from "./features.ts";
import { headDataset } from "./head_dataset.ts";
import { type MctsTreeRows, mctsValueData } from "./mcts_data.ts";
import { mctsFeatures } from "./mcts_features.ts";
import { trainHead } from "./train_head.ts";

const problems = simProblemSet({ count: 2, steps: [2, 2], pRight: [0.55, 0.75], seed: 3 });

/** Two searches on simulated problems; the value model is the exact one with logit noise. */
const build = (seed: number, concurrency = 1) =>
  mctsValueData(problems, {
    policy: simulatedPolicy({ seed: 0 }),
    scorer: noisyScorer({ noise: 1, seed: 2 }),
    seed,
    search: { iterations: 16, samplesPerNode: 3 },
    concurrency,
  });

const strip = (trees: MctsTreeRows[]) =>
  trees.map((t) => ({ ...t, cost: { ...t.cost, wallMs: 0 } }));

Deno.test("mctsValueData: rows of simulated trees carry Q and the grader's rewards; seeded", async () => {
  const trees = await build(5);
  assert.deepEqual(trees.map((t) => t.id), problems.map((p) => p.id));
  for (const [i, t] of trees.entries()) {
    const gold = problems[i].answer;
    assert.ok(t.rows.length > 0 && t.cost.policyCalls > 0, t.id);
    const open = t.rows.filter((r) => r.kind === "open");
    const finals = t.rows.filter((r) => r.kind === "final");
    assert.ok(open.length > 0, `${t.id}: expanded nodes`);
    for (const r of open) {
      assert.equal(r.target, r.q);
      assert.ok(r.visits > 0 && r.target >= -1 && r.target <= 1);
      assert.equal(r.correct, null);
    }
    for (const r of finals) {
      assert.equal(r.answer, /\\boxed\{([^}]*)\}$/.exec(r.text)![1]);
      assert.equal(r.target, r.answer === gold ? 1 : -1);
      // the grader rewarded the final during the search: its Q is its reward
      assert.equal(r.q, r.target);
      assert.equal(r.text, r.steps.join(""));
    }
    // Rows are states of the tree: each one's parent is a row or the root.
    const ids = new Set(t.rows.map((r) => r.node));
    for (const r of t.rows) assert.ok(r.parent === 0 || ids.has(r.parent), `${t.id}/${r.node}`);
  }
  const all = trees.flatMap((t) => t.rows);
  assert.ok(all.some((r) => r.kind === "final" && r.correct), "a correct final");
  assert.ok(all.some((r) => r.kind === "final" && !r.correct), "a wrong final");
  // Some state's target is neither +1 nor −1: a Q, not an outcome.
  assert.ok(trees.some((t) => t.rows.some((r) => Math.abs(r.target) < 1)));
  assert.deepEqual(strip(await build(5)), strip(trees), "same seed, same rows");
  assert.deepEqual(strip(await build(5, 2)), strip(trees), "problems searched at once: same rows");
  assert.notDeepEqual(strip(await build(6)).map((t) => t.rows), trees.map((t) => t.rows));
});

Deno.test("mctsFeatures: mcts rows train a value head on Q targets (--targets mcts)", async () => {
  const trees = await build(5);
  // "hidden state" = [text length, slips so far, 1]
  const policy: Pick<FeaturePolicy, "hiddenAt"> = {
    hiddenAt: (reqs) =>
      Promise.resolve(reqs.map((r) =>
        r.positions.map((c) => {
          const t = r.text.slice(0, c);
          return new Float32Array([t.length, (t.match(/slip/g) ?? []).length, 1]);
        })
      )),
  };
  const model = { name: "sim", dim: 3, output: "h", position: "node end" };
  const set = await mctsFeatures(
    trees.map((tree, i) => ({ tree, problem: problems[i].problem })),
    { policy, model, vocab: 8, source: { seed: 5 } },
  );
  const rows = trees.flatMap((t) => t.rows);
  assert.equal(set.count, rows.length);
  assert.deepEqual(set.problems, problems.map((p) => p.id));
  assert.ok(set.columns.kind.every((k) => k === "mcts"));
  assert.deepEqual(set.columns.q, rows.map((r) => r.target));
  assert.deepEqual(set.columns.sample, rows.map((r) => r.node));
  assert.deepEqual(
    set.columns.outcome,
    rows.map((r) => r.kind === "open" ? -1 : r.correct ? 1 : 0),
  );
  rows.forEach((r, i) => assert.equal(set.x[i * 3], r.text.length));

  const dir = await Deno.makeTempDir();
  try {
    await writeFeatures(dir, set);
    const back = await readFeatures(dir);
    assert.deepEqual(back.columns, set.columns);
    const ds = headDataset(back, "value", { targets: "mcts" });
    assert.deepEqual([...ds.target], [...Float32Array.from(rows.map((r) => r.target))]);
    assert.throws(
      () => headDataset(back, "value", { targets: "outcome" }),
      /no step rows .*MCTS feature set: train with --targets mcts/,
    );
    const { q: _q, ...columns } = back.columns; // a cache of policy samples has no q column
    assert.throws(
      () => headDataset({ ...back, columns }, "value", { targets: "mcts" }),
      /no mcts rows .*--extract --source mcts/,
    );
    const { head } = trainHead(ds, { kind: "value", seed: 1, featureModel: model, epochs: 3 });
    assert.equal(head.kind, "value");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
