/**
 * The synthetic arithmetic evaluation split (from `lib/tasks`) as a dataset. `lib/tasks` is
 * imported lazily, on first read, so loading the other datasets never pays for it.
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import type { LoadOptions } from "./source.ts";

/**
 * Stream the synthetic evaluation split (`evalSplit()` of `lib/tasks`: 500 problems, ids
 * `eval-000` ...). The problems keep their extra fields (`plan`, `form`) for the step checker.
 *
 * @example
 * ```ts
 * for await (const p of readSynthetic({ limit: 2 })) console.log(p.id, p.answer);
 * ```
 */
export async function* readSynthetic(options: LoadOptions = {}): AsyncGenerator<Problem> {
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) {
    throw new RangeError(`limit must be a non-negative integer (got ${options.limit})`);
  }
  if (limit === 0) return;
  const { evalSplit } = await import("../tasks/mod.ts");
  let count = 0;
  for (const problem of evalSplit()) {
    yield problem;
    if (++count >= limit) return;
  }
}
