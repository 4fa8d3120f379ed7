/**
 * Line-oriented JSON: streaming reads that name the file and line of a bad row, and append-only
 * writes that lose at most the record in flight.
 *
 * @module
 */

/** One line of a JSONL file: its parsed value, or the reason it could not be parsed. */
export type JsonlRow<T = unknown> =
  | { line: number; value: T; error?: undefined }
  | { line: number; value?: undefined; error: string };

/**
 * Stream the rows of a JSONL file (blank lines skipped). A malformed line is yielded as an
 * `error` naming `file:line`, so callers can report it and go on with the other lines.
 *
 * @example
 * ```ts
 * for await (const row of readJsonl("data/gsm8k_test.jsonl")) {
 *   if (row.error) console.error(row.error);
 *   else console.log(row.value);
 * }
 * ```
 */
export async function* readJsonl<T = unknown>(path: string): AsyncGenerator<JsonlRow<T>> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    throw new Error(`${path}: cannot open (${e instanceof Error ? e.message : e})`);
  }
  const lines = file.readable.pipeThrough(new TextDecoderStream()).pipeThrough(lineSplitter());
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield { line, value: JSON.parse(text) as T };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      yield { line, error: `${path}:${line}: malformed JSON (${why})` };
    }
  }
}

/**
 * Read a whole JSONL file, throwing on the first malformed line with `file:line` in the message.
 *
 * @example
 * ```ts
 * const rows = await readJsonlStrict<{ answer: string }>("results/x/records.jsonl");
 * ```
 */
export async function readJsonlStrict<T = unknown>(path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const row of readJsonl<T>(path)) {
    if (row.error !== undefined) throw new Error(row.error);
    out.push(row.value);
  }
  return out;
}

/** Split a text stream into lines (without their `\n` / `\r\n`). */
function lineSplitter(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const p of parts) controller.enqueue(p.endsWith("\r") ? p.slice(0, -1) : p);
    },
    flush(controller) {
      if (rest !== "") controller.enqueue(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    },
  });
}

/**
 * Append one record as a line, with a single write so a kill loses at most this record.
 *
 * @example
 * ```ts
 * await appendJsonl("results/demo/records.jsonl", { id: "1", correct: true });
 * ```
 */
export async function appendJsonl(path: string, record: unknown): Promise<void> {
  try {
    await Deno.writeTextFile(path, JSON.stringify(record) + "\n", { append: true, create: true });
  } catch (e) {
    // a failed write (disk full) may leave part of the line: the next open sets it aside
    throw new Error(`${path}: cannot write a record: ${e instanceof Error ? e.message : e}`);
  }
}
