/**
 * Relations: `x = 3` against `3` (a lone variable or a label on one side), chains of equalities,
 * equations compared up to a constant factor (`a=b` ≡ `b=a`, `2x+4y=6` ≡ `y=…`), inequalities up to
 * a positive factor, and the relation ↔ interval conversion: `-1 \\le t \\le 4` is `[-1,4]`,
 * `y > 2` is `(2,\\infty)`, `0<g(t)<1` is `(0,1)`, and a two-sided bound on `|z|` is a union of two
 * intervals.
 *
 * @module
 */
import { type Compare, type Ctx, no, type Verdict, yes } from "./context.ts";
import type { Complex } from "./evaluate.ts";
import { isLabel } from "./labels.ts";
import { parsePlainNumber } from "./number.ts";
import { isLoneVariable, type Shape } from "./structure.ts";
import { alignVariables, parseLatex, samplePairs } from "./symbolic.ts";
import { close, type Tolerance } from "./tolerance.ts";

/** A relation shape. */
export type RelationShape = Shape & { kind: "relation" };

/**
 * `x = 1 + 1 = 2` → `x = 2`: a chain of equalities starting with a lone variable keeps its ends; one
 * whose last relation names a variable (`1 = \\zzz = x = 0`) is that last relation.
 *
 * @example
 * ```ts
 * reduceRelation({ kind: "relation", ops: ["=", "="], sides: ["x", "1+1", "2"] });
 * // { kind: "relation", ops: ["="], sides: ["x", "2"] }
 * ```
 */
export function reduceRelation(s: Shape): Shape {
  if (s.kind !== "relation" || s.sides.length < 3) return s;
  if (s.ops.every((o) => o === "=") && isLoneVariable(s.sides[0])) {
    return { kind: "relation", ops: ["="], sides: [s.sides[0], s.sides[s.sides.length - 1]] };
  }
  const n = s.sides.length;
  if (s.ops.every((o) => o === "=") && isLoneVariable(s.sides[n - 2])) {
    return { kind: "relation", ops: ["="], sides: s.sides.slice(n - 2) };
  }
  return s;
}

/**
 * `f(x)` and `y` (or `g(x)`) both name the value of a function.
 *
 * @example
 * ```ts
 * isFunctionName("f(x)", "y"); // true
 * ```
 */
export function isFunctionName(a: string, b: string): boolean {
  const fn = (s: string) => /^[a-zA-Z]\([a-zA-Z]\)$/.test(s.trim());
  const y = (s: string) => s.trim() === "y";
  return (fn(a) && (fn(b) || y(b))) || (fn(b) && y(a));
}

/**
 * The value side of `x = v` / `v = x` (a lone variable or a label such as `PQ`, `|AB|`, `A_1:A_2`,
 * `\\frac{PM}{MQ}` on the other side), else null.
 *
 * @example
 * ```ts
 * loneVariableValue({ kind: "relation", ops: ["="], sides: ["|PQ|", "7"] }); // "7"
 * ```
 */
export function loneVariableValue(s: RelationShape): string | null {
  if (s.ops.length !== 1 || s.ops[0] !== "=") return null;
  const [l, r] = s.sides;
  if ((isLoneVariable(l) || isLabel(l)) && r !== "" && !isLabel(r)) return r;
  if ((isLoneVariable(r) || isLabel(r)) && l !== "" && !isLabel(l)) return l;
  if (isLoneVariable(l) && r !== "") return r;
  return null;
}

/** Orient a relation as `d op 0` with op in {=, <, \le, \ne}. */
function oriented(s: RelationShape): { d: string; op: string } {
  const [l, r] = s.sides;
  const op = s.ops[0];
  if (op === ">" || op === "\\ge") return { d: `(${r})-(${l})`, op: op === ">" ? "<" : "\\le" };
  return { d: `(${l})-(${r})`, op };
}

/**
 * Compare two relations (sides and parts through `compare`).
 *
 * @example
 * ```ts
 * // compareRelations(shapeOf("x\\le 5"), shapeOf("5\\ge x"), ctx, compareAnswers).equal === true
 * ```
 */
