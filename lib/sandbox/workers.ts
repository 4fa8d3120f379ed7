/**
 * The sandbox's workers: each runs one pyodide interpreter (`worker.ts`) in a Deno Worker whose
 * only permission is reading pyodide's package folder (no network, environment, subprocess,
 * writes, FFI or system information). A {@linkcode WorkerHost} starts workers into slots (from a
 * memory snapshot of a freshly loaded interpreter that the process's first worker makes, shared
 * by every sandbox), terminates them, and sends one request at a time with a time limit.
 *
 * @example
 * ```ts
 * import { createWorkerHost } from "./workers.ts";
 * import { findPyodideDir } from "./pyodide_dir.ts";
 * import type { SandboxStats } from "./types.ts";
 * declare const stats: SandboxStats;
 * const dir = Deno.realPathSync(findPyodideDir());
 * const host = createWorkerHost<never>({
 *   indexURL: `${dir}/`, readPaths: [dir], memoryLimitBytes: 256 * 2 ** 20,
 *   startTimeoutMs: 180_000, stats,
 * });
 * const slot = host.newSlot(true);
 * host.spawn(slot);
 * await slot.ready;
 * host.terminate(slot);
 * ```
 *
 * @module
 */
import type { HostMessage, WorkerMessage } from "./protocol.ts";
import type { SandboxStats } from "./types.ts";

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
 * What a request to a worker ends with: the worker's reply, a timeout, or the worker's death
 * (crash, fatal interpreter error, termination).
 *
 * @example
 * ```ts
 * const reply: WorkerReply = { type: "dead", message: "worker terminated" };
 * ```
 */
export type WorkerReply = WorkerMessage | { type: "timeout" } | { type: "dead"; message: string };

/**
 * The one request a slot's worker is answering: its id and where the reply goes.
 *
 * @example
 * ```ts
 * const p: Pending = { id: 1, resolve: (reply) => console.log(reply.type) };
 * ```
 */
export interface Pending {
  /** Request id. */
  id: number;
  /** Hand over the reply (or a timeout, or the worker's death). */
  resolve: (m: WorkerReply) => void;
}

/**
 * One place for a worker in a sandbox: the worker (replaced after a timeout, crash or recycling;
 * `generation` counts the replacements), its load, the request it is answering, and the work
 * queued for it (`T`, the pool's task).
 *
 * @example
 * ```ts
 * declare const host: WorkerHost<string>;
 * const slot: Slot<string> = host.newSlot(false);
 * host.spawn(slot);
 * await slot.ready;
 * ```
 */
export interface Slot<T = unknown> {
  /** The worker, or null when none is running. */
  worker: Worker | null;
  /** Workers started in this slot so far. */
  generation: number;
  /** Resolves when the current worker has loaded pyodide; rejects when it failed to. */
  ready: Promise<void>;
  /** The request being answered. */
  pending: Pending | null;
  /** Work waiting for this slot. */
  queue: T[];
  /** Its queue is being worked through. */
  busy: boolean;
  /** Sessions open on this slot. */
  sessions: number;
  /** Started for one session (`isolation: "interpreter"`), ended with it. */
  dedicated: boolean;
}

/**
 * What a {@linkcode WorkerHost} needs: pyodide's folder (as the workers load it, and every path
 * they may read), the interpreter's memory cap, the load time limit, and the counters to keep.
 *
 * @example
 * ```ts
 * import type { SandboxStats } from "./types.ts";
 * declare const stats: SandboxStats;
 * const config: WorkerHostConfig = {
 *   indexURL: "/opt/pyodide/", readPaths: ["/opt/pyodide"], memoryLimitBytes: 2 ** 28,
 *   startTimeoutMs: 180_000, stats,
 * };
 * ```
 */
export interface WorkerHostConfig {
  /** pyodide's package folder, real path with a trailing slash. */
  indexURL: string;
  /** The paths a worker may read. */
  readPaths: string[];
  /** Cap on each interpreter's WebAssembly memory, bytes. */
  memoryLimitBytes: number;
  /** Time allowed for a worker to load pyodide, ms. */
  startTimeoutMs: number;
  /** The sandbox's counters (`liveWorkers`, `started`, `loadMs` are kept here). */
  stats: SandboxStats;
}

/**
 * The workers of one sandbox, slot by slot.
 *
 * @example
 * ```ts
 * declare const host: WorkerHost<string>;
 * declare const slot: Slot<string>;
 * const reply = await host.send(slot, { type: "close", id: 7, session: 1 }, 10_000);
 * if (reply.type !== "closed") host.terminate(slot);
 * ```
 */
export interface WorkerHost<T> {
  /** Every slot made and not yet dropped. */
  readonly slots: Set<Slot<T>>;
  /** A new slot (no worker yet). */
  newSlot(dedicated: boolean): Slot<T>;
  /** Start a worker in a slot (its `ready` tells when it has loaded). */
  spawn(slot: Slot<T>): void;
  /** Terminate a slot's worker; its pending request gets `dead`. */
  terminate(slot: Slot<T>): void;
  /** Send a request; resolves with the reply, `timeout` after `timeoutMs`, or `dead`. */
  send(slot: Slot<T>, msg: HostMessage & { id: number }, timeoutMs: number): Promise<WorkerReply>;
}

/**
 * Create the worker host of a sandbox.
 *
 * @example
 * ```ts
 * declare const config: WorkerHostConfig;
 * const host = createWorkerHost<string>(config);
 * host.spawn(host.newSlot(false));
 * ```
 */
export function createWorkerHost<T>(config: WorkerHostConfig): WorkerHost<T> {
  const { indexURL, readPaths, memoryLimitBytes, startTimeoutMs, stats } = config;
  const allSlots = new Set<Slot<T>>();
  /** The worker of this sandbox making the process's snapshot, if any. */
  let firstLoad: { worker: Worker; done: (b: Uint8Array | null) => void } | null = null;

  const newSlot = (dedicated: boolean): Slot<T> => {
    const slot: Slot<T> = {
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

  const terminate = (slot: Slot<T>) => {
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

  const spawn = (slot: Slot<T>) => {
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
      () => readyReject(new Error(`pyodide did not load within ${startTimeoutMs} ms`)),
      startTimeoutMs,
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
    const init: HostMessage = { type: "init", indexURL, memoryLimitBytes };
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

  const send = (slot: Slot<T>, msg: HostMessage & { id: number }, timeoutMs: number) =>
    new Promise<WorkerReply>(
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

  return { slots: allSlots, newSlot, spawn, terminate, send };
}
