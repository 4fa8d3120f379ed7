/**
 * The structural stage, for expressions that cannot be evaluated numerically (a sum or product with
 * a symbolic bound, an unknown function such as `F_{n-k-1}`): both sides are put in compute-engine's
 * canonical form and their trees compared. Sums and products match their operands in any order
 * (`F_k F_{n-k-1}` = `F_{n-k-1} F_k`); every other operator matches its operands in order; two
 * subtrees that can be evaluated are compared numerically at the same seeded points and with the
 * sign/branch check (`n-k-1` = `n-1-k`, `\sqrt{k^2}` ≠ `k`). Anything else must be identical.
 *
 * @module
 */
import { checkTime, type Ctx } from "./context.ts";
import { freeVariables, type MathJson, TooComplex, Unsupported } from "./evaluate.ts";
import {
  alignVariables,
  computeEngine,
  type ParsedExpression,
  samplePairs,
  signCheck,
} from "./symbolic.ts";
import { close, EXACT_TOLERANCE } from "./tolerance.ts";

/** Operators whose operands match in any order. */
const COMMUTATIVE: ReadonlySet<string> = new Set(["Add", "Multiply"]);
/** Largest canonical tree (nodes, per side) compared. */
const MAX_NODES = 400;

/**
 * True when the canonical forms of two LaTeX expressions have the same tree up to the order of
 * the operands of sums and products, with evaluable subtrees compared by value.
 *
 * @example
 * ```ts
 * const ctx = { deadline: Infinity, seed: 1, maxLength: 1000, maxDepth: 40 };
 * sameStructure("\\sum_{k=0}^{n-1} F_k F_{n-k-1}", "\\sum_{k=0}^{n-1} F_{n-1-k} F_k", ctx); // true
 * sameStructure("\\sum_{k=0}^{n-1} F_k", "\\sum_{k=0}^{n-2} F_k", ctx); // false
 * ```
 */
export function sameStructure(g: string, p: string, ctx: Ctx): boolean {
  let a: MathJson, b: MathJson;
  try {
    a = computeEngine().parse(g).json as MathJson;
    b = computeEngine().parse(p).json as MathJson;
  } catch {
    return false;
  }
  if (size(a) > MAX_NODES || size(b) > MAX_NODES) throw new TooComplex("structure too large");
  if (ctx.strict === false) {
    b = alignVariables(
      { json: a, vars: [...freeVariables(a)].sort() },
      { json: b, vars: [...freeVariables(b)].sort() },
    ).json;
  }
  return same(a, b, ctx);
}

function same(a: MathJson, b: MathJson, ctx: Ctx): boolean {
  checkTime(ctx);
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const byValue = sameValue(a, b, ctx);
  if (byValue !== null) return byValue;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a[0] !== b[0]) {
    return false;
  }
  const as = a.slice(1);
  const bs = b.slice(1);
  if (typeof a[0] === "string" && COMMUTATIVE.has(a[0])) return matchAnyOrder(as, bs, ctx);
  return as.every((x, k) => same(x, bs[k], ctx));
}

/** Operands matched one to one in any order (augmenting paths; operand lists are short). */
function matchAnyOrder(as: MathJson[], bs: MathJson[], ctx: Ctx): boolean {
  const eq = as.map((x) => bs.map((y) => same(x, y, ctx)));
  const owner = new Array<number>(bs.length).fill(-1);
  const assign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < bs.length; j++) {
      if (!eq[i][j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j] < 0 || assign(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  return as.every((_, i) => assign(i, new Array<boolean>(bs.length).fill(false)));
}

/**
 * Both subtrees evaluable: equal at every sample point and through the sign/branch check. Null
 * when either cannot be evaluated (the trees are then compared node by node).
 */
function sameValue(a: MathJson, b: MathJson, ctx: Ctx): boolean | null {
  const pa: ParsedExpression = { json: a, vars: [...freeVariables(a)].sort() };
  const pb: ParsedExpression = { json: b, vars: [...freeVariables(b)].sort() };
  const near = (x: readonly number[], y: readonly number[]) =>
    close(x[0], y[0], EXACT_TOLERANCE) && close(x[1], y[1], EXACT_TOLERANCE);
  try {
    const pairs = samplePairs(pa, pb, ctx);
    if (pairs.length === 0) return false;
    if (!pairs.every(([x, y]) => near(x, y))) return false;
    return signCheck(pa, pb, ctx, near) === "agree";
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

function size(j: MathJson): number {
  return Array.isArray(j) ? j.reduce<number>((n, x) => n + size(x), 1) : 1;
}
