/**
 * Splitting a solution into `"\n\n"` steps for step-level scoring (docs/algorithms.md §1.2: sal
 * BoN / beam / DVTS and PF delimit steps by `"\n\n"`).
 *
 * @example
 * ```ts
 * import { splitSteps } from "./steps.ts";
 * splitSteps("a\n\nb\n\nc"); // ["a\n\n", "b\n\n", "c"]
 * ```
 *
 * @module
 */

/**
 * Split `text` after every `delimiter`, keeping it, so that `splitSteps(t).join("") === t`.
 * A trailing delimiter does not start an empty step; the empty text is one empty step (the
 * PRM still scores it, as sal's PRMs score `"".split("\n\n") == [""]`).
 */
export function splitSteps(text: string, delimiter = "\n\n"): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(delimiter, from);
    if (at < 0) break;
    out.push(text.slice(from, at + delimiter.length));
    from = at + delimiter.length;
  }
  if (from < text.length || out.length === 0) out.push(text.slice(from));
  return out;
}
