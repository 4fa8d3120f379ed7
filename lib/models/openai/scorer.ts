/**
 * {@linkcode Scorer}s over HTTP reward-model servers:
 *
 * - {@linkcode createPoolingScorer}: vLLM `/pooling` with a process reward model in the
 *   Qwen2.5-Math-PRM format (chat: system, user question, assistant steps each followed by
 *   `<extra_0>`; the score of step k is the class-1 probability at the k-th `<extra_0>`). Servers
 *   that return one row per step tag (vLLM's STEP pooler; `deno task serve --head`) and servers
 *   that return one row per token (`token_classify`) are both read; for the latter the tag
 *   positions come from `/tokenize`.
 * - {@linkcode createClassifyScorer}: `/classify` (vLLM, SGLang) with one input per step prefix.
 *
 * @module
 */
import type { Scorer, ScoreRequest } from "../../core/types.ts";
import { QWEN_PRM_SYSTEM, QWEN_PRM_TAG } from "../../rewards/prm_format.ts";
import { createEndpointPool, type Endpoint, type EndpointPool } from "./endpoints.ts";
import { requestJson, type RetryOptions } from "./http.ts";
import { resolveModels } from "./policy.ts";

/** Options shared by the HTTP scorers. */
export interface HttpScorerOptions extends RetryOptions {
  /** Base URLs of the reward-model servers. */
  endpoints: readonly string[];
  /** Model id (default: each server's first `/v1/models` entry). */
  model?: string;
  /** Requests in flight per endpoint (default 16). */
  concurrency?: number;
  /** Name for tables (default: the model id). */
  name?: string;
  /** Index of the "good" class in each probability row (default 1 for pooling, last for classify). */
  positiveIndex?: number;
}

/** Options of {@linkcode createPoolingScorer}. */
export interface PoolingScorerOptions extends HttpScorerOptions {
  /** System message of the PRM chat (default Qwen2.5-Math-PRM's). */
  systemPrompt?: string;
  /** Token id of `<extra_0>`, for servers that return every token's row (default 151651). */
  stepTagId?: number;
  /**
   * How steps are written between the tags: `qwen-prm` drops each step's trailing `"\n\n"` (the
   * model card's format), `verbatim` keeps steps exactly as generated (what `deno task serve
   * --head` scores, matching the in-process head scorer). Default `auto`: `verbatim` for a
   * `deno task serve` endpoint (`owned_by: "ttsearch"`), else `qwen-prm`.
   */
  stepFormat?: "auto" | "qwen-prm" | "verbatim";
  /** More fields for every `/pooling` body (e.g. a vLLM `task`). */
  extraBody?: Record<string, unknown>;
}

/** An HTTP scorer plus its pool. */
export interface HttpScorer extends Scorer {
  /** The endpoints and their counters. */
  readonly pool: EndpointPool;
}

const retryOf = (o: RetryOptions): RetryOptions => ({
  ...(o.attempts === undefined ? {} : { attempts: o.attempts }),
  ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
  ...(o.backoffMs === undefined ? {} : { backoffMs: o.backoffMs }),
  ...(o.maxBackoffMs === undefined ? {} : { maxBackoffMs: o.maxBackoffMs }),
  ...(o.apiKey === undefined ? {} : { apiKey: o.apiKey }),
});

const pick = (row: unknown, k: number, at: string): number => {
  if (typeof row === "number") return row;
  if (Array.isArray(row) && typeof row[Math.min(k, row.length - 1)] === "number") {
    return row[Math.min(k, row.length - 1)];
  }
  throw new Error(`openai scorer: ${at}: unexpected row ${JSON.stringify(row).slice(0, 60)}`);
};

/**
 * Step scores from the rows a `/pooling` server returned for one conversation with `tags` step
 * tags: one row per tag, a flat list (one probability, or one pair, per tag), or one row per
 * token (then `tagPositions`, the token positions of the tags, picks the rows).
 *
 * @example
 * ```ts
 * poolingScores([[0.2, 0.8], [0.6, 0.4]], 2, 1); // [0.8, 0.4]
 * ```
 */
export function poolingScores(
  rows: unknown,
  tags: number,
  positive: number,
  tagPositions?: readonly number[],
): number[] | null {
  if (!Array.isArray(rows)) throw new Error("openai scorer: /pooling answer has no data rows");
  if (rows.length === tags) return rows.map((r, k) => pick(r, positive, `row ${k}`));
  if (rows.length === 2 * tags && rows.every((x) => typeof x === "number")) {
    return Array.from({ length: tags }, (_, k) => rows[2 * k + positive] as number);
  }
  if (rows.length > tags && rows.every(Array.isArray)) {
    if (!tagPositions) return null;
    if (tagPositions.length !== tags) {
      throw new Error(
        `openai scorer: found ${tagPositions.length} step tags in the tokens, expected ${tags}`,
      );
    }
    return tagPositions.map((p) => pick(rows[p], positive, `token ${p}`));
  }
  throw new Error(`openai scorer: /pooling returned ${rows.length} rows for ${tags} step tags`);
}

