/**
 * Executing a plan: every step computed exactly, written as text (with the word problem's cue and
 * the expression's `Now:` rewrite), optionally with one deliberate deviation carried forward
 * consistently, and the gold solution that results.
 *
 * @example
 * ```ts
 * import { goldSteps } from "./execute.ts";
 * import { generateProblem } from "./generate.ts";
 * goldSteps(generateProblem(1, 0, 2, "expr")).length; // 3: two operations and the answer
 * ```
 *
 * @module
 */

import type { Op, Operand, Plan, PlanStep, SyntheticProblem } from "./plan.ts";
import { apply, fmt, parseNum, type Rat, rat } from "./rational.ts";
import { formatAnswerStep, formatStep } from "./steps.ts";

/**
 * Result of one executed step: its value (the quotient for a remainder step) and remainder.
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * const v: StepValue = { value: rat(20), rem: 3 }; // 83 / 4 = 20 R 3
 * ```
 */
export interface StepValue {
  value: Rat;
  rem?: number;
}

/**
 * Compute one step on concrete operands; null when it is not defined for them.
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * evalStep({ op: "/", a: { lit: "83" }, b: { lit: "4" }, rem: true }, rat(83), rat(4)); // 20 R 3
 * ```
 */
export function evalStep(step: PlanStep, x: Rat, y: Rat): StepValue | null {
  if (step.rem) {
    if (x.d !== 1 || y.d !== 1 || y.n <= 0 || x.n < 0) return null;
    return { value: rat(Math.floor(x.n / y.n)), rem: x.n % y.n };
  }
  const v = apply(step.op, x, y);
  return v === null ? null : { value: v };
}

/**
 * Format the result part of a step (`"60"`, `"20 R 3"`).
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * fmtResult({ value: rat(20), rem: 3 }); // "20 R 3"
 * ```
 */
export function fmtResult(v: StepValue): string {
  return v.rem === undefined ? fmt(v.value) : `${fmt(v.value)} R ${v.rem}`;
}

function resolve(o: Operand, values: readonly (StepValue | null)[]): Rat | null {
  if ("lit" in o) return parseNum(o.lit);
  return values[o.ref]?.value ?? null;
}

/**
 * Whether a value is allowed as an intermediate result: a non-negative integer within the cap.
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * admissible({ value: rat(1, 2) }, 99); // false
 * ```
 */
export function admissible(v: StepValue, cap: number): boolean {
  return v.value.d === 1 && v.value.n >= 0 && v.value.n <= cap;
}

/**
 * A deliberate deviation at one step, used to make flawed solutions.
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * const dev: Deviation = { step: 0, result: { value: rat(61) } }; // write 61 for step 1's result
 * ```
 */
export interface Deviation {
  step: number;
  /** Replace the written first or second operand by this number. */
  a?: Rat;
  b?: Rat;
  /** Replace the written result by this one (after operands are applied). */
  result?: StepValue;
}

/**
 * One executed step as written: operands, result, and text.
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * const steps: WrittenStep[] | null = runPlan(generateProblem(1, 0, 2, "expr").plan, Infinity);
 * ```
 */
export interface WrittenStep {
  x: Rat;
  y: Rat;
  out: StepValue;
  text: string;
}

/**
 * Execute a plan, optionally with one deviation, carrying the written results forward
 * consistently. Returns null if some step becomes inadmissible (negative, non-integer, too big).
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * runPlan(generateProblem(1, 0, 2, "expr").plan, Infinity)?.map((s) => s.text);
 * ```
 */
export function runPlan(plan: Plan, cap: number, dev?: Deviation): WrittenStep[] | null {
  const values: (StepValue | null)[] = [];
  const out: WrittenStep[] = [];
  for (let i = 0; i < plan.steps.length; i++) {
    const s = plan.steps[i];
    let x = resolve(s.a, values);
    let y = resolve(s.b, values);
    if (x === null || y === null) return null;
    if (dev?.step === i) {
      x = dev.a ?? x;
      y = dev.b ?? y;
    }
    let v = evalStep(s, x, y);
    if (v === null) return null;
    if (dev?.step === i && dev.result) v = dev.result;
    if (!admissible(v, cap)) return null;
    values.push(v);
    out.push({ x, y, out: v, text: stepText(plan, i, x, y, fmtResult(v), values) });
  }
  return out;
}

