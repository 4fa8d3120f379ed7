/**
 * What every `Policy` backend does the same way around generation: resolving and
 * checking {@linkcode ExtendOptions} ({@linkcode resolveExtendOptions}) and building the state a
 * continuation leads to ({@linkcode childState}, {@linkcode continuation}). The simulated, ONNX,
 * HTTP and tool-step policies all use them, so a search method sees the same states on every
 * backend.
 *
 * The rule for `steps` ({@linkcode childState}): a child's `steps` is always an array, the
 * parent's steps followed by the new text, where empty new text adds no step. A parent without
 * `steps` counts its text as one step (none when empty). So `steps.join("")` is always the
 * state's `text`, and no step is `""`.
 *
 * @example
 * ```ts
 * import { childState, resolveExtendOptions } from "./extend.ts";
 * const o = resolveExtendOptions({ n: 4, temperature: 0.8 }, { maxTokens: 512 });
 * o.stop; // ["\n\n"]
 * const root = { problem: "What is 2+3?", text: "", steps: [] };
 * childState(root, "2+3 = 5.\n\n").steps; // ["2+3 = 5.\n\n"]
 * ```
 *
 * @module
 */
import type { Continuation, ExtendOptions, Generation, LogitsHook, SeqState } from "./types.ts";

/**
 * The state after `parent` extended by `text`: same problem, text appended, `steps` by the module's
 * rule (always an array; empty text adds no step; a parent without steps counts its text as one
 * step), and the backend's `handle` when given.
 *
 * @example
 * ```ts
 * childState({ problem: "p", text: "a\n\n", steps: ["a\n\n"] }, "b"); // steps ["a\n\n", "b"]
 * childState({ problem: "p", text: "a\n\n" }, ""); // steps ["a\n\n"]
 * childState({ problem: "p", text: "" }, "x", 7).handle; // 7
 * ```
 */
export function childState(parent: SeqState, text: string, handle?: unknown): SeqState {
  const steps = parent.steps ? [...parent.steps] : parent.text === "" ? [] : [parent.text];
  if (text !== "") steps.push(text);
  return {
    problem: parent.problem,
    text: parent.text + text,
    steps,
    ...(handle === undefined ? {} : { handle }),
  };
}

/**
 * The {@linkcode Generation} fields of a record that has more (an engine row with its cache node,
 * a served sample), copied: `stopString` only when set.
 *
 * @example
 * ```ts
 * const row = { text: "a", tokens: [1], logprobs: [-1], cumulativeLogprob: -1,
 *   finishReason: "eos" as const, stopString: undefined, node: {} };
 * generation(row); // { text: "a", tokens: [1], logprobs: [-1], cumulativeLogprob: -1, finishReason: "eos" }
 * ```
 */
export function generation(g: Generation): Generation {
  return {
    text: g.text,
    tokens: g.tokens,
    logprobs: g.logprobs,
    cumulativeLogprob: g.cumulativeLogprob,
    finishReason: g.finishReason,
    ...(g.stopString === undefined ? {} : { stopString: g.stopString }),
  };
}

/**
 * The {@linkcode Continuation} of `parent` by a generation: its fields ({@linkcode generation})
 * and {@linkcode childState}`(parent, g.text, handle)`.
 *
 * @example
 * ```ts
 * const root = { problem: "p", text: "", steps: [] };
 * const g = { text: "a\n\n", tokens: [1, 2], logprobs: [-1, -1], cumulativeLogprob: -2,
 *   finishReason: "stop" as const, stopString: "\n\n" };
 * continuation(root, g).state; // { problem: "p", text: "a\n\n", steps: ["a\n\n"] }
 * ```
 */
export function continuation(parent: SeqState, g: Generation, handle?: unknown): Continuation {
  return { ...generation(g), state: childState(parent, g.text, handle) };
}

/** {@linkcode ExtendOptions} with every default filled in, as a backend runs them. */
export interface ResolvedExtendOptions {
  /** Samples per input state. */
  n: number;
  /** Stop strings (empty: generate to EOS or `maxTokens`). */
  stop: string[];
  /** Keep the stop string that fired. */
  includeStop: boolean;
  /** Maximum new tokens per continuation (`Infinity` where a backend has no limit). */
  maxTokens: number;
  /** Softmax temperature; 0 means greedy. */
  temperature: number;
  /** Nucleus mass (1 = off). */
  topP: number;
  /** Top-k (0 = off). */
  topK: number;
  /** Min-p (0 = off). */
  minP: number;
  /** The call's seed, when it gave one (each backend decides what no seed means). */
  seed?: number;
  /** Hook on raw logits, when given. */
  logitsHook?: LogitsHook;
}

