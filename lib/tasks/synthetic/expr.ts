/**
 * Expression problems: a random expression tree (a left-deep chain at levels 1-3) filled with
 * literals so that every intermediate value is admissible, written with the fewest parentheses,
 * and its plan in post-order.
 *
 * @example
 * ```ts
 * import { tryExprProblem } from "./expr.ts";
 * import { mulberry32 } from "./random.ts";
 * const made = tryExprProblem(mulberry32(1), 4); // { text, plan } or null
 * ```
 *
 * @module
 */

import { PREC } from "./execute.ts";
import { CAPS, divisors, DRILL_LEVEL, fractionFor, opsForLevel, RANGES } from "./levels.ts";
import type { Op, Operand, Plan, PlanStep } from "./plan.ts";
import { apply, fmt, rat } from "./rational.ts";
import { pick, randInt, type Rng } from "./random.ts";

/** An expression tree node: a literal leaf or a binary operation. */
type Expr = { lit: string; value: number } | { op: Op; left: Expr; right: Expr; value: number };

const EXPR_OPS: readonly (readonly Op[])[] = [
  ["+", "-", "*", "/"],
  ["+", "-"],
  ["+", "-", "*"],
  ["+", "-", "*", "/"],
  ["+", "-", "*", "/"],
  ["+", "-", "*", "/"],
];

/** A random tree shape with `m` operations: null leaves, arrays [left, right] for operations. */
type Shape = null | [Shape, Shape];

function randomShape(rng: Rng, m: number): Shape {
  if (m === 0) return null;
  const left = randInt(rng, 0, m - 1);
  return [randomShape(rng, left), randomShape(rng, m - 1 - left)];
}

/** A left-deep chain of `m` operations: every right operand is a literal. */
function chainShape(m: number): Shape {
  return m === 0 ? null : [chainShape(m - 1), null];
}

/** Fill a shape with operations and literals so that every value is admissible; null on failure. */
function fillShape(rng: Rng, shape: Shape, level: number): Expr | null {
  const r = RANGES[level];
  const cap = CAPS[level];
  if (shape === null) {
    const v = randInt(rng, 1, r.start);
    return { lit: `${v}`, value: v };
  }
  let left = fillShape(rng, shape[0], level);
  if (left === null) return null;
  const rightIsLeaf = shape[1] === null;
  const ops = EXPR_OPS[level].filter((o) => o !== "/" || rightIsLeaf);
  const op = pick(rng, ops);
  const L = left.value;
  let right: Expr | null;
  if (rightIsLeaf) {
    let lit: string;
    let v: number;
    // drills: half the added or subtracted amounts are single digits, as in the levels' steps
    const add = level === DRILL_LEVEL && rng() < 0.5 ? 9 : r.add;
    if (op === "+") {
      v = randInt(rng, 1, add);
      lit = `${v}`;
    } else if (op === "-") {
      if (L < 2) return null;
      v = randInt(rng, 1, Math.min(L - 1, add));
      lit = `${v}`;
    } else if (op === "*") {
      const f = (level >= 4 || level === DRILL_LEVEL) && rng() < 0.35 ? fractionFor(rng, L) : null;
      if (f !== null) {
        const value = (L * f.n) / f.d;
        return { op, left, right: { lit: fmt(f), value: 0 }, value };
      }
      const kMax = Math.min(r.mul, Math.floor(cap / L));
      if (kMax < 2) return null;
      v = randInt(rng, 2, kMax);
      lit = `${v}`;
    } else {
      const ks = divisors(L, 2, 9);
      if (ks.length === 0) return null;
      v = pick(rng, ks);
      lit = `${v}`;
    }
    right = { lit, value: v };
  } else {
    right = fillShape(rng, shape[1], level);
    if (right === null) return null;
    if (op === "-") {
      if (L === right.value) return null;
      if (L < right.value) [left, right] = [right, left];
    }
    // keep products of two computed values learnable: one factor must be small
    if (op === "*" && Math.min(L, right.value) > r.mul) return null;
  }
  const value = apply(op, rat(left.value), rat(right.value));
  if (value === null || value.d !== 1 || value.n < 0 || value.n > cap) return null;
  return { op, left, right, value: value.n };
}

/** Render with the fewest parentheses that keep left-to-right, precedence-aware parsing exact. */
function renderExpr(e: Expr, parentPrec = 0, isRight = false): string {
  if ("lit" in e) return e.lit;
  const p = PREC[e.op];
  const s = `${renderExpr(e.left, p, false)} ${e.op} ${renderExpr(e.right, p, true)}`;
  return p < parentPrec || (isRight && p === parentPrec) ? `(${s})` : s;
}

/** Post-order (left, right, node) plan steps of an expression. */
function exprPlan(e: Expr, steps: PlanStep[]): Operand {
  if ("lit" in e) return { lit: e.lit };
  const a = exprPlan(e.left, steps);
  const b = exprPlan(e.right, steps);
  steps.push({ op: e.op, a, b });
  return { ref: steps.length - 1 };
}

/**
 * One attempt at an expression problem of a level (`Calculate ...`, or at levels 4-5 and in drills
 * `Find the remainder when ... is divided by k.`); null if the random choices led nowhere.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * tryExprProblem(mulberry32(3), 2)?.text; // "Calculate 17 + 5 - 3." or null
 * ```
 */
export function tryExprProblem(rng: Rng, level: number): { text: string; plan: Plan } | null {
  const nOps = opsForLevel(rng, level);
  const withRem = (level >= 4 && rng() < 0.4) || (level === DRILL_LEVEL && rng() < 0.15);
  const m = withRem ? nOps - 1 : nOps;
  const shape = level <= 3 ? chainShape(m) : randomShape(rng, m);
  const e = fillShape(rng, shape, level);
  if (e === null) return null;
  const steps: PlanStep[] = [];
  const top = exprPlan(e, steps);
  const body = renderExpr(e);
  if (!withRem) {
    if (!("ref" in top)) return null;
    return { text: `Calculate ${body}.`, plan: { steps, answer: { ref: top.ref, part: "value" } } };
  }
  if (e.value < 4) return null;
  const k = randInt(rng, 3, Math.min(9, e.value - 1));
  steps.push({ op: "/", a: top, b: { lit: `${k}` }, rem: true });
  return {
    text: `Find the remainder when ${body} is divided by ${k}.`,
    plan: { steps, answer: { ref: steps.length - 1, part: "rem" } },
  };
}
