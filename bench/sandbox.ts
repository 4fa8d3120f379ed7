/**
 * Benchmark of the Python sandbox (`lib/sandbox`): executions per second of small snippets on a
 * warm worker vs a cold one, in one run.
 *
 * - **cold start**: time from `createSandbox` to the first result in a process that has never
 *   loaded pyodide (full load, which also makes the interpreter snapshot), and the start of a
 *   further worker from that snapshot (what replaces a worker after a timeout);
 * - **warm**: sequential runs of a tiny snippet (`v = i * 3; print(v)`) in one session of a warm
 *   worker, and one-shot sessions (open, run, close) as the tool policy uses them;
 * - **cold**: the same snippet with a new interpreter per execution (`isolation: "interpreter"`,
 *   started from the snapshot), i.e. what a sandbox without worker reuse would cost;
 * - **ratio** warm / cold executions per second.
 *
 * ```sh
 * deno run -A bench/sandbox.ts [--runs 500] [--cold-runs 5]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createSandbox } from "../lib/sandbox/mod.ts";

/** Options of {@linkcode benchSandbox}. */
export interface BenchSandboxOptions {
  /** Warm executions timed (default 500). */
  runs?: number;
  /** Cold executions timed (default 5). */
  coldRuns?: number;
}

/**
 * Run the benchmark; returns the numbers printed as one JSON line by the CLI.
 *
 * @example
 * ```ts ignore
 * const r = await benchSandbox({ runs: 200, coldRuns: 3 });
 * console.log(r.warmPerSecond, r.ratio);
 * ```
 */
export async function benchSandbox(
  options: BenchSandboxOptions = {},
): Promise<Record<string, unknown>> {
  const runs = options.runs ?? 500;
  const coldRuns = options.coldRuns ?? 5;
  const snippet = (i: number) => `v = ${i} * 3\nprint(v)`;

  // cold start of the first interpreter of the process (+ snapshot), then one from the snapshot
  let t0 = performance.now();
  const sandbox = createSandbox({ workers: 1, eager: false });
  const first = await sandbox.run(snippet(0));
  const firstStartMs = performance.now() - t0;
  if (first.stdout !== "0\n") throw new Error(`unexpected output ${first.stdout}`);

  // warm: one session, sequential runs
  const session = sandbox.session();
  for (let i = 0; i < 50; i++) await session.run(snippet(i));
  t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run(snippet(i));
  const warmMs = performance.now() - t0;
  await session.close();

  // warm: one-shot sessions (open, run, close), as the tool policy does per code step
  t0 = performance.now();
  for (let i = 0; i < runs; i++) await sandbox.run(snippet(i));
  const oneShotMs = performance.now() - t0;
  await sandbox.close();

  // cold: a new interpreter (from the snapshot) for every execution
  const cold = createSandbox({ isolation: "interpreter" });
  const coldTimes: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    t0 = performance.now();
    const s = cold.session();
    const r = await s.run(snippet(i));
    await s.close();
    if (r.stdout !== `${i * 3}\n`) throw new Error(`unexpected output ${r.stdout}`);
    coldTimes.push(performance.now() - t0);
  }
  const loadMs = cold.stats().loadMs;
  await cold.close();

  const coldMs = coldTimes.reduce((a, b) => a + b, 0);
  const warmPerSecond = runs / (warmMs / 1000);
  const coldPerSecond = coldRuns / (coldMs / 1000);
  return {
    bench: "sandbox",
    runs,
    coldRuns,
    firstStartMs: round(firstStartMs),
    snapshotStartMs: round(median(loadMs)),
    warmPerSecond: round(warmPerSecond),
    warmMsPerRun: round(warmMs / runs, 3),
    oneShotSessionPerSecond: round(runs / (oneShotMs / 1000)),
    coldPerSecond: round(coldPerSecond, 3),
    coldMsPerRun: round(coldMs / coldRuns),
    ratio: round(warmPerSecond / coldPerSecond),
    cpus: navigator.hardwareConcurrency,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { runs: { type: "string" }, "cold-runs": { type: "string" } },
  });
  const r = await benchSandbox({
    runs: values.runs ? Number(values.runs) : undefined,
    coldRuns: values["cold-runs"] ? Number(values["cold-runs"]) : undefined,
  });
  console.log(JSON.stringify(r));
}
