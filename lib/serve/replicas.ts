/**
 * Engine replicas for the model server: the local engine plus `count - 1` copies in Workers
 * (`replica_worker.ts`), behind one {@linkcode Batcher} that routes each generation job to one of
 * them. onnxruntime-node runs a session on the calling thread, and several of a small model's
 * operators (the K/V `Concat` above all) use one core whatever the thread setting, so a batch
 * split over replicas on separate threads is what lets concurrent requests use every core.
 *
 * Routing ({@linkcode pickReplica}): a job goes to the replica its first prompt's opening tokens
 * hash to, so the steps of one tree search (each prompt the previous one plus a step) find their
 * prefix in that replica's K/V cache, unless that replica has `slack` more rows in flight than the
 * least busy one, which then takes it. Each row draws from its own seeded stream whatever batch it
 * lands in, so the routing never changes a sample. `/pooling` (exclusive work) stays local.
 *
 * @example
 * ```ts ignore
 * const set = await createReplicas(runner, batcher, { model: "models/embedded", count: 2 });
 * const [[sample]] = await set.batcher.submit(job);
 * await set.close();
 * ```
 *
 * @module
 */
import type { OnnxRunner, RunnerCounters, RunnerOptions } from "../models/onnx/runner.ts";
import type { Batcher, BatcherOptions, BatcherStats, GenerationJob, JobSample } from "./batcher.ts";

/** Options of {@linkcode createReplicas}. */
export interface ReplicaOptions {
  /** Model folder each worker loads. */
  model: string;
  /** Replicas in all, the local one included (≥ 1). */
  count: number;
  /** Runner options of the workers (plain data). */
  runner?: Pick<RunnerOptions, "maxBatch" | "intraOpNumThreads" | "device" | "cacheBytes">;
  /** Batcher options of the workers. */
  batcher?: BatcherOptions;
  /** Rows in flight by which the hashed replica may exceed the least busy one (default 2). */
  slack?: number;
}

/** Counters of every replica together. */
export interface ReplicaStats {
  /** Replicas alive. */
  replicas: number;
  /** Jobs routed to each replica. */
  jobsPerReplica: number[];
  /** Batcher counters summed (`maxJobsPerCall`: the largest). */
  batcher: BatcherStats;
  /** Engine counters summed. */
  engine: RunnerCounters;
}

/** The replicas behind one batcher. */
export interface ReplicaSet {
  /** Routes `submit` to a replica; `exclusive` runs on the local one. */
  readonly batcher: Batcher;
  /** Counters of all replicas. */
  stats(): Promise<ReplicaStats>;
  /** Finish in-flight work and stop the workers (the local engine is the caller's). */
  close(): Promise<void>;
}

/**
 * The replica for a job: `preferred` unless its load exceeds the smallest load among `alive`
 * replicas by more than `slack`, else the least loaded (lowest index on ties).
 *
 * @example
 * ```ts
 * pickReplica(1, [3, 3], [true, true], 2); // 1
 * pickReplica(1, [0, 5], [true, true], 2); // 0
 * ```
 */
export function pickReplica(
  preferred: number,
  loads: readonly number[],
  alive: readonly boolean[],
  slack: number,
): number {
  let least = -1;
  for (let i = 0; i < loads.length; i++) {
    if (alive[i] && (least < 0 || loads[i] < loads[least])) least = i;
  }
  if (least < 0) throw new Error("no replica is alive");
  if (!alive[preferred]) return least;
  return loads[preferred] - loads[least] > slack ? least : preferred;
}

/**
 * FNV-1a hash of a prompt's first `n` token ids: the routing key of a job.
 *
 * @example
 * ```ts
 * promptKey([1, 2, 3], 2) === promptKey([1, 2, 9], 2); // true
 * ```
 */
export function promptKey(ids: readonly number[], n = 32): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < Math.min(n, ids.length); i++) {
    h = Math.imul(h ^ ids[i], 0x01000193) >>> 0;
  }
  return h;
}

interface Remote {
  batcher: Batcher;
  stats(): Promise<{ batcher: BatcherStats; engine: RunnerCounters }>;
  close(): Promise<void>;
  alive(): boolean;
}

