/**
 * Append-only, resumable result files: a rerun reads what is there, skips the keys already done
 * and appends the rest. A torn last line (a run killed mid-write) is set aside, never lost silently.
 *
 * @module
 */
import { dirname } from "node:path";
import { appendJsonl, readJsonl } from "./jsonl.ts";

/** An open result file. */
export interface RecordFile<T> {
  /** Where the records live. */
  readonly path: string;
  /** Records already in the file when it was opened, then every record appended since. */
  readonly records: T[];
  /** Keys of the records already done. */
  readonly done: Set<string>;
  /** Append one record (one write) and mark its key done. */
  append(record: T): Promise<void>;
}

/**
 * Open (or create) an append-only JSONL result file keyed by `key(record)`.
 *
 * A malformed line that is not the last one is an error naming `file:line` (the file is not
 * touched). A malformed last line is the record a killed run was writing: it is moved to
 * `<path>.torn` and dropped from the file, so the rerun redoes that one record.
 *
 * @example
 * ```ts
 * const out = await openRecords<{ id: string }>("results/demo/records.jsonl", (r) => r.id);
 * for (const id of ["a", "b"]) if (!out.done.has(id)) await out.append({ id });
 * ```
 */
export async function openRecords<T>(
  path: string,
  key: (record: T) => string,
): Promise<RecordFile<T>> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const records: T[] = [];
  const bad: { line: number; error: string }[] = [];
  let lastLine = 0;
  try {
    for await (const row of readJsonl<T>(path)) {
      lastLine = row.line;
      if (row.error !== undefined) bad.push({ line: row.line, error: row.error });
      else records.push(row.value);
    }
  } catch (e) {
    if (!(e instanceof Error && /No such file|not found/i.test(e.message))) throw e;
  }
  if (bad.length > 0) {
    const torn = bad.length === 1 && bad[0].line === lastLine;
    if (!torn) throw new Error(bad[0].error);
    await setAsideTornLine(path);
  }
  const done = new Set(records.map(key));
  return {
    path,
    records,
    done,
    async append(record: T) {
      await appendJsonl(path, record);
      records.push(record);
      done.add(key(record));
    },
  };
}

/** Move the torn last line of `path` to `path.torn` and truncate the file before it. */
async function setAsideTornLine(path: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const trimmed = text.endsWith("\n") ? text.slice(0, -1) : text;
  const cut = trimmed.lastIndexOf("\n") + 1;
  await Deno.writeTextFile(`${path}.torn`, trimmed.slice(cut) + "\n", { append: true });
  await Deno.truncate(path, new TextEncoder().encode(trimmed.slice(0, cut)).length);
}
