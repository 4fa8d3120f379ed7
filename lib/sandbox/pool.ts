/**
 * A pool of pyodide workers with per-solution sessions, time and memory limits: sessions are
 * placed on slots, each slot works through its queue one run at a time, and the limits below are
 * enforced.
 *
 * Each worker runs one pyodide interpreter (`worker.ts`) in a Deno Worker whose only permission
 * is reading pyodide's package folder: no network, no environment, no subprocess, no writes, no
 * FFI, no system information, no other file (see `workers.ts`). Limits:
 *
 * - **time**: a run that has not answered `timeoutMs` after it was sent is abandoned, its worker
 *   terminated (V8 stops even a tight WebAssembly loop) and a fresh worker started in its place;
 *   the run resolves with `timedOut: true`.
 * - **memory**: the interpreter's WebAssembly memory cannot grow past `memoryLimitBytes` (enforced
 *   in the worker's JavaScript, below Python): allocations beyond it raise `MemoryError` in the
 *   program. A worker whose memory ends a run above `recycleHeapBytes` is replaced, so a
 *   memory bomb leaves no fat interpreter behind. Optionally, `hostRssLimitBytes` makes the host
 *   terminate every busy worker when the process's resident memory passes it (a backstop for
 *   memory allocated outside the interpreter's heap).
 * - **output**: stdout and stderr keep `maxOutputChars` characters each; the rest is counted.
 * - **crashes**: a worker that dies or reports a fatal interpreter error is replaced; the run
 *   resolves with an error, never rejects.
 *
 * State: a {@linkcode SandboxSession} is one namespace (globals dict and working directory) in
 * one worker, kept across its runs (the steps of one solution) and dropped on `close()`. Opening
 * a session drops the modules earlier sessions imported and restores `builtins`, so nothing
 * carries over between problems; with `isolation: "interpreter"` every session gets a worker of
 * its own, started for it and terminated on close. If a session's worker is replaced (timeout,
 * crash, recycling) the session continues in a fresh namespace and the next result says
 * `reset: true`.
 *
 * @example
 * ```ts ignore
 * const sandbox = createSandbox({ workers: 2, timeoutMs: 5000 });
 * const s = sandbox.session();
 * await s.run("x = 17 * 3");
 * const r = await s.run("print(x)"); // r.stdout === "51\n"
 * await s.close();
 * await sandbox.close();
 * ```
 *
 * @module
 */
import { findPyodideDir } from "./pyodide_dir.ts";
import {
  type RunResult,
  type Sandbox,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
  type SandboxSession,
  type SandboxStats,
} from "./types.ts";
import { createWorkerHost, type Slot } from "./workers.ts";

export { findPyodideDir } from "./pyodide_dir.ts";
export {
  type RunOptions,
  type RunResult,
  type Sandbox,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
  type SandboxSession,
  type SandboxStats,
} from "./types.ts";
export { liveSandboxWorkers } from "./workers.ts";

interface SessionRec {
  id: number;
  slot: Slot<Task>;
  generation: number | null;
  closed: boolean;
}

interface Task {
  kind: "run" | "close";
  session: SessionRec;
  code: string;
  quiet: boolean;
  timeoutMs: number;
  resolve: (r: RunResult) => void;
}

