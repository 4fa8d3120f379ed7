/**
 * Scalar comparison: multiple-choice letters, text, base-n numbers, plain numbers (exact bigint
 * rationals; a decimal compared at its own precision), then LaTeX parsed by compute-engine and
 * compared numerically at seeded points — positive points first, then the sign/branch check
 * (each variable made negative, evaluated over the reals) before two expressions are called equal.
 * Percent and degrees count both ways (`50\\%` = `50` = `0.5`; `30^\\circ` = `30` = `\\pi/6`).
 *
 * @module
 */
import { checkTime, type Ctx, no, type Verdict, yes } from "./context.ts";
import { Unsupported } from "./evaluate.ts";
import { exactEqual, parsePlainNumber, type PlainNumber } from "./number.ts";
import { sameStructure } from "./structural.ts";
import {
  alignVariables,
  type Parsed,
  type ParsedExpression,
  parseLatex,
  samplePairs,
  signCheck,
} from "./symbolic.ts";
import {
  close,
  DECIMAL_TOLERANCE,
  EXACT_TOLERANCE,
  roundsTo,
  withinPrecision,
} from "./tolerance.ts";

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

/**
 * Compare two scalars (no top-level commas, relations or unions), both normalised.
 *
 * @example
 * ```ts
 * const ctx = { deadline: Infinity, seed: 1, maxLength: 1000, maxDepth: 40 };
 * compareScalars("\\pi", "3.14", ctx).equal; // true: 3.14 is pi at its own precision
 * compareScalars("x", "\\sqrt{x^2}", ctx).equal; // false: they differ for x < 0
 * ```
 */
export function compareScalars(g: string, p: string, ctx: Ctx): Verdict {
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
  let pa = parseLatex(pf.body, ctx);
  if ("error" in ga || "error" in pa) {
    return no(`not comparable (${"error" in ga ? "gold" : "prediction"}: ${errorOf(ga, pa)})`);
  }
  if (ctx.strict === false) pa = alignVariables(ga, pa);
  try {
    return compareExpressions(ga, pa, gn, pn, gf.body, pf.body, scales, ctx);
  } catch (e) {
    // Not evaluable (a sum with a symbolic bound, an unknown function): compare canonical trees.
    if (!(e instanceof Unsupported) || scales.length > 1) throw e;
    return sameStructure(gf.body, pf.body, ctx)
      ? yes("same canonical structure")
      : no(`not evaluable, different structure (${e.message.slice(0, 60)})`);
  }
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
    const unscaled = sg === 1 && sp === 1;
    if (Number.isInteger(1 / sg) && Number.isInteger(1 / sp)) {
      if (exactEqual(g, p, [1n, BigInt(Math.round(1 / sg))], [1n, BigInt(Math.round(1 / sp))])) {
        return yes(unscaled ? "number" : "number (percent)");
      }
      if (!g.inexact && !p.inexact) continue;
    }
    const gv = g.value * sg;
    const pv = p.value * sp;
    if (!unscaled) {
      if (close(gv, pv, DECIMAL_TOLERANCE)) return yes("number (scaled)");
      continue;
    }
    if (g.inexact && p.inexact) {
      // Two decimals agree when the finer one rounds to the coarser one (.35625 is not .35626);
      // a coarse decimal of one place and under 3 digits must also be within 1e-4.
      const [coarse, fine] = g.decimals <= p.decimals ? [g, p] : [p, g];
      const precise = precisionOk(coarse) || close(gv, pv, DECIMAL_TOLERANCE);
      if (precise && roundsTo(fine.value, coarse.value, coarse.decimals)) {
        return yes("number (tolerance)");
      }
      continue;
    }
    // One exact, one decimal: the decimal is the exact value at its own precision (rounded or cut).
    const dec = g.inexact ? g : p;
    const exact = g.inexact ? pv : gv;
    if (precisionOk(dec) && withinPrecision(exact, dec.value, dec.decimals)) {
      return yes(
        g.inexact ? "number (rounds to gold)" : "number (gold at the prediction's precision)",
      );
    }
  }
  return no("different number");
}

function compareExpressions(
  g: ParsedExpression,
  p: ParsedExpression,
  gn: PlainNumber | null,
  pn: PlainNumber | null,
  gText: string,
  pText: string,
  scales: [number, number][],
  ctx: Ctx,
): Verdict {
  const decimals = decimalsIn(gText) || decimalsIn(pText);
  const tol = decimals ? DECIMAL_TOLERANCE : EXACT_TOLERANCE;
  const pairs = samplePairs(g, p, ctx);
  if (pairs.length === 0) return no("undefined at sample points");
  const free = g.vars.length + p.vars.length > 0;
  // A plain decimal against an exact constant (`3.14` vs `\pi`, `0.667` vs `\frac{2}{3}`): equal
  // when the decimal is the constant at its own precision, whichever side it is on.
  const dec = !free && gn?.inexact && !decimalsIn(pText)
    ? { n: gn, gold: true }
    : !free && pn?.inexact && !decimalsIn(gText)
    ? { n: pn, gold: false }
    : null;
  for (const [sg, sp] of scales) {
    let all = true;
    for (const [x, y] of pairs) {
      const ok = close(x[0] * sg, y[0] * sp, tol) && close(x[1] * sg, y[1] * sp, tol);
      const exact = dec?.gold ? y : x;
      const rounded = !ok && dec !== null && precisionOk(dec.n) && Math.abs(exact[1]) < 1e-12 &&
        withinPrecision(
          exact[0] * (dec.gold ? sp : sg),
          dec.n.value * (dec.gold ? sg : sp),
          dec.n.decimals,
        );
      if (!ok && !rounded) {
        all = false;
        break;
      }
    }
    if (all) {
      if (!free) return yes("numeric value");
      const signs = signCheck(
        g,
        p,
        ctx,
        (x, y) => close(x[0] * sg, y[0] * sp, tol) && close(x[1] * sg, y[1] * sp, tol),
      );
      if (signs === "differ") return no("different expression (at a negative point)");
      if (signs === "domain") return no("different domain (at a negative point)");
      return yes(`symbolic (${pairs.length} sample points)`);
    }
  }
  for (const [x, y] of pairs) {
    if (!Number.isFinite(x[0]) !== !Number.isFinite(y[0])) return no("different value (infinite)");
  }
  return no(free ? "different expression" : "different value");
}

/**
 * A decimal precise enough to stand for an exact value at its own precision: two places or more,
 * or three significant digits or more (`33.3`), not `0.3`.
 */
function precisionOk(n: PlainNumber): boolean {
  if (n.decimals >= 2) return true;
  const digits = (n.num < 0n ? -n.num : n.num) * 10n ** BigInt(n.decimals) / n.den;
  return n.decimals >= 1 && digits >= 100n;
}

function decimalsIn(s: string): boolean {
  return /\d\.\d/.test(s);
}
