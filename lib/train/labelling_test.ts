import assert from "node:assert/strict";
import { rng } from "../core/random.ts";
import { toyItem, toyJudge, toyPolicy, toyTruth } from "./_toy_policy.ts";
import { labelContext } from "./rollout.ts";
import { mathShepherd, mathShepherdSolution } from "./math_shepherd.ts";
import { omegaPrm, OMEGAPRM_DEFAULTS } from "./omegaprm.ts";
import { amcs } from "./amcs.ts";
import { adaptiveMc, AMCS_MC_DEFAULTS } from "./adaptive_mc.ts";
import type { LabelledSolution } from "./labelled.ts";

const path = ["s0:ok\n\n", "s1:ok\n\n", "s2:bad\n\n", "s3:ok\n\n", "\\boxed{WRONG}"];

/** Every non-null label must equal the truth. */
function assertLabelsTrue(sols: LabelledSolution[]) {
  let checked = 0;
  for (const s of sols) {
    const truth = toyTruth(s.steps);
    s.labels.forEach((l, i) => {
      if (l === null) return;
      assert.equal(l, truth[i], `step ${i} of ${JSON.stringify(s.steps)}: label ${l}`);
      checked++;
    });
  }
  return checked;
}

Deno.test("Math-Shepherd: hard and soft labels of a known path; wrong prefixes never succeed", async () => {
  const ctx = labelContext({
    policy: toyPolicy(1),
    item: toyItem("a", 4),
    judge: toyJudge,
    budget: 100,
    seed: 1,
  });
  const s = await mathShepherdSolution(ctx, path, 4, true, false);
  assert.deepEqual(s.labels, [1, 1, 0, 0, 0]);
  assert.deepEqual(s.soft, [1, 1, 0, 0, 0]);
  assert.deepEqual(s.rollouts, [4, 4, 4, 4, 0]); // last step labelled by its own answer
  assert.equal(ctx.used, 16);

  // A noisy policy: soft values are fractions, hard labels still right (k = 16), wrong = exactly 0.
  const ctx2 = labelContext({
    policy: toyPolicy(0.7),
    item: toyItem("b", 4),
    judge: toyJudge,
    budget: 100,
    seed: 2,
  });
  const s2 = await mathShepherdSolution(ctx2, path, 16, true, false);
  assert.deepEqual(s2.labels, [1, 1, 0, 0, 0]);
  assert.ok(s2.soft[0]! > 0 && s2.soft[0]! < 1 && s2.soft[2] === 0 && s2.soft[3] === 0);
});

Deno.test("Math-Shepherd: sampled solutions stay within the budget and match the truth", async () => {
  const ctx = labelContext({
    policy: toyPolicy(0.85),
    item: toyItem("c", 5),
    judge: toyJudge,
    budget: 200,
    seed: 3,
  });
  const sols = await mathShepherd(ctx, { k: 16 });
  assert.ok(ctx.used <= 200);
  assert.ok(sols.length >= 2);
  assert.ok(assertLabelsTrue(sols) > 10);
});

Deno.test("OmegaPRM: binary search finds the first error of each searched rollout", async () => {
  const policy = toyPolicy((i) => (i === 3 ? 0.5 : 0.95));
  const ctx = labelContext({
    policy,
    item: toyItem("d", 6),
    judge: toyJudge,
    budget: 400,
    seed: 4,
  });
  const res = await omegaPrm(ctx, { ...OMEGAPRM_DEFAULTS, k: 16 }, rng(1));
  assert.ok(res.searches > 0, "searched");
  assert.ok(assertLabelsTrue(res.solutions) > 0);
  const searched = res.solutions.filter((s) => s.outcome === false);
  assert.ok(searched.length > 0);
  for (const s of searched) {
    const truth = toyTruth(s.steps);
    const first = truth.indexOf(0);
    assert.equal(s.labels.indexOf(0), first, "first error located");
    assert.ok(s.labels.slice(first + 1).every((l) => l === null), "nothing labelled after it");
  }
  // Rollouts are counted: the budget holds and every estimate's rollouts add up.
  assert.ok(ctx.used <= 400);
  assert.equal(res.states.reduce((a, s) => a + s.rollouts, 0), ctx.used);
  // N is incremented: popped states have more than their one estimation visit.
  assert.ok(res.states.some((s) => s.visits > 1));
});

Deno.test("OmegaPRM: a binary search spends O(log n) estimates, none on the complete rollout", async () => {
  // Only the root can produce an error (step 0 is bad w.p. 0.5, then always ok): searching a
  // rollout of 9 steps + answer needs ⌈log2(10)⌉ estimates at most.
  const policy = toyPolicy((i) => (i === 0 ? 0.5 : 1));
  const ctx = labelContext({
    policy,
    item: toyItem("e", 9),
    judge: toyJudge,
    budget: 1000,
    seed: 5,
  });
  const res = await omegaPrm(ctx, { ...OMEGAPRM_DEFAULTS, k: 8, maxSearch: 1 }, rng(2));
  assert.equal(res.searches, 1);
  const estimates = res.states.length - 1; // minus the root
  assert.ok(estimates >= 1 && estimates <= 4, `estimates ${estimates}`);
  const [s] = res.solutions.filter((x) => x.outcome === false);
  assert.deepEqual(s.labels[0], 0);
});

Deno.test("AMCS: adaptive estimates stop early at MC ∈ {0,1} and labels match the truth", async () => {
  const ctxA = labelContext({
    policy: toyPolicy(1),
    item: toyItem("f", 3),
    judge: toyJudge,
    budget: 100,
    seed: 6,
  });
  const sure = await adaptiveMc(ctxA, ["s0:ok\n\n"], AMCS_MC_DEFAULTS, rng(1));
  assert.equal(sure.mc, 1);
  assert.equal(sure.rollouts.length, AMCS_MC_DEFAULTS.k0);
  const ctxB = labelContext({
    policy: toyPolicy(0.5),
    item: toyItem("g", 1),
    judge: toyJudge,
    budget: 100,
    seed: 7,
  });
  const unsure = await adaptiveMc(ctxB, [], AMCS_MC_DEFAULTS, rng(1));
  assert.ok(unsure.rollouts.length > AMCS_MC_DEFAULTS.k0 && unsure.rollouts.length <= 20);

  const policy = toyPolicy((i) => (i === 2 ? 0.8 : 0.97));
  const ctx = labelContext({
    policy,
    item: toyItem("h", 5),
    judge: toyJudge,
    budget: 300,
    seed: 8,
  });
  const res = await amcs(ctx, {}, rng(3));
  assert.ok(res.searches > 0);
  assert.ok(assertLabelsTrue(res.solutions) > 0);
  assert.ok(ctx.used <= 300);
});

Deno.test("labelling is deterministic by seed", async () => {
  const run = async () => {
    const ctx = labelContext({
      policy: toyPolicy(0.8),
      item: toyItem("i", 5),
      judge: toyJudge,
      budget: 120,
      seed: 9,
    });
    return (await amcs(ctx, {}, rng(4))).solutions;
  };
  assert.deepEqual(await run(), await run());
});
