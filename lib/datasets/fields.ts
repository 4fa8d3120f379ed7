/**
 * Field access shared by the dataset loaders: read a (possibly dotted) field of a JSON row and
 * check its type, with errors that name the file and line of the row.
 *
 * @module
 */

/** Where a row came from, for error messages (`file:line: ...`). */
export interface RowSource {
  /** File path as shown to users. */
  file: string;
  /** 1-based line number of the row in the file. */
  line: number;
}

/**
 * Read `field` of `row`; a dotted name (`"meta.level"`) walks nested objects.
 * Returns `undefined` where any part is missing.
 *
 * @example
 * ```ts
 * getField({ meta: { level: 3 } }, "meta.level"); // 3
 * ```
 */
export function getField(row: unknown, field: string): unknown {
  let value: unknown = row;
  for (const part of field.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Read a required text field: a string, or a finite number turned into its decimal text.
 * Throws `file:line: missing field "name"` (or a type error) otherwise.
 *
 * @example
 * ```ts
 * requireText({ final: 18 }, "final", { file: "x.jsonl", line: 1 }); // "18"
 * ```
 */
export function requireText(row: unknown, field: string, at: RowSource): string {
  const value = getField(row, field);
  if (value === undefined || value === null) {
    throw new Error(`${at.file}:${at.line}: missing field "${field}"`);
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new Error(
    `${at.file}:${at.line}: field "${field}" must be a string (got ${describe(value)})`,
  );
}

/**
 * Read an optional text field (`undefined` when absent or null); a wrong type is an error.
 *
 * @example
 * ```ts
 * optionalText({}, "subject", { file: "x.jsonl", line: 1 }); // undefined
 * ```
 */
export function optionalText(row: unknown, field: string, at: RowSource): string | undefined {
  const value = getField(row, field);
  if (value === undefined || value === null) return undefined;
  return requireText(row, field, at);
}

/**
 * Read an optional difficulty level: `3`, `"3"` or `"Level 3"` give 3; `"Level ?"` (unrated
 * problems of the full MATH set) and an absent field give `undefined`; anything else is an error.
 *
 * @example
 * ```ts
 * parseLevel({ level: "Level 3" }, "level", { file: "x.jsonl", line: 1 }); // 3
 * ```
 */
export function parseLevel(row: unknown, field: string, at: RowSource): number | undefined {
  const value = getField(row, field);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    const m = /^\s*(?:level\s*)?(\d+|\?)\s*$/i.exec(value);
    if (m) return m[1] === "?" ? undefined : Number(m[1]);
  }
  throw new Error(
    `${at.file}:${at.line}: field "${field}" is not a level (got ${describe(value)})`,
  );
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? text.slice(0, 37) + "..." : text;
}
