/**
 * Score the evaluation samples that `train.py` wrote (`eval_samples.jsonl`) with the exact step
 * checker, and print step-level statistics as JSON: how often greedy and sampled solutions are
 * well formed, where their first error falls, and how answer-level grading (exact match of the
 * box) agrees with step-level checking.
 *
 * Usage: `deno run -A models/train/check_samples.ts /tmp/embedded-policy-train/eval_samples.jsonl`
 *
 * @module
 */

import { checkSteps, problemById } from "../../lib/tasks/mod.ts";

/** One line of `eval_samples.jsonl`. */
interface SampleRecord {
  id: string;
  level: number;
  greedy: string;
  samples: string[];
}

/** Step-level statistics of a set of solutions. */
export interface SampleStats {
  n: number;
  /** Every step parses (operation steps and a boxed answer). */
  wellFormed: number;
  /** Checker says solved (all steps right and the answer right). */
  solved: number;
  /** The boxed answer equals the gold answer. */
  answerCorrect: number;
  /** Right answer reached through a wrong step (answer grading and step checking disagree). */
  rightAnswerWrongSteps: number;
  /** Histogram of the first wrong step's index (-1: none). */
  firstError: Record<string, number>;
}

/**
 * Check every solution of every record and summarize.
 *
 * @example
 * ```ts
 * const stats = summarize([{ id: "eval-000", level: 1, greedy: "", samples: [] }]);
 * stats.greedy.n; // 1
 * ```
 */
export function summarize(records: SampleRecord[]): { greedy: SampleStats; samples: SampleStats } {
  const empty = (): SampleStats => ({
    n: 0,
    wellFormed: 0,
    solved: 0,
    answerCorrect: 0,
    rightAnswerWrongSteps: 0,
    firstError: {},
  });
  const greedy = empty();
  const samples = empty();
  const add = (stats: SampleStats, id: string, text: string) => {
    const p = problemById(id);
    if (!p) throw new Error(`unknown problem id ${id}`);
    const r = checkSteps(p, text);
    stats.n++;
    if (r.complete && r.steps.every((s) => s.parsed)) stats.wellFormed++;
    if (r.solved) stats.solved++;
    if (r.answerCorrect) stats.answerCorrect++;
    if (r.answerCorrect && !r.solved) stats.rightAnswerWrongSteps++;
    const k = `${r.firstError}`;
    stats.firstError[k] = (stats.firstError[k] ?? 0) + 1;
  };
  for (const rec of records) {
    add(greedy, rec.id, rec.greedy);
    for (const s of rec.samples) add(samples, rec.id, s);
  }
  return { greedy, samples };
}

if (import.meta.main) {
  const path = Deno.args[0] ?? "/tmp/embedded-policy-train/eval_samples.jsonl";
  const records = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as SampleRecord
  );
  console.log(JSON.stringify(summarize(records), null, 2));
}
