/**
 * Test support: run a Deno script as a child process (`deno run -A SCRIPT ...args`, colours off)
 * and return its exit code and decoded output, as the CLI tests need.
 *
 * @example
 * ```ts ignore
 * import { runScript } from "./_run_script.ts";
 * const { code, stderr } = await runScript(new URL("../../experiments/solve.ts", import.meta.url), ["--help"]);
 * ```
 *
 * @module
 */

/** What a script run gave: exit code, stdout and stderr as text. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `deno run -A script ...args` and wait for it. */
export async function runScript(script: string | URL, args: string[]): Promise<ScriptRun> {
  const path = script instanceof URL ? script.pathname : script;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
