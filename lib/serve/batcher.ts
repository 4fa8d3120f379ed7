/**
 * Request batching for the model server: generation jobs that arrive within a few milliseconds
 * (and all jobs that queue while the engine is busy) run as one {@linkcode OnnxRunner.generate}
 * call, so 32 concurrent HTTP requests cost about as much engine time as one batch of 32 rows.
 *
 * Jobs with different sampling settings and seeds still merge: each row is a runner request with
 * its own options (`GenerateRequest.own`: sampling, seed, and stream `rng(fork(seed, i, j))`
 * for prompt `i`, sample `j` of its request). So a merged row draws exactly what the request would
 * draw alone, and exactly what the in-process policy draws for `extend(states, { seed })`. Only
 * jobs with the same stop strings, `includeStop`, `maxTokens` and `ignoreEos` share a call.
 *
 * Generated cache nodes stay retained in a bounded FIFO, so the next step of a tree search
 * (prompt = previous prompt + step) finds its prefix in the KV cache.
 *
 * @module
 */
import { generation } from "../core/extend.ts";
import type { Generation, LogitsContext } from "../core/types.ts";
import type { CacheNode } from "../models/onnx/kv_cache.ts";
import type { GenerateRequest, OnnxRunner } from "../models/onnx/runner.ts";
import { logSumExp, type SamplingParams } from "../models/onnx/sampling.ts";

/** One generation request (one HTTP request: several prompts, `n` samples each). */
export interface GenerationJob {
  /** Token ids of each prompt. */
  prompts: readonly (readonly number[])[];
  /** Samples per prompt. */
  n: number;
  /** New tokens at most. */
  maxTokens: number;
  /** Stop strings. */
  stop: readonly string[];
  /** Keep the stop string in the text. */
  includeStop: boolean;
  /** Treat EOS as an ordinary token. */
  ignoreEos: boolean;
  /** Sampling parameters. */
  sampling: SamplingParams;
  /** Seed: sample `j` of prompt `i` draws from `rng(fork(seed, i, j))`. */
  seed: number;
  /** Alternatives to report per position (0 = none). */
  topLogprobs: number;
}

/**
 * One finished sample: the shared {@linkcode Generation} record (text cut at the stop, kept per
 * `includeStop`; sampled token ids with the EOS and the stop's tokens, raw log-probabilities).
 */
export interface JobSample extends Generation {
  /** Per position, the `topLogprobs` most likely `[token, logprob]` pairs (when asked). */
  top?: [number, number][][];
}

/** Options of {@linkcode createBatcher}. */
export interface BatcherOptions {
  /** How long the first job of an idle engine waits for company, in ms (default 5). */
  windowMs?: number;
  /** Generated cache nodes kept retained for prefix reuse (default 4096). */
  keepNodes?: number;
}

/** Counters of a batcher. */
export interface BatcherStats {
  /** Jobs submitted. */
  jobs: number;
  /** Engine generate calls made. */
  calls: number;
  /** Rows (prompt × sample) generated. */
  rows: number;
  /** Most jobs merged into one call. */
  maxJobsPerCall: number;
}

/** The batcher: the only user of its runner. */
export interface Batcher {
  /**
   * Queue a job; resolves with `result[i][j]` = sample j of prompt i. When `signal` aborts while
   * the job still waits, it is withdrawn (rejected) and never runs.
   */
  submit(job: GenerationJob, signal?: AbortSignal): Promise<JobSample[][]>;
  /** Run `f` with the engine to itself (encodes for `/pooling`), after queued work. */
  exclusive<T>(f: () => Promise<T>): Promise<T>;
  /** Counters. */
  stats(): BatcherStats;
  /** Wait for queued and running work to finish. */
  drain(): Promise<void>;
}

interface Pending {
  job: GenerationJob;
  resolve: (r: JobSample[][]) => void;
  reject: (e: unknown) => void;
}

interface RowPlan {
  job: number;
  prompt: number;
  sample: number;
  top: [number, number][][];
}

/** The `k` largest entries of `logits` as `[token, logprob]`, best first. */
export function topLogprobs(logits: Float32Array, k: number): [number, number][] {
  const lse = logSumExp(logits);
  const best: number[] = [];
  for (let t = 0; t < logits.length; t++) {
    if (best.length < k || logits[t] > logits[best[best.length - 1]]) {
      let at = best.length < k ? best.length : best.length - 1;
      best[at] = t;
      while (at > 0 && logits[best[at - 1]] < logits[best[at]]) {
        [best[at - 1], best[at]] = [best[at], best[at - 1]];
        at--;
      }
    }
  }
  return best.map((t) => [t, logits[t] - lse]);
}

const groupKey = (j: GenerationJob) =>
  JSON.stringify([j.stop, j.includeStop, j.maxTokens, j.ignoreEos]);

