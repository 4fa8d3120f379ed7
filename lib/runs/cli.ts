/**
 * Command-line helpers shared by every `deno task`: one flag table that both parses
 * ({@linkcode parseCli}, with one-line errors that name the flag) and documents
 * ({@linkcode usage}, the `--help` text), and a uniform way to fail.
 *
 * @module
 */
import { parseArgs } from "node:util";

/**
 * One flag of a CLI's table: a `node:util` `parseArgs` option plus what `--help` shows of it,
 * `help` (one line; a `default` is appended) and, for a string flag, `value` (the placeholder).
 */
export type Flag =
  & { help: string; short?: string }
  & (
    | { type: "boolean"; value?: never; multiple?: never; default?: boolean }
    | { type: "string"; value: string; multiple?: boolean; default?: string | string[] }
  );

/** A CLI's flag table, by long name (without `--`). */
export type Flags = Record<string, Flag>;

/** `--help, -h`: added by {@linkcode parseCli} and {@linkcode usage} to a table without it. */
const HELP = { help: { type: "boolean", short: "h", help: "show this help" } } as const;

function withHelp<O extends Flags>(flags: O): O & typeof HELP {
  return { ...flags, help: flags.help ?? HELP.help } as O & typeof HELP;
}

/** An error meant for the user: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * Parse `args` strictly against a flag table (plus `--help`). Unknown flags, missing values and
 * bad types throw a {@linkcode UsageError} whose message names the flag.
 *
 * @example
 * ```ts
 * const { values } = parseCli(["--limit", "5"], {
 *   limit: { type: "string", value: "N", help: "problems to run" },
 * });
 * if (values.help) console.log("...");
 * ```
 */
export function parseCli<O extends Flags>(args: string[], flags: O, allowPositionals = true) {
  const table = withHelp(flags);
  const options: Record<string, unknown> = {}; // parseArgs sees its own fields only
  for (const [name, { help: _help, value: _value, ...option }] of Object.entries<Flag>(table)) {
    options[name] = option;
  }
  try {
    return parseArgs({
      args: joinNegatives(args, table),
      options: options as typeof table,
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The `--help` text of a flag table: `usage: deno task COMMAND [POSITIONALS] [flags]`, one
 * aligned line per flag (`--help` included), then the notes. Its first line is the one to show in
 * usage errors.
 *
 * @example
 * ```ts
 * const text = usage("solve", {
 *   limit: { type: "string", value: "N", help: "problems to run", default: "500" },
 *   endpoint: { type: "string", value: "URL", multiple: true, help: "an OpenAI-compatible server" },
 * }, { notes: "Writes one record per problem." });
 * // usage: deno task solve [flags]
 * //   --limit N           problems to run (default 500)
 * //   --endpoint URL ...  an OpenAI-compatible server
 * //   --help, -h          show this help
 * // Writes one record per problem.
 * ```
 */
export function usage(
  command: string,
  flags: Flags,
  { positionals, notes }: { positionals?: string; notes?: string } = {},
): string {
  const rows = Object.entries<Flag>(withHelp(flags)).map(([name, f]) => [
    [`--${name}`, f.value, f.multiple && "..."].filter(Boolean).join(" ") +
    (f.short ? `, -${f.short}` : ""),
    f.default === undefined ? f.help : `${f.help} (default ${f.default})`,
  ]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    ["usage: deno task", command, positionals, "[flags]"].filter(Boolean).join(" "),
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`),
    ...(notes ? [notes] : []),
  ].join("\n");
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
export function joinNegatives(
  args: readonly string[],
  options: Readonly<Record<string, { type: string }>>,
): string[] {
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
