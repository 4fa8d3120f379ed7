/**
 * The exact step checker of the synthetic world: every step of a (partial) solution judged
 * against the problem's plan, with consistent carry (a step that uses this solution's own wrong
 * earlier result correctly is locally correct), and the PRM800K-style label of each step.
 *
 * @example
 * ```ts
 * import { checkSteps } from "./checker.ts";
 * import { evalSplit } from "./eval_split.ts";
 * const p = evalSplit()[0];
 * checkSteps(p, p.solution).solved; // true
 * ```
 *
 * @module
 */

import { evalStep, fmtResult, rewriteAfter, runPlan, stepText, type StepValue } from "./execute.ts";
import type { Op, Operand, Plan, SyntheticProblem } from "./plan.ts";
import { apply, eq, fmt, parseNum, type Rat, rat } from "./rational.ts";
import { extractBoxed, formatAnswerStep, splitSteps } from "./steps.ts";

/**
 * How a step was read: an operation, the answer, unreadable, or a step past the last operation.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./eval_split.ts";
 * const kind: StepKind = checkSteps(evalSplit()[0], evalSplit()[0].solution).steps[0].kind; // "op"
 * ```
 */
export type StepKind = "op" | "answer" | "invalid" | "extra";

/**
 * The verdict on one step.
 *
 * - `locallyCorrect`: right operation on the right quantities (literals of the problem, or this
 *   solution's own earlier results, even if those were wrong: "consistent carry") with a right
 *   result; for the answer step, the box holds this solution's own final result.
 * - `correct`: this step and every earlier step are locally correct, i.e. the prefix is still on
 *   the gold path (the PRM800K-style label of the step).
 *
 * @example
 * ```ts
 * import { evalSplit } from "./eval_split.ts";
 * const v: StepVerdict = checkSteps(evalSplit()[0], ["Step 1: 1 + 1 = 3"]).steps[0];
 * v.arithmeticOk; // false
 * ```
 */
export interface StepVerdict {
  /** 0-based position in the solution. */
  index: number;
  text: string;
  kind: StepKind;
  /** The step has the expected form (`Step <index+1>: x op y = z`, or a `\boxed{}` answer). */
  parsed: boolean;
  /** The written result equals the written operands under the written operator. */
  arithmeticOk: boolean;
  /** Operator and operands are the plan's, given the solution's own earlier results. */
  operandsOk: boolean;
  locallyCorrect: boolean;
  correct: boolean;
  /** The locally correct step at this position, given the solution's own earlier results. */
  expected: string;
  /** The gold step at this position (empty past the end of the gold solution). */
  gold: string;
  /** Why the step is not locally correct. */
  error?: string;
}

/**
 * The checker's report on a (partial) solution.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./eval_split.ts";
 * const p = evalSplit()[0];
 * const r: CheckResult = checkSteps(p, p.solution);
 * r.firstError; // -1
 * r.solved; // true
 * ```
 */
export interface CheckResult {
  steps: StepVerdict[];
  /** Index of the first step that is not locally correct, or -1. */
  firstError: number;
  /** The solution contains an answer step (a `\boxed{}`). */
  complete: boolean;
  /** Content of the last `\boxed{}` in the solution, or null. */
  answer: string | null;
  /** `answer` equals the problem's answer (exact string match after trimming). */
  answerCorrect: boolean;
  /** Complete, every step correct and the answer right. */
  solved: boolean;
}

/** `Step k: [(cue) ]x op y = z[ R r][\nNow: rewrite]`: groups label, x, op, y, z, r, rewrite. */
const STEP_RE =
  /^Step (\d+): (?:\([^()\n]*\) )?(\d{1,9}(?:\/\d{1,9})?) ([-+*/]) (\d{1,9}(?:\/\d{1,9})?) = (\d{1,9}(?:\/\d{1,9})?)(?: R (\d{1,9}))?(?:\nNow: ([^\n]*))?$/;

function sameNumber(a: string, b: string): boolean {
  const x = parseNum(a);
  const y = parseNum(b);
  return x !== null && y !== null ? eq(x, y) : a === b;
}

