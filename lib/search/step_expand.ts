/**
 * Growing a step tree with a policy and valuing its nodes with a scorer — the model-facing half
 * shared by SBS, AlphaMath MCTS and rStar-Math MCTS (docs/algorithms.md §5.2–§5.4, §6.2–§6.3).
 *
 * A sampled step becomes a child node whose status follows Super_MARIO's `create_child`:
 * a step that announces a final answer ({@linkcode isFinalStep}: `\boxed`, as rStar's parser, or
 * `Final Answer:`, as AlphaMath's; replaceable with `isFinal`) is a valid final when the judge
 * extracts an answer from it, else `NO_VALID_CHILD`; a step that ended on EOS or on the token
 * limit without announcing an answer is `NO_VALID_CHILD` (unparsable); an open step deeper than
 * `maxDepth` is `TOO_MANY_STEPS`. Finality is decided by the marker, never by the judge alone: a
 * whole-output extractor finds "answers" (last numbers) in ordinary steps. Code execution / `TOO_MANY_CODE_ERRORS` are not modelled here
 * (steps are plain text; a tool layer belongs to the policy).
 *
 * Values: the scorer returns a probability `p` for the whole prefix (`lastOnly`); the tree uses
 * the tanh-range value `2p − 1` ∈ [−1, 1]. For a sigmoid scorer `p = σ(x)` this is exactly
 * `tanh(x / 2)`, so AlphaMath's `tanh(v)` corresponds to `x = 2v` and rStar's PPM `tanh(r/5)` to
 * `x = 2r/5`.
 *
 * @module
 */
import type { Continuation, Cost, ExtendOptions, Policy, Problem, Scorer } from "../core/types.ts";
import { fork } from "../core/random.ts";
import { type AnswerJudge, defaultJudge } from "./answers.ts";
import { continuationTokens, meter } from "./cost.ts";
import { problemText, type SearchOptions } from "./options.ts";
import { createRoot, type NodeStatus, type StepNode } from "./step_tree.ts";

/** Sampling options every step search accepts (passed to `Policy.extend`). */
export interface StepSampling extends SearchOptions {
  /** Top-k (default off). */
  topK?: number;
  /** Step stop strings (default: the policy's, `["\n\n"]`). */
  stop?: string[];
  /** Whether a step announces the final answer (default {@linkcode isFinalStep}). */
  isFinal?: (stepText: string) => boolean;
}

/**
 * The default final-step test: the step contains `\boxed` / `\fbox` (rStar-Math's parser) or
 * `Final Answer:` (AlphaMath's SFT format).
 *
 * @example
 * ```ts
 * isFinalStep("so the answer is \\boxed{4}"); // true
 * isFinalStep("step 1: 2 + 2 = 4\n\n"); // false
 * ```
 */
export function isFinalStep(stepText: string): boolean {
  return /\\boxed|\\fbox|Final Answer:/.test(stepText);
}

/** Bookkeeping of one search run. */
export interface StepRun {
  /** The problem text. */
  readonly problem: string;
  /** The metered policy. */
  readonly policy: Policy;
  /** The metered scorer, if any. */
  readonly scorer: Scorer | undefined;
  /** Answer extraction / equivalence. */
  readonly judge: AnswerJudge;
  /** Final-step test. */
  readonly isFinal: (stepText: string) => boolean;
  /** Base sampling options of every `extend` call. */
  readonly sampling: ExtendOptions;
  /** Base seed; call `k` to the policy gets `fork(seed, "extend", k)`. */
  readonly seed: number;
  /** Policy calls made so far. */
  calls: number;
  /** Next node id. */
  nextId: number;
  /** Compute spent so far. */
  readonly cost: () => Cost;
}

/** How children are made from sampled steps. */
export interface ChildRules {
  /** Children deeper than this and still open become `TOO_MANY_STEPS`. */
  maxDepth: number;
  /** Drop a sample whose text equals an earlier sibling's (`remove_duplicate`). */
  removeDuplicate: boolean;
  /**
   * When a sample ends with a final answer, keep only the first such sample and drop all its
   * siblings (rStar-Math `llm_generate`: a finished solution ends the node's expansion).
   */
  keepFirstFinal?: boolean;
}

/**
 * Start a run and its root node.
 *
 * @example
 * ```ts ignore
 * const { run, root } = startRun("What is 2+3?", policy, scorer, { temperature: 1, maxTokens: 512, seed: 1 });
 * ```
 */
