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
import { checkTime, type Ctx, no, type Verdict, yes } from "./context.ts";
import { TooComplex } from "./evaluate.ts";
import { unlabel } from "./labels.ts";
import { matrixValue } from "./matrix.ts";
import { normalizeAnswer } from "./normalize.ts";
import { clockSeconds, decimalComma } from "./readings.ts";
import {
  compareRelations,
  isFunctionName,
  loneVariableValue,
  reduceRelation,
  relationAsInterval,
} from "./relation.ts";
import { compareScalars } from "./scalar.ts";
import { nestingDepth } from "./scan.ts";
import { type Shape, shapeOf } from "./structure.ts";
import { Timeout, warmUp } from "./symbolic.ts";

export type { Verdict } from "./context.ts";

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
  /**
   * Variables matter (default true): `f(x)` ≠ `f(y)`. With false, the free variables of the
   * prediction that the gold lacks are renamed, in sorted order, to those of the gold it lacks, when
   * both sides have as many (Math-Verify's `strict=False`).
   */
  strict?: boolean;
  /**
   * A predicted relation on one variable is read as the set it describes also against a gold
   * interval or union (`[-2,7]` vs `-2 \le x \le 7`). Default false: only a gold relation is read
   * so (`-2 \le x \le 7` vs `[-2,7]`), as Math-Verify's `allow_set_relation_comp`.
   */
  allowSetRelationComp?: boolean;
}

/** Defaults of {@linkcode EquivalenceOptions}. */
export const DEFAULT_LIMITS = { timeLimitMs: 200, maxLength: 1000, maxDepth: 40, seed: 1 } as const;

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
    strict: opts.strict !== false,
    setFromPredictedRelation: opts.allowSetRelationComp === true,
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

/** Compare two normalised answers of any shape. */
function compareAnswers(g: string, p: string, ctx: Ctx): Verdict {
  checkTime(ctx);
  if (g === p) return yes("normalized string");
  const gt = clockSeconds(g);
  const pt = clockSeconds(p);
  if (gt !== null && pt !== null) return gt === pt ? yes("time") : no("different time");
  const gs = worked(unlabelled(reduceRelation(shapeOf(g))));
  const ps = worked(unlabelled(reduceRelation(shapeOf(p))));
  // A relation on one variable against an interval or a union: compare the sets.
  if (gs.kind === "relation" && isSetShape(ps)) {
    const gi = relationAsInterval(gs);
    if (gi !== null) return compareAnswers(gi, p, ctx);
  }
  if (ps.kind === "relation" && isSetShape(gs) && ctx.setFromPredictedRelation) {
    const pi = relationAsInterval(ps);
    if (pi !== null) return compareAnswers(g, pi, ctx);
  }
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
    const gi = gs.ops.length !== ps.ops.length ? relationAsInterval(gs) : null;
    const pi = gi !== null ? relationAsInterval(ps) : null;
    if (gi !== null && pi !== null) return compareAnswers(gi, pi, ctx);
    return compareRelations(gs, ps, ctx, compareAnswers);
  }
  // `2500,75` against `2500.75`: a decimal comma, tried only against a single number.
  if (gs.kind === "seq" && ps.kind === "scalar" && gs.open === "" && gs.items.length === 2) {
    const d = decimalComma(g);
    if (d !== null && compareAnswers(d, p, ctx).equal) return yes("number (decimal comma)");
  }
  if (ps.kind === "seq" && gs.kind === "scalar" && ps.open === "" && ps.items.length === 2) {
    const d = decimalComma(p);
    if (d !== null && compareAnswers(g, d, ctx).equal) return yes("number (decimal comma)");
  }
  if (gs.kind === "union" || ps.kind === "union") {
    if (gs.kind !== "union" || ps.kind !== "union") return no("union vs non-union");
    return matchUnordered(gs.parts, ps.parts, ctx, "union");
  }
  const gItems = asOrderedItems(gs);
  const pItems = asOrderedItems(ps);
  if (gs.kind === "matrix" && ps.kind === "matrix") return compareMatrices(gs.rows, ps.rows, ctx);
  if (gs.kind === "seq" && ps.kind === "seq") return compareSequences(gs, ps, ctx);
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

