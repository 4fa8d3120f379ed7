/**
 * The text format of the synthetic world's solutions (PRM800K / search-and-learn step format):
 * steps `Step <k>: <x> <op> <y> = <z>` joined with `"\n\n"`, a final `The answer is \boxed{..}.`
 * step, and the character set they are written in.
 *
 * @example
 * ```ts
 * import { formatAnswerStep, formatStep, splitSteps } from "./steps.ts";
 * const text = [formatStep(0, "5", "*", "12", "60"), formatAnswerStep("60")].join("\n\n");
 * splitSteps(text).length; // 2
 * ```
 *
 * @module
 */

import type { Op } from "./plan.ts";

/**
 * Every character the task's problems and solutions (gold or flawed) can contain, in a fixed
 * order: the character vocabulary of the embedded policy's tokenizer.
 *
 * @example
 * ```ts
 * const ok = [..."Step 1: 2 + 3 = 5"].every((c) => CHARSET.includes(c)); // true
 * ```
 */
export const CHARSET: string = "\n !(),./0123456789:=?ABCDEFGHIJKLMNOPQRSTUVWXYZ\\" +
  "abcdefghijklmnopqrstuvwxyz{}*+-";

/**
 * Text of one operation step.
 *
 * @example
 * ```ts
 * formatStep(1, "83", "/", "4", "20 R 3"); // "Step 2: 83 / 4 = 20 R 3"
 * ```
 */
export function formatStep(index: number, x: string, op: Op, y: string, result: string): string {
  return `Step ${index + 1}: ${x} ${op} ${y} = ${result}`;
}

/**
 * Text of the final answer step.
 *
 * @example
 * ```ts
 * formatAnswerStep("42"); // "The answer is \\boxed{42}."
 * ```
 */
export function formatAnswerStep(answer: string): string {
  return `The answer is \\boxed{${answer}}.`;
}

/**
 * Content of the last `\boxed{...}` in a text (no nested braces), or null.
 *
 * @example
 * ```ts
 * extractBoxed("The answer is \\boxed{42}."); // "42"
 * ```
 */
export function extractBoxed(text: string): string | null {
  const all = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return all.length ? all[all.length - 1][1].trim() : null;
}

/**
 * Split a solution text into steps on `"\n\n"`, trimming each and dropping empty pieces (so a
 * prefix that ends with the delimiter has no empty last step).
 *
 * @example
 * ```ts
 * splitSteps("Step 1: 2 + 3 = 5\n\nThe answer is \\boxed{5}."); // two steps
 * ```
 */
export function splitSteps(text: string): string[] {
  return text.split("\n\n").map((s) => s.trim()).filter((s) => s.length > 0);
}
