/**
 * The sandbox's interface: its options, one run's options and result, a session (one solution's
 * state), the counters, the sandbox itself and its defaults. `createSandbox` in `pool.ts`
 * makes one.
 *
 * @example
 * ```ts
 * import type { RunResult } from "./types.ts";
 * const timedOut: RunResult = {
 *   stdout: "", stderr: "", error: "TimeoutError: ...", timedOut: true, truncated: false,
 *   reset: false, ms: 30000,
 * };
 * ```
 *
 * @module
 */
/**
 * Options of `createSandbox`.
 *
 * @example
 * ```ts
 * const options: SandboxOptions = { workers: 4, timeoutMs: 5000, memoryLimitBytes: 128 * 2 ** 20 };
 * ```
 */
export interface SandboxOptions {
  /** Workers in the pool (default 2); ignored with `isolation: "interpreter"`. */
  workers?: number;
  /** Default time limit of one run, in ms (default 30 000, AlphaMath's). */
  timeoutMs?: number;
  /** Cap on each interpreter's WebAssembly memory, bytes (default 256 MiB). */
  memoryLimitBytes?: number;
  /** Replace a worker whose memory ends a run above this (default 3/4 of the cap). */
  recycleHeapBytes?: number;
  /** Characters kept of stdout and of stderr per run (default 8 000). */
  maxOutputChars?: number;
  /** `"namespace"` (default): sessions share pooled interpreters; `"interpreter"`: one each. */
  isolation?: "namespace" | "interpreter";
  /** Time allowed for a worker to load pyodide, ms (default 180 000). */
  startTimeoutMs?: number;
  /** Terminate busy workers when the process RSS exceeds this (default: off). */
  hostRssLimitBytes?: number;
  /** pyodide's package folder (default: found from `node_modules/pyodide`). */
  pyodideDir?: string;
  /** Start the pool's workers now rather than on first use (default true). */
  eager?: boolean;
}

/**
 * Options of one run.
 *
 * @example
 * ```ts
 * declare const session: SandboxSession;
 * await session.run("x = 1", { timeoutMs: 1000, quiet: true } satisfies RunOptions);
 * ```
 */
export interface RunOptions {
  /** Time limit of this run, ms (default the sandbox's `timeoutMs`). */
  timeoutMs?: number;
  /** Execute for effect only: output is discarded (re-running ancestors' code). */
  quiet?: boolean;
}

/**
 * What one run produced.
 *
 * @example
 * ```ts
 * declare const session: SandboxSession;
 * const r: RunResult = await session.run("print(6 * 7)");
 * if (!r.error && !r.timedOut) console.log(r.stdout); // "42\n"
 * ```
 */
export interface RunResult {
  /** Captured standard output (at most `maxOutputChars`). */
  stdout: string;
  /** Captured standard error (at most `maxOutputChars`). */
  stderr: string;
  /**
   * The program's traceback (its own frames), `TimeoutError: ...`, or a sandbox failure message;
   * absent when the program ran to the end.
   */
  error?: string;
  /** The run hit the time limit (its worker was replaced). */
  timedOut: boolean;
  /** Some output was cut at `maxOutputChars`. */
  truncated: boolean;
  /** The session's earlier state was lost (its worker was replaced) before this run. */
  reset: boolean;
  /** Wall time from sending the run to its answer, ms. */
  ms: number;
}

/**
 * One solution's execution state: a namespace that lives across runs until closed.
 *
 * @example
 * ```ts
 * declare const sandbox: Sandbox;
 * const s: SandboxSession = sandbox.session();
 * await s.run("x = 17 * 3");
 * await s.run("print(x)"); // stdout "51\n"
 * await s.close();
 * ```
 */
export interface SandboxSession {
  /** Unique within the sandbox. */
  readonly id: number;
  /** Run code in this session's namespace. Never rejects for program errors or limits. */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Drop the namespace (idempotent). */
  close(): Promise<void>;
}

/**
 * Counters of a sandbox.
 *
 * @example
 * ```ts
 * declare const sandbox: Sandbox;
 * const { liveWorkers, timeouts }: SandboxStats = sandbox.stats();
 * ```
 */
export interface SandboxStats {
  /** Workers alive now (started, not terminated). */
  liveWorkers: number;
  /** Workers started so far. */
  started: number;
  /** Workers terminated after a timeout, crash, memory recycling or host memory limit. */
  replaced: number;
  /** Runs answered. */
  runs: number;
  /** Runs that hit the time limit. */
  timeouts: number;
  /** Sessions open now. */
  openSessions: number;
  /** Load times of the workers started so far, ms. */
  loadMs: number[];
}

/**
 * A pool of sandboxed interpreters.
 *
 * @example
 * ```ts
 * declare const sandbox: Sandbox;
 * const r = await sandbox.run("print(1 + 1)"); // a fresh session, closed after the run
 * await sandbox.close();
 * ```
 */
export interface Sandbox {
  /** Open a session (one solution's state). */
  session(): SandboxSession;
  /** Run code in a fresh session and close it. */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Wait until every pooled worker has loaded. */
  warm(): Promise<void>;
  /** Counters. */
  stats(): SandboxStats;
  /** Terminate every worker; pending runs resolve with an error. Idempotent. */
  close(): Promise<void>;
}

/**
 * Defaults of `createSandbox`.
 *
 * @example
 * ```ts
 * SANDBOX_DEFAULTS.timeoutMs; // 30000, AlphaMath's limit
 * ```
 */
export const SANDBOX_DEFAULTS: {
  workers: number;
  timeoutMs: number;
  memoryLimitBytes: number;
  maxOutputChars: number;
  startTimeoutMs: number;
} = {
  workers: 2,
  timeoutMs: 30_000,
  memoryLimitBytes: 256 * 2 ** 20,
  maxOutputChars: 8_000,
  startTimeoutMs: 180_000,
};
