/**
 * Generic JSONL loader: map the fields of any JSONL file onto {@linkcode Problem}.
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import { optionalText, parseLevel, requireText } from "./fields.ts";
import { type DataPath, type LoadOptions, readRows } from "./source.ts";

/**
 * Which field of a row holds each {@linkcode Problem} field. Dotted names reach into nested
 * objects (`"meta.level"`). Unnamed fields default to the same name (`problem`, `answer`,
 * `level`, `subject`, `solution`); `id` defaults to the 0-based row index.
 */
export interface FieldMapping {
  /** Field of the problem statement (default `"problem"`); required in every row. */
  problem?: string;
  /** Field of the gold answer (default `"answer"`); required; numbers become text. */
  answer?: string;
  /** Field of the id (default: none, the 0-based row index is used); required when named. */
  id?: string;
  /** Field of the level (default `"level"`); optional; `"Level 3"` or `3` gives 3. */
  level?: string;
  /** Field of the subject (default `"subject"`); optional. */
  subject?: string;
  /** Field of a reference solution (default `"solution"`); optional. */
  solution?: string;
}

/**
 * Stream any JSONL file as problems through a field mapping. A malformed line, or a row missing a
 * required field, throws an error naming the file and line.
 *
 * @example
 * ```ts
 * const rows = readJsonlProblems("my.jsonl", { problem: "question", answer: "final" }, { limit: 10 });
 * for await (const p of rows) console.log(p.id, p.answer);
 * ```
 */
export async function* readJsonlProblems(
  path: DataPath,
  mapping: FieldMapping = {},
  options: LoadOptions = {},
): AsyncGenerator<Problem> {
  const f = {
    problem: mapping.problem ?? "problem",
    answer: mapping.answer ?? "answer",
    level: mapping.level ?? "level",
    subject: mapping.subject ?? "subject",
    solution: mapping.solution ?? "solution",
  };
  for await (const row of readRows(path, options)) {
    const { value } = row;
    const problem: Problem = {
      id: mapping.id === undefined ? String(row.index) : requireText(value, mapping.id, row),
      problem: requireText(value, f.problem, row),
      answer: requireText(value, f.answer, row),
    };
    const level = parseLevel(value, f.level, row);
    const subject = optionalText(value, f.subject, row);
    const solution = optionalText(value, f.solution, row);
    if (level !== undefined) problem.level = level;
    if (subject !== undefined) problem.subject = subject;
    if (solution !== undefined) problem.solution = solution;
    yield problem;
  }
}
