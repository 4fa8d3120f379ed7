/**
 * Answer equivalence: `isEquivalent(gold, pred)` → `{equal, reason}`.
 *
 * Stages, cheapest first, each one able to settle the comparison: identical strings → normalised
 * strings (MARIO_EVAL rules) → shape (union / sequence / matrix / relation) with the order rules →
 * per scalar: multiple-choice letter, text, plain numbers (exact bigint rationals, or tolerance when a
 * decimal is involved), then LaTeX parsed by compute-engine and compared numerically at seeded random
 * points. Percent and degrees are compared both ways (`50\%` = `50` = `0.5`; `30^\circ` = `30` =
 * `\frac{\pi}{6}`). Inputs are checked for size and nesting before any parsing, the time budget is
 * checked between stages, and every exception becomes a `reason`.
 *
 * @module
 */
import { type Complex, TooComplex } from "./evaluate.ts";
import { normalizeAnswer } from "./normalize.ts";
import { exactEqual, parsePlainNumber, type PlainNumber } from "./number.ts";
import { nestingDepth } from "./scan.ts";
import { isLoneVariable, type Shape, shapeOf } from "./structure.ts";
import {
  type Parsed,
  type ParsedExpression,
  parseLatex,
  samplePairs,
  Timeout,
  warmUp,
} from "./symbolic.ts";
import {
  close,
  DECIMAL_TOLERANCE,
  EXACT_TOLERANCE,
  roundsTo,
  type Tolerance,
} from "./tolerance.ts";

/** Options of {@linkcode isEquivalent}. */
export interface EquivalenceOptions {
  /** Time budget of one comparison in ms (default 200). */
  timeLimitMs?: number;
  /** Longest answer accepted, in chars, before normalisation (default 1000). */
  maxLength?: number;
  /** Deepest `{}`/`()`/`[]` nesting accepted (default 40). */
  maxDepth?: number;
  /** Seed of the numeric spot-check points (default 1). */
  seed?: number;
}

/** Outcome of a comparison. */
export interface Verdict {
  /** True when the prediction matches the gold answer. */
  equal: boolean;
  /** Which stage decided, or why the comparison gave up (`timeout`, `too complex: ...`). */
  reason: string;
}

/** Defaults of {@linkcode EquivalenceOptions}. */
export const DEFAULT_LIMITS = { timeLimitMs: 200, maxLength: 1000, maxDepth: 40, seed: 1 } as const;

interface Ctx {
  deadline: number;
  seed: number;
  maxLength: number;
  maxDepth: number;
}

const normCache = new Map<string, string>();

/**
 * Compare a gold answer with a predicted answer (both final answers, not whole solutions: see
 * `extractAnswer`).
 *
 * @example
 * ```ts
 * isEquivalent("\\frac{1}{2}", "0.5"); // { equal: true, reason: "number" }
 * isEquivalent("(1,2)", "(2,1)").equal; // false
 * isEquivalent("10^{10^{10}}", "5").reason; // "too complex: power overflow"
 * ```
 */
