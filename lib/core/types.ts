/**
 * Types shared by every layer: problems, the policy and scorer interfaces that search algorithms
 * see models through, and the result every search method returns.
 *
 * Search algorithms import only this module (plus grading and metrics); backends (in-process ONNX,
 * OpenAI-compatible HTTP, simulated) implement {@linkcode Policy} and {@linkcode Scorer}.
 *
 * @module
 */

/** One benchmark or synthetic problem. */
export interface Problem {
  /** Stable identifier (MATH500 `unique_id`, GSM8K row index, synthetic id). */
  id: string;
  /** The problem statement shown to the policy. */
  problem: string;
  /** The gold final answer (LaTeX or plain text). */
  answer: string;
  /** Difficulty level where the dataset has one. */
  level?: number;
  /** Subject where the dataset has one. */
  subject?: string;
  /** A reference solution where the dataset has one. */
  solution?: string;
}

/**
 * A partial solution a policy can extend: the problem plus the solution text generated so far.
 *
 * States are plain values: two states with the same `problem` and `text` mean the same sequence.
 * A backend may attach a private `handle` (for example a KV-cache entry) so that extending or
 * forking a state costs only the new tokens; algorithms copy states freely and never look inside it.
 *
 * @example
 * ```ts
 * const s: SeqState = { problem: "What is 2+3?", text: "" };
 * ```
 */
export interface SeqState {
  /** The problem being solved (the policy builds its own prompt from it). */
  readonly problem: string;
  /** Solution text after the prompt, generated so far. */
  readonly text: string;
  /**
   * Steps of `text`, as generated (each keeps its delimiter when the stop was kept): joined they
   * give `text`, and none is empty. Every policy's `start` and `extend` set it (`childState`);
   * a state written by hand may leave it out (its text then counts as one step).
   */
  readonly steps?: readonly string[];
  /** Backend-private handle (KV cache, server prefix id); opaque to algorithms. */
  readonly handle?: unknown;
}

/** Why a continuation ended. */
export type FinishReason = "stop" | "eos" | "length";

/** Hook on the raw next-token logits of one sequence (value-guided decoding); edits in place. */
export type LogitsHook = (ctx: LogitsContext) => void | Promise<void>;

/** What a {@linkcode LogitsHook} sees at one decoding position. */
export interface LogitsContext {
  /** Index of the sequence in the batch the call was made with. */
  readonly index: number;
  /** The state the continuation started from. */
  readonly state: SeqState;
  /** Token ids generated so far in this continuation. */
  readonly generated: readonly number[];
  /** Raw next-token logits (vocabulary-sized); the hook may change them in place. */
  readonly logits: Float32Array;
  /** Final hidden state at this position, where the backend exposes it. */
  readonly hidden?: Float32Array;
}

/**
 * Sampling and stopping options for {@linkcode Policy.extend}. Every backend fills in the
 * defaults and checks them the same way (`resolveExtendOptions` in lib/core/extend.ts).
 */
export interface ExtendOptions {
  /** Samples per input state (default 1). */
  n?: number;
  /** Stop strings; default `["\n\n"]` (one step). An empty array generates to EOS or `maxTokens`. */
  stop?: string[];
  /** Keep the stop string that fired at the end of the text (default true, as search-and-learn). */
  includeStop?: boolean;
  /** Maximum new tokens per continuation. */
  maxTokens?: number;
  /** Softmax temperature; 0 means greedy. */
  temperature?: number;
  /** Nucleus sampling mass (1 = off). */
  topP?: number;
  /** Keep only the k most likely tokens (0 or undefined = off). */
  topK?: number;
  /** Drop tokens whose probability is below `minP` times the top probability (0 = off). */
  minP?: number;
  /** Seed of the sampler; the same seed, states and options give the same tokens. */
  seed?: number;
  /** Hook on raw logits before sampling (only backends with `capabilities.logits`). */
  logitsHook?: LogitsHook;
}

/**
 * What one sample of generation produced: the record every backend and layer shares (the
 * engine's finished row, a parsed HTTP choice, a served sample, a continuation without its state).
 * A layer that needs more extends it (the ONNX runner adds its cache node, the server its top
 * log-probabilities, {@linkcode Continuation} the new state).
 *
 * @example
 * ```ts
 * const g: Generation = {
 *   text: "x = 1\n\n",
 *   tokens: [87, 3, 12],
 *   logprobs: [-0.5, -0.25, -0.25],
 *   cumulativeLogprob: -1,
 *   finishReason: "stop",
 *   stopString: "\n\n",
 * };
 * ```
 */
export interface Generation {
  /** The new text only (including the stop string when kept). */
  text: string;
  /**
   * Token ids sampled for this continuation, EOS and the tokens that completed a stop included (as
   * vLLM); empty where a backend cannot report them.
   */
  tokens: number[];
  /** Log-probability of each new token under the sampling distribution's source model. */
  logprobs: number[];
  /** Sum of `logprobs`. */
  cumulativeLogprob: number;
  /** Why generation ended. */
  finishReason: FinishReason;
  /** The stop string that fired, when `finishReason` is `"stop"`. */
  stopString?: string;
}

/** One continuation of one state: its {@linkcode Generation} and the state it leads to. */
export interface Continuation extends Generation {
  /**
   * The extended state, built by `childState` (lib/core/extend.ts): `text` is the parent's text
   * plus this continuation's text, `steps` the parent's plus this text when it is not empty.
   */
  state: SeqState;
}

