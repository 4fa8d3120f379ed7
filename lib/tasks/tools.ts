/**
 * The tool-using variant of the synthetic arithmetic world: the same problems and plans
 * (`synthetic/`), with solutions whose arithmetic is done by short Python snippets in
 * AlphaMath's code-step layout (docs/algorithms.md §5.2), steps joined by `"\n\n"`:
 *
 * ```text
 * Step 1: compute 5 * 12
 * <code>
 * print(5 * 12)
 * </code>
 * <output>
 * 60
 * </output>
 *
 * Step 2: compute 83 / 4 with remainder
 * <code>
 * print(divmod(83, 4))
 * </code>
 * <output>
 * (20, 3)
 * </output>
 *
 * The answer is \boxed{3}.
 * ```
 *
 * As in the plain format, a step keeps the small model's place in the problem: a word step
 * quotes its sentence, `Step 2: (She buys 4 boxes of 7.) compute 4 * 7`, and an expression step
 * after the first shows the expression left to compute, with earlier outputs copied in,
 * `Step 2: [19 + 5 + 1] compute 19 + 5` (the plain format's `Now:` line of the step before: a
 * code step ends at its output, so the rewrite opens the next step). Neither is judged by the
 * checker; a wrong rewrite shows in the operands it leads to.
 *
 * Code per operation: `print(x + y)`, `print(x - y)`, `print(x * y)`, exact division
 * `print(x // y)`, multiplication by a fraction literal `p/q` as `print(x * p // q)`, division
 * with remainder `print(divmod(x, y))`. The step's result is what the program printed; later
 * steps copy it. {@linkcode plainSteps} turns a tool solution back into the plain step format
 * (`Step k: x op y = z`, with the printed result as `z`), so the exact step checker
 * ({@linkcode checkToolSolution}) and the gold answers of `synthetic/` apply unchanged.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./synthetic/mod.ts";
 * const p = evalSplit()[0];
 * const s = toolSolution(p);
 * checkToolSolution(p, s).solved; // true
 * ```
 *
 * @module
 */
import type { Scorer } from "../core/types.ts";
import {
  CHARSET,
  type CheckResult,
  checkSteps,
  flawedSolution,
  formatAnswerStep,
  goldSteps,
  type SyntheticProblem,
} from "./synthetic/mod.ts";

/**
 * The character vocabulary of the tool-using policy: {@linkcode CHARSET} plus every other
 * printable ASCII character (code, tags and error observations need `<>_'"[]%#` and more).
 *
 * @example
 * ```ts
 * TOOL_CHARSET.includes("<"); // true
 * ```
 */
export const TOOL_CHARSET: string = CHARSET +
  Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
    .filter((c) => !CHARSET.includes(c))
    .join("");

/** A plain step: label, cue, x, op, y, z, remainder, rewrite (`Now:` line). */
const PLAIN_STEP =
  /^Step (\d+): (?:\(([^()\n]*)\) )?(\d+(?:\/\d+)?) ([-+*/]) (\d+(?:\/\d+)?) = (\d+(?:\/\d+)?)(?: R (\d+))?(?:\nNow: ([^\n]*))?$/;

/** The Python expression computing `x op y` (see the module doc); `rem`: division with remainder. */
export function stepCode(x: string, op: string, y: string, rem: boolean): string {
  if (rem) return `print(divmod(${x}, ${y}))`;
  if (op === "/") return `print(${x} // ${y})`;
  if (op === "*" && y.includes("/")) {
    const [p, q] = y.split("/");
    return `print(${x} * ${p} // ${q})`;
  }
  if (op === "*" && x.includes("/")) {
    const [p, q] = x.split("/");
    return `print(${y} * ${p} // ${q})`;
  }
  return `print(${x} ${op} ${y})`;
}

/**
 * One plain step (`Step k: [(cue) ]x op y = z[ R r][\nNow: ...]`) as a tool step; the output is
 * what the code prints for the written operands, which equals the written result when that is
 * right. The cue is kept; `before`, the expression left before this step (the previous plain
 * step's `Now:` line), opens the statement in brackets. Any other step (the answer step) is
 * returned unchanged.
 *
 * @example
 * ```ts
 * toolStep("Step 2: 17 * 3 = 51");
 * // "Step 2: compute 17 * 3\n<code>\nprint(17 * 3)\n</code>\n<output>\n51\n</output>"
 * toolStep("Step 2: 19 + 5 = 24\nNow: 24 + 1", "19 + 5 + 1");
 * // "Step 2: [19 + 5 + 1] compute 19 + 5\n<code>\nprint(19 + 5)\n</code>\n<output>\n24\n</output>"
 * ```
 */
export function toolStep(plain: string, before?: string): string {
  const m = PLAIN_STEP.exec(plain.trim());
  if (!m) return plain;
  const [, k, cue, x, op, y, z, r] = m;
  const rem = r !== undefined;
  const output = rem ? `(${z}, ${r})` : z;
  const context = cue !== undefined ? `(${cue}) ` : before ? `[${before}] ` : "";
  const statement = `Step ${k}: ${context}compute ${x} ${op} ${y}${rem ? " with remainder" : ""}`;
  return `${statement}\n<code>\n${
    stepCode(x, op, y, rem)
  }\n</code>\n<output>\n${output}\n</output>`;
}

/**
 * Plain steps as tool steps: {@linkcode toolStep} of each, the `Now:` line of one step opening
 * the next.
 *
 * @example
 * ```ts
 * toolSteps(["Step 1: 25 - 6 = 19\nNow: 19 + 5", "Step 2: 19 + 5 = 24", "The answer is \\boxed{24}."])[1];
 * // "Step 2: [19 + 5] compute 19 + 5\n<code>\nprint(19 + 5)\n</code>\n<output>\n24\n</output>"
 * ```
 */
