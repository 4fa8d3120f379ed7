/**
 * Messages between the sandbox host (`pool.ts`) and a sandbox worker (`worker.ts`).
 *
 * The host sends one `init`, then at most one request at a time; the worker answers every
 * request with a reply carrying the same `id`.
 *
 * @example
 * ```ts
 * import type { HostMessage } from "./protocol.ts";
 * const m: HostMessage = { type: "run", id: 1, session: 3, code: "print(1)", quiet: false, maxChars: 100 };
 * ```
 *
 * @module
 */

/** Host → worker. */
export type HostMessage =
  | {
    type: "init";
    /** pyodide's package folder (a path, trailing slash). */
    indexURL: string;
    /** Cap on the interpreter's WebAssembly linear memory, in bytes. */
    memoryLimitBytes: number;
    /** Start from this memory snapshot of a freshly loaded interpreter (fast start). */
    snapshot?: Uint8Array;
    /** Load from scratch, then make a snapshot and send it back with `ready`. */
    makeSnapshot?: boolean;
  }
  | {
    type: "run";
    id: number;
    session: number;
    code: string;
    /** Run for effect only: no output comes back (ancestors' code re-executed). */
    quiet: boolean;
    /** Characters of stdout and of stderr kept. */
    maxChars: number;
  }
  | { type: "close"; id: number; session: number };

/** Worker → host. */
export type WorkerMessage =
  | { type: "ready"; loadMs: number; heapBytes: number; snapshot?: Uint8Array }
  | { type: "fatal"; message: string }
  | {
    type: "result";
    id: number;
    stdout: string;
    stderr: string;
    error: string | null;
    stdoutChars: number;
    stderrChars: number;
    ms: number;
    /** Size of the interpreter's WebAssembly memory after the run. */
    heapBytes: number;
  }
  | { type: "closed"; id: number };
