/**
 * Scorers over trained heads on the policy's own hidden states (one forward shared with
 * generation; no second model):
 *
 * - value head (AlphaMath §5.6): the hidden state at the last token of each step prefix → `v =
 *   tanh(z)` ∈ [−1, 1] → probability `(v + 1)/2` (the core Scorer contract: scores in [0, 1];
 *   methods that want the value back use `2p − 1`, which returns v exactly);
 * - PRM head: σ(z) = P(step correct) per step prefix;
 * - twist head (TSMC §4.3, [UNVERIFIED] training): ψ = σ(z).
 *
 * Hidden states come from {@linkcode Policy.hidden}, the same call the features were extracted
 * with, so training and scoring read the same position (the last token of the prefix).
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * import { loadHead } from "./head_file.ts";
 * declare const policy: Policy;
 * declare const problem: string;
 * declare const s1: string, s2: string; // two steps
 * const head = await loadHead("models/heads/value.json", { kind: "value" });
 * const scorer = headScorer(policy, head);
 * const [[p1, p2]] = await scorer.score([{ problem, steps: [s1, s2] }]);
 * ```
 *
 * @module
 */
import type { Policy, Scorer, ScoreRequest, SeqState } from "../core/types.ts";
import { type Head, headProbability } from "./head.ts";

/**
 * A Scorer from a state head (`value`, `prm` or `twist`) on `policy`'s hidden states.
 * Throws (one line) when the policy exposes no hidden states or their size differs from the head's.
 */
export function headScorer(policy: Policy, head: Head, name = `${head.kind}-head`): Scorer {
  if (head.kind === "qsharp") throw new Error(`${name}: a qsharp head scores tokens, not steps`);
  if (!policy.hidden || !policy.capabilities.hidden) {
    throw new Error(`${name}: policy ${policy.name} exposes no hidden states`);
  }
  const hidden = policy.hidden.bind(policy);
  return {
    name,
    async score(requests: readonly ScoreRequest[], options?: { lastOnly?: boolean }) {
      const states: SeqState[] = [];
      const counts: number[] = [];
      for (const r of requests) {
        const base = policy.start(r.problem);
        const ends = options?.lastOnly ? [r.steps.length] : r.steps.map((_, i) => i + 1);
        for (const e of ends) {
          const steps = r.steps.slice(0, e);
          states.push(e === 0 ? base : { problem: base.problem, text: steps.join(""), steps });
        }
        counts.push(ends.length);
      }
      const hs = states.length ? await hidden(states) : [];
      if (hs.length > 0 && hs[0].length !== head.dim) {
        throw new Error(
          `${name}: head expects hidden size ${head.dim}, policy gives ${hs[0].length}`,
        );
      }
      const out: number[][] = [];
      let at = 0;
      for (const c of counts) {
        out.push(hs.slice(at, at + c).map((h) => headProbability(head, h)));
        at += c;
      }
      return out;
    },
  };
}

/** {@linkcode headScorer} for a `value` head (probability `(tanh(z) + 1)/2`). */
export function valueHeadScorer(policy: Policy, head: Head): Scorer {
  if (head.kind !== "value") throw new Error(`value scorer given a ${head.kind} head`);
  return headScorer(policy, head, "value-head");
}

/** {@linkcode headScorer} for a `prm` head (per-step σ(z)). */
export function prmHeadScorer(policy: Policy, head: Head): Scorer {
  if (head.kind !== "prm") throw new Error(`PRM scorer given a ${head.kind} head`);
  return headScorer(policy, head, "prm-head");
}
