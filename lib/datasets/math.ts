/**
 * MATH-format loaders: MATH500 (the PRM800K test split, bundled in `data/`) and any JSONL file
 * with the same fields (`problem, solution, answer, level, subject, unique_id`), such as the full
 * 5,000-problem MATH test set.
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import { optionalText, parseLevel, requireText } from "./fields.ts";
import { type DataPath, type LoadOptions, readRows } from "./source.ts";

/** The bundled MATH500 test split (500 rows; provenance in `data/README.md`). */
export const MATH500_PATH: URL = new URL("../../data/math500_test.jsonl", import.meta.url);

/**
 * Stream a MATH-format JSONL file as problems. `id` is `unique_id`; `level` `"Level 3"` or `3`
 * becomes 3. `problem`, `answer` and `unique_id` are required: a row without one (or a malformed
 * line) throws an error naming the file and line.
 *
 * @example
 * ```ts
 * for await (const p of readMath(MATH500_PATH, { limit: 3 })) console.log(p.id, p.answer);
 * ```
 */
export async function* readMath(
  path: DataPath = MATH500_PATH,
  options: LoadOptions = {},
): AsyncGenerator<Problem> {
  for await (const row of readRows(path, options)) {
    const { value } = row;
    const problem: Problem = {
      id: requireText(value, "unique_id", row),
      problem: requireText(value, "problem", row),
      answer: requireText(value, "answer", row),
    };
    const level = parseLevel(value, "level", row);
    const subject = optionalText(value, "subject", row);
    const solution = optionalText(value, "solution", row);
    if (level !== undefined) problem.level = level;
    if (subject !== undefined) problem.subject = subject;
    if (solution !== undefined) problem.solution = solution;
    yield problem;
  }
}

/**
 * Stream the bundled MATH500 test split.
 *
 * @example
 * ```ts
 * for await (const p of readMath500({ limit: 1 })) console.log(p.id); // "test/precalculus/807.json"
 * ```
 */
export function readMath500(options: LoadOptions = {}): AsyncGenerator<Problem> {
  return readMath(MATH500_PATH, options);
}
