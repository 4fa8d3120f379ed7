/**
 * One decoding step of a batch, over plain data: each row's logits from the graph go through the
 * row's logits hook, a token is chosen (argmax, or sampled from the row's own random stream), the
 * token is appended and detokenized, and the row either goes on or ends (EOS, stop string,
 * `maxTokens`). No session, tensor or cache is touched here: the runner ({@linkcode decodeStep}'s
 * caller) feeds the logits in and stores the K/V of the rows that end.
 *
 * @example
 * ```ts
 * import { decodeStep, makeRow } from "./decode_step.ts";
 * import { createKvCache } from "./kv_cache.ts";
 * const node = createKvCache({ numLayers: 1, numKvHeads: 1, headDim: 1 }, 2 ** 20).nodeFor([72, 105]);
 * const row = makeRow({
 *   req: 0, sample: 0, node, chain: [node], tokens: node.tokens, prefixLen: 2, maxNew: 4,
 *   seed: 0, index: 0, sampling: { temperature: 0, topK: 0, topP: 1, minP: 0 },
 *   decode: (ids) => String.fromCharCode(...ids), // a character-level tokenizer
 * });
 * const logits = new Float32Array(128); // one row over a vocabulary of 128
 * logits[33] = 5; // "!"
 * const rules = { eos: new Set([0]), stops: ["\n\n"], includeStop: true };
 * const going = await decodeStep([row], { logits, logitsLen: 1, hidden: null }, rules, () => ({
 *   problem: "", text: "",
 * }), (_row, _r, end) => console.log(end.reason));
 * row.text; // "!"; going.length === 1
 * ```
 *
 * @module
 */
import { fork, type Rng, rng } from "../../core/random.ts";
import type { FinishReason, LogitsHook, SeqState } from "../../core/types.ts";
import type { CacheNode } from "./kv_cache.ts";
import {
  argmax,
  chooseToken,
  chooseTokenNear,
  isGreedy,
  logSumExp,
  nearEligible,
  nearRow,
  type NearTop,
  sampleToken,
  type SamplingParams,
} from "./sampling.ts";
import { findStop } from "./stops.ts";
import { createDetokenizer, type Detokenizer } from "./tokenizer.ts";

/**
 * One sequence being decoded: sample `sample` of request `req`, its sampling state, what it has
 * generated so far, and where it sits in the batch tensors.
 *
 * @example
 * ```ts
 * declare const row: DecodeRow;
 * console.log(row.text, row.generated.length, row.lenKv);
 * ```
 */
export interface DecodeRow {
  /** Index of its request in the call. */
  req: number;
  /** Index of the sample within its request. */
  sample: number;
  /** Cache node of the sequence it continues. */
  node: CacheNode;
  /** That node's chain, root first. */
  chain: CacheNode[];
  /** Tokens of the sequence it continues. */
  prefixLen: number;
  /** New tokens at most. */
  maxNew: number;
  /** Its random stream; null for a greedy row. */
  rng: Rng | null;
  /** Sampling parameters. */
  sampling: SamplingParams;
  /** Greedy row: argmax, no rng. */
  greedy: boolean;
  /** Hook on raw logits. */
  hook: LogitsHook | undefined;
  /** The request's index as its hook sees it. */
  hookIndex: number;
  /** Tokens sampled so far. */
  generated: number[];
  /** Log-probability of each token in `generated`. */
  logprobs: number[];
  /** Sum of `logprobs`. */
  cumulative: number;
  /** Text so far. */
  text: string;
  /** Text length after each token, or -1 where a character was still incomplete. */
  cuts: number[];
  /** Streams the new tokens' text. */
  detok: Detokenizer;
  /** Right-aligned valid columns of this row in the batch tensors. */
  lenKv: number;
  /** The token fed at the next step. */
  next: number;
  /** Row index of this row in the current batch tensors. */
  slot: number;
}

/**
 * What {@linkcode makeRow} needs: the row's place in the call, its sequence, and its request's
 * sampling settings (sample `firstSample + sample` of request `index` under `seed`).
 *
 * @example
 * ```ts
 * declare const node: import("./kv_cache.ts").CacheNode;
 * const spec: RowSpec = {
 *   req: 0, sample: 1, node, chain: [node], tokens: node.tokens, prefixLen: node.tokens.length,
 *   maxNew: 32, seed: 7, index: 0, sampling: { temperature: 0.8, topK: 0, topP: 1, minP: 0 },
 *   decode: () => "",
 * };
 * ```
 */
