/**
 * Self-certainty as a verifier: a solution the policy itself finds likely is more often right
 * (Kang et al. 2025, "Scalable Best-of-N Selection for Large Language Models via Self-Certainty",
 * arXiv 2502.18581, use the policy's own token distribution the same way). The score of step k is
 * `exp(mean token log-probability of steps 1..k)` under the policy, read by teacher forcing
 * ({@linkcode Policy.logprobs}), so it is in (0, 1] and needs no training.
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "../models/onnx/mod.ts";
 * import { logprobScorer } from "./logprob.ts";
 * const scorer = logprobScorer(await createOnnxPolicy("models/embedded"));
 * const [[p]] = await scorer.score([{ problem: "Calculate 2 + 3.", steps: ["Step 1: 2 + 3 = 5\n\n"] }]);
 * ```
 *
 * @module
 */
import type { Policy, Scorer } from "../core/types.ts";

/**
 * The self-certainty {@linkcode Scorer} of `policy` (which must implement `logprobs`). Sums per
 * prefix are cached, so scoring a prefix again (beam search, MCTS) reads only its new step.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const scorer = logprobScorer(policy); // name "logprob"
 * ```
 */
export function logprobScorer(policy: Policy, options: { cacheSize?: number } = {}): Scorer {
  if (!policy.logprobs) {
    throw new Error(`logprob: policy ${policy.name} cannot read token log-probabilities`);
  }
  const logprobs = policy.logprobs.bind(policy);
  const size = options.cacheSize ?? 200_000;
  /** (problem, prefix) -> [sum of log-probabilities, tokens] through the end of the prefix. */
  const cache = new Map<string, [number, number]>();
  const remember = (k: string, v: [number, number]) => {
    cache.set(k, v);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
  };
  return {
    name: "logprob",
    async score(requests, opts) {
      const keys = requests.map((r) => {
        let text = "";
        return r.steps.map((s) => (text += s, `${r.problem}\u0000${text}`));
      });
      const sums = keys.map((ks) => ks.map((k) => cache.get(k)));
      const jobs = requests.flatMap((r, i) => {
        const k = sums[i].findIndex((v) => v === undefined);
        if (k < 0) return [];
        return [{ i, k, from: r.steps.slice(0, k).join("").length }];
      });
      const rows = jobs.length === 0 ? [] : await logprobs(jobs.map((j) => ({
        problem: requests[j.i].problem,
        text: requests[j.i].steps.join(""),
        from: j.from,
      })));
      jobs.forEach(({ i, k, from }, n) => {
        const lp = rows[n];
        let [sum, count] = k > 0 ? sums[i][k - 1]! : [0, 0];
        let t = 0;
        let end = from;
        for (let s = k; s < requests[i].steps.length; s++) {
          end += requests[i].steps[s].length;
          for (; t < lp.ends.length && lp.ends[t] <= end; t++) {
            sum += lp.logprobs[t];
            count++;
          }
          sums[i][s] = [sum, count];
          remember(keys[i][s], [sum, count]);
        }
      });
      return sums.map((steps) => {
        const out = steps.map((v) => (v![1] > 0 ? Math.exp(v![0] / v![1]) : 1));
        return opts?.lastOnly ? [out.length ? out[out.length - 1] : 1] : out;
      });
    },
  };
}
