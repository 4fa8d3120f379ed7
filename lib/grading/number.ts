/**
 * Plain numbers — the fast path that settles most comparisons without the LaTeX parser: integers,
 * decimals, scientific notation, `a/b` and `\frac{a}{b}` fractions, kept exact as bigint rationals
 * so that `123456789012345678` and `123456789012345679` stay different.
 *
 * @module
 */

/** A parsed plain number: exact rational `num/den` plus how many decimals were written. */
export interface PlainNumber {
  /** Numerator (sign lives here). */
  num: bigint;
  /** Denominator, > 0. */
  den: bigint;
  /** Digits written after the decimal point (0 for integers and fractions). */
  decimals: number;
  /** True when written with a decimal point or in scientific notation (an approximation). */
  inexact: boolean;
  /** The value as a double. */
  value: number;
}

const DECIMAL = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const DEC_RE = new RegExp(
  String.raw`^${DECIMAL}(?:[eE]([+-]?\d+)|\\(?:times|cdot)10\^\{?([+-]?\d+)\}?)?$`,
);
const FRAC_RE = /^\\frac\{(-?\d+)\}\{(-?\d+)\}$|^(\d+)\/(\d+)$/;

/**
 * Parse a normalised answer that is a plain number; `null` for anything else.
 *
 * @example
 * ```ts
 * parsePlainNumber("-\\frac{3}{4}")?.value; // -0.75
 * parsePlainNumber("1.5\\times10^{3}")?.value; // 1500
 * parsePlainNumber("x+1"); // null
 * ```
 */
export function parsePlainNumber(s: string): PlainNumber | null {
  if (s.length > 400) return null;
  let sign = 1n;
  let t = s;
  if (t.startsWith("-")) {
    sign = -1n;
    t = t.slice(1);
  } else if (t.startsWith("+")) t = t.slice(1);
  const d = DEC_RE.exec(t);
  if (d) {
    const [intPart, frac = ""] = d[1].split(".");
    const exp = Number(d[2] ?? d[3] ?? 0);
    if (Math.abs(exp) > 400) return null;
    const digits = BigInt((intPart || "0") + frac);
    let num = digits;
    let den = 10n ** BigInt(frac.length);
    if (exp > 0) num *= 10n ** BigInt(exp);
    if (exp < 0) den *= 10n ** BigInt(-exp);
    const inexact = d[1].includes(".") || d[2] !== undefined || d[3] !== undefined;
    return make(sign * num, den, Math.max(0, frac.length - exp), inexact);
  }
  const f = FRAC_RE.exec(t);
  if (f) {
    const num = BigInt(f[1] ?? f[3]);
    const den = BigInt(f[2] ?? f[4]);
    if (den === 0n) return null;
    return make(sign * num, den, 0, false);
  }
  return null;
}

function make(num: bigint, den: bigint, decimals: number, inexact: boolean): PlainNumber {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num < 0n ? -num : num, den);
  if (g > 1n) {
    num /= g;
    den /= g;
  }
  return { num, den, decimals, inexact, value: ratioToNumber(num, den) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** `num/den` as a double without overflow for huge operands of similar size. */
function ratioToNumber(num: bigint, den: bigint): number {
  const n = Number(num);
  const d = Number(den);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const shift = BigInt(Math.max(num.toString().length, den.toString().length) - 300);
  const k = 10n ** (shift > 0n ? shift : 0n);
  return Number(num / k) / Number(den / k);
}

/**
 * Exact equality of two plain numbers, scaled by rational factors (`1/100` for a percent side).
 *
 * @example
 * ```ts
 * exactEqual(parsePlainNumber("0.5")!, parsePlainNumber("\\frac{1}{2}")!); // true
 * ```
 */
export function exactEqual(
  a: PlainNumber,
  b: PlainNumber,
  scaleA: [bigint, bigint] = [1n, 1n],
  scaleB: [bigint, bigint] = [1n, 1n],
): boolean {
  return a.num * scaleA[0] * b.den * scaleB[1] === b.num * scaleB[0] * a.den * scaleA[1];
}
