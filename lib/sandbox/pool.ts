/**
 * A pool of pyodide workers with per-solution sessions, time and memory limits.
 *
 * Each worker runs one pyodide interpreter (`worker.ts`) in a Deno Worker whose only permission
 * is reading pyodide's package folder: no network, no environment, no subprocess, no writes, no
 * FFI, no system information, no other file. Limits:
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
import type { HostMessage, WorkerMessage } from "./protocol.ts";

/** Options of {@linkcode createSandbox}. */
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

/** Options of one run. */
export interface RunOptions {
  /** Time limit of this run, ms (default the sandbox's `timeoutMs`). */
  timeoutMs?: number;
  /** Execute for effect only: output is discarded (re-running ancestors' code). */
  quiet?: boolean;
}

/** What one run produced. */
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

/** One solution's execution state: a namespace that lives across runs until closed. */
export interface SandboxSession {
  /** Unique within the sandbox. */
  readonly id: number;
  /** Run code in this session's namespace. Never rejects for program errors or limits. */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Drop the namespace (idempotent). */
  close(): Promise<void>;
}

/** Counters of a sandbox. */
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

/** A pool of sandboxed interpreters. */
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

/** Defaults of {@linkcode createSandbox}. */
export const SANDBOX_DEFAULTS = {
  workers: 2,
  timeoutMs: 30_000,
  memoryLimitBytes: 256 * 2 ** 20,
  maxOutputChars: 8_000,
  startTimeoutMs: 180_000,
};

let liveWorkersAll = 0;

/**
 * Memory snapshots of a freshly loaded interpreter, per pyodide folder, shared by every sandbox
 * of the process: `bytes` once made, `pending` while the first worker makes it.
 */
const snapshots = new Map<
  string,
  { bytes: Uint8Array | null; pending: Promise<Uint8Array | null> | null }
>();

/**
 * Workers of every sandbox of this process alive now (leak checks).
 *
 * @example
 * ```ts
 * liveSandboxWorkers(); // 0 before any sandbox is created
 * ```
 */
export function liveSandboxWorkers(): number {
  return liveWorkersAll;
}

