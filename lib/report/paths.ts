/**
 * Paths relative to the repository root, independent of the process's working directory (a
 * notebook kernel runs in `notebooks/`, the render task and tests in the root).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository root: two folders above this module (`lib/report/`). */
const ROOT = new URL("../../", import.meta.url);

/**
 * Absolute path of a file or folder given relative to the repository root.
 *
 * @example
 * ```ts
 * import { repoPath } from "./paths.ts";
 * repoPath("data", "math500_test.jsonl"); // "/…/repo/data/math500_test.jsonl"
 * ```
 */
export function repoPath(...parts: string[]): string {
  return fileURLToPath(new URL(parts.join("/"), ROOT)).replace(/\/$/, "");
}