export function isEquivalent(gold: string, pred: string, opts: EquivalenceOptions = {}): Verdict {
  warmUp();
  const t0 = performance.now();
  const limits = { ...DEFAULT_LIMITS, ...opts };
  if (typeof gold !== "string" || typeof pred !== "string") return no("missing answer");
  if (gold.trim() === pred.trim() && gold.trim() !== "") return yes("identical");
  if (gold.length > limits.maxLength || pred.length > limits.maxLength) {
    return no(`too complex: longer than ${limits.maxLength} chars`);
  }
  if (nestingDepth(gold) > limits.maxDepth || nestingDepth(pred) > limits.maxDepth) {
    return no(`too complex: nested deeper than ${limits.maxDepth}`);
  }
  const ctx: Ctx = {
    deadline: t0 + limits.timeLimitMs,
    seed: limits.seed,
    maxLength: limits.maxLength,
    maxDepth: limits.maxDepth,
  };
  try {
    const g = normalized(gold);
    const p = normalized(pred);
    if (g === "" || p === "") return no("empty answer");
    return compareAnswers(g, p, ctx);
  } catch (e) {
    if (e instanceof Timeout) return no("timeout");
    if (e instanceof TooComplex) return no(`too complex: ${e.message}`);
    return no(`error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Boolean form of {@linkcode isEquivalent}.
 *
 * @example
 * ```ts
 * equivalent("x = 3", "3"); // true
 * ```
 */
export function equivalent(gold: string, pred: string, opts?: EquivalenceOptions): boolean {
  return isEquivalent(gold, pred, opts).equal;
}

function normalized(s: string): string {
  let n = normCache.get(s);
  if (n === undefined) {
    n = normalizeAnswer(s);
    if (normCache.size >= 50_000) normCache.clear();
    normCache.set(s, n);
  }
  return n;
}

function yes(reason: string): Verdict {
  return { equal: true, reason };
}
function no(reason: string): Verdict {
  return { equal: false, reason };
}

function checkTime(ctx: Ctx): void {
  if (performance.now() > ctx.deadline) throw new Timeout("timeout");
}

/** Compare two normalised answers of any shape. */
function compareAnswers(g: string, p: string, ctx: Ctx): Verdict {
  checkTime(ctx);
  if (g === p) return yes("normalized string");
  const gs = reduceRelation(shapeOf(g));
  const ps = reduceRelation(shapeOf(p));
  // "x = 3" against "3": compare the right-hand side.
  if (gs.kind === "relation" && ps.kind !== "relation") {
    const rhs = loneVariableValue(gs);
    return rhs === null ? no("relation vs expression") : compareAnswers(rhs, p, ctx);
  }
  if (ps.kind === "relation" && gs.kind !== "relation") {
    // A predicted chain of equalities ends with its result (`2+3=5`, `k = 1/3`).
    const rhs = loneVariableValue(ps) ??
      (ps.ops.every((o) => o === "=") ? ps.sides[ps.sides.length - 1] : null);
    return rhs === null || rhs === "" ? no("expression vs relation") : compareAnswers(g, rhs, ctx);
  }
  if (gs.kind === "relation" && ps.kind === "relation") {
    // `f(x) = 2x+3` against `y = 2x+3`: a function value named two ways.
    const gv = loneVariableValue(gs);
    const pv = loneVariableValue(ps);
    if (
      gv !== null && pv !== null && gs.sides[0] !== ps.sides[0] &&
      isFunctionName(gs.sides[0], ps.sides[0])
    ) {
      return compareAnswers(gv, pv, ctx);
    }
    return compareRelations(gs, ps, ctx);
  }
  if (gs.kind === "union" || ps.kind === "union") {
    if (gs.kind !== "union" || ps.kind !== "union") return no("union vs non-union");
    return matchUnordered(gs.parts, ps.parts, ctx, "union");
  }
  const gItems = asOrderedItems(gs);
  const pItems = asOrderedItems(ps);
  if (gs.kind === "matrix" && ps.kind === "matrix") return compareMatrices(gs.rows, ps.rows, ctx);
  if (gs.kind === "seq" && ps.kind === "seq") {
    if (gs.open !== "" && ps.open !== "" && (gs.open !== ps.open || gs.close !== ps.close)) {
      const bothSets = gs.open === "\\{" && ps.open === "\\{";
      if (!bothSets) return no(`brackets ${gs.open}${gs.close} vs ${ps.open}${ps.close}`);
    }
    const unordered = (gs.open === "" || gs.open === "\\{") &&
      (ps.open === "" || ps.open === "\\{");
    return unordered
      ? matchUnordered(gs.items, ps.items, ctx, "set")
      : matchOrdered(gs.items, ps.items, ctx, "tuple");
  }
  if (gItems && pItems && (gs.kind === "matrix" || ps.kind === "matrix")) {
    return matchOrdered(gItems, pItems, ctx, "vector");
  }
  if (gs.kind === "seq" && ps.kind === "scalar" && gs.items.length === 1) {
    return compareAnswers(gs.items[0], p, ctx);
  }
  if (ps.kind === "seq" && gs.kind === "scalar" && ps.items.length === 1) {
    return compareAnswers(g, ps.items[0], ctx);
  }
  if (gs.kind === "scalar" && ps.kind === "scalar") return compareScalars(gs.text, ps.text, ctx);
  return no(`${gs.kind} vs ${ps.kind}`);
}

/** Items of a sequence or of a one-row / one-column matrix, in order. */
function asOrderedItems(s: Shape): string[] | null {
  if (s.kind === "seq" && s.open !== "\\{") return s.items;
  if (s.kind === "matrix") {
    if (s.rows.every((r) => r.length === 1)) return s.rows.map((r) => r[0]);
    if (s.rows.length === 1) return s.rows[0];
  }
  return null;
}

/** `x = 1 + 1 = 2` → `x = 2`: a chain of equalities starting with a lone variable keeps its ends. */
function reduceRelation(s: Shape): Shape {
  if (s.kind !== "relation" || s.sides.length < 3) return s;
  if (s.ops.every((o) => o === "=") && isLoneVariable(s.sides[0])) {
    return { kind: "relation", ops: ["="], sides: [s.sides[0], s.sides[s.sides.length - 1]] };
  }
  return s;
}

/** `f(x)` and `y` (or `g(x)`) both name the value of a function. */
function isFunctionName(a: string, b: string): boolean {
  const fn = (s: string) => /^[a-zA-Z]\([a-zA-Z]\)$/.test(s.trim());
  const y = (s: string) => s.trim() === "y";
  return (fn(a) && (fn(b) || y(b))) || (fn(b) && y(a));
}

/** The value side of `x = v` / `v = x` (a lone variable on the other side), else null. */
function loneVariableValue(s: Shape & { kind: "relation" }): string | null {
  if (s.ops.length !== 1 || s.ops[0] !== "=") return null;
  const [l, r] = s.sides;
  if (isLoneVariable(l) && r !== "") return r;
  if (isLoneVariable(r) && l !== "") return l;
  return null;
}

function matchOrdered(g: string[], p: string[], ctx: Ctx, what: string): Verdict {
  if (g.length !== p.length) return no(`${what} length ${g.length} vs ${p.length}`);
  for (let k = 0; k < g.length; k++) {
    const v = compareAnswers(g[k], p[k], ctx);
    if (!v.equal) return no(`${what} item ${k + 1}: ${v.reason}`);
  }
  return yes(what);
}

/** Multiset matching (augmenting paths; answers are short lists). */
function matchUnordered(g: string[], p: string[], ctx: Ctx, what: string): Verdict {
  if (g.length !== p.length) return no(`${what} size ${g.length} vs ${p.length}`);
  const n = g.length;
  const eq: boolean[][] = g.map((gi) => p.map((pj) => compareAnswers(gi, pj, ctx).equal));
  const owner = new Array<number>(n).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < n; j++) {
      if (!eq[i][j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j] < 0 || tryAssign(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i++) {
    if (!tryAssign(i, new Array<boolean>(n).fill(false))) {
      return no(`${what}: item ${g[i]} unmatched`);
    }
  }
  return yes(what);
}

function compareMatrices(g: string[][], p: string[][], ctx: Ctx): Verdict {
  const gv = asOrderedItems({ kind: "matrix", rows: g });
  const pv = asOrderedItems({ kind: "matrix", rows: p });
  if (gv && pv) return matchOrdered(gv, pv, ctx, "vector");
  if (g.length !== p.length || g.some((r, i) => r.length !== p[i].length)) {
    return no("matrix shape");
  }
  return matchOrdered(g.flat(), p.flat(), ctx, "matrix");
}

/** Orient a relation as `d op 0` with op in {=, <, \le, \ne}. */
function oriented(s: Shape & { kind: "relation" }): { d: string; op: string } {
  const [l, r] = s.sides;
  const op = s.ops[0];
  if (op === ">" || op === "\\ge") return { d: `(${r})-(${l})`, op: op === ">" ? "<" : "\\le" };
  return { d: `(${l})-(${r})`, op };
}

function compareRelations(
  g: Shape & { kind: "relation" },
  p: Shape & { kind: "relation" },
  ctx: Ctx,
): Verdict {
  if (g.ops.length !== 1 || p.ops.length !== 1) {
    if (g.ops.join() !== p.ops.join()) return no("relation chain differs");
    return matchOrdered(g.sides, p.sides, ctx, "chain");
  }
  if (g.sides.some((x) => x === "") || p.sides.some((x) => x === "")) {
    return no("incomplete relation");
  }
  // Same operator, same sides: settle it side by side (also handles non-numeric sides).
  if (g.ops[0] === p.ops[0]) {
    const l = compareAnswers(g.sides[0], p.sides[0], ctx);
    if (l.equal && compareAnswers(g.sides[1], p.sides[1], ctx).equal) return yes("relation sides");
  }
  const go = oriented(g);
  const po = oriented(p);
  if (go.op !== po.op) return no(`relation ${g.ops[0]} vs ${p.ops[0]}`);
  const a = parseLatex(go.d, ctx);
  const b = parseLatex(po.d, ctx);
  if ("error" in a || "error" in b) return no("relation not parsed");
  const pairs = samplePairs(a, b, ctx, 6);
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

interface Flags {
  body: string;
  percent: boolean;
  degree: boolean;
  base: { digits: string; base: number } | null;
}

function flagsOf(s: string): Flags {
  let body = s;
  let percent = false;
  let degree = false;
  if (body.endsWith("\\%")) {
    percent = true;
    body = body.slice(0, -2).trim();
  }
  if (body.endsWith("^{\\circ}")) {
    degree = true;
    body = body.slice(0, -8).trim();
  }
  const b = /^(\d+)_\{?(\d+)\}?$/.exec(body);
  const base = b ? { digits: b[1], base: Number(b[2]) } : null;
  return { body, percent, degree, base };
}

const CHOICE_RE = /^\(?([A-Ea-e])\)$|^\(?([A-E])\)?$/;

/** Compare two scalars (no top-level commas, relations or unions). */
function compareScalars(g: string, p: string, ctx: Ctx): Verdict {
  const gf = flagsOf(g);
  const pf = flagsOf(p);
  if (gf.body === pf.body && gf.percent === pf.percent && gf.degree === pf.degree) {
    return yes("normalized string");
  }
  const gc = CHOICE_RE.exec(gf.body);
  const pc = CHOICE_RE.exec(pf.body);
  if (gc && pc) {
    const same = (gc[1] ?? gc[2]).toUpperCase() === (pc[1] ?? pc[2]).toUpperCase();
    return same ? yes("choice") : no("different choice");
  }
  if (gf.base || pf.base) return compareBases(gf, pf);
  if (isText(gf.body) || isText(pf.body)) {
    if (textKey(gf.body) === textKey(pf.body)) return yes("text");
  }
  const scales = scalePairs(gf, pf);
  const gn = parsePlainNumber(gf.body);
  const pn = parsePlainNumber(pf.body);
  if (gn && pn) return compareNumbers(gn, pn, scales);
  checkTime(ctx);
  const ga = parseLatex(gf.body, ctx);
  const pa = parseLatex(pf.body, ctx);
  if ("error" in ga || "error" in pa) {
    return no(`not comparable (${"error" in ga ? "gold" : "prediction"}: ${errorOf(ga, pa)})`);
  }
  return compareExpressions(ga, pa, gn, gf.body, pf.body, scales, ctx);
}

function errorOf(a: Parsed, b: Parsed): string {
  return "error" in a ? a.error : "error" in b ? b.error : "";
}

/** Text answers: two or more letters in a row that are not part of a command. */
function isText(s: string): boolean {
  return /(?:^|[^\\a-zA-Z])[a-zA-Z]{2,}/.test(s.replace(/\\[a-zA-Z]+/g, " "));
}

function textKey(s: string): string {
  return s.toLowerCase().replace(/[\s{}]/g, "").replace(/\\(?:text|mathrm)/g, "");
}

/** Gold/prediction value multipliers to try: percent and degrees count both ways. */
function scalePairs(g: Flags, p: Flags): [number, number][] {
  const pairs: [number, number][] = [[1, 1]];
  if (g.percent !== p.percent) pairs.push(g.percent ? [0.01, 1] : [1, 0.01]);
  if (g.degree !== p.degree) pairs.push(g.degree ? [Math.PI / 180, 1] : [1, Math.PI / 180]);
  return pairs;
}

function compareBases(g: Flags, p: Flags): Verdict {
  if (g.base && p.base) {
    return g.base.base === p.base.base && BigInt(g.base.digits) === BigInt(p.base.digits)
      ? yes("base-n number")
      : no("different base-n number");
  }
  const based = (g.base ?? p.base)!;
  const other = g.base ? p.body : g.body;
  if (other === based.digits) return yes("base-n digits");
  const n = parseInt(based.digits, based.base);
  return Number.isFinite(n) && other === String(n)
    ? yes("base-n value")
    : no("different base-n number");
}

function compareNumbers(g: PlainNumber, p: PlainNumber, scales: [number, number][]): Verdict {
  for (const [sg, sp] of scales) {
    if (Number.isInteger(1 / sg) && Number.isInteger(1 / sp)) {
      if (exactEqual(g, p, [1n, BigInt(Math.round(1 / sg))], [1n, BigInt(Math.round(1 / sp))])) {
        return yes(sg === 1 && sp === 1 ? "number" : "number (percent)");
      }
      if (!g.inexact && !p.inexact) continue;
    }
    const tol = g.inexact || p.inexact ? DECIMAL_TOLERANCE : EXACT_TOLERANCE;
    const gv = g.value * sg;
    const pv = p.value * sp;
    if (close(gv, pv, tol)) {
      // Two decimals must also agree at the shorter one's precision: .35625 is not .35626.
      const both = g.inexact && p.inexact && sg === 1 && sp === 1;
      const [coarse, fine] = g.decimals <= p.decimals ? [g, p] : [p, g];
      if (!both || roundsTo(fine.value, coarse.value, coarse.decimals)) {
        return yes(sg === 1 && sp === 1 ? "number (tolerance)" : "number (scaled)");
      }
    }
    if (g.inexact && !p.inexact && g.decimals >= 2 && roundsTo(pv, gv, g.decimals)) {
      return yes("number (rounds to gold)");
    }
  }
  return no("different number");
}

function compareExpressions(
  g: ParsedExpression,
  p: ParsedExpression,
  gn: PlainNumber | null,
  gText: string,
  pText: string,
  scales: [number, number][],
  ctx: Ctx,
): Verdict {
  const decimals = /\d\.\d/.test(gText) || /\d\.\d/.test(pText);
  const tol = decimals ? DECIMAL_TOLERANCE : EXACT_TOLERANCE;
  const pairs = samplePairs(g, p, ctx);
  if (pairs.length === 0) return no("undefined at sample points");
  const free = g.vars.length + p.vars.length > 0;
  for (const [sg, sp] of scales) {
    let all = true;
    for (const [x, y] of pairs) {
      const ok = close(x[0] * sg, y[0] * sp, tol) && close(x[1] * sg, y[1] * sp, tol);
      const rounded = !ok && !free && gn !== null && gn.inexact && gn.decimals >= 2 &&
        !decimalsIn(pText) &&
        Math.abs(y[1]) < 1e-12 && roundsTo(y[0] * sp, gn.value * sg, gn.decimals);
      if (!ok && !rounded) {
        all = false;
        break;
      }
    }
    if (all) {
      if (!free) return yes("numeric value");
      return yes(`symbolic (${pairs.length} sample points)`);
    }
  }
  for (const [x, y] of pairs) {
    if (!Number.isFinite(x[0]) !== !Number.isFinite(y[0])) return no("different value (infinite)");
  }
  return no(free ? "different expression" : "different value");
}

function decimalsIn(s: string): boolean {
  return /\d\.\d/.test(s);
}
