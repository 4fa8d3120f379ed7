/**
 * A safe Python sandbox for tool-integrated reasoning steps: pyodide (CPython on WebAssembly) in
 * Deno Workers that may read nothing but pyodide's own files, with per-run time limits, a memory
 * cap, bounded output, per-solution sessions and a warm worker pool; plus the code-step formats
 * of AlphaMath and rStar-Math and the observation text a policy reads.
 *
 * The policy wrapper that executes code steps during search lives in
 * `lib/search/tool_steps.ts`; the tool-using synthetic world in `lib/tasks/tools.ts`.
 *
 * @example
 * ```ts ignore
 * import { createSandbox, observation } from "./mod.ts";
 * const sandbox = createSandbox({ timeoutMs: 5000 });
 * const s = sandbox.session();
 * await s.run("x = 17 * 3");
 * observation(await s.run("print(x)")); // "51"
 * observation(await s.run("import subprocess")); // "ImportError: import of 'subprocess' is disabled ..."
 * await s.close();
 * await sandbox.close();
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./pyodide_dir.ts";
export * from "./workers.ts";
export * from "./pool.ts";
export * from "./observation.ts";
export * from "./code_steps.ts";