type Seq = Shape & { kind: "seq" };

/** A sequence with its labels taken off; `labels` kept when every item has its own label. */
type Labelled = Seq & { labels?: string[] };

/**
 * A bare list whose items are labelled (`PQ=6, RS=8`) becomes its values: an ordered tuple when
 * every item has its own label, a set of values otherwise (`x=1, x=2`; `a=4,-8,-10`).
 */
function unlabelled(s: Shape): Shape {
  if (s.kind !== "seq" || s.open !== "") return s;
  const u = unlabel(s.items);
  if (u === null) return s;
  if (!u.ordered) return { kind: "seq", open: "\\{", close: "\\}", items: u.values };
  const out: Labelled = {
    kind: "seq",
    open: "(",
    close: ")",
    items: u.values,
    labels: u.labels as string[],
  };
  return out;
}

/** A sum or product of written matrices, worked out to the matrix it comes to. */
function worked(s: Shape): Shape {
  if (s.kind !== "scalar" || !s.text.includes("\\begin{")) return s;
  const rows = matrixValue(s.text);
  return rows === null ? s : { kind: "matrix", rows };
}

function isSetShape(s: Shape): boolean {
  return s.kind === "union" ||
    (s.kind === "seq" && s.items.length === 2 && (s.open === "(" || s.open === "["));
}

function compareSequences(gs: Labelled, ps: Labelled, ctx: Ctx): Verdict {
  // Both labelled with the same names: match the values by name (`k=45, n=2` vs `n=2, k=45`).
  if (gs.labels && ps.labels) {
    const byName = new Map(ps.labels.map((l, k) => [l, ps.items[k]]));
    if (gs.labels.every((l) => byName.has(l)) && gs.labels.length === ps.labels.length) {
      return matchOrdered(gs.items, gs.labels.map((l) => byName.get(l)!), ctx, "labelled values");
    }
  }
  // A labelled tuple against a bare list: the labels give the order.
  const gl = gs.labels !== undefined;
  const pl = ps.labels !== undefined;
  const gOpen = gl && ps.open === "" ? "" : gs.open;
  const pOpen = pl && gs.open === "" ? "" : ps.open;
  if (gl !== pl && (gl ? ps.open === "" : gs.open === "")) {
    return matchOrdered(gs.items, ps.items, ctx, "labelled tuple");
  }
  if (gOpen !== "" && pOpen !== "" && (gs.open !== ps.open || gs.close !== ps.close)) {
    const bothSets = gs.open === "\\{" && ps.open === "\\{";
    if (!bothSets) return no(`brackets ${gs.open}${gs.close} vs ${ps.open}${ps.close}`);
  }
  const unordered = (gs.open === "" || gs.open === "\\{") && (ps.open === "" || ps.open === "\\{");
  return unordered
    ? matchUnordered(gs.items, ps.items, ctx, "set")
    : matchOrdered(gs.items, ps.items, ctx, "tuple");
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
  if (g.length !== p.length) {
    // A set listed with a repeated element is the same set: drop the repeats and try again.
    const gd = distinct(g, ctx);
    const pd = distinct(p, ctx);
    if (gd.length === pd.length && (gd.length !== g.length || pd.length !== p.length)) {
      return matchUnordered(gd, pd, ctx, what);
    }
    return no(`${what} size ${g.length} vs ${p.length}`);
  }
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

/** Items with the repeats (equal to an earlier item) dropped. */
function distinct(items: string[], ctx: Ctx): string[] {
  if (items.length > 20) return items;
  const out: string[] = [];
  for (const it of items) {
    if (!out.some((o) => compareAnswers(o, it, ctx).equal)) out.push(it);
  }
  return out;
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
