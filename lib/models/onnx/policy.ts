/**
 * The in-process ONNX {@linkcode Policy}: states carry a private handle to a KV-cache node, so
 * extending or forking a state costs only its new tokens.
 *
 * @module
 */
import type {
  Continuation,
  ExtendOptions,
  LogprobRequest,
  Policy,
  PolicyCapabilities,
  SeqState,
  TextLogprobs,
} from "../../core/types.ts";
import { continuation, resolveExtendOptions } from "../../core/extend.ts";
import { createDetokenizer } from "./tokenizer.ts";
import type { CacheNode, CacheStats } from "./kv_cache.ts";
import {
  createOnnxRunner,
  type Generated,
  type OnnxRunner,
  type RequestOptions,
  type RunnerOptions,
} from "./runner.ts";

/** Options of {@linkcode createOnnxPolicy}: runner options (session, cache, batching, prompt). */
export type OnnxPolicyOptions = RunnerOptions;

/** A request for hidden states of a text prefix at chosen character offsets. */
export interface HiddenAtRequest {
  /** The problem (its prompt is the prefix of the sequence). */
  problem: string;
  /** Solution text after the prompt. */
  text: string;
  /**
   * Character offsets into `text`. Offset `c` gives the final hidden state at the last token that
   * ends at or before `c` (the position that predicts what follows `text.slice(0, c)`); 0 gives
   * the last prompt token. Step boundaries are the natural choice for value heads.
   */
  positions: readonly number[];
}

/** Token view of a (problem, text) pair. */
export interface Tokenized {
  /** Prompt ids followed by the ids of `text`. */
  ids: number[];
  /** Number of prompt ids. */
  promptLength: number;
  /** For each text token, the offset in `text` where its characters end (-1 if mid-character). */
  ends: number[];
}

/** The policy plus lower-level entry points for benchmarks and value heads. */
export interface OnnxPolicy extends Policy {
  /** The engine underneath (session, codec, cache, encode, generate). */
  readonly runner: OnnxRunner;
  /** Final hidden state at the last position of each state. */
  hidden(states: readonly SeqState[]): Promise<Float32Array[]>;
  /** Hidden states of text prefixes at chosen character offsets, batched. */
  hiddenAt(requests: readonly HiddenAtRequest[]): Promise<Float32Array[][]>;
  /** Hidden states at chosen absolute token positions of token sequences, batched. */
  hiddenAtTokens(
    requests: readonly { ids: readonly number[]; positions: readonly number[] }[],
  ): Promise<Float32Array[][]>;
  /** Raw next-token logits after each state (vocabulary-sized). */
  nextTokenLogits(states: readonly SeqState[]): Promise<Float32Array[]>;
  /** Teacher-forced token log-probabilities and greedy flags (only the tokens after `from`). */
  logprobs(requests: readonly LogprobRequest[]): Promise<TextLogprobs[]>;
  /** Logits at chosen absolute positions of token sequences (parity checks, PRM-as-LM scoring). */
  logitsAt(
    requests: readonly { ids: readonly number[]; positions: readonly number[] }[],
  ): Promise<Float32Array[][]>;
  /** Encode states into the cache now (e.g. all prompts of a dataset before searching). */
  prefill(states: readonly SeqState[]): Promise<void>;
  /** Token ids of a state as the policy would build them without a handle. */
  tokenize(problem: string, text: string): Tokenized;
  /** The token ids behind a state (its handle's, or `tokenize`'s). */
  tokensOf(state: SeqState): number[];
  /** These states will not be extended again: drop their cache entries (idempotent). */
  release(states: readonly SeqState[]): void;
  /** Cache counters. */
  cacheStats(): CacheStats;
  /** Free the session and the cache. */
  dispose(): Promise<void>;
}