/**
 * The Qwen2.5-Math-PRM conversation of a step prefix with one `<extra_0>` after every step (so
 * there are exactly `steps.length` tags; one for an empty prefix). `verbatim` keeps each step as
 * generated; otherwise a trailing `"\n\n"` is dropped, as the model card writes steps.
 *
 * @example
 * ```ts
 * prmMessages("Q", ["a\n\n", "b"], "SYS", false)[2].content; // "a<extra_0>b<extra_0>"
 * ```
 */
export function prmMessages(
  problem: string,
  steps: readonly string[],
  system: string,
  verbatim: boolean,
): { role: "system" | "user" | "assistant"; content: string }[] {
  const body = steps.map((s) => verbatim ? s : s.replace(/\n\n$/, "")).join(QWEN_PRM_TAG);
  return [
    { role: "system", content: system },
    { role: "user", content: problem },
    { role: "assistant", content: body + QWEN_PRM_TAG },
  ];
}

/**
 * A process-reward Scorer over vLLM `/pooling` (Qwen2.5-Math-PRM format).
 *
 * @example
 * ```ts
 * const prm = await createPoolingScorer({ endpoints: ["http://gpu0:8001"] });
 * const [[s1, s2]] = await prm.score([{ problem: "2+3?", steps: ["2+3=5\n\n", "\\boxed{5}"] }]);
 * ```
 */
export async function createPoolingScorer(options: PoolingScorerOptions): Promise<HttpScorer> {
  const pool = createEndpointPool(options.endpoints, options.concurrency ?? 16);
  const retry = retryOf(options);
  await resolveModels(pool, options.model, retry);
  const positive = options.positiveIndex ?? 1;
  const system = options.systemPrompt ?? QWEN_PRM_SYSTEM;
  const tagId = options.stepTagId ?? 151651;
  const format = options.stepFormat ?? "auto";
  const one = async (r: ScoreRequest): Promise<number[]> => {
    const tags = Math.max(1, r.steps.length);
    const messagesFor = (e: Endpoint) => {
      const verbatim = format === "verbatim" || (format === "auto" && e.ownedBy === "ttsearch");
      return prmMessages(r.problem, r.steps, system, verbatim);
    };
    const { data, endpoint } = await requestJson<{ data?: { data?: unknown }[] }>(
      pool,
      "/pooling",
      (e: Endpoint) => ({
        model: e.model,
        messages: messagesFor(e),
        add_generation_prompt: false,
        ...options.extraBody,
      }),
      retry,
    );
    const rows = data.data?.[0]?.data;
    const direct = poolingScores(rows, tags, positive);
    if (direct) return direct;
    const tok = await requestJson<{ tokens?: number[] }>(
      pool,
      "/tokenize",
      { model: endpoint.model, messages: messagesFor(endpoint), add_generation_prompt: false },
      retry,
      endpoint,
    );
    const positions = (tok.data.tokens ?? []).flatMap((t, i) => (t === tagId ? [i] : []));
    return poolingScores(rows, tags, positive, positions)!;
  };
  return {
    name: options.name ?? pool.endpoints[0].model,
    pool,
    async score(requests, opts) {
      const out = await Promise.all(requests.map(one));
      return opts?.lastOnly ? out.map((s) => [s[s.length - 1]]) : out;
    },
  };
}

/** Options of {@linkcode createClassifyScorer}. */
export interface ClassifyScorerOptions extends HttpScorerOptions {
  /** The classifier's input for a problem and a step prefix (default `problem\n\nsteps`). */
  inputFor?: (problem: string, steps: readonly string[]) => string;
}

/**
 * A Scorer over `/classify` (vLLM, SGLang reward/classification models): one input per step
 * prefix (or just the whole prefix with `lastOnly`), score = the positive class probability.
 *
 * @example
 * ```ts
 * const rm = await createClassifyScorer({ endpoints: ["http://gpu0:8002"] });
 * const [[last]] = await rm.score([{ problem: "2+3?", steps: ["5"] }], { lastOnly: true });
 * ```
 */
export async function createClassifyScorer(options: ClassifyScorerOptions): Promise<HttpScorer> {
  const pool = createEndpointPool(options.endpoints, options.concurrency ?? 16);
  const retry = retryOf(options);
  await resolveModels(pool, options.model, retry);
  const inputFor = options.inputFor ??
    ((p: string, s: readonly string[]) => `${p}\n\n${s.join("")}`);
  return {
    name: options.name ?? pool.endpoints[0].model,
    pool,
    score(requests, opts) {
      return Promise.all(requests.map(async (r) => {
        const ends = opts?.lastOnly ? [r.steps.length] : r.steps.map((_, k) => k + 1);
        if (ends.length === 0) return [];
        const input = ends.map((e) => inputFor(r.problem, r.steps.slice(0, e)));
        const { data } = await requestJson<{ data?: { index?: number; probs?: number[] }[] }>(
          pool,
          "/classify",
          (e: Endpoint) => ({ model: e.model, input }),
          retry,
        );
        const rows = [...(data.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
        if (rows.length !== input.length) {
          throw new Error(
            `openai scorer: /classify returned ${rows.length} rows for ${input.length} inputs`,
          );
        }
        return rows.map((row, k) => {
          const probs = row.probs;
          if (!Array.isArray(probs) || probs.length === 0) {
            throw new Error(`openai scorer: /classify row ${k} has no probs`);
          }
          return pick(probs, options.positiveIndex ?? probs.length - 1, `row ${k}`);
        });
      }));
    },
  };
}
