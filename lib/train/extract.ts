/**
 * Extract frozen hidden states once, through the policy itself (the ONNX policy's `hiddenAt` /
 * `hiddenAtTokens`), into a {@linkcode FeatureSet}:
 *
 * - `samples` policy samples per problem (to EOS), each graded by the judge (outcome) and, where
 *   a step checker exists, judged step by step (truth): a `step` row at the last token of every
 *   step (what the value-head scorer reads at search time, `Policy.hidden` of the prefix) and
 *   `tokenRows` random `token` rows (hidden state before a token + that token, for Q#);
 * - `label` rows at the last token of every labelled step of the given label records (PRM).
 *
 * Q# note (§7.2): with η = 0 the roll-in and roll-out policies are both π_ref, so labelling every
 * position of a full π_ref sample with its outcome is distributed exactly like the paper's cut at
 * a uniform c and roll out with π_ref.
 *
 * @example
 * ```ts
 * import type { FeatureModel } from "../rewards/head.ts";
 * import { writeFeatures } from "./features.ts";
 * import type { Judge } from "./rollout.ts";
 * declare const items: ExtractItem[];
 * declare const policy: FeaturePolicy; // e.g. the ONNX policy
 * declare const judge: Judge;
 * declare const model: FeatureModel;
 * const set = await extractFeatures(items, { policy, judge, samples: 8, tokenRows: 8, seed: 1, model, vocab: 85 });
 * await writeFeatures("results/features/train", set);
 * ```
 *
 * @module
 */
import type { Continuation, Policy } from "../core/types.ts";
import { fork, rng } from "../core/random.ts";
import { emptyColumns, type FeatureSet, packRows } from "./features.ts";
import type { FeatureModel } from "../rewards/head.ts";
import type { LabelRecord } from "./label_problem.ts";
import { type Judge, type LabelItem, type RolloutSampling, splitKeep } from "./rollout.ts";

/** What extraction needs from a policy (the ONNX policy has all of it). */
export interface FeaturePolicy extends Policy {
  /** Hidden states at character offsets of (problem, text) sequences. */
  hiddenAt(
    requests: readonly { problem: string; text: string; positions: readonly number[] }[],
  ): Promise<Float32Array[][]>;
  /** Hidden states at absolute token positions. */
  hiddenAtTokens(
    requests: readonly { ids: readonly number[]; positions: readonly number[] }[],
  ): Promise<Float32Array[][]>;
  /** Token view of a (problem, text) pair. */
  tokenize(problem: string, text: string): { ids: number[]; promptLength: number };
}

/** A problem to extract, with its step checker where one exists. */
export interface ExtractItem extends LabelItem {
  /** True per-step labels of a path (1 = prefix still correct). */
  truth?: (steps: readonly string[]) => number[];
}

/** Extraction settings. */
export interface ExtractOptions {
  /** The policy. */
  policy: FeaturePolicy;
  /** Answer checker. */
  judge: Judge;
  /** Policy samples per problem (0 = label rows only). */
  samples: number;
  /** Token rows per sample (Q#). */
  tokenRows: number;
  /** Seed of sampling and token-position choice. */
  seed: number;
  /** Sampling settings. */
  sampling?: RolloutSampling;
  /** Label records whose labelled paths become `label` rows (matched by problem id). */
  labels?: readonly LabelRecord[];
  /** Feature model (goes into the index and onto head cards). */
  model: FeatureModel;
  /** Vocabulary size of the policy. */
  vocab: number;
  /**
   * Fixed solution texts per problem instead of policy samples (teacher forcing, e.g. gold and
   * flawed solutions of the synthetic task); `samples` is then ignored.
   */
  texts?: (item: ExtractItem) => { text: string; outcome: boolean }[];
  /** Problems sampled per policy call (default 4). */
  problemsPerCall?: number;
  /** Called after each problem. */
  onProblem?: (done: number) => void;
  /** Extra provenance for the index. */
  source?: Record<string, unknown>;
}

/** Cumulative character offsets of step ends. */
function stepEnds(steps: readonly string[]): number[] {
  let at = 0;
  return steps.map((s) => (at += s.length));
}

/**
 * Extract features for `items` (see the module doc).
 */
