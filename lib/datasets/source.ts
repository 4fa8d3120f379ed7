/**
 * Opening dataset files: turn a path or `file:` URL into a display path and stream its JSONL
 * rows, throwing on the first malformed line with `file:line` in the message.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readJsonl } from "../runs/mod.ts";
import type { RowSource } from "./fields.ts";

/** A dataset file: a filesystem path or a `file:` URL. */
export type DataPath = string | URL;

/** Options shared by every loader. */
export interface LoadOptions {
  /** Stop after this many problems (default: all). */
  limit?: number;
}

/**
 * The filesystem path of a data file, as shown in error messages.
 *
 * @example
 * ```ts
 * toPath(new URL("file:///repo/data/x.jsonl")); // "/repo/data/x.jsonl"
 * ```
 */
export function toPath(path: DataPath): string {
  return typeof path === "string" ? path : fileURLToPath(path);
}

/** One parsed row of a dataset file with where it came from and its 0-based row index. */
export interface SourcedRow extends RowSource {
  /** The parsed JSON value. */
  value: unknown;
  /** 0-based index among the file's non-blank rows. */
  index: number;
}

/**
 * Stream the rows of a dataset JSONL file, at most `limit` of them. A malformed line throws an
 * error naming `file:line`.
 *
 * @example
 * ```ts
 * for await (const row of readRows("data/gsm8k_test.jsonl", { limit: 2 })) console.log(row.line);
 * ```
 */
export async function* readRows(
  path: DataPath,
  options: LoadOptions = {},
): AsyncGenerator<SourcedRow> {
  const limit = checkLimit(options.limit);
  if (limit === 0) return;
  const file = toPath(path);
  let index = 0;
  for await (const row of readJsonl(file)) {
    if (row.error !== undefined) throw new Error(row.error);
    yield { file, line: row.line, value: row.value, index };
    index++;
    if (index >= limit) return;
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer (got ${limit})`);
  }
  return limit;
}