export function toolSteps(plain: readonly string[]): string[] {
  return plain.map((step, i) => toolStep(step, i > 0 ? nowLine(plain[i - 1]) : undefined));
}

function nowLine(step: string): string | undefined {
  return PLAIN_STEP.exec(step.trim())?.[8];
}

/**
 * The gold tool solution of a problem (steps joined by `"\n\n"`).
 *
 * @example
 * ```ts
 * import { generateProblem } from "./synthetic/mod.ts";
 * toolSolution(generateProblem(1, 0, 1, "expr")).includes("<code>"); // true
 * ```
 */
export function toolSolution(problem: Pick<SyntheticProblem, "plan">): string {
  return toolSteps(goldSteps(problem)).join("\n\n");
}

/**
 * A tool solution with one wrong operand (a realistic mistake for a code-writing model: the
 * program is run, so results are always right for what was written), carried on to a wrong
 * boxed answer; null when `flawedSolution` finds no operand mistake for this problem in a few
 * seeds.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./synthetic/mod.ts";
 * const f = flawedToolSolution(evalSplit()[20], 1);
 * if (f) console.log(f.firstError, f.solution.includes("<output>"));
 * ```
 */
export function flawedToolSolution(
  problem: SyntheticProblem,
  seed: number,
): { solution: string; firstError: number; answer: string } | null {
  for (let t = 0; t < 8; t++) {
    const f = flawedSolution(problem, seed * 8 + t);
    if (f && f.kind === "operand") {
      return {
        solution: toolSteps(f.steps).join("\n\n"),
        firstError: f.firstError,
        answer: f.answer,
      };
    }
  }
  return null;
}

const TOOL_STEP =
  /^Step (\d+): (?:\([^()\n]*\) |\[[^\]\n]*\] )?compute (\S+) ([-+*/]) (\S+?)( with remainder)?\n<code>\n[\s\S]*?\n?<\/code>\n<output>\n([\s\S]*?)\n?<\/output>/;

/**
 * A tool solution (text or steps) as plain steps for `checkSteps`: each code step becomes
 * `Step k: x op y = z` with its statement's operands and its printed output as the result
 * (`(q, r)` read as `q R r`); other steps are kept (trimmed).
 *
 * @example
 * ```ts
 * plainSteps("Step 1: compute 2 + 3\n<code>\nprint(2 + 3)\n</code>\n<output>\n5\n</output>\n\nThe answer is \\boxed{5}.");
 * // ["Step 1: 2 + 3 = 5", "The answer is \\boxed{5}."]
 * ```
 */
export function plainSteps(solution: string | readonly string[]): string[] {
  const steps = typeof solution === "string" ? solution.split("\n\n") : solution;
  return steps.map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const m = TOOL_STEP.exec(s);
    if (!m) return s;
    const [, k, x, op, y, , out] = m;
    const o = out.trim();
    const qr = /^\((\d+), (\d+)\)$/.exec(o);
    const z = qr ? `${qr[1]} R ${qr[2]}` : o.replace(/\s+/g, " ");
    return `Step ${k}: ${x} ${op} ${y} = ${z}`;
  });
}

/**
 * Judge a tool solution exactly (the plain checker on {@linkcode plainSteps}).
 *
 * @example
 * ```ts
 * import { evalSplit } from "./synthetic/mod.ts";
 * const p = evalSplit()[1];
 * checkToolSolution(p, toolSolution(p)).firstError; // -1
 * ```
 */
export function checkToolSolution(
  problem: Pick<SyntheticProblem, "plan" | "answer">,
  solution: string | readonly string[],
): CheckResult {
  return checkSteps(problem, plainSteps(solution));
}

/** The final answer step of the tool format (same as the plain one). */
export const formatToolAnswerStep: (answer: string) => string = formatAnswerStep;

/**
 * An oracle process reward model for the tool world: the score of a step is 1 when the solution
 * is still on the gold path after it (the checker's `correct` on {@linkcode plainSteps}), else 0.
 * It knows the plans of `problems` (looked up by problem text); an upper-bound verifier for
 * search experiments, not a learned model.
 *
 * @example
 * ```ts
 * import { evalSplit } from "./synthetic/mod.ts";
 * const p = evalSplit()[0];
 * const scorer = toolCheckerScorer([p]);
 * const [scores] = await scorer.score([{ problem: p.problem, steps: toolSolution(p).split("\n\n") }]);
 * scores.every((s) => s === 1); // true
 * ```
 */
export function toolCheckerScorer(
  problems: readonly SyntheticProblem[],
  name = "tool-checker",
): Scorer {
  const byText = new Map(problems.map((p) => [p.problem, p]));
  return {
    name,
    // deno-lint-ignore require-await
    async score(requests, options = {}) {
      return requests.map((req) => {
        const p = byText.get(req.problem);
        if (!p) throw new Error(`toolCheckerScorer: unknown problem ${req.problem.slice(0, 60)}`);
        const verdicts = checkToolSolution(p, req.steps).steps;
        // steps of the request (empty ones, e.g. a lone delimiter, count as the previous state)
        const scores: number[] = [];
        let k = 0;
        for (const step of req.steps) {
          if (step.trim() !== "") k++;
          scores.push(k === 0 ? 1 : verdicts[k - 1]?.correct ? 1 : 0);
        }
        return options.lastOnly ? [scores.at(-1) ?? 1] : scores;
      });
    },
  };
}