export function compareRelations(
  g: RelationShape,
  p: RelationShape,
  ctx: Ctx,
  compare: Compare,
): Verdict {
  if (g.ops.length !== 1 || p.ops.length !== 1) {
    if (g.ops.join() !== p.ops.join()) return no("relation chain differs");
    for (let k = 0; k < g.sides.length; k++) {
      const v = compare(g.sides[k], p.sides[k], ctx);
      if (!v.equal) return no(`chain item ${k + 1}: ${v.reason}`);
    }
    return yes("chain");
  }
  if (g.sides.some((x) => x === "") || p.sides.some((x) => x === "")) {
    return no("incomplete relation");
  }
  // Same operator, same sides: settle it side by side (also handles non-numeric sides).
  if (g.ops[0] === p.ops[0]) {
    const l = compare(g.sides[0], p.sides[0], ctx);
    if (l.equal && compare(g.sides[1], p.sides[1], ctx).equal) return yes("relation sides");
  }
  const go = oriented(g);
  const po = oriented(p);
  if (go.op !== po.op) return no(`relation ${g.ops[0]} vs ${p.ops[0]}`);
  const a = parseLatex(go.d, ctx);
  const b = parseLatex(po.d, ctx);
  if ("error" in a || "error" in b) return no("relation not parsed");
  const pairs = samplePairs(a, ctx.strict === false ? alignVariables(a, b) : b, ctx, 6);
  if (pairs.length < 2 && a.vars.length + b.vars.length > 0) {
    return no("relation undefined at sample points");
  }
  // Equivalent when (lhs - rhs) of one is a constant multiple of the other's: positive for
  // inequalities (orientation matters), any nonzero constant for = and \ne.
  let ratio: Complex | null = null;
  for (const [x, y] of pairs) {
    const zx = Math.hypot(x[0], x[1]) < 1e-9;
    const zy = Math.hypot(y[0], y[1]) < 1e-9;
    if (zx && zy) continue;
    if (zx !== zy) return no("relations differ");
    const d = y[0] * y[0] + y[1] * y[1];
    const r: Complex = [(x[0] * y[0] + x[1] * y[1]) / d, (x[1] * y[0] - x[0] * y[1]) / d];
    if (ratio === null) ratio = r;
    else if (
      !close(r[0], ratio[0], EXACT_TOLERANCE_LOOSE) || !close(r[1], ratio[1], EXACT_TOLERANCE_LOOSE)
    ) {
      return no("relations differ");
    }
  }
  if (ratio === null) return yes("relation (identical)");
  if (go.op !== "=" && go.op !== "\\ne" && !(ratio[0] > 0 && Math.abs(ratio[1]) < 1e-9)) {
    return no("inequality direction");
  }
  return yes("relation (proportional)");
}

const EXACT_TOLERANCE_LOOSE: Tolerance = { rel: 1e-6, abs: 1e-9 };

const OPEN_OF: Record<string, string> = { "<": "(", "\\le": "[" };
const CLOSE_OF: Record<string, string> = { "<": ")", "\\le": "]" };

/**
 * The set a relation on one variable describes, written as an interval or a union of intervals, or
 * null: `y > 2` → `(2,\\infty)`; `-1\\le t\\le 4` → `[-1,4]`; `0<g(t)<1` → `(0,1)`;
 * `1\\le|z|\\le\\frac{3}{2}` → `[-(\\frac{3}{2}),-(1)]\\cup[1,\\frac{3}{2}]`.
 *
 * @example
 * ```ts
 * relationAsInterval({ kind: "relation", ops: ["<", "<"], sides: ["0", "g(t)", "1"] }); // "(0,1)"
 * ```
 */
export function relationAsInterval(s: RelationShape): string | null {
  // Orient as lower op v op upper with op in {<, \le}.
  let ops = s.ops as string[];
  let sides = s.sides;
  if (ops.every((o) => o === ">" || o === "\\ge")) {
    ops = ops.map((o) => (o === ">" ? "<" : "\\le")).reverse();
    sides = [...sides].reverse();
  }
  if (!ops.every((o) => o === "<" || o === "\\le")) return null;
  if (sides.some((x) => x === "")) return null;
  let lo: string | null = null, hi: string | null = null, v: string;
  let loOp = "<", hiOp = "<";
  if (ops.length === 2) {
    [lo, v, hi] = sides;
    [loOp, hiOp] = ops;
  } else if (ops.length === 1 && isVariable(sides[0]) && !isVariable(sides[1])) {
    [v, hi] = sides;
    hiOp = ops[0];
  } else if (ops.length === 1 && isVariable(sides[1]) && !isVariable(sides[0])) {
    [lo, v] = sides;
    loOp = ops[0];
  } else return null;
  const abs = /^\|(.+)\|$/.exec(v);
  if (abs && isVariable(abs[1])) {
    const low = lo === null ? 0 : parsePlainNumber(lo)?.value;
    if (low === undefined || low < 0 || hi === null) return null;
    if (low === 0 && (lo === null || loOp === "\\le")) {
      return `${OPEN_OF[hiOp]}-(${hi}),${hi}${CLOSE_OF[hiOp]}`;
    }
    const a = lo ?? "0";
    return `${OPEN_OF[hiOp]}-(${hi}),-(${a})${CLOSE_OF[loOp]}\\cup${OPEN_OF[loOp]}${a},${hi}${
      CLOSE_OF[hiOp]
    }`;
  }
  if (!isVariable(v)) return null;
  const left = lo === null ? "(-\\infty" : `${OPEN_OF[loOp]}${lo}`;
  const right = hi === null ? "\\infty)" : `${hi}${CLOSE_OF[hiOp]}`;
  return `${left},${right}`;
}

function isVariable(s: string): boolean {
  return isLoneVariable(s) && !s.startsWith("(");
}