export function startRun(
  problem: Problem | string,
  policy: Policy,
  scorer: Scorer | undefined,
  options: StepSampling & { temperature: number; maxTokens: number; seed: number },
): { run: StepRun; root: StepNode } {
  const text = problemText(problem);
  const metered = meter(policy, scorer);
  const sampling: ExtendOptions = {
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    ...(options.topP === undefined ? {} : { topP: options.topP }),
    ...(options.topK === undefined ? {} : { topK: options.topK }),
    ...(options.stop === undefined ? {} : { stop: options.stop }),
  };
  const run: StepRun = {
    problem: text,
    policy: metered.policy,
    scorer: metered.scorer,
    judge: options.judge ?? defaultJudge,
    isFinal: options.isFinal ?? isFinalStep,
    sampling,
    seed: options.seed,
    calls: 0,
    nextId: 1,
    cost: metered.cost,
  };
  return { run, root: createRoot(policy.start(text)) };
}

/**
 * Sample `n` steps from each parent in one `Policy.extend` call and attach the children
 * (returned per parent, in sample order after de-duplication).
 *
 * @example
 * ```ts ignore
 * const [children] = await expandNodes(run, [root], 5, { maxDepth: 8, removeDuplicate: false });
 * ```
 */
export async function expandNodes(
  run: StepRun,
  parents: readonly StepNode[],
  n: number,
  rules: ChildRules,
): Promise<StepNode[][]> {
  if (parents.length === 0) return [];
  const seed = fork(run.seed, "extend", run.calls++);
  const outputs = await run.policy.extend(parents.map((p) => p.state), {
    ...run.sampling,
    n,
    seed,
  });
  return parents.map((parent, i) => {
    const conts = outputs[i] ?? [];
    const kept = selectSamples(conts, rules, run);
    for (const k of kept) parent.children.push(makeChild(run, parent, k, rules));
    return parent.children.slice(parent.children.length - kept.length);
  });
}

/**
 * Tanh-range values `2p − 1` of `nodes` from one batched scorer call (`lastOnly`).
 *
 * @example
 * ```ts ignore
 * const [v] = await nodeValues(run, [root]);
 * ```
 */
export async function nodeValues(run: StepRun, nodes: readonly StepNode[]): Promise<number[]> {
  if (nodes.length === 0) return [];
  if (run.scorer === undefined) throw new Error("this search needs a scorer (value model)");
  const scores = await run.scorer.score(
    nodes.map((n) => ({ problem: run.problem, steps: n.steps })),
    { lastOnly: true },
  );
  return scores.map((s, i) => {
    const p = s.at(-1);
    if (p === undefined || !Number.isFinite(p)) {
      throw new Error(`scorer returned no score for node ${nodes[i].id}`);
    }
    return 2 * p - 1;
  });
}

/**
 * AlphaMath's step prior: `exp(cumulative_logprob / len(token_ids))`, the geometric-mean token
 * probability of the sampled step; 1 when the backend reports no tokens.
 *
 * @example
 * ```ts
 * stepPrior({ cumulativeLogprob: Math.log(0.25), tokens: [1, 2], logprobs: [] }); // 0.5
 * ```
 */
export function stepPrior(
  c: Pick<Continuation, "cumulativeLogprob" | "tokens" | "logprobs">,
): number {
  const len = c.tokens.length > 0 ? c.tokens.length : c.logprobs.length;
  return len === 0 ? 1 : Math.exp(c.cumulativeLogprob / len);
}

interface Sample {
  cont: Continuation;
  final: boolean;
  answer: string | null;
}

function selectSamples(conts: readonly Continuation[], rules: ChildRules, run: StepRun): Sample[] {
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const cont of conts) {
    if (rules.removeDuplicate) {
      if (seen.has(cont.text)) continue;
      seen.add(cont.text);
    }
    const final = run.isFinal(cont.text);
    const sample = { cont, final, answer: final ? run.judge.extract(cont.text) : null };
    if (rules.keepFirstFinal && final) return [sample];
    out.push(sample);
  }
  return out;
}

function makeChild(
  run: StepRun,
  parent: StepNode,
  { cont, final, answer }: Sample,
  rules: ChildRules,
): StepNode {
  const depth = parent.depth + 1;
  let status: NodeStatus = "open";
  if (final) status = answer !== null && answer !== "" ? "final" : "no_valid_child";
  else if (cont.finishReason !== "stop") status = "no_valid_child";
  else if (depth > rules.maxDepth) status = "too_many_steps";
  return {
    id: run.nextId++,
    parent,
    children: [],
    depth,
    text: cont.text,
    state: cont.state,
    steps: [...parent.steps, cont.text],
    prior: stepPrior(cont),
    tokens: continuationTokens(cont),
    status,
    terminal: status !== "open",
    answer: status === "final" ? answer : null,
    value: null,
    visits: 0,
    valueSum: 0,
  };
}