/**
 * Judge every step of a (partial) solution against the problem's plan, exactly.
 *
 * Steps are matched to plan operations by position: step `i` must be
 * `Step <i+1>: x op y = z` with the plan's operator, with `x`, `y` the plan's operands (for `+`
 * and `*` in either order), where an operand that refers to an earlier step takes the value that
 * this solution wrote there (consistent carry), and with `z` the exact result (`q R r` with
 * `0 <= r < y` for a remainder step). A quoted cue `(sentence) ` before `x` is allowed and not
 * judged (a wrong cue shows in the operands); an optional `\nNow: ...` line must be the expression
 * body with this solution's own results substituted (a wrong rewrite is an error of its step).
 * After the last operation comes one answer step containing
 * `\boxed{...}`. Each step may keep its trailing `"\n\n"`; a string is split with
 * {@linkcode splitSteps}.
 *
 * @example
 * ```ts
 * import { goldSteps } from "./execute.ts";
 * import { generateProblem } from "./generate.ts";
 * const p = generateProblem(1, 0, 2, "expr");
 * const steps = goldSteps(p);
 * steps[0] = steps[0].replace(/= (\d+)/, (_, z) => `= ${Number(z) + 1}`);
 * checkSteps(p, steps).firstError; // 0
 * ```
 */
export function checkSteps(
  problem: Pick<SyntheticProblem, "plan" | "answer">,
  solution: string | readonly string[],
): CheckResult {
  const texts = typeof solution === "string"
    ? splitSteps(solution)
    : solution.map((s) => s.trim()).filter((s) => s.length > 0);
  const plan = problem.plan;
  const gold = runPlan(plan, Infinity);
  if (gold === null) throw new Error("plan cannot be executed");
  const goldTexts = [...gold.map((s) => s.text), formatAnswerStep(problem.answer)];
  const own: (StepValue | null)[] = [];
  const verdicts: StepVerdict[] = [];
  let onTrack = true;
  let complete = false;
  let answer: string | null = null;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    const base = { index: i, text, gold: goldTexts[i] ?? "" };
    let v: Omit<StepVerdict, "correct" | "index" | "text" | "gold">;
    const boxed = extractBoxed(text);
    if (boxed !== null) {
      complete = true;
      answer = boxed;
      if (i !== plan.steps.length) {
        v = {
          kind: "answer",
          parsed: true,
          arithmeticOk: false,
          operandsOk: false,
          locallyCorrect: false,
          expected: i < plan.steps.length ? expectedStep(plan, i, own) : "",
          error: i < plan.steps.length
            ? "answer before the last operation"
            : "answer after extra steps",
        };
      } else {
        const ref = own[plan.answer.ref];
        const mine = ref === null || ref === undefined
          ? null
          : plan.answer.part === "rem"
          ? `${ref.rem ?? 0}`
          : fmt(ref.value);
        const ok = mine !== null && sameNumber(boxed, mine);
        v = {
          kind: "answer",
          parsed: true,
          arithmeticOk: true,
          operandsOk: ok,
          locallyCorrect: ok,
          expected: mine === null ? "" : formatAnswerStep(mine),
          error: ok ? undefined : "boxed answer differs from the solution's own result",
        };
      }
    } else if (i >= plan.steps.length) {
      v = {
        kind: "extra",
        parsed: STEP_RE.test(text),
        arithmeticOk: false,
        operandsOk: false,
        locallyCorrect: false,
        expected: i === plan.steps.length ? answerExpected(plan, own) : "",
        error: "step after the last operation",
      };
    } else {
      const r = judgeOp(plan, i, text, own);
      v = r.verdict;
      own.push(r.value);
    }
    // keep `own` aligned with step positions (answer and extra steps have no value)
    if (own.length === i) own.push(null);
    onTrack = onTrack && v.locallyCorrect;
    verdicts.push({ ...base, ...v, correct: onTrack });
  }
  const firstError = verdicts.findIndex((s) => !s.locallyCorrect);
  const answerCorrect = answer !== null && answer === problem.answer.trim();
  return {
    steps: verdicts,
    firstError,
    complete,
    answer,
    answerCorrect,
    solved: complete && firstError === -1 && answerCorrect &&
      verdicts.length === plan.steps.length + 1,
  };
}

