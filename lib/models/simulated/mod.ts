/**
 * A simulated world with known behaviour, for testing search methods: problems with a known
 * number of steps each right with a known probability, a step-level and a token-level policy
 * over them, perfect and noisy scorers, and exact quantities to compare results against.
 *
 * Solutions look like `"step 1: ok\n\nstep 2: slip\n\n\\boxed{43}"`; the final answer is the
 * gold one iff no step slipped.
 *
 * @example
 * ```ts
 * import { perfectScorer, simProblem, simulatedPolicy } from "./mod.ts";
 * const problem = simProblem({ id: "p", steps: 4, pRight: 0.7, answer: "12" });
 * const policy = simulatedPolicy({ seed: 0 });
 * const scorer = perfectScorer();
 * ```
 *
 * @module
 */
export * from "./spec.ts";
export * from "./document.ts";
export { simulatedPolicy, type SimulatedPolicyOptions } from "./policy.ts";
export {
  EOS_ID,
  referenceLogits,
  simulatedTokenPolicy,
  tokenId,
  VOCAB_SIZE,
} from "./token_policy.ts";
export * from "./scorers.ts";
export * from "./exact.ts";
export { pickIndex, type SampleKnobs } from "./sampler.ts";
