/**
 * Turning a sandbox run into the observation text a policy reads (AlphaMath's python tool,
 * docs/algorithms.md §5.2: the observation is the program's output, or its error).
 *
 * - success: stdout (and stderr, if any) with trailing whitespace removed;
 * - program error: what was printed before it, then the last line of the traceback
 *   (`ZeroDivisionError: division by zero`), or the whole traceback with `traceback: "full"`;
 * - time limit: `TimeoutError: execution exceeded the time limit of 30000 ms`.
 *
 * Every failure observation contains `Error` (Python's exception names do, and the sandbox's own
 * messages are `TimeoutError` / `SandboxError` / `MemoryError`), so AlphaMath's
 * `"Error" in observation` test counts them; `SystemExit: 3` is reported as such.
 *
 * @example
 * ```ts
 * const r = { stdout: "", stderr: "", error: "Traceback ...\nZeroDivisionError: division by zero",
 *   timedOut: false, truncated: false, reset: false, ms: 1 };
 * observation(r); // "ZeroDivisionError: division by zero"
 * ```
 *
 * @module
 */
import type { RunResult } from "./pool.ts";

/** Options of {@linkcode observation}. */
export interface ObservationOptions {
  /** `"last"` (default): only the exception line of a traceback; `"full"`: all of it. */
  traceback?: "last" | "full";
  /** Longest observation in characters; longer ones are cut with a marker (default 1000). */
  maxChars?: number;
  /** Replace characters outside printable ASCII and newline by `?` (default false). */
  ascii?: boolean;
}

/**
 * The observation of a run.
 *
 * @example
 * ```ts
 * observation({ stdout: "51\n", stderr: "", truncated: false }); // "51"
 * ```
 */
export function observation(
  r: Pick<RunResult, "stdout" | "stderr" | "error" | "truncated">,
  options: ObservationOptions = {},
): string {
  const maxChars = options.maxChars ?? 1000;
  const parts: string[] = [];
  const out = r.stdout.replace(/\s+$/, "");
  if (out) parts.push(out);
  const err = r.stderr.replace(/\s+$/, "");
  if (err && r.error === undefined) parts.push(err);
  if (r.error !== undefined) {
    const tb = r.error.replace(/\s+$/, "");
    parts.push(options.traceback === "full" ? tb : lastLine(tb));
  }
  let text = parts.join("\n");
  if (r.truncated && r.error === undefined) text += "\n... (output truncated)";
  if (text.length > maxChars) text = text.slice(0, maxChars) + "\n... (output truncated)";
  if (options.ascii) text = text.replace(/[^\n\x20-\x7e]/g, "?");
  return text;
}

const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning|Iteration)\b/;

/**
 * The exception part of a traceback: from the last line naming an exception class to the end
 * (a message can span lines), else the last line that does not start with a space.
 */
function lastLine(tb: string): string {
  const lines = tb.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    if (EXCEPTION_LINE.test(lines[i])) return lines.slice(i).join("\n");
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i] && !/^\s/.test(lines[i])) return lines.slice(i).join("\n");
  }
  return tb;
}

/**
 * Whether an observation reports an error (AlphaMath's `"Error" in observation`).
 *
 * @example
 * ```ts
 * isErrorObservation("NameError: name 'x' is not defined"); // true
 * isErrorObservation("51"); // false
 * ```
 */
export function isErrorObservation(obs: string): boolean {
  return obs.includes("Error");
}
