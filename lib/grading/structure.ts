/**
 * The shape of a normalised answer: a union of intervals, a bracketed or bare sequence (tuple,
 * interval, list, set), a matrix, a relation (`=`, `<`, `\le`, ...) or a scalar. Shapes decide the
 * order rules used by the comparison: `()`/`[]` ordered, bare lists and `\{\}` sets unordered,
 * intervals compared with their bracket types.
 *
 * @module
 */
import { isWrapped, type Relation, splitRelations, splitTopLevel } from "./scan.ts";

/** The shape of one answer; items and sides are still normalised LaTeX strings. */
export type Shape =
  | { kind: "union"; parts: string[] }
  | { kind: "seq"; open: "" | "(" | "[" | "\\{"; close: "" | ")" | "]" | "\\}"; items: string[] }
  | { kind: "matrix"; rows: string[][] }
  | { kind: "relation"; ops: Relation[]; sides: string[] }
  | { kind: "scalar"; text: string };

const MATRIX_RE =
  /^[([]?\\begin\{([pbBvV]?matrix|smallmatrix|array|cases)\}(?:\{[^{}]*\})?([\s\S]*?)\\end\{\1\}[)\]]?$/;

/**
 * Classify a normalised answer.
 *
 * @example
 * ```ts
 * shapeOf("[0,1)"); // { kind: "seq", open: "[", close: ")", items: ["0", "1"] }
 * shapeOf("1,2"); // { kind: "seq", open: "", close: "", items: ["1", "2"] }
 * shapeOf("y=2x+1"); // { kind: "relation", ops: ["="], sides: ["y", "2x+1"] }
 * ```
 */
export function shapeOf(s: string): Shape {
  const m = MATRIX_RE.exec(s);
  // `\begin{pmatrix}..\end{pmatrix}+\begin{pmatrix}..\end{pmatrix}` is two matrices, not one.
  if (m && !spansTwo(m[2], m[1])) {
    const rows = splitTopLevel(m[2], "\\\\").map((r) => r.trim()).filter((r) => r !== "")
      .map((r) => splitTopLevel(r, "&").map((c) => c.trim()));
    if (m[1] === "cases") {
      return {
        kind: "seq",
        open: "",
        close: "",
        items: rows.map((r) => r.join("")),
      };
    }
    return { kind: "matrix", rows };
  }
  const union = splitTopLevel(s, "\\cup");
  if (union.length > 1) return { kind: "union", parts: union.map((p) => p.trim()) };
  const bare = splitTopLevel(s, ",");
  if (bare.length > 1) {
    return { kind: "seq", open: "", close: "", items: expandPlusMinus(bare.map((x) => x.trim())) };
  }
  if (s.startsWith("\\{") && s.endsWith("\\}") && isSetWrapped(s)) {
    const inner = s.slice(2, -2).trim();
    const items = inner === "" ? [] : splitTopLevel(inner, ",").map((x) => x.trim());
    return { kind: "seq", open: "\\{", close: "\\}", items: expandPlusMinus(items) };
  }
  if ((s[0] === "(" || s[0] === "[") && isWrapped(s)) {
    const inner = s.slice(1, -1);
    const items = splitTopLevel(inner, ",");
    const close = s[s.length - 1];
    if (items.length > 1 && (close === ")" || close === "]")) {
      return {
        kind: "seq",
        open: s[0] as "(" | "[",
        close: close as ")" | "]",
        items: items.map((x) => x.trim()),
      };
    }
  }
  const rel = splitRelations(s);
  if (rel.ops.length > 0) {
    return {
      kind: "relation",
      ops: rel.ops,
      sides: rel.sides.map((x) => x.trim()),
    };
  }
  const pm = expandPlusMinus([s]);
  if (pm.length > 1) return { kind: "seq", open: "", close: "", items: pm };
  return { kind: "scalar", text: s };
}

/** The body of a matched environment closes it before its end (`A\end{env} + \begin{env}B`). */
function spansTwo(body: string, env: string): boolean {
  let depth = 0;
  const open = `\\begin{${env}}`;
  const close = `\\end{${env}}`;
  for (let i = body.indexOf("\\"); i >= 0 && i < body.length; i = body.indexOf("\\", i + 1)) {
    if (body.startsWith(open, i)) depth++;
    else if (body.startsWith(close, i) && --depth < 0) return true;
  }
  return false;
}

/** `\{ ... \}` where the opening set brace closes at the very end. */
function isSetWrapped(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith("\\{", i)) {
      depth++;
      i++;
    } else if (s.startsWith("\\}", i)) {
      depth--;
      if (depth === 0) return i === s.length - 2;
      i++;
    }
  }
  return false;
}

/** `a \pm b` → `a+b`, `a-b` (one top-level `\pm`/`\mp` per item). */
function expandPlusMinus(items: string[]): string[] {
  return items.flatMap((it) => {
    const parts = splitTopLevel(it, "\\pm");
    const mp = splitTopLevel(it, "\\mp");
    if (parts.length === 2) return [`${parts[0]}+${parts[1]}`, `${parts[0]}-${parts[1]}`];
    if (mp.length === 2) return [`${mp[0]}-${mp[1]}`, `${mp[0]}+${mp[1]}`];
    return [it];
  });
}

const LONE_VAR = /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[a-zA-Z0-9]+\}?)?'*$|^[a-zA-Z]\([a-zA-Z]\)$/;

/**
 * True for a lone variable such as `x`, `y_1`, `\theta`, `f(x)`, or a tuple of them `(p,q)`.
 *
 * @example
 * ```ts
 * isLoneVariable("f(x)"); // true
 * isLoneVariable("2x"); // false
 * ```
 */
export function isLoneVariable(s: string): boolean {
  const t = s.trim();
  if (LONE_VAR.test(t) && !/^\\(?:pi|infty|emptyset)$/.test(t)) return true;
  if (t.startsWith("(") && isWrapped(t)) {
    const items = splitTopLevel(t.slice(1, -1), ",");
    return items.length > 1 && items.every((x) => LONE_VAR.test(x.trim()));
  }
  return false;
}