export async function extractFeatures(
  items: readonly ExtractItem[],
  o: ExtractOptions,
): Promise<FeatureSet> {
  const c = emptyColumns();
  const chunks: Float32Array[] = [];
  const problems: string[] = [];
  const byId = new Map<string, LabelRecord[]>();
  for (const r of o.labels ?? []) {
    if (!byId.has(r.id)) byId.set(r.id, []);
    byId.get(r.id)!.push(r);
  }
  const push = (
    h: Float32Array,
    row: {
      kind: "step" | "token" | "label";
      problem: number;
      sample: number;
      step: number;
      outcome: number;
      label?: number;
      soft?: number | null;
      truth?: number;
      token?: number;
    },
  ) => {
    if (h.length !== o.model.dim) {
      throw new Error(`hidden size ${h.length}, expected ${o.model.dim}`);
    }
    chunks.push(h);
    c.kind.push(row.kind);
    c.problem.push(row.problem);
    c.sample.push(row.sample);
    c.step.push(row.step);
    c.outcome.push(row.outcome);
    c.label.push(row.label ?? -1);
    c.soft.push(row.soft ?? null);
    c.truth.push(row.truth ?? -1);
    c.token.push(row.token ?? -1);
  };

  const per = Math.max(1, o.problemsPerCall ?? 4);
  let sampled: Continuation[][] = [];
  for (let pi = 0; pi < items.length; pi++) {
    const item = items[pi];
    problems.push(item.id);
    if (!o.texts && o.samples > 0 && pi % per === 0) {
      // Sample several problems in one batched call (seeded per chunk).
      const chunk = items.slice(pi, pi + per);
      sampled = await o.policy.extend(chunk.map((x) => o.policy.start(x.problem)), {
        n: o.samples,
        stop: [],
        temperature: o.sampling?.temperature ?? 0.7,
        topP: o.sampling?.topP ?? 1,
        topK: o.sampling?.topK,
        maxTokens: o.sampling?.maxTokens,
        seed: fork(o.seed, item.id, "extract"),
      });
    }
    const conts = o.texts ? [] : o.samples > 0 ? sampled[pi % per] : [];
    const solutions = o.texts
      ? o.texts(item).map((t) => ({ text: t.text, outcome: t.outcome ? 1 : 0 }))
      : conts.map((x) => ({
        text: x.text,
        outcome: x.finishReason !== "length" && o.judge(item, x.text) ? 1 : 0,
      }));
    if (solutions.length > 0) {
      const texts = solutions.map((x) => x.text);
      const outcomes = solutions.map((x) => x.outcome);
      const stepsOf = texts.map((t) => splitKeep(t));
      const hs = await o.policy.hiddenAt(
        texts.map((text, j) => ({ problem: item.problem, text, positions: stepEnds(stepsOf[j]) })),
      );
      const r = rng(fork(o.seed, item.id, "tokens"));
      const tokenReqs: { ids: number[]; positions: number[]; tokens: number[] }[] = [];
      texts.forEach((text, j) => {
        const outcome = outcomes[j];
        const truth = item.truth?.(stepsOf[j]);
        hs[j].forEach((h, s) =>
          push(h, { kind: "step", problem: pi, sample: j, step: s, outcome, truth: truth?.[s] })
        );
        const { ids, promptLength } = o.policy.tokenize(item.problem, text);
        const m = ids.length - promptLength;
        const picks = [...new Set(Array.from({ length: Math.min(o.tokenRows, m) }, () => r.int(m)))]
          .sort((a, b) => a - b);
        tokenReqs.push({
          ids,
          positions: picks.map((t) => promptLength + t - 1),
          tokens: picks.map((t) => ids[promptLength + t]),
        });
      });
      if (o.tokenRows > 0) {
        const ths = await o.policy.hiddenAtTokens(tokenReqs);
        tokenReqs.forEach((req, j) => {
          const outcome = outcomes[j];
          ths[j].forEach((h, k) =>
            push(h, {
              kind: "token",
              problem: pi,
              sample: j,
              step: req.positions[k],
              outcome,
              token: req.tokens[k],
            })
          );
        });
      }
      o.policy.release?.(conts.map((x) => x.state));
    }
    const recs = byId.get(item.id) ?? [];
    const paths = recs.flatMap((rec) => rec.solutions);
    if (paths.length > 0) {
      const hs = await o.policy.hiddenAt(
        paths.map((p) => ({
          problem: item.problem,
          text: p.steps.join(""),
          positions: stepEnds(p.steps),
        })),
      );
      paths.forEach((p, j) => {
        const outcome = p.outcome === null ? -1 : p.outcome ? 1 : 0;
        p.labels.forEach((l, s) => {
          if (l === null) return;
          push(hs[j][s], {
            kind: "label",
            problem: pi,
            sample: j,
            step: s,
            outcome,
            label: l,
            soft: p.soft[s],
            truth: p.truth?.[s],
          });
        });
      });
    }
    o.onProblem?.(pi + 1);
  }
  const dim = o.model.dim;
  const x = packRows(chunks, dim);
  return {
    dim,
    count: chunks.length,
    model: o.model,
    problems,
    vocab: o.vocab,
    columns: c,
    x,
    source: {
      ...o.source,
      samples: o.samples,
      tokenRows: o.tokenRows,
      seed: o.seed,
      sampling: o.sampling ?? {},
    },
  };
}
