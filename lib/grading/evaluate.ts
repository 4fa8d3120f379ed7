/**
 * Numeric evaluation of a MathJSON expression (as produced by the compute-engine LaTeX parser) over
 * the complex numbers, with free variables bound to given values. Hand-written rather than calling
 * the CAS so that every step is bounded: huge powers and factorials throw {@linkcode TooComplex}
 * instead of allocating giant bignums, and a node budget caps the work.
 *
 * @module
 */

/** A complex number `[re, im]`. */
export type Complex = readonly [number, number];

/** MathJSON as returned by `ce.parse(..., { canonical: false }).json`. */
export type MathJson = number | string | { num: string } | { sym: string } | MathJson[];

/** Thrown when evaluating would overflow or exceed the work budget. */
export class TooComplex extends Error {}
/** Thrown for an operator or symbol this evaluator does not know. */
export class Unsupported extends Error {}

const PI: Complex = [Math.PI, 0];
const E: Complex = [Math.E, 0];
const I: Complex = [0, 1];

/** Symbols that are constants, not free variables. */
export const CONSTANTS: ReadonlySet<string> = new Set([
  "Pi",
  "ExponentialE",
  "e",
  "ImaginaryUnit",
  "i",
  "PositiveInfinity",
  "NegativeInfinity",
  "ComplexInfinity",
  "Half",
  "Nothing",
]);

/**
 * Free variables of `expr` (symbols that are not constants).
 *
 * @example
 * ```ts
 * [...freeVariables(["Add", "x", ["Multiply", 2, "Pi"]])]; // ["x"]
 * ```
 */
export function freeVariables(expr: MathJson, out = new Set<string>()): Set<string> {
  if (typeof expr === "string") {
    if (!CONSTANTS.has(expr) && !expr.startsWith("'")) out.add(expr);
  } else if (Array.isArray(expr)) {
    for (let k = 1; k < expr.length; k++) freeVariables(expr[k], out);
  }
  return out;
}

/**
 * Evaluate `expr` with variables from `env`. `budget.nodes` is decremented per node visited; at 0 it
 * throws {@linkcode TooComplex}. With `budget.real`, evaluation follows the real numbers: an even
 * root, a logarithm or a fractional power (even denominator) of a negative number is undefined (NaN)
 * instead of taking the principal complex branch, while odd roots stay real (`(-8)^{2/3}` = 4). The
 * sign/branch spot-check uses it so that `\sqrt{x}^2` (undefined for x < 0) is told from `x`.
 *
 * @example
 * ```ts
 * evaluate(["Add", "x", 1], new Map([["x", [2, 0]]]), { nodes: 100 }); // [3, 0]
 * ```
 */
export function evaluate(
  expr: MathJson,
  env: ReadonlyMap<string, Complex>,
  budget: { nodes: number; real?: boolean },
): Complex {
  if (--budget.nodes < 0) throw new TooComplex("expression too large");
  if (typeof expr === "number") return [expr, 0];
  if (typeof expr === "string") return symbol(expr, env);
  if (!Array.isArray(expr)) {
    if ("num" in expr) return [numberString(expr.num), 0];
    return symbol(expr.sym, env);
  }
  const head = expr[0];
  if (typeof head !== "string") throw new Unsupported("applied expression");
  const args = expr.slice(1);
  const ev = (k: number) => evaluate(args[k], env, budget);
  switch (head) {
    case "Add": {
      let re = 0, im = 0;
      for (let k = 0; k < args.length; k++) {
        const v = ev(k);
        re += v[0];
        im += v[1];
      }
      return [re, im];
    }
    case "Subtract":
      return args.length === 1 ? neg(ev(0)) : sub(ev(0), ev(1));
    case "Negate":
      return neg(ev(0));
    case "Multiply":
    case "InvisibleOperator": {
      let acc: Complex = [1, 0];
      for (let k = 0; k < args.length; k++) acc = mul(acc, ev(k));
      return acc;
    }
    case "Divide":
    case "Rational":
      return div(ev(0), ev(1));
    case "Delimiter":
      if (args.length !== 1) throw new Unsupported("sequence in expression");
      return ev(0);
    case "Power":
      return pow(ev(0), ev(1), budget.real);
    case "Square":
      return mul(ev(0), ev(0));
    case "Sqrt":
      return pow(ev(0), [0.5, 0], budget.real);
    case "Root":
      return pow(ev(0), div([1, 0], ev(1)), budget.real);
    case "Exp":
      return cexp(ev(0));
    case "Ln":
      return log(ev(0), budget.real);
    case "Log":
      return args.length === 1
        ? div(log(ev(0), budget.real), [Math.LN10, 0])
        : div(log(ev(0), budget.real), log(ev(1), budget.real));
    case "Lb":
      return div(log(ev(0), budget.real), [Math.LN2, 0]);
    case "Lg":
      return div(log(ev(0), budget.real), [Math.LN10, 0]);
    case "Degrees":
      return mul(ev(0), [Math.PI / 180, 0]);
    case "Abs": {
      const v = ev(0);
      return [Math.hypot(v[0], v[1]), 0];
    }
    case "Factorial":
      return factorial(ev(0));
    case "Binomial":
      return binomial(ev(0), ev(1));
    case "Floor":
      return realOnly(ev(0), Math.floor);
    case "Ceil":
      return realOnly(ev(0), Math.ceil);
    case "Round":
      return realOnly(ev(0), Math.round);
    case "Sign":
      return realOnly(ev(0), Math.sign);
    case "Max":
    case "Min": {
      const vs = args.map((_, k) => real(ev(k)));
      return [head === "Max" ? Math.max(...vs) : Math.min(...vs), 0];
    }
    case "GCD":
    case "LCM": {
      const vs = args.map((_, k) => integer(ev(k)));
      return [vs.reduce(head === "GCD" ? gcd : lcm), 0];
    }
    case "Mod": {
      const a = integer(ev(0)), b = integer(ev(1));
      return [((a % b) + b) % b, 0];
    }
    default: {
      const fn = FUNCTIONS[head];
      if (fn) return fn(ev(0));
      throw new Unsupported(head);
    }
  }
}

