import assert from "node:assert/strict";
import type { Policy } from "../lib/core/types.ts";
import { simProblem, simulatedPolicy } from "../lib/models/simulated/mod.ts";
import { samplingSearch } from "../lib/search/sampling.ts";
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
  assert.equal(shared.hits(), 1);
  assert.deepEqual(again.candidates.map((c) => c.text), maj.candidates.map((c) => c.text));
  assert.equal(again.cost.tokens, maj.cost.tokens);
  // what the plain policy draws with that seed
  const plain = await samplingSearch(problem, policy, undefined, { n: 8, seed: 5 });
  assert.deepEqual(plain.candidates.map((c) => c.text), maj.candidates.map((c) => c.text));
  // another seed or another N is a new draw
  await samplingSearch(problem, shared.policy, undefined, { n: 8, seed: 6 });
  await samplingSearch(problem, shared.policy, undefined, { n: 4, seed: 5 });
  assert.equal(shared.hits(), 1);
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
  assert.equal(shared.hits(), 0);
});
