/**
 * Finding pyodide's package folder, the only files a sandbox worker may read.
 *
 * @example
 * ```ts
 * import { findPyodideDir } from "./pyodide_dir.ts";
 * const dir = findPyodideDir(); // throws with a hint when `deno install` has not run
 * ```
 *
 * @module
 */

/**
 * The folder of the `pyodide` npm package: `node_modules/pyodide` of the nearest enclosing
 * project, symlinks resolved.
 *
 * @example
 * ```ts
 * findPyodideDir(); // "/work/main/node_modules/.deno/pyodide@314.0.7/node_modules/pyodide"
 * ```
 */
export function findPyodideDir(from: string | URL = import.meta.url): string {
  let dir = new URL("./", from);
  for (;;) {
    const candidate = new URL("node_modules/pyodide/", dir);
    try {
      Deno.statSync(new URL("pyodide.mjs", candidate));
      return Deno.realPathSync(candidate);
    } catch {
      const up = new URL("../", dir);
      if (up.href === dir.href) break;
      dir = up;
    }
  }
  throw new Error("pyodide not found: run `deno install` (npm:pyodide in deno.json)");
}