/** One waiting `extend` call. */
interface ExtendJob {
  states: readonly SeqState[];
  /** Calls with the same key (stop settings) can share an engine call. */
  key: string;
  stop: readonly string[];
  includeStop: boolean;
  /** Its options for its request `index`. */
  own: (index: number) => RequestOptions;
  resolve: (rows: Generated[][]) => void;
  reject: (e: unknown) => void;
}

interface Handle {
  readonly owner: symbol;
  readonly node: CacheNode;
  readonly problem: string;
  readonly text: string;
  released: boolean;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`onnx policy: ${message}`);
}

/** log-softmax of `token` in a logits row, and whether it is the argmax (first on ties). */
function readToken(row: Float32Array, token: number): { logprob: number; greedy: boolean } {
  let max = -Infinity;
  let arg = 0;
  for (let v = 0; v < row.length; v++) {
    if (row[v] > max) {
      max = row[v];
      arg = v;
    }
  }
  let sum = 0;
  for (let v = 0; v < row.length; v++) sum += Math.exp(row[v] - max);
  return { logprob: row[token] - max - Math.log(sum), greedy: arg === token };
}

/**
 * Load a model folder and return the {@linkcode Policy} over it.
 *
 * Logprobs are those of the sampled token under the model's own next-token distribution: raw
 * logits, before the logits hook, temperature, top-k/top-p/min-p (vLLM's default `raw_logprobs`
 * choice), so they compare across sampling settings and are what MCTS priors expect.
 * `tokens` / `logprobs` list every sampled token, the EOS and a stop's last token included, while
 * `text` is cut at the stop (as vLLM); the new state's handle spells exactly the returned text.
 *
 * Calls are serialised (one engine call at a time on the session and cache), so a logits hook
 * must not call back into the same policy. `extend` calls made while the engine is busy wait and
 * then run together as one batched engine call (same stop strings and `includeStop`), each with
 * its own `n`, sampling, seed and hook: concurrent searches share batches, and every call gets
 * exactly the samples it would get alone. Handles are reference counted: `release` frees a
 * state's cache entries at once; a dropped handle is freed when garbage-collected. Options are
 * resolved and checked by `resolveExtendOptions` (lib/core/extend.ts; `maxTokens` defaults to
 * the runner's `defaultMaxTokens`, 512; no `seed` means a random one) and new states are built
 * by `childState` (`continuation`), as on every backend.
 *
 * @example
 * ```ts
 * const policy = await createOnnxPolicy("models/embedded", { intraOpNumThreads: 2 });
 * const root = policy.start("Tom has 3 apples and buys 4 more. How many apples now?");
 * const [samples] = await policy.extend([root], { n: 4, temperature: 0.8, seed: 1 });
 * const [[next]] = await policy.extend([samples[0].state], { temperature: 0 }); // reuses the cache
 * policy.release([root, ...samples.map((c) => c.state)]);
 * ```
 */
