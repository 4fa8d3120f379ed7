/**
 * What a TypeScript user would pick instead of our runner: transformers.js
 * (`@huggingface/transformers`, on the same `onnxruntime-node@1.30.0`) loading the same Hugging
 * Face ONNX folder unchanged, and its `generate()` greedy; and the comparison of the two, in one
 * run, on the model's own task (evaluation problems, greedy to EOS).
 *
 * Both sides get the same prompt token ids (the folder's chat template, built by our codec), the
 * same session options (threads, spinning) and the same stopping rule (EOS or `maxNewTokens`); a
 * batch is left-padded for transformers.js, which computes position ids from the attention mask.
 * Neither side keeps anything between runs (our runner's prompt cache is released), so each run
 * pays its own prefill. Tokens count what each side generated up to and including the EOS.
 *
 * @example
 * ```ts
 * const tjs = await loadTransformersJs("models/embedded", { threads: 2 });
 * const [ids] = await tjs.generate([[4, 20, 30, 5]], 32); // generated ids, EOS included
 * await tjs.dispose();
 * ```
 *
 * @module
 */
import { AutoModelForCausalLM, env, type PreTrainedModel, Tensor } from "@huggingface/transformers";
import { basename, dirname, resolve } from "node:path";
import { createOnnxPolicy, type OnnxPolicy } from "../lib/models/onnx/mod.ts";
import { compare, type Comparison, mark, since, type Span, tokPerS } from "./timing.ts";

/** Options of {@linkcode loadTransformersJs}. */
export interface TransformersJsOptions {
  /** intraOpNumThreads (default: onnxruntime's choice). */
  threads?: number;
  /** Let idle onnxruntime threads spin (default: onnxruntime's, true). */
  allowSpinning?: boolean;
}

/** transformers.js greedy generation over one model folder. */
export interface TransformersJsGreedy {
  /**
   * Greedy continuations of token-id prompts in one `generate()` call (a batch when several,
   * left-padded): each row's generated ids up to and including its first EOS.
   */
  generate(prompts: readonly (readonly number[])[], maxNewTokens: number): Promise<number[][]>;
  /** Release the sessions. */
  dispose(): Promise<void>;
}

/**
 * Load a Hugging Face ONNX folder (`config.json`, `generation_config.json`, `tokenizer*.json`,
 * `onnx/model.onnx`) with transformers.js, local files only, fp32 on the CPU.
 *
 * @example
 * ```ts
 * const tjs = await loadTransformersJs("models/embedded", { threads: 2, allowSpinning: false });
 * ```
 */
export async function loadTransformersJs(
  dir: string,
  options: TransformersJsOptions = {},
): Promise<TransformersJsGreedy> {
  const abs = resolve(dir);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(abs) + "/";
  const sessionOptions: Record<string, unknown> = {};
  if (options.threads !== undefined) sessionOptions.intraOpNumThreads = options.threads;
  if (options.allowSpinning !== undefined) {
    const spin = options.allowSpinning ? "1" : "0";
    sessionOptions.extra = {
      session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } },
    };
  }
  const model: PreTrainedModel = await AutoModelForCausalLM.from_pretrained(basename(abs), {
    dtype: "fp32",
    device: "cpu",
    local_files_only: true,
    session_options: sessionOptions,
  });
  const config = model.generation_config as { eos_token_id?: number | number[] } | null;
  const eosIds = config?.eos_token_id ?? (model.config as { eos_token_id?: number }).eos_token_id;
  const eos = new Set(Array.isArray(eosIds) ? eosIds : eosIds === undefined ? [] : [eosIds]);
  const pad = (model.config as { pad_token_id?: number }).pad_token_id ?? 0;
  return {
    async generate(prompts, maxNewTokens) {
      const B = prompts.length;
      const T = Math.max(...prompts.map((p) => p.length));
      const ids = new BigInt64Array(B * T).fill(BigInt(pad));
      const mask = new BigInt64Array(B * T);
      prompts.forEach((p, r) => {
        p.forEach((id, t) => (ids[r * T + T - p.length + t] = BigInt(id)));
        mask.fill(1n, r * T + T - p.length, (r + 1) * T);
      });
      const out = await model.generate({
        input_ids: new Tensor("int64", ids, [B, T]),
        attention_mask: new Tensor("int64", mask, [B, T]),
        max_new_tokens: maxNewTokens,
        do_sample: false,
      }) as Tensor;
      const L = out.dims[1];
      const data = out.data as BigInt64Array;
      return prompts.map((_, r) => {
        const row: number[] = [];
        for (let t = T; t < L; t++) {
          const id = Number(data[r * L + t]);
          row.push(id);
          if (eos.has(id)) break;
        }
        return row;
      });
    },
    async dispose() {
      await model.dispose();
    },
  };
}

/**
 * Greedy continuations through our runner (the `Policy` a user calls), in one `extend` call,
 * released after: each row's token ids (EOS included) and text.
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
 * const policy = await createOnnxPolicy("models/embedded");
 * const [row] = await runnerGreedy(policy, ["Tom has 3 apples. He buys 4 more."], 64);
 * row.text;
 * ```
 */