/** What a backend can do beyond text generation. */
export interface PolicyCapabilities {
  /** Supports {@linkcode ExtendOptions.logitsHook}. */
  logits: boolean;
  /** Supports {@linkcode Policy.hidden}. */
  hidden: boolean;
}

/** A text to read under the policy without generating (teacher forcing). */
export interface LogprobRequest {
  /** The problem (its prompt comes first, as for generation). */
  problem: string;
  /** Solution text after the prompt. */
  text: string;
  /** Only tokens that end after this character offset of `text` are returned (default 0). */
  from?: number;
}

/** Per-token log-probabilities of a text under the policy (raw softmax, temperature 1). */
export interface TextLogprobs {
  /** For each returned token, the offset in `text` where its characters end. */
  ends: number[];
  /** log p(token | everything before it). */
  logprobs: number[];
  /** Whether the token is the policy's most likely next token there (greedy would write it). */
  greedy: boolean[];
}

/**
 * The interface every search algorithm sees a language model through.
 *
 * @example
 * ```ts
 * async function greedyStep(policy: Policy, problem: string) {
 *   const [[c]] = await policy.extend([policy.start(problem)], { temperature: 0 });
 *   return c.state.text;
 * }
 * ```
 */
export interface Policy {
  /** A name for tables and records (model folder or endpoint model id). */
  readonly name: string;
  /** Optional features of this backend. */
  readonly capabilities: PolicyCapabilities;
  /** The empty state of a problem. */
  start(problem: string): SeqState;
  /** Extend every state by one step (or to EOS), `n` samples each: `result[i][j]` is sample j of state i. */
  extend(states: readonly SeqState[], options?: ExtendOptions): Promise<Continuation[][]>;
  /** Final hidden state at the last position of each state (value heads), where supported. */
  hidden?(states: readonly SeqState[]): Promise<Float32Array[]>;
  /**
   * Read texts under the model without generating: each token's log-probability and whether it
   * is the greedy choice (self-certainty, verification by re-computation), where supported.
   */
  logprobs?(requests: readonly LogprobRequest[]): Promise<TextLogprobs[]>;
  /** Tell the backend these states will not be extended again (frees caches). */
  release?(states: readonly SeqState[]): void;
}

/** One partial solution to score. */
export interface ScoreRequest {
  /** The problem statement. */
  problem: string;
  /** Steps of the partial solution, as generated (joined with `""` they give the text). */
  steps: readonly string[];
}

/**
 * A reward model: scores partial solutions step by step.
 *
 * Every score is a probability in [0, 1] (of the step being right, or of the solution ending
 * correct); methods that need a value in [-1, 1] use `2p - 1`.
 *
 * @example
 * ```ts
 * async function lastScore(scorer: Scorer, problem: string, steps: string[]) {
 *   const [scores] = await scorer.score([{ problem, steps }], { lastOnly: true });
 *   return scores.at(-1);
 * }
 * ```
 */
export interface Scorer {
  /** A name for tables and records. */
  readonly name: string;
  /**
   * One score per step of each request (`result[i].length === requests[i].steps.length`), or,
   * with `lastOnly`, a one-element array holding the score of the whole prefix.
   */
  score(requests: readonly ScoreRequest[], options?: { lastOnly?: boolean }): Promise<number[][]>;
}

/** Compute spent by one search. */
export interface Cost {
  /** Tokens generated by the policy. */
  tokens: number;
  /** Calls to `Policy.extend` (each may carry a batch). */
  policyCalls: number;
  /** Calls to `Scorer.score`. */
  scorerCalls: number;
  /** Wall time in milliseconds. */
  wallMs: number;
}

/** One finished (or abandoned) solution a method considered. */
export interface Candidate {
  /** The full solution text. */
  text: string;
  /** The extracted final answer, or null. */
  answer: string | null;
  /** The score the method ranked it by (aggregated reward, weight, value, visit share...). */
  score?: number;
  /** Per-step scores, where a scorer produced them. */
  stepScores?: number[];
  /** Tokens generated for this candidate. */
  tokens?: number;
}

/** One node of a search trace: a step in a tree, or a particle at one resampling round. */
export interface TraceNode {
  /** Unique within the trace. */
  id: number;
  /** Parent node id (null for a root). */
  parent: number | null;
  /** The step text this node added. */
  text: string;
  /** Depth (step index) of the node. */
  depth: number;
  /** Score, value or weight attached by the method. */
  score?: number;
  /** Visit count (MCTS). */
  visits?: number;
  /** Whether the node ends a solution. */
  terminal?: boolean;
  /** Whether the method selected this node (final path, surviving particle). */
  selected?: boolean;
  /** Final answer where the node is terminal. */
  answer?: string | null;
}

/** A drawable record of a search: a tree (beam, MCTS, DVTS) or a particle genealogy (SMC, PF). */
export interface Trace {
  /** Which drawing fits. */
  kind: "samples" | "tree" | "particles";
  /** All nodes; edges are given by `parent`. */
  nodes: TraceNode[];
}

/** What every search method returns. */
export interface SearchResult {
  /** The method's final answer (null when no candidate had one). */
  answer: string | null;
  /** Every candidate considered, with its score. */
  candidates: Candidate[];
  /** Compute spent. */
  cost: Cost;
  /** What the search did, for drawing. */
  trace: Trace;
}
