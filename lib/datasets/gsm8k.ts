/**
 * GSM8K loader: rows `{question, answer}` whose `answer` ends with a line `#### N`. The gold answer
 * is N with thousands commas stripped (the official `#### (\-?[0-9\.\,]+)` extractor) and the
 * solution is the text before that line.
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import { requireText } from "./fields.ts";
import { type DataPath, type LoadOptions, readRows } from "./source.ts";

/** The bundled GSM8K test split (1,319 rows; provenance in `data/README.md`). */
export const GSM8K_PATH: URL = new URL("../../data/gsm8k_test.jsonl", import.meta.url);

const FINAL_LINE = /(?:^|\n)####\s*(-?[0-9.,]+)\s*$/;

/**
 * Split a GSM8K `answer` field into the worked solution and the final number (commas stripped).
 * Returns null when the text does not end with a `#### N` line.
 *
 * @example
 * ```ts
 * splitGsm8kAnswer("5 * 290,000 = 1,450,000\n#### 1,450,000");
 * // { solution: "5 * 290,000 = 1,450,000", answer: "1450000" }
 * ```
 */
export function splitGsm8kAnswer(text: string): { solution: string; answer: string } | null {
  const m = FINAL_LINE.exec(text);
  if (!m) return null;
  return { solution: text.slice(0, m.index).trimEnd(), answer: m[1].replaceAll(",", "") };
}

/**
 * Stream a GSM8K-format JSONL file as problems; `id` is the 0-based row index (as a string).
 * A row without `question` or `answer`, or whose answer lacks the `#### N` line, throws an error
 * naming the file and line.
 *
 * @example
 * ```ts
 * for await (const p of readGsm8k(GSM8K_PATH, { limit: 1 })) console.log(p.answer); // "18"
 * ```
 */
export async function* readGsm8k(
  path: DataPath = GSM8K_PATH,
  options: LoadOptions = {},
): AsyncGenerator<Problem> {
  for await (const row of readRows(path, options)) {
    const question = requireText(row.value, "question", row);
    const raw = requireText(row.value, "answer", row);
    const split = splitGsm8kAnswer(raw);
    if (split === null) {
      throw new Error(`${row.file}:${row.line}: field "answer" does not end with "#### <number>"`);
    }
    yield {
      id: String(row.index),
      problem: question,
      answer: split.answer,
      solution: split.solution,
    };
  }
}
