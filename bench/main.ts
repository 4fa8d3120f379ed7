/**
 * `deno task bench [NAME ...]`: run the benchmarks (default all) and print one JSON line each.
 * Every benchmark measures its ratios inside one run, so they compare like with like on
 * whatever machine runs them; targets are printed beside the measurements, never asserted.
 *
 * ```sh
 * deno task bench            # all
 * deno task bench runner     # one
 * ```
 *
 * @module
 */
import { type Flags, parseCli, runMain, usage, UsageError } from "../lib/runs/mod.ts";

/** Benchmark names and the module exporting `bench<Name>()`. */
export const BENCHES = ["grader", "runner", "http", "sandbox"] as const;

const FLAGS = {} satisfies Flags; // --help only: benchmarks are named as positionals

async function main() {
  const { values, positionals } = parseCli(Deno.args, FLAGS);
  if (values.help) {
    console.log(usage("bench", FLAGS, {
      positionals: `[${BENCHES.join("|")} ...]`,
      notes: "One JSON line per benchmark (default all): ratios measured within one run, " +
        "targets printed beside.",
    }));
    return 0;
  }
  const names = positionals.length > 0 ? positionals : [...BENCHES];
  for (const name of names) {
    if (!(BENCHES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown benchmark ${name}; known: ${BENCHES.join(", ")}`);
    }
  }
  let failed = 0;
  for (const name of names) {
    // A computed specifier: each benchmark loads only when it is asked for.
    const mod = await import(`./${name}.ts`);
    const fn = mod[`bench${name[0].toUpperCase()}${name.slice(1)}`] as () => Promise<unknown>;
    try {
      console.log(JSON.stringify({ bench: name, ...(await fn() as Record<string, unknown>) }));
    } catch (e) {
      failed++;
      console.error(`error: bench ${name}: ${e instanceof Error ? e.message : e}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) await runMain(main);
