/**
 * Command-line helpers shared by every `deno task`: flag parsing with one-line errors that name
 * the flag, and a uniform way to fail.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Options accepted by {@linkcode parseCli}: `node:util` `parseArgs` options. */
export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

/** An error meant for the user: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * Parse `args` strictly. Unknown flags, missing values and bad types throw a {@linkcode UsageError}
 * whose message names the flag.
 *
 * @example
 * ```ts
 * const { values } = parseCli(["--limit", "5"], { limit: { type: "string" } });
 * ```
 */
export function parseCli<O extends CliOptions>(
  args: string[],
  options: O,
  allowPositionals = true,
) {
  try {
    return parseArgs({
      args: joinNegatives(args, options),
      options,
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * `--flag -1` → `--flag=-1` for string flags, so a negative number is read as the flag's value
 * (and then judged by `numberFlag`) instead of failing as an ambiguous option.
 *
 * @example
 * ```ts
 * joinNegatives(["--limit", "-1"], { limit: { type: "string" } }); // ["--limit=-1"]
 * ```
 */
export function joinNegatives(args: readonly string[], options: CliOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : null;
    const next = args[i + 1];
    if (
      name !== null && options[name]?.type === "string" && next !== undefined &&
      /^-\d|^-\.\d/.test(next)
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/**
 * Read a numeric flag; throws a {@linkcode UsageError} naming `--flag` when it is not a number
 * (or not an integer when `integer` is set).
 *
 * @example
 * ```ts
 * const limit = numberFlag("limit", "10", { integer: true }); // 10
 * ```
 */
export function numberFlag(
  name: string,
  value: string | undefined,
  { integer = false, min = -Infinity, fallback }: {
    integer?: boolean;
    min?: number;
    fallback?: number;
  } = {},
): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`missing required flag --${name}`);
    return fallback;
  }
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < min) {
    const kind = integer ? "an integer" : "a number";
    throw new UsageError(
      `--${name} must be ${kind}${min > -Infinity ? ` >= ${min}` : ""}, got "${value}"`,
    );
  }
  return x;
}

/**
 * Run a CLI entry point: errors become one `error: ...` line on stderr and exit code 2 for usage
 * errors, 1 for others.
 *
 * @example
 * ```ts
 * if (import.meta.main) await runMain(async () => console.log("ok"));
 * ```
 */
export async function runMain(main: () => Promise<void | number>): Promise<never> {
  try {
    const code = await main();
    Deno.exit(code ?? 0);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`error: ${msg.split("\n")[0]}`);
    Deno.exit(e instanceof UsageError ? 2 : 1);
  }
}
