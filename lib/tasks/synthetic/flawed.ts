/**
 * Flawed solutions: realistic single mistakes (an arithmetic slip or a wrong operand) carried on
 * consistently to a wrong boxed answer, for training data and negative examples. The step
 * checker confirms that the mistake is the first error.
 *
 * @example
 * ```ts
 * import { flawedSolution } from "./flawed.ts";
 * import { generateProblem } from "./generate.ts";
 * flawedSolution(generateProblem(1, 0, 3, "expr"), 9)?.firstError;
 * ```
 *
 * @module
 */

import { checkSteps } from "./checker.ts";
import { answerOf, type Deviation, runPlan } from "./execute.ts";
import { CAPS } from "./levels.ts";
import type { SyntheticProblem } from "./plan.ts";
import { eq, fmt, parseNum, type Rat, rat } from "./rational.ts";
import { hashSeed, mulberry32, pick, randInt, type Rng } from "./random.ts";
import { formatAnswerStep } from "./steps.ts";

/**
 * What kind of mistake a flawed solution contains: an arithmetic slip or a wrong operand.
 *
 * @example
 * ```ts
 * const kind: MistakeKind = "slip";
 * ```
 */
export type MistakeKind = "slip" | "operand";

/**
 * A solution with one mistake, carried on consistently to a wrong boxed answer.
 *
 * @example
 * ```ts
 * import { checkSteps } from "./checker.ts";
 * import { generateProblem } from "./generate.ts";
 * const f = flawedSolution(generateProblem(1, 0, 3, "expr"), 9)!;
 * checkSteps(generateProblem(1, 0, 3, "expr"), f.solution).firstError === f.firstError; // true
 * ```
 */
export interface FlawedSolution {
  /** Steps joined with `"\n\n"`. */
  solution: string;
  steps: string[];
  /** 0-based index of the wrong step. */
  firstError: number;
  kind: MistakeKind;
  /** The (wrong) boxed answer. */
  answer: string;
}

/** A nearby wrong integer: off by a little, off by ten, or a digit changed or swapped. */
function perturb(rng: Rng, n: number): number {
  const s = `${n}`;
  const kind = randInt(rng, 0, 5);
  if (kind <= 1) return n + pick(rng, [-2, -1, 1, 2]);
  if (kind === 2) return n + pick(rng, [-10, 10]);
  if (kind === 3 && s.length >= 2) {
    const i = randInt(rng, 0, s.length - 2);
    return Number(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  }
  const i = randInt(rng, 0, s.length - 1);
  const d = randInt(rng, i === 0 && s.length > 1 ? 1 : 0, 9);
  return Number(s.slice(0, i) + d + s.slice(i + 1));
}

/**
 * A solution of `problem` with exactly one mistake at a random step: an arithmetic slip (wrong
 * result) or a wrong operand (another quantity of the problem, or a mis-copied number), after
 * which every later step is computed correctly from the written values, ending in a wrong boxed
 * answer. Deterministic in `(problem.id, seed)`; null when no admissible mistake was found.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./eval_split.ts";
 * const p = evalSplit()[10];
 * const f = flawedSolution(p, 1);
 * if (f) console.log(f.steps[f.firstError], f.answer !== p.answer);
 * ```
 */
export function flawedSolution(problem: SyntheticProblem, seed: number): FlawedSolution | null {
  const rng = mulberry32(hashSeed("flaw", problem.id, seed));
  const plan = problem.plan;
  const gold = runPlan(plan, Infinity);
  if (gold === null) return null;
  const cap = Math.max(CAPS[problem.level] ?? 9999, 9999);
  const literals = plan.steps.flatMap((s) => [s.a, s.b]).flatMap((o) => "lit" in o ? [o.lit] : []);
  for (let attempt = 0; attempt < 40; attempt++) {
    const k = randInt(rng, 0, plan.steps.length - 1);
    const step = plan.steps[k];
    const g = gold[k];
    const kind: MistakeKind = rng() < 0.6 ? "slip" : "operand";
    const dev: Deviation = { step: k };
    if (kind === "slip") {
      if (g.out.rem !== undefined && rng() < 0.5) {
        const r = g.out.rem + pick(rng, [-1, 1]);
        if (r < 0 || r >= g.y.n) continue;
        dev.result = { value: g.out.value, rem: r };
      } else {
        if (g.out.value.d !== 1) continue;
        const v = perturb(rng, g.out.value.n);
        if (v < 0 || v === g.out.value.n) continue;
        dev.result = { value: rat(v), rem: g.out.rem };
      }
    } else {
      const which = rng() < 0.5 ? "a" : "b";
      const correct = which === "a" ? g.x : g.y;
      const o = step[which];
      let wrong: Rat | null;
      const r = rng();
      if (r < 0.45 && "ref" in o && k > 0) {
        // another earlier quantity: an earlier result or a literal of the problem
        const pool = [...gold.slice(0, k).map((w) => fmt(w.out.value)), ...literals];
        wrong = parseNum(pick(rng, pool));
      } else if (r < 0.6) {
        wrong = parseNum(pick(rng, literals));
      } else {
        wrong = correct.d === 1 ? rat(perturb(rng, correct.n)) : null;
      }
      if (wrong === null || wrong.n < 0 || eq(wrong, correct)) continue;
      if (correct.d !== wrong.d && !(correct.d === 1 && wrong.d === 1)) continue;
      dev[which] = wrong;
    }
    const written = runPlan(plan, cap, dev);
    if (written === null) continue;
    const answer = answerOf(plan, written);
    if (answer === problem.answer) continue;
    const steps = [...written.map((s) => s.text), formatAnswerStep(answer)];
    const check = checkSteps(problem, steps);
    if (check.firstError !== k) continue;
    return { solution: steps.join("\n\n"), steps, firstError: k, kind, answer };
  }
  return null;
}