const FUNCTIONS: Record<string, (z: Complex) => Complex> = {
  Sin: csin,
  Cos: ccos,
  Tan: (z) => div(csin(z), ccos(z)),
  Sec: (z) => div([1, 0], ccos(z)),
  Csc: (z) => div([1, 0], csin(z)),
  Cot: (z) => div(ccos(z), csin(z)),
  Sinh: (z) => mul(sub(cexp(z), cexp(neg(z))), [0.5, 0]),
  Cosh: (z) => mul([...add(cexp(z), cexp(neg(z)))] as Complex, [0.5, 0]),
  Tanh: (z) => div(sub(cexp(z), cexp(neg(z))), add(cexp(z), cexp(neg(z)))),
  Arcsin: (z) => realFn(z, Math.asin),
  Arccos: (z) => realFn(z, Math.acos),
  Arctan: (z) => realFn(z, Math.atan),
  Arccot: (z) => realFn(z, (x) => Math.atan(1 / x)),
  Arcsec: (z) => realFn(z, (x) => Math.acos(1 / x)),
  Arccsc: (z) => realFn(z, (x) => Math.asin(1 / x)),
};

function symbol(name: string, env: ReadonlyMap<string, Complex>): Complex {
  const bound = env.get(name);
  if (bound) return bound;
  switch (name) {
    case "Pi":
      return PI;
    case "ExponentialE":
    case "e":
      return E;
    case "ImaginaryUnit":
    case "i":
      return I;
    case "PositiveInfinity":
      return [Infinity, 0];
    case "NegativeInfinity":
      return [-Infinity, 0];
    case "Half":
      return [0.5, 0];
  }
  if (name.startsWith("'")) throw new Unsupported("text");
  throw new Unsupported(`unbound symbol ${name}`);
}

function numberString(s: string): number {
  if (s === "+Infinity") return Infinity;
  if (s === "-Infinity") return -Infinity;
  const x = Number(s.replace(/n$/, "").replace(/\([0-9]+\)$/, ""));
  if (Number.isNaN(x)) throw new Unsupported(`number ${s}`);
  if (!Number.isFinite(x)) throw new TooComplex("number out of range");
  return x;
}

