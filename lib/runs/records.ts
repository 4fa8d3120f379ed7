/**
 * Append-only, resumable result files: a rerun reads what is there, skips the keys already done
 * and appends the rest. A torn last line (a run killed mid-write) is set aside, never lost silently.
 *
 * @module
 */
import { dirname } from "node:path";
import { appendJsonl, readJsonl } from "./jsonl.ts";
import { type FileLock, lockFile } from "./lock.ts";

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
  /** Release the file's lock (when opened with `lock`); idempotent. */
  close(): Promise<void>;
}

/** Options of {@linkcode openRecords}. */
export interface RecordOptions<T = unknown> {
  /**
   * What made the records (model and verifier hashes, seed, method and options, dataset, grader
   * version): written as the file's first line `{"identity": ...}` when the file is new, and
   * compared with that line when it is resumed; any difference is a one-line error naming the
   * field, so records of two runs never mix.
   */
  identity?: Record<string, unknown>;
  /** Hold `<path>.lock` while open, so a second writer is refused (default false). */
  lock?: boolean;
  /**
   * For a file whose identity line is missing (written before runs had one) or differs from
   * `identity`: return null to adopt its records — the caller has checked them against this run
   * (a seed they carry, a verdict the grader gives again) — and `identity` then replaces the line;
   * or the reason not to. Without it such a file is refused.
   */
  adopt?: (records: readonly T[], was: Record<string, unknown> | null) => string | null;
}

/** The first differing field of two identities (dotted path), or null when equal. */
export function identityDiff(
  a: unknown,
  b: unknown,
  at = "",
): { field: string; was: unknown; now: unknown } | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b as object)])];
    for (const k of keys) {
      const d = identityDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        at ? `${at}.${k}` : k,
      );
      if (d) return d;
    }
  }
  return { field: at || "identity", was: a, now: b };
}

const isHeader = (v: unknown): v is { identity: Record<string, unknown> } =>
  v !== null && typeof v === "object" && Object.keys(v).length === 1 && "identity" in v;

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
  options: RecordOptions<T> = {},
): Promise<RecordFile<T>> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const lock: FileLock | null = options.lock ? await lockFile(path) : null;
  try {
    return await openLocked(path, key, options, lock);
  } catch (e) {
    await lock?.release();
    throw e;
  }
}

async function openLocked<T>(
  path: string,
  key: (record: T) => string,
  options: RecordOptions<T>,
  lock: FileLock | null,
): Promise<RecordFile<T>> {
  const records: T[] = [];
  let header: Record<string, unknown> | null = null;
  const bad: { line: number; error: string }[] = [];
  let lastLine = 0;
  try {
    for await (const row of readJsonl<T>(path)) {
      lastLine = row.line;
      if (row.error !== undefined) bad.push({ line: row.line, error: row.error });
      else if (row.line === 1 && isHeader(row.value)) header = row.value.identity;
      else records.push(row.value);
    }
  } catch (e) {
    if (!(e instanceof Error && /No such file|not found/i.test(e.message))) throw e;
  }
  const torn = bad.length === 1 && bad[0].line === lastLine;
  if (bad.length > 0 && !torn) throw new Error(bad[0].error);
  // a file without this identity line is this run's only when the caller adopts its records
  const d = options.identity && header !== null ? identityDiff(header, options.identity) : null;
  const stale = options.identity !== undefined &&
    (d !== null || (header === null && records.length > 0));
  if (stale) {
    const why = options.adopt
      ? options.adopt(records, header)
      : "its records carry no run identity (an older run)";
    if (why !== null && d !== null) {
      const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? "none";
      throw new Error(
        `${path}: made by another run: ${d.field} was ${show(d.was)}, now ${show(d.now)}; ` +
          "write to another file or move it away",
      );
    }
    if (why !== null) throw new Error(`${path}: ${why}; write to another file`);
  }
  // the file is this run's: set a torn last line aside, then open a new file with the identity
  if (torn) await setAsideTornLine(path);
  if (options.identity && (header === null || stale)) {
    // written whole to a side file and renamed over, so a kill leaves the old file or the new one
    const lines = [{ identity: options.identity }, ...records].map((r) => JSON.stringify(r));
    await Deno.writeTextFile(`${path}.new`, lines.join("\n") + "\n");
    await Deno.rename(`${path}.new`, path);
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
    close: async () => {
      await lock?.release();
    },
  };
}

/**
 * The records of an append-only file as a reader wants them: without the identity line and
 * without a torn last line (a run still writing, or killed mid-write). Any other malformed line is
 * an error naming `file:line`; `onTorn` hears of a torn last line it leaves out.
 *
 * @example
 * ```ts
 * const records = await readRecords<{ id: string }>("results/demo/records.jsonl");
 * ```
 */
export async function readRecords<T>(
  path: string,
  { onTorn }: { onTorn?: (error: string) => void } = {},
): Promise<T[]> {
  const rows = [];
  for await (const row of readJsonl<T>(path)) rows.push(row);
  const out: T[] = [];
  rows.forEach((row, i) => {
    if (row.error !== undefined) {
      if (i < rows.length - 1) throw new Error(row.error);
      return onTorn?.(row.error);
    }
    if (!(i === 0 && isHeader(row.value))) out.push(row.value);
  });
  return out;
}

/**
 * If the last line of an append-only JSONL file is torn (a run killed mid-write), move it to
 * `<path>.torn` and truncate the file before it; returns whether it did. A missing file is fine.
 *
 * @example
 * ```ts
 * await repairTornTail("results/demo/traces.jsonl");
 * ```
 */
export async function repairTornTail(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new Error(`${path}: ${e instanceof Error ? e.message : e}`);
  }
  const trimmed = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (trimmed === "") return false;
  try {
    JSON.parse(trimmed.slice(trimmed.lastIndexOf("\n") + 1));
    return false;
  } catch {
    await setAsideTornLine(path);
    return true;
  }
}

/** Move the torn last line of `path` to `path.torn` and truncate the file before it. */
async function setAsideTornLine(path: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const trimmed = text.endsWith("\n") ? text.slice(0, -1) : text;
  const cut = trimmed.lastIndexOf("\n") + 1;
  await Deno.writeTextFile(`${path}.torn`, trimmed.slice(cut) + "\n", { append: true });
  await Deno.truncate(path, new TextEncoder().encode(trimmed.slice(0, cut)).length);
}