export async function runnerGreedy(
  policy: OnnxPolicy,
  problems: readonly string[],
  maxNewTokens: number,
): Promise<{ tokens: number[]; text: string }[]> {
  const roots = problems.map((p) => policy.start(p));
  const rows = await policy.extend(roots, {
    temperature: 0,
    maxTokens: maxNewTokens,
    stop: [],
    seed: 0,
  });
  policy.release([...roots, ...rows.flat().map((c) => c.state)]);
  return rows.map(([c]) => ({ tokens: [...c.tokens], text: c.text }));
}

/** Options of {@linkcode compareWithTransformersJs}. */
export interface VsTransformersJsOptions extends TransformersJsOptions {
  /** The model folder both load. */
  model: string;
  /** Problems: the first `singleProblems` are the single stream, the first 16 the batch. */
  problems: readonly string[];
  /**
   * Problems decoded one at a time, one after another, in the single-stream comparison (default
   * 4: a few hundred tokens, long enough that the host's noise does not decide the ratio).
   */
  singleProblems?: number;
  /** New tokens at most per sequence (default 512, the runner's default). */
  maxNewTokens?: number;
  /** Interleaved repetitions per comparison; the best is kept (default 5). */
  reps?: number;
}

/** One side's figures in {@linkcode compareWithTransformersJs}. */
interface Side {
  tokens: number;
  tokPerS: Span;
}

/**
 * Our runner against transformers.js `generate()`, greedy, single stream (the first
 * `singleProblems`, one call each, in turn) and batch 16 (the first 16 in one call), interleaved
 * in one run; ratios are our tokens/s over theirs (best of
 * `reps` each, and the median of the rounds' ratios).
 *
 * @example
 * ```ts
 * declare const problems: string[];
 * const r = await compareWithTransformersJs({ model: "models/embedded", problems, threads: 2 });
 * r.vsTransformersJsSingle.wall;
 * ```
 */
export async function compareWithTransformersJs(options: VsTransformersJsOptions) {
  const maxNew = options.maxNewTokens ?? 512;
  const reps = options.reps ?? 5;
  const policy = await createOnnxPolicy(options.model, {
    intraOpNumThreads: options.threads,
    allowSpinning: options.allowSpinning,
  });
  const tjs = await loadTransformersJs(options.model, options);
  try {
    const promptIds = (ps: readonly string[]) =>
      ps.map((p) => [...policy.runner.codec.promptIds(p)]);
    // One call over all the problems (a batch), or one call per problem in turn (a single stream).
    const measure = async (problems: readonly string[], oneAtATime: boolean) => {
      const ids = promptIds(problems);
      const calls = oneAtATime ? problems.map((_, i) => [i]) : [problems.map((_, i) => i)];
      const ourRun = async () => {
        const rows = [];
        for (const c of calls) {
          rows.push(...await runnerGreedy(policy, c.map((i) => problems[i]), maxNew));
        }
        return rows;
      };
      const theirRun = async () => {
        const rows = [];
        for (const c of calls) rows.push(...await tjs.generate(c.map((i) => ids[i]), maxNew));
        return rows;
      };
      // Warm both paths; check they agree; count each side's tokens.
      const ours = await ourRun();
      const theirs = await theirRun();
      const sameText = ours.filter((o, i) =>
        policy.runner.codec.decode(theirs[i]) === o.text
      ).length;
      const timed = (run: () => Promise<unknown>) => async () => {
        const t0 = mark();
        await run();
        return since(t0);
      };
      const cmp: Comparison = await compare(reps, timed(ourRun), timed(theirRun));
      const sum = (rows: readonly { length: number }[]) => rows.reduce((a, r) => a + r.length, 0);
      const runner: Side = {
        tokens: sum(ours.map((o) => o.tokens)),
        tokPerS: tokPerS(sum(ours.map((o) => o.tokens)), cmp.a),
      };
      const transformersJs: Side = { tokens: sum(theirs), tokPerS: tokPerS(sum(theirs), cmp.b) };
      const ratio = {
        wall: runner.tokPerS.wall / transformersJs.tokPerS.wall,
        cpu: runner.tokPerS.cpu / transformersJs.tokPerS.cpu,
      };
      // Per-round ratios of times, turned into ratios of tokens/s.
      const k = runner.tokens / transformersJs.tokens;
      const medianOfRounds = { wall: cmp.medianRatio.wall * k, cpu: cmp.medianRatio.cpu * k };
      return {
        sequences: problems.length,
        calls: calls.length,
        sameText,
        runner,
        transformersJs,
        ratio,
        medianOfRounds,
      };
    };
    const single = await measure(options.problems.slice(0, options.singleProblems ?? 4), true);
    const batch16 = await measure(options.problems.slice(0, 16), false);
    return {
      maxNewTokens: maxNew,
      reps,
      single,
      batch16,
      vsTransformersJsSingle: single.ratio,
      vsTransformersJsBatch16: batch16.ratio,
    };
  } finally {
    await tjs.dispose();
    await policy.dispose();
  }
}