async function startWorker(options: ReplicaOptions, index: number): Promise<Remote> {
  const worker = new Worker(new URL("./replica_worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ids = 0;
  let alive = true;
  let inFlight = Promise.resolve();
  const fail = (message: string) => {
    alive = false;
    for (const p of pending.values()) p.reject(new Error(`replica ${index}: ${message}`));
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (e) => {
      if (e.data.kind === "ready") resolve();
      else reject(new Error(`replica ${index}: ${e.data.message}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`replica ${index}: ${e.message}`));
    };
    worker.postMessage({
      kind: "init",
      model: options.model,
      runner: options.runner ?? {},
      batcher: options.batcher ?? {},
    });
  }).catch((e) => {
    worker.terminate();
    throw e;
  });
  worker.onmessage = (e) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if ("error" in e.data) p.reject(new Error(e.data.error));
    else p.resolve(e.data.result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    fail(e.message);
    worker.terminate();
  };
  const call = <T>(kind: string, extra: Record<string, unknown> = {}): Promise<T> => {
    if (!alive) return Promise.reject(new Error(`replica ${index} has stopped`));
    const id = ++ids;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ kind, id, ...extra });
    });
  };
  const counters: BatcherStats = { jobs: 0, calls: 0, rows: 0, maxJobsPerCall: 0 };
  const batcher: Batcher = {
    submit(job) {
      counters.jobs++;
      const p = call<JobSample[][]>("submit", { job });
      inFlight = inFlight.then(() => p.then(() => {}, () => {}));
      return p;
    },
    exclusive() {
      return Promise.reject(new Error("exclusive work runs on the local replica"));
    },
    stats: () => ({ ...counters }),
    async drain() {
      await inFlight;
    },
  };
  return {
    batcher,
    stats: () => call("stats"),
    async close() {
      if (alive) await call("close").catch(() => {});
      alive = false;
      worker.terminate();
    },
    alive: () => alive,
  };
}

const sumInto = <T extends object>(into: T, add: T) => {
  for (const k of Object.keys(add) as (keyof T)[]) {
    (into[k] as number) = k === "maxJobsPerCall"
      ? Math.max(into[k] as number, add[k] as number)
      : (into[k] as number) + (add[k] as number);
  }
};

/**
 * Start `count - 1` worker replicas of `options.model` beside the local runner and batcher, and
 * route jobs among all of them. With `count` 1 the set is the local batcher alone.
 *
 * @example
 * ```ts ignore
 * const set = await createReplicas(runner, createBatcher(runner), {
 *   model: "models/embedded",
 *   count: 2,
 *   runner: { intraOpNumThreads: 1 },
 * });
 * ```
 */
export async function createReplicas(
  runner: OnnxRunner,
  local: Batcher,
  options: ReplicaOptions,
): Promise<ReplicaSet> {
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new Error(`replicas must be a whole number ≥ 1, got ${options.count}`);
  }
  const slack = options.slack ?? 2;
  const remotes = await Promise.all(
    Array.from({ length: options.count - 1 }, (_, i) => startWorker(options, i + 1)),
  );
  const batchers = [local, ...remotes.map((r) => r.batcher)];
  const loads = batchers.map(() => 0);
  const routed = batchers.map(() => 0);
  const alive = () => [true, ...remotes.map((r) => r.alive())];
  const batcher: Batcher = {
    async submit(job: GenerationJob, signal?: AbortSignal) {
      const rows = job.prompts.length * job.n;
      const preferred = promptKey(job.prompts[0] ?? []) % batchers.length;
      const i = pickReplica(preferred, loads, alive(), slack);
      loads[i] += rows;
      routed[i]++;
      try {
        return await batchers[i].submit(job, i === 0 ? signal : undefined);
      } finally {
        loads[i] -= rows;
      }
    },
    exclusive: (f) => local.exclusive(f),
    // synchronous: worker replicas count only their jobs here; ReplicaSet.stats() asks them all
    stats() {
      const total: BatcherStats = { jobs: 0, calls: 0, rows: 0, maxJobsPerCall: 0 };
      for (const b of batchers) sumInto(total, b.stats());
      return total;
    },
    async drain() {
      await Promise.all(batchers.map((b) => b.drain()));
    },
  };
  return {
    batcher,
    async stats() {
      const batcherTotal: BatcherStats = { jobs: 0, calls: 0, rows: 0, maxJobsPerCall: 0 };
      const engine: RunnerCounters = { ...runner.counters };
      sumInto(batcherTotal, local.stats());
      for (const r of remotes) {
        if (!r.alive()) continue;
        const s = await r.stats().catch(() => null);
        if (!s) continue;
        sumInto(batcherTotal, s.batcher);
        sumInto(engine, s.engine);
      }
      return {
        replicas: alive().filter((a) => a).length,
        jobsPerReplica: [...routed],
        batcher: batcherTotal,
        engine,
      };
    },
    async close() {
      await batcher.drain();
      await Promise.all(remotes.map((r) => r.close()));
    },
  };
}