/**
 * The written text of operation step `i` of a plan: `Step k: [(cue) ]x op y = z`, and for an
 * expression problem whose body is not yet reduced to one number, a second line
 * `Now: <the expression with every computed part replaced by its written value>`. The cue and the
 * rewrite keep the next step's operands next to it, so a small model need not search the problem
 * for them (without them the embedded model lost its place after step 1).
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * const plan = { steps: [{ op: "+" as const, a: { lit: "2" }, b: { lit: "3" } }], answer: { ref: 0, part: "value" as const } };
 * stepText(plan, 0, rat(2), rat(3), "5", null); // "Step 1: 2 + 3 = 5"
 * ```
 */
export function stepText(
  plan: Plan,
  i: number,
  x: Rat,
  y: Rat,
  result: string,
  values: readonly (StepValue | null)[] | null,
): string {
  const s = plan.steps[i];
  const cue = s.cue ? `(${s.cue}) ` : "";
  const now = values === null ? null : rewriteAfter(plan, i, values);
  const head = formatStep(i, `${cue}${fmt(x)}`, s.op, fmt(y), result);
  return now === null ? head : `${head}\nNow: ${now}`;
}

/** Index of the step whose result is the expression body (the operand of a final remainder step). */
function bodyRoot(plan: Plan): number {
  const last = plan.steps.length - 1;
  const s = plan.steps[last];
  return s.rem && "ref" in s.a ? s.a.ref : last;
}

/**
 * Operator precedence, for writing expressions with the fewest parentheses.
 *
 * @example
 * ```ts
 * PREC["*"] > PREC["+"]; // true
 * ```
 */
export const PREC: Record<Op, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/**
 * The expression body after step `i`, steps `0..i` replaced by their values in `values`; null for
 * word problems (steps with cues) and once the body is a single number.
 *
 * @example
 * ```ts
 * import { rat } from "./rational.ts";
 * const plan = {
 *   steps: [{ op: "+" as const, a: { lit: "2" }, b: { lit: "3" } }, { op: "*" as const, a: { ref: 0 }, b: { lit: "4" } }],
 *   answer: { ref: 1, part: "value" as const },
 * };
 * rewriteAfter(plan, 0, [{ value: rat(5) }]); // "5 * 4"
 * ```
 */
export function rewriteAfter(
  plan: Plan,
  i: number,
  values: readonly (StepValue | null)[],
): string | null {
  const root = bodyRoot(plan);
  if (i >= root || plan.steps.some((s) => s.cue !== undefined)) return null;
  const operand = (o: Operand, parent: number, isRight: boolean): string => {
    if ("lit" in o) return o.lit;
    if (o.ref <= i) {
      const v = values[o.ref];
      return v ? fmt(v.value) : "?";
    }
    return node(o.ref, parent, isRight);
  };
  const node = (j: number, parentPrec: number, isRight: boolean): string => {
    const s = plan.steps[j];
    const p = PREC[s.op];
    const text = `${operand(s.a, p, false)} ${s.op} ${operand(s.b, p, true)}`;
    return p < parentPrec || (isRight && p === parentPrec) ? `(${text})` : text;
  };
  return node(root, 0, false);
}

/**
 * The answer a written solution arrives at: its answer step's value, or remainder.
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * const p = generateProblem(1, 0, 2, "expr");
 * answerOf(p.plan, runPlan(p.plan, Infinity)!) === p.answer; // true
 * ```
 */
export function answerOf(plan: Plan, steps: readonly WrittenStep[]): string {
  const v = steps[plan.answer.ref].out;
  return plan.answer.part === "rem" ? `${v.rem ?? 0}` : fmt(v.value);
}

/**
 * The gold solution of a plan as an array of steps (the last one holds `\boxed{answer}`).
 *
 * @example
 * ```ts
 * import { generateProblem } from "./generate.ts";
 * const p = generateProblem(3, 0, 1, "expr");
 * goldSteps(p).join("\n\n") === p.solution; // true
 * ```
 */
export function goldSteps(problem: Pick<SyntheticProblem, "plan">): string[] {
  const steps = runPlan(problem.plan, Infinity);
  if (!steps) throw new Error("plan cannot be executed");
  return [...steps.map((s) => s.text), formatAnswerStep(answerOf(problem.plan, steps))];
}