/**
 * Create a sandbox (see the module doc for the guarantees).
 *
 * @example
 * ```ts
 * const sandbox = createSandbox({ timeoutMs: 2000 });
 * const r = await sandbox.run("while True: pass");
 * r.timedOut; // true, and the sandbox goes on with a fresh worker
 * await sandbox.close();
 * ```
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const o = { ...SANDBOX_DEFAULTS, ...options };
  const isolation = o.isolation ?? "namespace";
  const recycleHeapBytes = o.recycleHeapBytes ?? Math.floor(o.memoryLimitBytes * 0.75);
  const pyodideDir = o.pyodideDir ?? findPyodideDir();
  const readPaths = [...new Set([pyodideDir, Deno.realPathSync(pyodideDir)])];
  const indexURL = `${Deno.realPathSync(pyodideDir)}/`;
  const stats: SandboxStats = {
    liveWorkers: 0,
    started: 0,
    replaced: 0,
    runs: 0,
    timeouts: 0,
    openSessions: 0,
    loadMs: [],
  };
  let closed = false;
  let nextId = 1;
  let nextSession = 1;
  const host = createWorkerHost<Task>({
    indexURL,
    readPaths,
    memoryLimitBytes: o.memoryLimitBytes,
    startTimeoutMs: o.startTimeoutMs,
    stats,
  });
  const { newSlot, spawn, terminate, send } = host;
  const allSlots = host.slots;
  let rssTimer: ReturnType<typeof setInterval> | undefined;

  const replace = (slot: Slot<Task>) => {
    terminate(slot);
    stats.replaced++;
    if (!closed && !(slot.dedicated && slot.sessions === 0)) spawn(slot);
  };

  const failure = (message: string, ms = 0): RunResult => ({
    stdout: "",
    stderr: "",
    error: message,
    timedOut: false,
    truncated: false,
    reset: false,
    ms,
  });

  const execute = async (slot: Slot<Task>, task: Task): Promise<RunResult> => {
    if (closed) return failure("SandboxError: the sandbox is closed");
    const s = task.session;
    if (task.kind === "close") {
      if (slot.worker !== null && s.generation === slot.generation) {
        const r = await send(slot, { type: "close", id: nextId++, session: s.id }, 10_000);
        if (r.type !== "closed") replace(slot);
      }
      return failure("");
    }
    if (slot.worker === null) spawn(slot);
    try {
      await slot.ready;
    } catch (e) {
      replace(slot);
      return failure(`SandboxError: the interpreter failed to start: ${(e as Error).message}`);
    }
    if (closed || slot.worker === null) return failure("SandboxError: the sandbox is closed");
    const reset = s.generation !== null && s.generation !== slot.generation;
    s.generation = slot.generation;
    const id = nextId++;
    const t0 = performance.now();
    watchRss(true);
    const r = await send(slot, {
      type: "run",
      id,
      session: s.id,
      code: task.code,
      quiet: task.quiet,
      maxChars: o.maxOutputChars,
    }, task.timeoutMs);
    const ms = performance.now() - t0;
    stats.runs++;
    if (r.type === "timeout") {
      stats.timeouts++;
      replace(slot);
      return {
        ...failure(`TimeoutError: execution exceeded the time limit of ${task.timeoutMs} ms`, ms),
        timedOut: true,
        reset,
      };
    }
    if (r.type === "result") {
      if (r.heapBytes > recycleHeapBytes) replace(slot);
      return {
        stdout: r.stdout,
        stderr: r.stderr,
        ...(r.error === null ? {} : { error: r.error }),
        timedOut: false,
        truncated: r.stdoutChars > r.stdout.length || r.stderrChars > r.stderr.length,
        reset,
        ms,
      };
    }
    const message = r.type === "dead" ? r.message : `unexpected reply ${r.type}`;
    replace(slot);
    const error = message.startsWith("MemoryError")
      ? message
      : `SandboxError: the interpreter crashed: ${message}`;
    return { ...failure(error, ms), reset };
  };

  const pump = async (slot: Slot<Task>) => {
    if (slot.busy) return;
    slot.busy = true;
    while (slot.queue.length > 0) {
      const task = slot.queue.shift()!;
      const r = await execute(slot, task);
      task.resolve(r);
    }
    slot.busy = false;
    watchRss(false);
  };

  const busySlots = () => [...allSlots].filter((s) => s.pending !== null);

  const watchRss = (on: boolean) => {
    if (o.hostRssLimitBytes === undefined) return;
    if (on && rssTimer === undefined) {
      rssTimer = setInterval(() => {
        if (Deno.memoryUsage().rss <= o.hostRssLimitBytes!) return;
        for (const slot of busySlots()) {
          const p = slot.pending!;
          slot.pending = null;
          p.resolve({
            type: "dead",
            message: `MemoryError: the process passed the sandbox's RSS limit of ${
              Math.round(o.hostRssLimitBytes! / 2 ** 20)
            } MiB; the interpreter was stopped`,
          });
        }
      }, 100);
    } else if (!on && busySlots().length === 0 && rssTimer !== undefined) {
      clearInterval(rssTimer);
      rssTimer = undefined;
    }
  };

  const pool: Slot<Task>[] = isolation === "namespace"
    ? Array.from({ length: Math.max(1, o.workers) }, () => newSlot(false))
    : [];
  if (options.eager ?? true) { for (const slot of pool) spawn(slot); }

  const enqueue = (slot: Slot<Task>, task: Omit<Task, "resolve">) =>
    new Promise<RunResult>((resolve) => {
      slot.queue.push({ ...task, resolve });
      pump(slot);
    });

  const session = (): SandboxSession => {
    if (closed) throw new Error("the sandbox is closed");
    let slot: Slot<Task>;
    if (isolation === "interpreter") {
      slot = newSlot(true);
      spawn(slot);
    } else {
      slot = pool.reduce((a, b) =>
        b.sessions < a.sessions ||
          (b.sessions === a.sessions && b.queue.length < a.queue.length)
          ? b
          : a
      );
    }
    slot.sessions++;
    stats.openSessions++;
    const rec: SessionRec = { id: nextSession++, slot, generation: null, closed: false };
    return {
      id: rec.id,
      run: (code, opts = {}) => {
        if (rec.closed) return Promise.resolve(failure("SandboxError: the session is closed"));
        return enqueue(slot, {
          kind: "run",
          session: rec,
          code,
          quiet: opts.quiet ?? false,
          timeoutMs: opts.timeoutMs ?? o.timeoutMs,
        });
      },
      close: async () => {
        if (rec.closed) return;
        rec.closed = true;
        slot.sessions--;
        stats.openSessions--;
        if (slot.dedicated) {
          await new Promise<void>((resolve) => {
            slot.queue.push({
              kind: "close",
              session: rec,
              code: "",
              quiet: true,
              timeoutMs: 0,
              resolve: () => resolve(),
            });
            pump(slot);
          });
          terminate(slot);
          allSlots.delete(slot);
          return;
        }
        if (rec.generation === null) return;
        await enqueue(slot, { kind: "close", session: rec, code: "", quiet: true, timeoutMs: 0 });
      },
    };
  };

  return {
    session,
    run: async (code, opts) => {
      const s = session();
      try {
        return await s.run(code, opts);
      } finally {
        await s.close();
      }
    },
    warm: async () => {
      for (const slot of pool) if (slot.worker === null && !closed) spawn(slot);
      await Promise.all(pool.map((s) => s.ready));
    },
    stats: () => ({ ...stats, loadMs: [...stats.loadMs] }),
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      for (const slot of allSlots) terminate(slot);
      for (const slot of allSlots) {
        for (const t of slot.queue.splice(0)) {
          t.resolve(failure("SandboxError: the sandbox is closed"));
        }
      }
      if (rssTimer !== undefined) clearInterval(rssTimer);
      return Promise.resolve();
    },
  };
}
