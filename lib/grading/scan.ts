/**
 * Brace-aware scanning of LaTeX answer strings: find a matching brace, split at top level, measure
 * nesting. Hand-written (no regex backtracking) so that every scan is linear in the input length.
 *
 * @module
 */

const OPEN: Record<string, string> = { "{": "}", "(": ")", "[": "]" };
const CLOSE = new Set(["}", ")", "]"]);

/**
 * Index of the `}` closing the `{` at `open`, or -1. Escaped braces (`\{`, `\}`) are skipped.
 *
 * @example
 * ```ts
 * matchBrace("\\frac{a}{b}", 5); // 7
 * ```
 */
export function matchBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Split `s` at every top-level occurrence of `sep` (outside `{}`, `()`, `[]`, `\{ \}` and
 * `\left..\right` pairs). Brackets need not be balanced: `[0,1)` counts as one group.
 *
 * @example
 * ```ts
 * splitTopLevel("(1,2),[3,4)", ","); // ["(1,2)", "[3,4)"]
 * ```
 */
export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      if (s.startsWith("\\{", i)) depth++;
      else if (s.startsWith("\\}", i)) depth = Math.max(0, depth - 1);
      else if (depth === 0 && s.startsWith(sep, i)) {
        parts.push(s.slice(start, i));
        start = i + sep.length;
        i += sep.length - 1;
        continue;
      }
      i++;
      continue;
    }
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/**
 * Deepest nesting of `{}`, `()` and `[]` in `s` (unbalanced closers are ignored).
 *
 * @example
 * ```ts
 * nestingDepth("\\frac{(a)}{b}"); // 2
 * ```
 */
export function nestingDepth(s: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c in OPEN) max = Math.max(max, ++depth);
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
  }
  return max;
}

/**
 * True when `s` starts with `open` and the bracket at 0 closes at the very end (so `(a)(b)` is not
 * wrapped but `(a(b))` is). Any closer counts, so `[0,1)` is wrapped.
 *
 * @example
 * ```ts
 * isWrapped("(1,2)"); // true
 * isWrapped("(1)+(2)"); // false
 * ```
 */
export function isWrapped(s: string): boolean {
  if (s.length < 2 || !(s[0] in OPEN)) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) {
      depth--;
      if (depth === 0) return i === s.length - 1;
    }
  }
  return false;
}

/** Relation operators recognised at top level, as spelled after normalisation. */
export const RELATIONS = ["\\le", "\\ge", "\\ne", "<", ">", "="] as const;
/** One relation operator. */
export type Relation = typeof RELATIONS[number];

/**
 * Split `s` at top-level relation operators.
 *
 * @example
 * ```ts
 * splitRelations("x\\le 3"); // { sides: ["x", " 3"], ops: ["\\le"] }
 * ```
 */
export function splitRelations(s: string): { sides: string[]; ops: Relation[] } {
  const sides: string[] = [];
  const ops: Relation[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      if (s.startsWith("\\{", i)) depth++;
      else if (s.startsWith("\\}", i)) depth = Math.max(0, depth - 1);
      else if (depth === 0) {
        const op = (["\\le", "\\ge", "\\ne"] as const).find((r) =>
          s.startsWith(r, i) && !/[a-zA-Z]/.test(s[i + 3] ?? "")
        );
        if (op) {
          sides.push(s.slice(start, i));
          ops.push(op);
          start = i + 3;
          i += 2;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === "=" || c === "<" || c === ">")) {
      sides.push(s.slice(start, i));
      ops.push(c);
      start = i + 1;
    }
  }
  sides.push(s.slice(start));
  return { sides, ops };
}