/** The locally correct text of operation step i, given the solution's own earlier values. */
function expectedStep(plan: Plan, i: number, own: readonly (StepValue | null)[]): string {
  const s = plan.steps[i];
  const x = resolveOwn(s.a, plan, own);
  const y = resolveOwn(s.b, plan, own);
  const v = evalStep(s, x, y);
  if (v === null) return stepText(plan, i, x, y, "?", null);
  const values = plan.steps.slice(0, i).map((_, j) =>
    own[j] ?? { value: resolveOwn({ ref: j }, plan, own) }
  );
  return stepText(plan, i, x, y, fmtResult(v), [...values, v]);
}

function answerExpected(plan: Plan, own: readonly (StepValue | null)[]): string {
  const ref = own[plan.answer.ref];
  if (!ref) return "";
  return formatAnswerStep(plan.answer.part === "rem" ? `${ref.rem ?? 0}` : fmt(ref.value));
}

/** An operand's value for this solution: its own written result, or the gold-consistent one. */
function resolveOwn(o: Operand, plan: Plan, own: readonly (StepValue | null)[]): Rat {
  if ("lit" in o) return parseNum(o.lit)!;
  const mine = own[o.ref];
  if (mine) return mine.value;
  // the referenced step was unreadable: fall back to what it should have computed
  const s = plan.steps[o.ref];
  const v = evalStep(s, resolveOwn(s.a, plan, own), resolveOwn(s.b, plan, own));
  return v?.value ?? rat(0);
}

function judgeOp(
  plan: Plan,
  i: number,
  text: string,
  own: readonly (StepValue | null)[],
): { verdict: Omit<StepVerdict, "correct" | "index" | "text" | "gold">; value: StepValue | null } {
  const s = plan.steps[i];
  const expected = expectedStep(plan, i, own);
  const m = STEP_RE.exec(text);
  const x = m ? parseNum(m[2]) : null;
  const y = m ? parseNum(m[4]) : null;
  const z = m ? parseNum(m[5]) : null;
  if (!m || x === null || y === null || z === null) {
    return {
      verdict: {
        kind: "invalid",
        parsed: false,
        arithmeticOk: false,
        operandsOk: false,
        locallyCorrect: false,
        expected,
        error: 'not of the form "Step k: x op y = z"',
      },
      value: null,
    };
  }
  const op = m[3] as Op;
  const remWritten = m[6] !== undefined ? Number(m[6]) : undefined;
  const written: StepValue = { value: z, rem: remWritten };
  // arithmetic on the written numbers
  let arithmeticOk: boolean;
  if (remWritten !== undefined) {
    arithmeticOk = op === "/" && x.d === 1 && y.d === 1 && z.d === 1 && y.n > 0 &&
      z.n * y.n + remWritten === x.n && remWritten < y.n;
  } else {
    const c = apply(op, x, y);
    arithmeticOk = c !== null && eq(c, z);
  }
  // operator and operands against the plan, with consistent carry
  const ex = resolveOwn(s.a, plan, own);
  const ey = resolveOwn(s.b, plan, own);
  const commutes = s.op === "+" || s.op === "*";
  const labelOk = Number(m[1]) === i + 1;
  const formOk = (remWritten !== undefined) === (s.rem === true);
  const operandsOk = op === s.op && labelOk && formOk &&
    ((eq(x, ex) && eq(y, ey)) || (commutes && eq(x, ey) && eq(y, ex)));
  // the rewrite line, where written, must be the body with this solution's own values
  const rewrite = m[7] === undefined ? undefined : m[7].trim();
  const rewriteOk = rewrite === undefined || rewrite === rewriteAfter(plan, i, [...own, written]);
  const errors = [];
  if (!labelOk) errors.push(`label should be Step ${i + 1}`);
  if (op !== s.op) errors.push(`operator should be ${s.op}`);
  else if (!formOk) errors.push(s.rem ? "result should be written q R r" : "no remainder expected");
  else if (!operandsOk) errors.push("wrong operand");
  if (!arithmeticOk) errors.push("arithmetic error");
  if (!rewriteOk) errors.push("wrong rewrite on the Now line");
  const ok = operandsOk && arithmeticOk && rewriteOk;
  return {
    verdict: {
      kind: "op",
      parsed: true,
      arithmeticOk,
      operandsOk,
      locallyCorrect: ok,
      expected,
      error: ok ? undefined : errors.join("; "),
    },
    value: written,
  };
}
