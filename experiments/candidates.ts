/**
 * A fixed set of candidate solutions to judge verifiers on: N samples per problem drawn exactly
 * as `deno task solve --method sampling --n N --temperature T` draws them (same seeds, so the
 * majority and best-of-N figures match a solve run), each with its steps, its final correctness
 * and, on the synthetic world, the step checker's verdicts. Kept in an append-only JSONL file, so
 * a long run resumes, and scored by any number of verifiers afterwards.
 *
 * @module
 */
import type { Policy, Problem } from "../lib/core/types.ts";
import { fork } from "../lib/core/random.ts";
import { equivalent } from "../lib/grading/mod.ts";
import { openRecords, progress } from "../lib/runs/mod.ts";
import { samplingSearch } from "../lib/search/sampling.ts";
import { splitSteps } from "../lib/search/steps.ts";
import { checkSteps, type SyntheticProblem } from "../lib/tasks/mod.ts";

/** One sampled solution. */
export interface CandidateRecord {
  text: string;
  /** `"\n\n"` steps, each keeping its delimiter (what scorers are given). */
  steps: string[];
  answer: string | null;
  correct: boolean;
  /** Per step, no wrong step so far (synthetic world only). */
  truth?: boolean[];
  /** Per step, the step itself is right given the solution's own earlier results. */
  local?: boolean[];
}

/** The candidates of one problem. */
export interface CandidateSet {
  id: string;
  problem: string;
  gold: string;
  level?: number;
  candidates: CandidateRecord[];
}

/** How candidates are drawn. */
export interface SampleOptions {
  /** Samples per problem. */
  n: number;
  /** Sampling temperature (solve's default for sampling is 0.8). */
  temperature: number;
  /** Run seed: problem `id` samples with `fork(seed, id)`, as the solve harness does. */
  seed: number;
  /** JSONL file of {@linkcode CandidateSet} records (resumed). */
  out: string;
  /** Problems sampled at once (their engine calls batch together; default 8). */
  concurrency?: number;
  /** Progress label. */
  label?: string;
}

/** Step checker verdicts of a solution's steps, when the problem carries a plan. */
function verdicts(problem: Problem, steps: string[]) {
  const p = problem as Partial<SyntheticProblem>;
  if (!p.plan) return {};
  const v = checkSteps(p as SyntheticProblem, steps).steps;
  if (v.length !== steps.length) return {}; // an empty step was dropped: no alignment
  return { truth: v.map((s) => s.correct), local: v.map((s) => s.locallyCorrect) };
}

/**
 * Sample every problem not yet in `options.out` and return all sets in problem order.
 *
 * @example
 * ```ts
 * import type { Policy, Problem } from "../lib/core/types.ts";
 * declare const policy: Policy;
 * declare const problems: Problem[];
 * const sets = await sampleCandidates(problems, policy, { n: 16, temperature: 0.8, seed: 0, out: "results/tmp/c.jsonl" });
 * ```
 */
export async function sampleCandidates(
  problems: readonly Problem[],
  policy: Policy,
  options: SampleOptions,
): Promise<CandidateSet[]> {
  const file = await openRecords<CandidateSet>(options.out, (r) => r.id);
  const todo = problems.filter((p) => !file.done.has(p.id));
  const bar = progress(
    problems.length,
    options.label ?? "candidates",
    problems.length - todo.length,
  );
  const queue = [...todo];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const res = await samplingSearch(p, policy, undefined, {
        n: options.n,
        temperature: options.temperature,
        seed: fork(options.seed, p.id),
      });
      await file.append({
        id: p.id,
        problem: p.problem,
        gold: p.answer,
        ...(p.level === undefined ? {} : { level: p.level }),
        candidates: res.candidates.map((c) => {
          const steps = splitSteps(c.text);
          return {
            text: c.text,
            steps,
            answer: c.answer,
            correct: c.answer !== null && equivalent(p.answer, c.answer),
            ...verdicts(p, steps),
          };
        }),
      });
      bar.tick(1);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    bar.stop();
  }
  const byId = new Map(file.records.map((r) => [r.id, r]));
  return problems.flatMap((p) => byId.get(p.id) ?? []);
}
