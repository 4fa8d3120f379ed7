/**
 * Monte-Carlo rollouts for step labelling: complete a step prefix to EOS through the
 * {@linkcode Policy} interface (`extend` with `stop: []`), grade each completion, and count every
 * rollout against a budget. Shared by Math-Shepherd, OmegaPRM and AMCS (docs/algorithms.md §8).
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * const ctx = labelContext({ policy, item, judge, budget: 64, seed: 1 });
 * const rs = await rollouts(ctx, ["Step 1: 2 + 3 = 5\n\n"], 4);
 * const mc = rs.filter((r) => r.correct).length / rs.length;
 * ```
 *
 * @module
 */
import type { ExtendOptions, Policy } from "../core/types.ts";
import { fork } from "../core/random.ts";

/** A problem to label: the statement and the gold answer. */
export interface LabelItem {
  /** Problem id (records are keyed by it). */
  id: string;
  /** Problem statement given to the policy. */
  problem: string;
  /** Gold final answer. */
  answer: string;
}

/** Whether a complete solution text (all steps joined) answers `item` correctly. */
export type Judge = (item: LabelItem, solution: string) => boolean;

/** One graded completion of a prefix. */
export interface Rollout {
  /** The generated text after the prefix. */
  text: string;
  /** The generated text split into steps (each keeps its delimiter). */
  steps: string[];
  /** The full solution (prefix + text) is judged correct. */
  correct: boolean;
  /** −Σ logprobs of the generated tokens (AMCS feature). */
  nll: number;
  /** Whitespace-separated words of `text` (AMCS feature, OmegaPRM length). */
  words: number;
  /** Why generation ended. */
  finishReason: string;
}

/** Sampling settings of rollouts. */
export interface RolloutSampling {
  /** Temperature (default 0.7, AMCS run script). */
  temperature?: number;
  /** Nucleus mass (default 1). */
  topP?: number;
  /** Top-k (default off). */
  topK?: number;
  /** Max new tokens per rollout (default: the backend's). */
  maxTokens?: number;
}

/** Everything a labelling method needs for one problem. */
export interface LabelContext {
  /** The policy rollouts come from. */
  policy: Policy;
  /** The problem. */
  item: LabelItem;
  /** Answer checker. */
  judge: Judge;
  /** Total rollouts allowed for this problem. */
  budget: number;
  /** Rollouts used so far (every completion counts, including sampled solutions to label). */
  used: number;
  /** Seed; each rollout call forks its own sampler seed from it. */
  seed: number;
  /** Sampling settings. */
  sampling: RolloutSampling;
  /** Step delimiter (default `"\n\n"`). */
  delimiter: string;
  /** Calls made so far (forks the seeds). */
  calls: number;
}

/**
 * Build a {@linkcode LabelContext}.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * declare const item: LabelItem;
 * declare const judge: Judge;
 * const ctx = labelContext({ policy, item, judge, budget: 32, seed: 7 });
 * ```
 */
export function labelContext(
  opts: Pick<LabelContext, "policy" | "item" | "judge" | "budget" | "seed"> & {
    sampling?: RolloutSampling;
    delimiter?: string;
  },
): LabelContext {
  return {
    ...opts,
    sampling: opts.sampling ?? {},
    delimiter: opts.delimiter ?? "\n\n",
    used: 0,
    calls: 0,
  };
}

/** Rollouts still allowed. */
export function remaining(ctx: LabelContext): number {
  return Math.max(0, ctx.budget - ctx.used);
}

/**
 * Split text into steps after each delimiter, keeping the delimiter on its step.
 *
 * @example
 * ```ts
 * splitKeep("a\n\nb\n\nc", "\n\n"); // ["a\n\n", "b\n\n", "c"]
 * ```
 */
export function splitKeep(text: string, delimiter = "\n\n"): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const i = text.indexOf(delimiter, at);
    if (i < 0) break;
    out.push(text.slice(at, i + delimiter.length));
    at = i + delimiter.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** Number of whitespace-separated words. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t === "" ? 0 : t.split(/\s+/).length;
}

/**
 * Draw `k` rollouts from the prefix `steps` (fewer if the budget is short), each completed to EOS
 * (`stop: []`) and graded by the judge. Returns the rollouts actually drawn.
 *
 * @example
 * ```ts
 * declare const ctx: LabelContext;
 * const rs = await rollouts(ctx, [], 8); // 8 full solutions from the problem
 * ```
 */
export async function rollouts(
  ctx: LabelContext,
  steps: readonly string[],
  k: number,
): Promise<Rollout[]> {
  return (await rolloutsMany(ctx, [steps], k))[0];
}

/**
 * Rollouts from several prefixes in one batched policy call: `k` each, in order, while the budget
 * lasts (a prefix the budget does not reach gets fewer, possibly none). Independent estimates
 * (Math-Shepherd's per-step prefixes) batch this way; sequential searches call {@linkcode rollouts}.
 *
 * @example
 * ```ts
 * declare const ctx: LabelContext;
 * const [a, b] = await rolloutsMany(ctx, [["s1\n\n"], ["s1\n\n", "s2\n\n"]], 4);
 * ```
 */
export async function rolloutsMany(
  ctx: LabelContext,
  prefixes: readonly (readonly string[])[],
  k: number,
): Promise<Rollout[][]> {
  const counts: number[] = [];
  let left = remaining(ctx);
  for (let i = 0; i < prefixes.length; i++) {
    counts.push(Math.max(0, Math.min(k, left)));
    left -= counts[i];
  }
  const base = ctx.policy.start(ctx.item.problem);
  const idx = prefixes.map((_, i) => i).filter((i) => counts[i] > 0);
  const out: Rollout[][] = prefixes.map(() => []);
  if (idx.length === 0) return out;
  const states = idx.map((i) => {
    const prefix = prefixes[i].join("");
    return prefix === "" ? base : { problem: base.problem, text: prefix, steps: [...prefixes[i]] };
  });
  // One call draws the same n for every state; draw the largest count and drop the surplus of a
  // budget-truncated prefix (the surplus is never graded nor counted).
  const n = Math.max(...idx.map((i) => counts[i]));
  const opts: ExtendOptions = {
    n,
    stop: [],
    temperature: ctx.sampling.temperature ?? 0.7,
    topP: ctx.sampling.topP ?? 1,
    topK: ctx.sampling.topK,
    maxTokens: ctx.sampling.maxTokens,
    seed: fork(ctx.seed, ctx.item.id, "rollout", ctx.calls++),
  };
  const conts = await ctx.policy.extend(states, opts);
  idx.forEach((i, j) => {
    const prefix = prefixes[i].join("");
    out[i] = conts[j].slice(0, counts[i]).map((c) => ({
      text: c.text,
      steps: splitKeep(c.text, ctx.delimiter),
      correct: c.finishReason !== "length" && ctx.judge(ctx.item, prefix + c.text),
      nll: -c.cumulativeLogprob,
      words: wordCount(c.text),
      finishReason: c.finishReason,
    }));
    ctx.used += out[i].length;
  });
  ctx.policy.release?.(conts.flat().map((c) => c.state));
  return out;
}
