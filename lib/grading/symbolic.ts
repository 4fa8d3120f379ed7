/**
 * The symbolic stage: LaTeX → MathJSON with `@cortex-js/compute-engine` (parsing only, cached), then
 * a seeded numeric spot-check — both sides evaluated at the same random points for their free
 * variables — with a compute-engine `.N()` fallback for operators the hand-written evaluator does not
 * know. Inputs are size- and depth-checked before the (synchronous) parser ever sees them.
 *
 * @module
 */
import { ComputeEngine } from "@cortex-js/compute-engine";
import {
  type Complex,
  evaluate,
  freeVariables,
  type MathJson,
  TooComplex,
  Unsupported,
} from "./evaluate.ts";
import { nestingDepth } from "./scan.ts";
import { rng } from "../core/random.ts";

/** A parsed expression, or why it could not be parsed. */
export type Parsed = ParsedExpression | { error: string };

/** A successfully parsed expression and its free variables. */
export interface ParsedExpression {
  /** MathJSON, not canonicalised (`InvisibleOperator`, `Delimiter` kept). */
  json: MathJson;
  /** Free variables, sorted. */
  vars: string[];
}

/** Limits checked before calling the parser. */
export interface ParseLimits {
  /** Longest LaTeX handed to the parser. */
  maxLength: number;
  /** Deepest bracket nesting handed to the parser. */
  maxDepth: number;
}

/** Thrown when the per-comparison time budget is spent. */
export class Timeout extends Error {}

let engine: ComputeEngine | undefined;
const cache = new Map<string, Parsed>();
const CACHE_LIMIT = 20_000;

function ce(): ComputeEngine {
  engine ??= new ComputeEngine();
  return engine;
}

/**
 * The process's compute engine (created on first use), for the stages that need its canonical form.
 *
 * @example
 * ```ts
 * computeEngine().parse("x+1").json; // ["Add", "x", 1]
 * ```
 */
export function computeEngine(): ComputeEngine {
  return ce();
}

/**
 * Create the compute engine and warm its parser (about half a second, once per process), so that
 * this cost is not charged to the time budget of the first comparison.
 *
 * @example
 * ```ts
 * warmUp();
 * ```
 */
export function warmUp(): void {
  if (engine) return;
  ce().parse("\\frac{\\sqrt{x}}{2}+\\sin(\\pi x)^{2}", { form: "raw" });
}

/**
 * Parse normalised LaTeX to MathJSON (cached). Throws {@linkcode TooComplex} for inputs over the
 * limits; returns `{error}` when the parser reports an error node.
 *
 * @example
 * ```ts
 * parseLatex("\\frac{x}{2}", { maxLength: 1000, maxDepth: 40 }); // { json: ["Divide","x",2], vars: ["x"] }
 * ```
 */