export interface RowSpec {
  /** Index of its request in the call. */
  req: number;
  /** Index of the sample within its request. */
  sample: number;
  /** Cache node of the sequence it continues. */
  node: CacheNode;
  /** That node's chain. */
  chain: CacheNode[];
  /** Tokens of the sequence (at least `prefixLen`). */
  tokens: Int32Array;
  /** Tokens of the sequence it continues. */
  prefixLen: number;
  /** New tokens at most. */
  maxNew: number;
  /** Seed of its request's call. */
  seed: number;
  /** Its request's index in its call (seeds the stream, and the hook sees it). */
  index: number;
  /** Stream number of its request's first sample (default 0). */
  firstSample?: number;
  /** Sampling parameters. */
  sampling: SamplingParams;
  /** Hook on raw logits. */
  logitsHook?: LogitsHook;
  /** The tokenizer's decode, for the row's detokenizer. */
  decode: (ids: readonly number[]) => string;
}

/**
 * A fresh row: greedy when the temperature is 0 or `topK` is 1, else drawing from
 * `rng(fork(seed, index, firstSample + sample))`; it feeds the sequence's last token first.
 *
 * @example
 * ```ts
 * declare const spec: RowSpec;
 * makeRow(spec).lenKv === spec.prefixLen - 1; // true: the last token is fed at the first step
 * ```
 */
export function makeRow(spec: RowSpec): DecodeRow {
  const greedy = isGreedy(spec.sampling);
  const { tokens, prefixLen } = spec;
  return {
    req: spec.req,
    sample: spec.sample,
    node: spec.node,
    chain: spec.chain,
    prefixLen,
    maxNew: spec.maxNew,
    rng: greedy ? null : rng(fork(spec.seed, spec.index, (spec.firstSample ?? 0) + spec.sample)),
    sampling: spec.sampling,
    greedy,
    hook: spec.logitsHook,
    hookIndex: spec.index,
    generated: [],
    logprobs: [],
    cumulative: 0,
    text: "",
    cuts: [],
    detok: createDetokenizer(
      spec.decode,
      Array.from(tokens.subarray(Math.max(0, prefixLen - 4))),
    ),
    lenKv: prefixLen - 1,
    next: tokens[prefixLen - 1],
    slot: -1,
  };
}

/**
 * When rows end: on an EOS id (unless `ignoreEos`), or on a stop string (kept in the text or
 * cut, per `includeStop`).
 *
 * @example
 * ```ts
 * const rules: StopRules = { eos: new Set([2]), stops: ["\n\n"], includeStop: true };
 * ```
 */
export interface StopRules {
  /** End-of-sequence token ids. */
  eos: ReadonlySet<number>;
  /** Treat EOS as an ordinary token. */
  ignoreEos?: boolean;
  /** Stop strings, none empty. */
  stops: readonly string[];
  /** Keep the stop string in the text. */
  includeStop: boolean;
}

/**
 * How a row ended, and its final text.
 *
 * @example
 * ```ts
 * const end: RowEnd = { reason: "stop", text: "Step 1: 2 + 3 = 5\n\n", stopString: "\n\n" };
 * ```
 */
export interface RowEnd {
  /** Why it ended. */
  reason: FinishReason;
  /** Its text, cut at the stop. */
  text: string;
  /** The stop string that fired. */
  stopString?: string;
}

/**
 * Append a chosen token to a row: its log-probability, its text (through the detokenizer), and
 * whether the row ends with it (EOS, `maxNew` reached, or a stop string completed). Returns the
 * row's end, or null when it goes on.
 *
 * @example
 * ```ts
 * declare const row: DecodeRow;
 * const end = acceptToken(row, 42, -0.1, { eos: new Set([2]), stops: ["\n\n"], includeStop: true });
 * if (end) console.log(end.reason, end.text);
 * ```
 */
export function acceptToken(
  row: DecodeRow,
  tok: number,
  lp: number,
  rules: StopRules,
): RowEnd | null {
  row.generated.push(tok);
  row.logprobs.push(lp);
  row.cumulative += lp;
  row.next = tok;
  let reason: FinishReason | null = null;
  let text = row.text;
  let stopString: string | undefined;
  if (rules.eos.has(tok) && !rules.ignoreEos) {
    row.cuts.push(-1);
    text += row.detok.flush();
    reason = "eos";
  } else {
    const before = row.text.length;
    const delta = row.detok.push(tok);
    text += delta;
    if (row.generated.length >= row.maxNew) {
      text += row.detok.flush();
      reason = "length";
    }
    row.cuts.push(delta === "" && reason === null ? -1 : text.length);
    if (rules.stops.length > 0 && text.length > before) {
      const hit = findStop(text, rules.stops, before);
      if (hit) {
        text = text.slice(0, rules.includeStop ? hit.end : hit.start);
        stopString = hit.stop;
        reason = "stop";
      }
    }
  }
  row.text = text;
  if (reason === null) return null;
  return stopString === undefined ? { reason, text } : { reason, text, stopString };
}

/**
 * The step's outputs that decoding reads: logits `[B, Tout, V]` and, when the graph has them,
 * final hidden states `[B, 1, hidden]`.
 *
 * @example
 * ```ts
 * const out: StepLogits = { logits: new Float32Array(2 * 16), logitsLen: 1, hidden: null }; // 2 rows
 * ```
 */