/**
 * Create the batcher over a runner.
 *
 * @example
 * ```ts
 * import type { OnnxRunner } from "../models/onnx/runner.ts";
 * declare const runner: OnnxRunner;
 * const batcher = createBatcher(runner, { windowMs: 5 });
 * const [[s]] = await batcher.submit({
 *   prompts: [runner.codec.promptIds("What is 2+3?")], n: 1, maxTokens: 64, stop: ["\n\n"],
 *   includeStop: true, ignoreEos: false, seed: 0, topLogprobs: 0,
 *   sampling: { temperature: 0, topK: 0, topP: 1, minP: 0 },
 * });
 * ```
 */
export function createBatcher(runner: OnnxRunner, options: BatcherOptions = {}): Batcher {
  const windowMs = options.windowMs ?? 5;
  const keepNodes = options.keepNodes ?? 4096;
  const { cache } = runner;
  const kept: CacheNode[] = [];
  const keep = (node: CacheNode) => {
    cache.retain(node);
    kept.push(node);
    while (kept.length > keepNodes) cache.release(kept.shift()!);
  };
  const counters: BatcherStats = { jobs: 0, calls: 0, rows: 0, maxJobsPerCall: 0 };
  let queue: Pending[] = [];
  let exclusives: (() => Promise<void>)[] = [];
  let loop: Promise<void> | null = null;

  const runGroup = async (group: Pending[]) => {
    const first = group[0].job;
    const requests: GenerateRequest[] = [];
    const plans: RowPlan[] = [];
    const prompts: CacheNode[] = [];
    group.forEach(({ job }, k) => {
      job.prompts.forEach((ids, i) => {
        const node = cache.nodeFor(ids);
        cache.retain(node);
        prompts.push(node);
        // one request per sample, so each sample's top-logprob hook has its own list
        for (let j = 0; j < job.n; j++) {
          const plan: RowPlan = { job: k, prompt: i, sample: j, top: [] };
          plans.push(plan);
          requests.push({
            node,
            state: { problem: "", text: "" },
            own: {
              n: 1,
              firstSample: j,
              maxTokens: job.maxTokens,
              sampling: job.sampling,
              seed: job.seed,
              index: i,
              ...(job.topLogprobs > 0
                ? {
                  logitsHook: (ctx: LogitsContext) => {
                    plan.top.push(topLogprobs(ctx.logits, job.topLogprobs));
                  },
                }
                : {}),
            },
          });
        }
      });
    });
    counters.calls++;
    counters.rows += requests.length;
    counters.maxJobsPerCall = Math.max(counters.maxJobsPerCall, group.length);
    try {
      const out = await runner.generate(requests, {
        n: 1,
        stop: first.stop,
        includeStop: first.includeStop,
        maxTokens: first.maxTokens,
        ignoreEos: first.ignoreEos,
        // unused: every request carries its own n, sampling and seed
        sampling: first.sampling,
        seed: first.seed,
      });
      const results = group.map(({ job }) => job.prompts.map(() => new Array<JobSample>(job.n)));
      out.forEach(([g], r) => {
        const plan = plans[r];
        keep(g.node);
        results[plan.job][plan.prompt][plan.sample] = {
          ...generation(g),
          ...(group[plan.job].job.topLogprobs > 0 ? { top: plan.top } : {}),
        };
      });
      group.forEach((p, k) => p.resolve(results[k]));
    } catch (e) {
      group.forEach((p) => p.reject(e));
    } finally {
      prompts.forEach((node) => keep(node));
      prompts.forEach((node) => cache.release(node));
    }
  };

  const run = async () => {
    await new Promise((r) => setTimeout(r, windowMs));
    while (queue.length > 0 || exclusives.length > 0) {
      const jobs = queue;
      const excl = exclusives;
      queue = [];
      exclusives = [];
      const groups = new Map<string, Pending[]>();
      for (const p of jobs) {
        const key = groupKey(p.job);
        const g = groups.get(key);
        if (g) g.push(p);
        else groups.set(key, [p]);
      }
      for (const g of groups.values()) await runGroup(g);
      for (const f of excl) await f();
    }
  };

  const kick = () => {
    loop ??= run().finally(() => {
      loop = null;
      if (queue.length > 0 || exclusives.length > 0) kick();
    });
  };

  return {
    submit(job, signal) {
      counters.jobs++;
      return new Promise<JobSample[][]>((resolve, reject) => {
        if (signal?.aborted) return reject(new Error("withdrawn before it ran"));
        const pending: Pending = { job, resolve, reject };
        queue.push(pending);
        signal?.addEventListener("abort", () => {
          const at = queue.indexOf(pending);
          if (at >= 0) {
            queue.splice(at, 1);
            reject(new Error("withdrawn before it ran"));
          }
        }, { once: true });
        kick();
      });
    },
    exclusive<T>(f: () => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        exclusives.push(() => f().then(resolve, reject));
        kick();
      });
    },
    stats: () => ({ ...counters }),
    async drain() {
      while (loop) await loop;
    },
  };
}