export async function createOnnxPolicy(
  dir: string,
  options: OnnxPolicyOptions = {},
): Promise<OnnxPolicy> {
  const runner = await createOnnxRunner(dir, options);
  const { cache, codec } = runner;
  const owner = Symbol(dir);
  const defaultMaxTokens = options.defaultMaxTokens ?? 512;
  const capabilities: PolicyCapabilities = {
    logits: true,
    hidden: runner.io.hiddenOutput !== null,
  };
  // Handles that are dropped without release() still free their node once collected.
  const registry = new FinalizationRegistry<CacheNode>((node) => cache.release(node));
  // One engine call at a time: calls share the session, the cache and the CPU.
  let lock: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = lock.then(f, f);
    lock = run.catch(() => {});
    return run;
  };

  const tokenize = (problem: string, text: string): Tokenized => {
    const prompt = codec.promptIds(problem);
    const textIds = codec.encode(text);
    const detok = createDetokenizer(codec.decode, prompt.slice(-4));
    const ends: number[] = [];
    let len = 0;
    for (const id of textIds) {
      const delta = detok.push(id);
      len += delta.length;
      ends.push(delta === "" ? -1 : len);
    }
    return { ids: [...prompt, ...textIds], promptLength: prompt.length, ends };
  };

  const makeHandle = (node: CacheNode, problem: string, text: string): Handle => {
    const handle: Handle = { owner, node, problem, text, released: false };
    cache.retain(node);
    registry.register(handle, node, handle);
    return handle;
  };

  const nodeOf = (state: SeqState): CacheNode => {
    const h = state.handle as Handle | undefined;
    if (
      h && h.owner === owner && !h.node.dead && h.problem === state.problem &&
      h.text === state.text
    ) {
      return h.node;
    }
    // No usable handle: longest cached token prefix, or encode from scratch.
    return cache.nodeFor(tokenize(state.problem, state.text).ids);
  };

  /** Run `f` with the states' nodes held (so a concurrent release cannot prune them). */
  const withNodes = async <T>(
    states: readonly SeqState[],
    f: (nodes: CacheNode[]) => Promise<T>,
  ): Promise<T> => {
    const nodes = states.map(nodeOf);
    nodes.forEach((n) => cache.retain(n));
    try {
      return await f(nodes);
    } finally {
      nodes.forEach((n) => cache.release(n));
    }
  };

  // Concurrent extend calls (e.g. several problems searched at once) that share stop settings run
  // as one engine call: the runner batches their rows together, and each request keeps its own
  // n, sampling, seed stream and hook, so a call gets exactly what it would get alone.
  let waiting: ExtendJob[] = [];
  const runWaiting = async (): Promise<void> => {
    if (waiting.length === 0) return; // an earlier drain took this call's job
    const key = waiting[0].key;
    const jobs = waiting.filter((j) => j.key === key);
    waiting = waiting.filter((j) => j.key !== key);
    try {
      const states = jobs.flatMap((j) => j.states);
      const requests = jobs.flatMap((j) => j.states.map((_, i) => j.own(i)));
      const all = await withNodes(states, (nodes) =>
        runner.generate(
          nodes.map((node, i) => ({ node, state: states[i], own: requests[i] })),
          // the call-level n, sampling and seed are unused: every request carries its own
          { ...requests[0], stop: jobs[0].stop, includeStop: jobs[0].includeStop },
        ));
      let at = 0;
      for (const j of jobs) {
        j.resolve(all.slice(at, at + j.states.length));
        at += j.states.length;
      }
    } catch (e) {
      jobs.forEach((j) => j.reject(e));
    }
  };

  const extend = async (
    states: readonly SeqState[],
    opts: ExtendOptions = {},
  ): Promise<Continuation[][]> => {
    const { n, temperature, topP, topK, minP, maxTokens, stop, includeStop, logitsHook } =
      resolveExtendOptions(opts, { label: "onnx policy", maxTokens: defaultMaxTokens });
    const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
    const sampling = { temperature, topK, topP, minP };
    const generated = await new Promise<Generated[][]>((resolve, reject) => {
      waiting.push({
        states,
        key: JSON.stringify([stop, includeStop]),
        stop,
        includeStop,
        own: (index) => ({ n, maxTokens, sampling, seed, index, logitsHook }),
        resolve,
        reject,
      });
      void serial(runWaiting);
    });
    return generated.map((row, i) =>
      row.map((g): Continuation => {
        const parent = states[i];
        return continuation(parent, g, makeHandle(g.node, parent.problem, parent.text + g.text));
      })
    );
  };

  const atPositions = (
    requests: readonly { ids: readonly number[]; positions: readonly number[] }[],
    kind: "hidden" | "logits",
  ): Promise<Float32Array[][]> =>
    serial(async () => {
      const nodes = requests.map((r) => cache.nodeFor(r.ids));
      nodes.forEach((n) => cache.retain(n));
      try {
        const out = await runner.encode(requests.map((r, i) => ({
          node: nodes[i],
          to: r.ids.length,
          ...(kind === "hidden" ? { hiddenAt: r.positions } : { logitsAt: r.positions }),
        })));
        return out.map((o) => kind === "hidden" ? o.hidden : o.logits);
      } finally {
        nodes.forEach((n) => cache.release(n));
      }
    });

  const lastPosition = (states: readonly SeqState[], kind: "hidden" | "logits") =>
    serial(() =>
      withNodes(states, async (nodes) => {
        const out = await runner.encode(nodes.map((node) => {
          const L = node.start + node.tokens.length;
          return {
            node,
            to: L,
            ...(kind === "hidden" ? { hiddenAt: [L - 1] } : { logitsAt: [L - 1] }),
          };
        }));
        return out.map((o) => (kind === "hidden" ? o.hidden[0] : o.logits[0]));
      })
    );

  return {
    name: dir,
    capabilities,
    runner,
    start(problem) {
      const node = cache.nodeFor(codec.promptIds(problem));
      return { problem, text: "", steps: [], handle: makeHandle(node, problem, "") };
    },
    extend,
    hidden: (states) => lastPosition(states, "hidden"),
    nextTokenLogits: (states) => lastPosition(states, "logits"),
    hiddenAt(requests) {
      const mapped = requests.map((r) => {
        const t = tokenize(r.problem, r.text);
        const positions = r.positions.map((c) => {
          check(
            c >= 0 && c <= r.text.length,
            `position ${c} outside text of length ${r.text.length}`,
          );
          let k = t.ends.length;
          while (k > 0 && (t.ends[k - 1] < 0 || t.ends[k - 1] > c)) k--;
          return t.promptLength + k - 1;
        });
        return { ids: t.ids, positions };
      });
      return atPositions(mapped, "hidden");
    },
    hiddenAtTokens: (requests) => atPositions(requests, "hidden"),
    async logprobs(requests) {
      const toks = requests.map((r) => tokenize(r.problem, r.text));
      // first returned token: the first whose characters end after `from`
      const firsts = requests.map((r, i) => {
        const from = r.from ?? 0;
        const k = toks[i].ends.findIndex((e) => e > from);
        return k < 0 ? toks[i].ends.length : k;
      });
      const rows = await atPositions(
        toks.map((t, i) => ({
          ids: t.ids,
          positions: Array.from(
            { length: t.ends.length - firsts[i] },
            (_, j) => t.promptLength + firsts[i] + j - 1,
          ),
        })),
        "logits",
      );
      return rows.map((logits, i) => {
        const t = toks[i];
        const out: TextLogprobs = { ends: [], logprobs: [], greedy: [] };
        logits.forEach((row, j) => {
          const k = firsts[i] + j;
          const r = readToken(row, t.ids[t.promptLength + k]);
          out.ends.push(t.ends[k] < 0 ? requests[i].text.length : t.ends[k]);
          out.logprobs.push(r.logprob);
          out.greedy.push(r.greedy);
        });
        return out;
      });
    },
    logitsAt: (requests) => atPositions(requests, "logits"),
    prefill: (states) =>
      serial(() =>
        withNodes(states, async (nodes) => {
          await runner.encode(nodes.map((node) => ({ node })));
        })
      ),
    tokenize,
    tokensOf(state) {
      const h = state.handle as Handle | undefined;
      return h && h.owner === owner && h.problem === state.problem && h.text === state.text
        ? Array.from(cache.tokensOf(h.node))
        : tokenize(state.problem, state.text).ids;
    },
    release(states) {
      for (const s of states) {
        const h = s.handle as Handle | undefined;
        if (!h || h.owner !== owner || h.released) continue;
        h.released = true;
        registry.unregister(h);
        cache.release(h.node);
      }
    },
    cacheStats: () => cache.stats(),
    dispose: async () => {
      await lock;
      cache.clear();
      await runner.dispose();
    },
  };
}
