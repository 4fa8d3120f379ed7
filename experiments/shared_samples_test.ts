import assert from "node:assert/strict";
import type { Policy, Scorer } from "../lib/core/types.ts";
import {
  perfectScorer,
  simProblem,
  simProblemSet,
  simulatedPolicy,
} from "../lib/models/simulated/mod.ts";
import { samplingSearch } from "../lib/search/sampling.ts";
import { runMethod, summarize } from "./harness.ts";
import { shareSamples } from "./shared_samples.ts";

/** The simulated policy, counting its `extend` calls. */
function counted(): { policy: Policy; calls: () => number } {
  const inner = simulatedPolicy({ seed: 0 });
  let calls = 0;
  const policy: Policy = {
    ...inner,
    extend: (states, options) => {
      calls++;
      return inner.extend(states, options);
    },
  };
  return { policy, calls: () => calls };
}

const problem = simProblem({ id: "p", steps: 4, pRight: 0.6, answer: "12" });

Deno.test("shareSamples: a seeded whole-solution draw asked twice is generated once, unchanged", async () => {
  const { policy, calls } = counted();
  const shared = shareSamples(policy);
  const maj = await samplingSearch(problem, shared.policy, undefined, { n: 8, seed: 5 });
  const again = await samplingSearch(problem, shared.policy, undefined, { n: 8, seed: 5 });
  assert.equal(calls(), 1);
  assert.equal(shared.reread(problem.problem), true);
  assert.equal(shared.reread(problem.problem), false);
  assert.deepEqual(again.candidates.map((c) => c.text), maj.candidates.map((c) => c.text));
  assert.equal(again.cost.tokens, maj.cost.tokens);
  // what the plain policy draws with that seed
  const plain = await samplingSearch(problem, policy, undefined, { n: 8, seed: 5 });
  assert.deepEqual(plain.candidates.map((c) => c.text), maj.candidates.map((c) => c.text));
  // another seed or another N is a new draw
  await samplingSearch(problem, shared.policy, undefined, { n: 8, seed: 6 });
  await samplingSearch(problem, shared.policy, undefined, { n: 4, seed: 5 });
  assert.equal(calls(), 4);
  assert.equal(shared.reread(problem.problem), false);
});

Deno.test("shareSamples: step-level, unseeded and hooked requests always reach the policy", async () => {
  const { policy, calls } = counted();
  const shared = shareSamples(policy);
  const root = shared.policy.start(problem.problem);
  for (let i = 0; i < 2; i++) {
    await shared.policy.extend([root], { n: 2, stop: ["\n\n"], seed: 1 });
    await shared.policy.extend([root], { n: 2, stop: [] });
    // the simulated policy has no logits, so a hooked request that reached it is refused
    await assert.rejects(() =>
      shared.policy.extend([root], { n: 2, stop: [], seed: 1, logitsHook: () => {} })
    );
  }
  const [[first]] = await shared.policy.extend([root], { n: 1, stop: ["\n\n"], seed: 1 });
  await shared.policy.extend([first.state], { n: 2, stop: [], seed: 1 });
  await shared.policy.extend([first.state], { n: 2, stop: [], seed: 1 });
  assert.equal(calls(), 9);
  assert.equal(shared.reread(problem.problem), false);
});

Deno.test("shareSamples through runMethod: the arm that re-read a draw says so, record by record", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { policy, calls } = counted();
    const shared = shareSamples(policy);
    const problems = simProblemSet({ count: 5, steps: [2, 4], pRight: [0.5, 0.9] });
    const arm = (config: string, method: string, scorer?: Scorer) =>
      runMethod({
        method,
        config,
        options: { n: 4, temperature: 0.8 },
        problems,
        policy: shared.policy,
        scorer,
        seed: 1,
        out: `${dir}/records.jsonl`,
        concurrency: 3,
        reread: shared.reread,
      });
    const maj = await arm("maj@4", "sampling");
    const bon = await arm("bon@4", "best_of_n", perfectScorer());
    assert.equal(calls(), 5);
    assert.deepEqual(maj.map((r) => r.shared_samples), [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    assert.deepEqual(bon.map((r) => r.shared_samples), [true, true, true, true, true]);
    assert.deepEqual(bon.map((r) => r.tokens), maj.map((r) => r.tokens));
    assert.equal(summarize(bon, 0).shared_samples, 5);
    assert.equal(summarize(maj, 0).shared_samples, undefined);
    // a resumed run reads the flags back from the file
    const again = await arm("bon@4", "best_of_n", perfectScorer());
    assert.equal(summarize(again, 0).shared_samples, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