export function parseLatex(latex: string, limits: ParseLimits): Parsed {
  const hit = cache.get(latex);
  if (hit) return hit;
  if (latex.length > limits.maxLength) {
    throw new TooComplex(`longer than ${limits.maxLength} chars`);
  }
  if (nestingDepth(latex) > limits.maxDepth) {
    throw new TooComplex(`nested deeper than ${limits.maxDepth}`);
  }
  let parsed: Parsed;
  try {
    const json = ce().parse(latex, { form: "raw" }).json as MathJson;
    const err = findError(json);
    parsed = err ? { error: err } : { json, vars: [...freeVariables(json)].sort() };
  } catch (e) {
    parsed = { error: `parser: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(latex, parsed);
  return parsed;
}

function findError(json: MathJson): string | null {
  if (typeof json === "string") return json.startsWith("'") ? "text, not math" : null;
  if (!Array.isArray(json)) return null;
  if (json[0] === "Error") return `parse error ${JSON.stringify(json).slice(0, 80)}`;
  if (json[0] === "__unit__") return "unit";
  for (let k = 1; k < json.length; k++) {
    const e = findError(json[k]);
    if (e) return e;
  }
  return null;
}

/**
 * Non-strict variables (Math-Verify's `strict=False`): the prediction's free variables that the gold
 * lacks are renamed, in sorted order, to the gold's that the prediction lacks, when there are as many
 * on both sides (`f(y)` read as `f(x)`; shared variables keep their names). Otherwise, or when
 * nothing differs, the prediction is returned as it is.
 *
 * @example
 * ```ts
 * const g = parseLatex("f(x)", { maxLength: 1000, maxDepth: 40 });
 * const p = parseLatex("f(y)", { maxLength: 1000, maxDepth: 40 });
 * if ("json" in g && "json" in p) alignVariables(g, p).vars; // ["f", "x"]: y read as x
 * ```
 */
export function alignVariables(g: ParsedExpression, p: ParsedExpression): ParsedExpression {
  const onlyG = g.vars.filter((v) => !p.vars.includes(v));
  const onlyP = p.vars.filter((v) => !g.vars.includes(v));
  if (onlyG.length === 0 || onlyG.length !== onlyP.length) return p;
  const to = new Map(onlyP.map((v, k) => [v, onlyG[k]]));
  const rename = (e: MathJson): MathJson => {
    if (typeof e === "string") return to.get(e) ?? e;
    if (Array.isArray(e)) {
      return e.map((x, k) => (k === 0 && typeof x === "string" ? x : rename(x)));
    }
    if (typeof e === "object" && "sym" in e) return { sym: to.get(e.sym) ?? e.sym };
    return e;
  };
  return { json: rename(p.json), vars: [...new Set(p.vars.map((v) => to.get(v) ?? v))].sort() };
}

/** How a sample point's values are compared. */
export type SampleCheck = (g: Complex, p: Complex) => boolean;

/** Context of one comparison: deadline and seed. */
export interface SpotCheck {
  /** `performance.now()` value after which {@linkcode Timeout} is thrown. */
  deadline: number;
  /** Seed of the sample points. */
  seed: number;
}

const NODE_BUDGET = 20_000;

/**
 * Evaluate both expressions at the same random points (one point when there is no free variable)
 * and return the pairs of values. Points where either side is undefined (NaN) are dropped.
 *
 * @example
 * ```ts
 * const a = parseLatex("(x+1)^2", { maxLength: 1000, maxDepth: 40 });
 * const b = parseLatex("x^2+2x+1", { maxLength: 1000, maxDepth: 40 });
 * if ("json" in a && "json" in b) samplePairs(a, b, { deadline: Infinity, seed: 1 });
 * ```
 */
export function samplePairs(
  a: ParsedExpression,
  b: ParsedExpression,
  ctx: SpotCheck,
  points = 5,
): [Complex, Complex][] {
  const vars = [...new Set([...a.vars, ...b.vars])];
  if (vars.length > 12) throw new TooComplex("more than 12 variables");
  const rand = rng(ctx.seed).uniform;
  const n = vars.length === 0 ? 1 : points;
  const out: [Complex, Complex][] = [];
  for (let k = 0; k < n; k++) {
    if (performance.now() > ctx.deadline) throw new Timeout("timeout");
    // Positive reals in [0.5, 3.5): away from 0 and 1, inside every usual domain (roots, logs).
    const env = new Map<string, Complex>(vars.map((v) => [v, [0.5 + 3 * rand(), 0]]));
    const g = value(a.json, env);
    const p = value(b.json, env);
    if (Number.isNaN(g[0]) || Number.isNaN(p[0]) || Number.isNaN(g[1]) || Number.isNaN(p[1])) {
      continue;
    }
    out.push([g, p]);
  }
  return out;
}

/** How a point where a variable is negative turned out. */
export type SignCheck = "agree" | "differ" | "domain";

/**
 * The sign/branch check run after the positive sample points agree: each free variable in turn (at
 * most 6) is made negative, the others kept positive, and both sides are evaluated over the reals
 * (even roots and logarithms of negatives undefined, odd roots real). Both defined and different →
 * `differ` (`\sqrt{x^2}` vs `x`, `|x|` vs `x`); one defined and the other not → `domain`
 * (`\sqrt{x}^2` vs `x`); otherwise `agree`. Expressions with the imaginary unit, or that the
 * hand-written evaluator cannot evaluate, are not checked (`agree`).
 *
 * @example
 * ```ts
 * const a = parseLatex("\\sqrt{x^2}", { maxLength: 1000, maxDepth: 40 });
 * const b = parseLatex("x", { maxLength: 1000, maxDepth: 40 });
 * const same = (g: readonly number[], p: readonly number[]) => Math.abs(g[0] - p[0]) < 1e-9;
 * if ("json" in a && "json" in b) signCheck(a, b, { deadline: Infinity, seed: 1 }, same); // "differ"
 * ```
 */
export function signCheck(
  a: ParsedExpression,
  b: ParsedExpression,
  ctx: SpotCheck,
  same: SampleCheck,
): SignCheck {
  const vars = [...new Set([...a.vars, ...b.vars])];
  if (vars.length === 0 || hasImaginary(a.json) || hasImaginary(b.json)) return "agree";
  const rand = rng(ctx.seed + 7).uniform;
  for (let k = 0; k < Math.min(vars.length, 6); k++) {
    for (let rep = 0; rep < (vars.length === 1 ? 2 : 1); rep++) {
      if (performance.now() > ctx.deadline) throw new Timeout("timeout");
      const env = new Map<string, Complex>(
        vars.map((v, j) => [v, [(j === k ? -1 : 1) * (0.5 + 3 * rand()), 0]]),
      );
      let g: Complex, p: Complex;
      try {
        g = evaluate(a.json, env, { nodes: NODE_BUDGET, real: true });
        p = evaluate(b.json, env, { nodes: NODE_BUDGET, real: true });
      } catch (e) {
        if (e instanceof Unsupported) return "agree";
        throw e;
      }
      const gu = Number.isNaN(g[0]) || Number.isNaN(g[1]);
      const pu = Number.isNaN(p[0]) || Number.isNaN(p[1]);
      if (gu && pu) continue;
      if (gu !== pu) return "domain";
      if (!same(g, p)) return "differ";
    }
  }
  return "agree";
}

function hasImaginary(json: MathJson): boolean {
  if (typeof json === "string") return json === "ImaginaryUnit" || json === "i";
  return Array.isArray(json) && json.some((x, k) => k > 0 && hasImaginary(x));
}

/** Evaluate with the hand-written evaluator, falling back to compute-engine `.N()`. */
function value(json: MathJson, env: Map<string, Complex>): Complex {
  try {
    return evaluate(json, env, { nodes: NODE_BUDGET });
  } catch (e) {
    if (!(e instanceof Unsupported) || /^(text|unbound|sequence)/.test(e.message)) throw e;
    return engineValue(json, env);
  }
}

function engineValue(json: MathJson, env: Map<string, Complex>): Complex {
  const subs: Record<string, number> = {};
  for (const [k, v] of env) subs[k] = v[0];
  // deno-lint-ignore no-explicit-any
  const boxed = ce().box(json as any).subs(subs).N();
  const re = boxed.re;
  const im = boxed.im;
  if (typeof re !== "number" || Number.isNaN(re)) {
    throw new Unsupported(`cannot evaluate ${JSON.stringify(json).slice(0, 60)}`);
  }
  return [re, typeof im === "number" && Number.isFinite(im) ? im : 0];
}