function add(a: Complex, b: Complex): Complex {
  return [a[0] + b[0], a[1] + b[1]];
}
function sub(a: Complex, b: Complex): Complex {
  return [a[0] - b[0], a[1] - b[1]];
}
function neg(a: Complex): Complex {
  // Keep +0 imaginary parts: atan2(-0, -1) is -pi, which would flip the branch of sqrt(-1).
  return [-a[0], a[1] === 0 ? 0 : -a[1]];
}
function mul(a: Complex, b: Complex): Complex {
  if (a[1] === 0 && b[1] === 0) return [a[0] * b[0], 0];
  return [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
}
function div(a: Complex, b: Complex): Complex {
  if (a[1] === 0 && b[1] === 0) return [a[0] / b[0], 0];
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}
function cexp(z: Complex): Complex {
  if (z[0] > 709) throw new TooComplex("exponential overflow");
  const m = Math.exp(z[0]);
  return z[1] === 0 ? [m, 0] : [m * Math.cos(z[1]), m * Math.sin(z[1])];
}
function clog(z: Complex): Complex {
  if (z[1] === 0 && z[0] > 0) return [Math.log(z[0]), 0];
  return [Math.log(Math.hypot(z[0], z[1])), Math.atan2(z[1], z[0])];
}
function csin(z: Complex): Complex {
  if (z[1] === 0) return [Math.sin(z[0]), 0];
  return [Math.sin(z[0]) * Math.cosh(z[1]), Math.cos(z[0]) * Math.sinh(z[1])];
}
function ccos(z: Complex): Complex {
  if (z[1] === 0) return [Math.cos(z[0]), 0];
  return [Math.cos(z[0]) * Math.cosh(z[1]), -Math.sin(z[0]) * Math.sinh(z[1])];
}

const UNDEFINED: Complex = [NaN, NaN];

/** Logarithm; in real mode undefined for a negative or complex argument. */
function log(z: Complex, real?: boolean): Complex {
  if (real && (z[1] !== 0 || z[0] < 0)) return UNDEFINED;
  return clog(z);
}

/**
 * `a^b`; in real mode a negative real base takes only exponents that are rationals with an odd
 * denominator (`(-8)^{1/3}` = -2, `(-8)^{2/3}` = 4), anything else is undefined.
 */
function pow(a: Complex, b: Complex, real?: boolean): Complex {
  if (!real || a[1] !== 0 || b[1] !== 0 || a[0] >= 0 || Number.isInteger(b[0])) {
    return power(a, b);
  }
  for (let q = 3; q <= 15; q += 2) {
    const p = Math.round(b[0] * q);
    if (Math.abs(b[0] * q - p) < 1e-9) {
      const m = Math.pow(-a[0], b[0]);
      return [p % 2 === 0 ? m : -m, 0];
    }
  }
  return UNDEFINED;
}

/** `a^b`, refusing results that would overflow (`10^{10^{10}}`). */
function power(a: Complex, b: Complex): Complex {
  const magA = Math.hypot(a[0], a[1]);
  if (magA !== 0 && magA !== 1 && b[1] === 0 && Math.abs(b[0] * Math.log(magA)) > 700) {
    if (b[0] * Math.log(magA) > 0) throw new TooComplex("power overflow");
    return [0, 0];
  }
  if (!Number.isFinite(b[0]) && magA !== 1) throw new TooComplex("infinite exponent");
  if (a[1] === 0 && b[1] === 0) {
    if (a[0] >= 0 || Number.isInteger(b[0])) return [Math.pow(a[0], b[0]), 0];
    // Rational powers with an odd denominator of negative reals: the real root, as a student (and
    // sympy's real_root) means it: (-8)^{1/3} = -2, (-8)^{2/3} = 4.
    const r = pow(a, b, true);
    if (!Number.isNaN(r[0])) return r;
  }
  if (magA === 0) return b[0] > 0 ? [0, 0] : [Infinity, 0];
  return cexp(mul(b, clog(a)));
}

function real(z: Complex): number {
  if (Math.abs(z[1]) > 1e-12 * Math.max(1, Math.abs(z[0]))) {
    throw new Unsupported("complex argument");
  }
  return z[0];
}
function realOnly(z: Complex, f: (x: number) => number): Complex {
  return [f(real(z)), 0];
}
function realFn(z: Complex, f: (x: number) => number): Complex {
  return [f(real(z)), 0];
}
function integer(z: Complex): number {
  const x = real(z);
  if (!Number.isInteger(Math.round(x)) || Math.abs(x - Math.round(x)) > 1e-9) {
    throw new Unsupported("non-integer argument");
  }
  return Math.round(x);
}
function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function lcm(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : Math.abs(a * b) / gcd(a, b);
}
function factorial(z: Complex): Complex {
  const n = integer(z);
  if (n < 0) return [NaN, 0];
  if (n > 170) throw new TooComplex("factorial overflow");
  let r = 1;
  for (let k = 2; k <= n; k++) r *= k;
  return [r, 0];
}
function binomial(nz: Complex, kz: Complex): Complex {
  const k = integer(kz);
  const n = real(nz);
  if (k < 0) return [0, 0];
  if (k > 1000) throw new TooComplex("binomial too large");
  let r = 1;
  for (let j = 0; j < k; j++) r = (r * (n - j)) / (j + 1);
  if (!Number.isFinite(r)) throw new TooComplex("binomial overflow");
  return [r, 0];
}