/**
 * The folder of the `pyodide` npm package: `node_modules/pyodide` of the nearest enclosing
 * project, symlinks resolved.
 *
 * @example
 * ```ts ignore
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

interface Pending {
  id: number;
  resolve: (m: WorkerMessage | { type: "timeout" } | { type: "dead"; message: string }) => void;
}

interface Slot {
  worker: Worker | null;
  generation: number;
  ready: Promise<void>;
  pending: Pending | null;
  queue: Task[];
  busy: boolean;
  sessions: number;
  dedicated: boolean;
}

interface SessionRec {
  id: number;
  slot: Slot;
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
 * ```ts ignore
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
  const allSlots = new Set<Slot>();
  let rssTimer: ReturnType<typeof setInterval> | undefined;
  /** The worker of this sandbox making the process's snapshot, if any. */
  let firstLoad: { worker: Worker; done: (b: Uint8Array | null) => void } | null = null;

  const newSlot = (dedicated: boolean): Slot => {
    const slot: Slot = {
      worker: null,
      generation: 0,
      ready: Promise.resolve(),
      pending: null,
      queue: [],
      busy: false,
      sessions: 0,
      dedicated,
    };
    allSlots.add(slot);
    return slot;
  };

  const terminate = (slot: Slot) => {
    if (slot.worker === null) return;
    if (firstLoad?.worker === slot.worker) {
      firstLoad.done(null);
      firstLoad = null;
    }
    slot.worker.terminate();
    slot.worker = null;
    stats.liveWorkers--;
    liveWorkersAll--;
    const p = slot.pending;
    slot.pending = null;
    p?.resolve({ type: "dead", message: "worker terminated" });
  };

  const spawn = (slot: Slot) => {
    slot.generation++;
    const worker = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
      deno: {
        permissions: {
          read: readPaths,
          write: false,
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
          import: false,
        },
      },
    } as WorkerOptions);
    slot.worker = worker;
    stats.started++;
    stats.liveWorkers++;
    liveWorkersAll++;
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    slot.ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    slot.ready.catch(() => {}); // observed by whoever awaits it
    const startTimer = setTimeout(
      () => readyReject(new Error(`pyodide did not load within ${o.startTimeoutMs} ms`)),
      o.startTimeoutMs,
    );
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      if (slot.worker !== worker) return;
      const m = e.data;
      if (m.type === "ready") {
        clearTimeout(startTimer);
        stats.loadMs.push(m.loadMs);
        if (firstLoad?.worker === worker) {
          firstLoad.done(m.snapshot ?? null);
          firstLoad = null;
        }
        readyResolve();
        return;
      }
      if (m.type === "fatal") {
        clearTimeout(startTimer);
        readyReject(new Error(m.message));
        const p = slot.pending;
        slot.pending = null;
        p?.resolve({ type: "dead", message: m.message });
        return;
      }
      if (slot.pending && "id" in m && m.id === slot.pending.id) {
        const p = slot.pending;
        slot.pending = null;
        p.resolve(m);
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (slot.worker !== worker) return;
      clearTimeout(startTimer);
      readyReject(new Error(e.message));
      const p = slot.pending;
      slot.pending = null;
      p?.resolve({ type: "dead", message: e.message });
    };
    const snap = snapshots.get(indexURL) ?? { bytes: null, pending: null };
    snapshots.set(indexURL, snap);
    const init: HostMessage = { type: "init", indexURL, memoryLimitBytes: o.memoryLimitBytes };
    if (snap.bytes !== null) {
      worker.postMessage({ ...init, snapshot: snap.bytes });
    } else if (snap.pending !== null) {
      snap.pending.then((bytes) => {
        if (slot.worker === worker) worker.postMessage(bytes ? { ...init, snapshot: bytes } : init);
      });
    } else {
      let done!: (b: Uint8Array | null) => void;
      snap.pending = new Promise((res) => (done = res));
      firstLoad = {
        worker,
        done: (b) => {
          snap.bytes = b;
          snap.pending = null;
          done(b);
        },
      };
      worker.postMessage({ ...init, makeSnapshot: true });
    }
  };

  const replace = (slot: Slot) => {
    terminate(slot);
    stats.replaced++;
    if (!closed && !(slot.dedicated && slot.sessions === 0)) spawn(slot);
  };

  const send = (slot: Slot, msg: HostMessage & { id: number }, timeoutMs: number) =>
    new Promise<WorkerMessage | { type: "timeout" } | { type: "dead"; message: string }>(
      (resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        slot.pending = {
          id: msg.id,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        if (Number.isFinite(timeoutMs)) {
          timer = setTimeout(() => {
            const p = slot.pending;
            if (p?.id !== msg.id) return;
            slot.pending = null;
            resolve({ type: "timeout" });
          }, timeoutMs);
        }
        slot.worker!.postMessage(msg);
      },
    );

  const failure = (message: string, ms = 0): RunResult => ({
    stdout: "",
    stderr: "",
    error: message,
    timedOut: false,
    truncated: false,
    reset: false,
    ms,
  });

  const execute = async (slot: Slot, task: Task): Promise<RunResult> => {
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

  const pump = async (slot: Slot) => {
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

  const pool: Slot[] = isolation === "namespace"
    ? Array.from({ length: Math.max(1, o.workers) }, () => newSlot(false))
    : [];
  if (options.eager ?? true) { for (const slot of pool) spawn(slot); }

  const enqueue = (slot: Slot, task: Omit<Task, "resolve">) =>
    new Promise<RunResult>((resolve) => {
      slot.queue.push({ ...task, resolve });
      pump(slot);
    });

  const session = (): SandboxSession => {
    if (closed) throw new Error("the sandbox is closed");
    let slot: Slot;
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
