/**
 * The simulated token-level policy: the same solution model as {@linkcode simulatedPolicy}, but
 * decoded one character-token at a time from exact next-token log-probabilities, with
 * `capabilities.logits = true` and support for {@linkcode ExtendOptions.logitsHook} (Q#, guided
 * decoding).
 *
 * Vocabulary: {@linkcode VOCAB_SIZE} = 128 ids; id 0 is EOS, id `c` (1..127) is the ASCII
 * character with code `c`. The raw logits handed to the hook are the reference model's exact
 * next-token log-probabilities (`-Infinity` for impossible tokens), so `softmax(logits)` is the
 * known distribution {@linkcode nextCharProbabilities}. After the hook runs, tokens impossible
 * under the reference model are masked back to `-Infinity` (the simulated world has no text
 * outside its solutions); temperature / top-k / top-p / min-p then act on the hooked logits.
 * `logprobs` report the reference model's log-probability of each sampled token. EOS is not a
 * token of the continuation. Stop strings, `maxTokens`, `includeStop` and seeding behave as in
 * {@linkcode simulatedPolicy}; `LogitsContext.index` is `i * n + j` (state `i`, sample `j`).
 *
 * At temperature 1 with no hook this policy and {@linkcode simulatedPolicy} define the same
 * distribution over solutions; at temperature 0 this one is greedy per token.
 *
 * @example
 * ```ts
 * import { simProblem, simulatedTokenPolicy } from "./mod.ts";
 * const p = simProblem({ id: "q", steps: 1, pRight: 0.6, answer: "3" });
 * const policy = simulatedTokenPolicy({ seed: 0 });
 * const [[c]] = await policy.extend([policy.start(p.problem)], {
 *   stop: [],
 *   logitsHook: ({ logits }) => { logits["s".charCodeAt(0)] += 5; }, // push towards "slip"
 * });
 * ```
 *
 * @module
 */
import type { Continuation, ExtendOptions, Policy, SeqState } from "../../core/types.ts";
import type { ResolvedExtendOptions } from "../../core/extend.ts";
import type { Rng } from "../../core/random.ts";
import { readSpec } from "./spec.ts";
import { nextCharProbabilities } from "./document.ts";
import { pickIndex } from "./sampler.ts";
import { type Limits, limitsOf, resolveSimulated, sampleStreams, writer } from "./policy.ts";
import type { SimulatedPolicyOptions } from "./policy.ts";

/** Vocabulary size of the simulated token policy. */
export const VOCAB_SIZE = 128;
/** Token id of EOS. */
export const EOS_ID = 0;

/** Token id of a character (or EOS for `""`). */
export function tokenId(ch: string): number {
  return ch === "" ? EOS_ID : ch.charCodeAt(0);
}

/**
 * The reference model's next-token log-probabilities after `text` as a vocabulary-sized array
 * (`-Infinity` for impossible tokens).
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * const problemText = simProblem({ id: "e", steps: 3, pRight: 0.8 }).problem;
 * const l = referenceLogits(problemText, "step 1: ");
 * Math.exp(l["o".charCodeAt(0)]); // pRight[0] = 0.8
 * ```
 */
export function referenceLogits(problemText: string, text: string): Float32Array {
  const logits = new Float32Array(VOCAB_SIZE).fill(-Infinity);
  for (const [ch, p] of nextCharProbabilities(problemText, text)) logits[tokenId(ch)] = Math.log(p);
  return logits;
}

async function continueOne(
  state: SeqState,
  index: number,
  options: ResolvedExtendOptions,
  limits: Limits,
  r: Rng,
): Promise<Continuation> {
  const w = writer(state, limits);
  let text = state.text;
  const generated: number[] = [];
  for (;;) {
    const ref = referenceLogits(state.problem, text);
    const onlyEos = ref.every((l, id) => id === EOS_ID || l === -Infinity);
    if (!onlyEos && !w.room()) return w.finish("length");
    const logits = Float32Array.from(ref);
    if (options.logitsHook) {
      await options.logitsHook({ index, state, generated, logits });
      for (let id = 0; id < VOCAB_SIZE; id++) if (ref[id] === -Infinity) logits[id] = -Infinity;
    }
    const id = pickIndex(logits, options, r);
    if (id === EOS_ID) return w.finish("eos");
    const ch = String.fromCharCode(id);
    text += ch;
    generated.push(id);
    if (w.push(ch, ref[id])) return w.finish("stop");
  }
}

/**
 * Make a simulated token-level policy (`capabilities.logits = true`).
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * const problemText = simProblem({ id: "e", steps: 3, pRight: 0.8 }).problem;
 * const policy = simulatedTokenPolicy({ seed: 1 });
 * const [[c]] = await policy.extend([policy.start(problemText)], { stop: [], temperature: 0 });
 * ```
 */
export function simulatedTokenPolicy(options: SimulatedPolicyOptions = {}): Policy {
  const seed = options.seed ?? 0;
  let calls = 0;
  return {
    name: options.name ?? "simulated-token",
    capabilities: { logits: true, hidden: false },
    start(problem: string): SeqState {
      readSpec(problem);
      return { problem, text: "", steps: [] };
    },
    async extend(states: readonly SeqState[], opts: ExtendOptions = {}): Promise<Continuation[][]> {
      const o = resolveSimulated(opts, "simulated token policy", true);
      const { n } = o;
      const limits = limitsOf(o);
      const streams = sampleStreams(seed, calls++, states, n, o.seed);
      const out: Continuation[][] = [];
      for (let i = 0; i < states.length; i++) {
        const row: Continuation[] = [];
        for (let j = 0; j < n; j++) {
          row.push(await continueOne(states[i], i * n + j, o, limits, streams[i][j]));
        }
        out.push(row);
      }
      return out;
    },
  };
}
