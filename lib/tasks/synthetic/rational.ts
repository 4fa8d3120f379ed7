/**
 * Exact rationals over safe integers, the numbers of the synthetic world (all task numbers stay
 * far below 2^53): parsing and writing `17` / `3/4`, equality and the four operations.
 *
 * @example
 * ```ts
 * import { apply, fmt, parseNum } from "./rational.ts";
 * fmt(apply("+", parseNum("1/2")!, parseNum("1/3")!)!); // "5/6"
 * ```
 *
 * @module
 */

import type { Op } from "./plan.ts";

/**
 * An exact rational `n / d` with `d > 0`, in lowest terms.
 *
 * @example
 * ```ts
 * const r: Rat = rat(6, 8); // { n: 3, d: 4 }
 * ```
 */
export interface Rat {
  n: number;
  d: number;
}

/**
 * Greatest common divisor of |a| and |b| (0 for gcd(0, 0)).
 *
 * @example
 * ```ts
 * gcd(12, -18); // 6
 * ```
 */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The rational `n / d` in lowest terms with a positive denominator.
 *
 * @example
 * ```ts
 * rat(4, -6); // { n: -2, d: 3 }
 * ```
 */
export function rat(n: number, d = 1): Rat {
  if (d < 0) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

/**
 * Parse `"17"` or `"3/4"` (no sign, no spaces) into a rational; null if not a number.
 *
 * @example
 * ```ts
 * parseNum("6/8"); // { n: 3, d: 4 }
 * parseNum("-1"); // null
 * ```
 */
export function parseNum(s: string): Rat | null {
  const m = /^(\d{1,9})(?:\/(\d{1,9}))?$/.exec(s);
  if (!m) return null;
  const d = m[2] === undefined ? 1 : Number(m[2]);
  if (d === 0) return null;
  return rat(Number(m[1]), d);
}

/**
 * Write a rational as the task does: `"17"` or `"3/4"`.
 *
 * @example
 * ```ts
 * fmt(rat(6, 8)); // "3/4"
 * ```
 */
export function fmt(r: Rat): string {
  return r.d === 1 ? `${r.n}` : `${r.n}/${r.d}`;
}

/**
 * Whether two rationals (both in lowest terms) are equal.
 *
 * @example
 * ```ts
 * eq(rat(2, 4), rat(1, 2)); // true
 * ```
 */
export function eq(x: Rat, y: Rat): boolean {
  return x.n === y.n && x.d === y.d;
}

/**
 * `x op y` exactly; null for a division by zero.
 *
 * @example
 * ```ts
 * apply("/", rat(3), rat(4)); // { n: 3, d: 4 }
 * ```
 */
export function apply(op: Op, x: Rat, y: Rat): Rat | null {
  switch (op) {
    case "+":
      return rat(x.n * y.d + y.n * x.d, x.d * y.d);
    case "-":
      return rat(x.n * y.d - y.n * x.d, x.d * y.d);
    case "*":
      return rat(x.n * y.n, x.d * y.d);
    case "/":
      return y.n === 0 ? null : rat(x.n * y.d, x.d * y.n);
  }
}
