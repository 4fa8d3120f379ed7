/**
 * The training stream of the synthetic world: an endless, seeded stream of problems whose levels
 * and forms are drawn per index (optionally weighted, with one-operation drills mixed in), never
 * overlapping the evaluation split.
 *
 * @example
 * ```ts
 * import { trainStream } from "./train_stream.ts";
 * const it = trainStream(1);
 * it.next().value.id.startsWith("train-1-"); // true
 * ```
 *
 * @module
 */

import { isEvalProblem, WORD_FRACTION } from "./eval_split.ts";
import { makeProblem } from "./generate.ts";
import { DRILL_LEVEL } from "./levels.ts";
import type { ProblemForm, SyntheticProblem } from "./plan.ts";
import { hashSeed, mulberry32, pickWeighted } from "./random.ts";

/**
 * Options of {@linkcode trainStream}.
 *
 * @example
 * ```ts
 * const opts: TrainStreamOptions = { levelWeights: [1, 1, 2, 2, 3], drillFraction: 0.2 };
 * trainStream(2, opts).next().value.id; // "train-2-0-..."
 * ```
 */
export interface TrainStreamOptions {
  /** Relative weight of levels 1-5 (default: equal). */
  levelWeights?: readonly number[];
  /** Probability of the word form (default {@linkcode WORD_FRACTION}). */
  wordFraction?: number;
  /** Probability of a one-operation drill problem ({@linkcode DRILL_LEVEL}; default 0). */
  drillFraction?: number;
  /** First index of the stream (default 0); ids are `train-<seed>-<index>-<level>-<form>`. */
  start?: number;
}

/** Training problem `index` of stream `seed`: its level and form come from their own rng. */
function trainProblem(
  seed: number,
  index: number,
  opts: TrainStreamOptions = {},
): SyntheticProblem {
  const meta = mulberry32(hashSeed("train-meta", seed, index));
  const level = 1 + pickWeighted(meta, opts.levelWeights ?? [1, 1, 1, 1, 1]);
  const form: ProblemForm = meta() < (opts.wordFraction ?? WORD_FRACTION) ? "word" : "expr";
  if (opts.drillFraction && meta() < opts.drillFraction) {
    return trainProblemOf(seed, index, DRILL_LEVEL, "expr");
  }
  return trainProblemOf(seed, index, level, form);
}

/**
 * Training problem `index` of stream `seed` at a given level and form (what its id names).
 *
 * @example
 * ```ts
 * trainProblemOf(1, 0, 2, "expr").id; // "train-1-0-2-expr"
 * ```
 */
export function trainProblemOf(
  seed: number,
  index: number,
  level: number,
  form: ProblemForm,
): SyntheticProblem {
  const rng = mulberry32(hashSeed("train", seed, index, level, form));
  return makeProblem(rng, `train-${seed}-${index}-${level}-${form}`, level, form);
}

/**
 * An endless, seeded stream of training problems that never overlaps the evaluation split: ids
 * live in their own space (`train-<seed>-<index>-<level>-<form>`, seeds hashed with a different tag) and any
 * problem whose text equals an evaluation problem's text is skipped.
 *
 * @example
 * ```ts
 * const it = trainStream(1);
 * const first = it.next().value; // same record on every machine for seed 1
 * ```
 */
export function* trainStream(
  seed: number,
  opts: TrainStreamOptions = {},
): Generator<SyntheticProblem, never> {
  for (let index = opts.start ?? 0;; index++) {
    const p = trainProblem(seed, index, opts);
    if (!isEvalProblem(p.problem)) yield p;
  }
}