export interface StepLogits {
  /** Logits `[B, Tout, V]`; each row's last column is used. */
  logits: Float32Array;
  /** Columns of logits per row. */
  logitsLen: number;
  /** Final hidden states `[B, hidden]` (one position per row), or null. */
  hidden: Float32Array | null;
  /**
   * The native sampler's summary of the rows' last logits (`native_sampler.ts`), when it ran:
   * rows without a hook then choose from the tokens near the top, and fall back to the full
   * pass (counted in its `fallbacks`) where that cannot decide.
   */
  near?: NearTop | null;
}

/**
 * One decoding step of a batch: for each row in batch order, advance its K/V length, run its
 * logits hook (awaited, on its last logits column; the log-probability stays under the model's
 * own distribution), choose its token and append it ({@linkcode acceptToken}). A row that ends is
 * handed to `finish` at once (before the next row's hook runs), with its batch index; the rows
 * that go on are returned, in order (their `slot` still indexes this step's tensors).
 *
 * @example
 * ```ts
 * import type { SeqState } from "../../core/types.ts";
 * declare const rows: DecodeRow[];
 * declare const out: StepLogits;
 * declare const rules: StopRules;
 * declare const states: SeqState[]; // each request's state
 * const ended: DecodeRow[] = [];
 * const active = await decodeStep(rows, out, rules, (row) => states[row.req], (row) => {
 *   ended.push(row);
 * });
 * ```
 */
export async function decodeStep(
  rows: readonly DecodeRow[],
  out: StepLogits,
  rules: StopRules,
  stateOf: (row: DecodeRow) => SeqState,
  finish: (row: DecodeRow, r: number, end: RowEnd) => void,
): Promise<DecodeRow[]> {
  const B = rows.length;
  const V = out.logits.length / (B * out.logitsLen);
  const Hd = out.hidden ? out.hidden.length / B : 0;
  const keep: DecodeRow[] = [];
  let raw: Float32Array | null = null; // the raw row of a hooked row, one buffer for the step
  const near = out.near ?? null;
  for (let r = 0; r < B; r++) {
    const row = rows[r];
    row.lenKv += 1;
    const base = (r * out.logitsLen + out.logitsLen - 1) * V;
    const logits = out.logits.subarray(base, base + V);
    let tok: number;
    let lp: number;
    if (row.hook) {
      const lse = logSumExp(logits);
      raw ??= new Float32Array(V);
      raw.set(logits); // logprobs stay under the model's own distribution
      const ret = row.hook({
        index: row.hookIndex,
        state: stateOf(row),
        generated: row.generated,
        logits,
        ...(out.hidden ? { hidden: out.hidden.subarray(r * Hd, (r + 1) * Hd) } : {}),
      });
      if (ret) await ret;
      tok = row.greedy ? argmax(logits) : sampleToken(logits, row.sampling, row.rng!.uniform);
      lp = raw[tok] - lse;
    } else {
      // no hook: the token and logSumExp in the same passes over the row
      const eligible = near !== null && nearEligible(row.sampling, V);
      let choice = eligible
        ? chooseTokenNear(logits, nearRow(near, r), row.sampling, row.rng?.uniform)
        : null;
      if (eligible && !choice) near.fallbacks++;
      choice ??= chooseToken(logits, row.sampling, row.rng?.uniform);
      tok = choice.token;
      lp = logits[tok] - choice.logSumExp;
    }
    const end = acceptToken(row, tok, lp, rules);
    if (end === null) keep.push(row);
    else finish(row, r, end);
  }
  return keep;
}

/**
 * The tokens of a finished row's own cache segment, consistent with its (possibly cut) text:
 * the generated tokens whose text lies within `text`, then the leftover characters re-encoded;
 * and how many of those tokens have K/V in the batch (every fed token: all generated but the
 * last sampled one).
 *
 * @example
 * ```ts
 * declare const row: DecodeRow;
 * declare const encode: (text: string) => number[]; // the tokenizer's
 * const { tokens, withKv } = keptSegment(row, row.text, row.generated.length, encode);
 * ```
 */
export function keptSegment(
  row: DecodeRow,
  text: string,
  considered: number,
  encode: (text: string) => number[],
): { tokens: number[]; withKv: number } {
  let k = considered;
  while (k > 0 && (row.cuts[k - 1] < 0 || row.cuts[k - 1] > text.length)) k--;
  const cut = k === 0 ? 0 : row.cuts[k - 1];
  const leftover = text.slice(cut);
  const tokens = row.generated.slice(0, k);
  if (leftover !== "") tokens.push(...encode(leftover));
  // K/V exists for every fed token: all generated but the last sampled one.
  return { tokens, withKv: Math.min(k, row.generated.length - 1) };
}