/** A backend's own defaults and limits for {@linkcode resolveExtendOptions}. */
export interface ExtendDefaults {
  /** Prefix of error messages, e.g. `"onnx policy"` (default `"extend"`). */
  label?: string;
  /**
   * `maxTokens` when a call gives none (default {@linkcode EXTEND_DEFAULTS}'s 512); `Infinity`
   * (no limit, the simulated policies) also lets a call ask for `Infinity`.
   */
  maxTokens?: number;
  /** Whether the backend runs a logits hook (`capabilities.logits`; default true). */
  logitsHook?: boolean;
}

/**
 * The defaults of {@linkcode ExtendOptions} shared by every backend: one sample, one `"\n\n"`
 * step with the stop kept, temperature 1, no top-p/top-k/min-p, 512 new tokens.
 *
 * @example
 * ```ts
 * EXTEND_DEFAULTS.stop; // ["\n\n"]
 * ```
 */
export const EXTEND_DEFAULTS:
  & Readonly<Omit<ResolvedExtendOptions, "seed" | "logitsHook" | "stop">>
  & { readonly stop: readonly string[] } = Object.freeze({
    n: 1,
    stop: Object.freeze(["\n\n"]),
    includeStop: true,
    maxTokens: 512,
    temperature: 1,
    topP: 1,
    topK: 0,
    minP: 0,
  });

/**
 * Fill in the defaults of `options` and check them, throwing a one-line `RangeError` that names
 * the option (`"onnx policy: topP must be in (0, 1] (got 0)"`): `n` a non-negative integer,
 * `temperature` ≥ 0, `topP` in (0, 1], `topK` a non-negative integer, `minP` in [0, 1),
 * `maxTokens` a positive integer (or `Infinity` where the backend's default is), and no `logitsHook` where the backend has no
 * raw logits.
 *
 * @example
 * ```ts
 * const o = resolveExtendOptions({ temperature: 0 }, { label: "onnx policy", maxTokens: 256 });
 * o.maxTokens; // 256
 * resolveExtendOptions({ topP: 0 }); // throws RangeError("extend: topP must be in (0, 1] (got 0)")
 * ```
 */
export function resolveExtendOptions(
  options: ExtendOptions | undefined,
  defaults: ExtendDefaults = {},
): ResolvedExtendOptions {
  const o = options ?? {};
  const label = defaults.label ?? "extend";
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(`${label}: ${message}`);
  };
  const d = EXTEND_DEFAULTS;
  const n = o.n ?? d.n;
  const temperature = o.temperature ?? d.temperature;
  const topP = o.topP ?? d.topP;
  const topK = o.topK ?? d.topK;
  const minP = o.minP ?? d.minP;
  const maxTokens = o.maxTokens ?? defaults.maxTokens ?? d.maxTokens;
  check(
    o.logitsHook === undefined || defaults.logitsHook !== false,
    "logitsHook needs raw logits, which this backend does not expose",
  );
  check(Number.isInteger(n) && n >= 0, `n must be a non-negative integer (got ${n})`);
  check(temperature >= 0, `temperature must be >= 0 (got ${temperature})`);
  check(topP > 0 && topP <= 1, `topP must be in (0, 1] (got ${topP})`);
  check(Number.isInteger(topK) && topK >= 0, `topK must be a non-negative integer (got ${topK})`);
  check(minP >= 0 && minP < 1, `minP must be in [0, 1) (got ${minP})`);
  check(
    (Number.isInteger(maxTokens) && maxTokens >= 1) ||
      (maxTokens === Infinity && defaults.maxTokens === Infinity),
    `maxTokens must be a positive integer (got ${maxTokens})`,
  );
  const stop = o.stop ?? d.stop;
  check(
    Array.isArray(stop) && stop.every((s) => typeof s === "string"),
    "stop must be an array of strings",
  );
  return {
    n,
    stop: [...stop],
    includeStop: o.includeStop ?? d.includeStop,
    maxTokens,
    temperature,
    topP,
    topK,
    minP,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.logitsHook === undefined ? {} : { logitsHook: o.logitsHook }),
  };
}
