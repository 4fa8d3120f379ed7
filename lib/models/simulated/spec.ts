/**
 * Simulated problems: a problem with a known number of reasoning steps, each right with a known
 * probability, and a gold answer that a solution reaches iff every step was right.
 *
 * The full specification travels inside the problem text (as a JSON tag), so that the simulated
 * policy and scorers need no registration: any {@linkcode Problem} made by {@linkcode simProblem}
 * can be handed to any simulated backend, exactly like a real problem to a real model.
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * const p = simProblem({ id: "p1", steps: 3, pRight: 0.8, answer: "42" });
 * // p.problem === 'Simulated problem p1: 3 steps. [sim {...}]', p.answer === "42"
 * ```
 *
 * @module
 */
import type { Problem } from "../../core/types.ts";
import { fork, rng } from "../../core/random.ts";

/** What a caller specifies about a simulated problem. */
export interface SimSpecInput {
  /** Problem identifier. */
  id: string;
  /** Number of reasoning steps before the final answer step (≥ 0). */
  steps: number;
  /** Probability that each step is right: one number for every step, or one per step. */
  pRight: number | readonly number[];
  /** Gold answer (printable ASCII, no `}`); default: an integer derived from `id`. */
  answer?: string;
  /**
   * Answers a solution with a slip ends in (printable ASCII, no `}`, none equal to `answer`);
   * default: three integers next to the gold answer (or `wrong1..3` when it is not an integer).
   */
  wrongAnswers?: readonly string[];
  /** Relative weights of `wrongAnswers` (default uniform). */
  wrongWeights?: readonly number[];
}

/** A fully resolved simulated problem (every default filled in, weights normalised). */
export interface SimSpec {
  readonly id: string;
  readonly steps: number;
  /** One probability per step. */
  readonly pRight: readonly number[];
  readonly answer: string;
  readonly wrongAnswers: readonly string[];
  /** Normalised to sum 1. */
  readonly wrongWeights: readonly number[];
}

const ANSWER_RE = /^[\x20-\x7c\x7e]+$/; // printable ASCII without "}"

/** Fill in defaults and validate; throws `RangeError` on an impossible specification. */
export function resolveSpec(input: SimSpecInput): SimSpec {
  const { id, steps } = input;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be an integer ≥ 0`);
  const pRight = typeof input.pRight === "number"
    ? Array.from({ length: steps }, () => input.pRight as number)
    : [...input.pRight];
  if (pRight.length !== steps) {
    throw new RangeError(`pRight has ${pRight.length} entries, not ${steps}`);
  }
  for (const p of pRight) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`pRight ${p} not in [0, 1]`);
  }
  const answer = input.answer ?? String(10 + (fork(0, "answer", id) % 90));
  const n = Number(answer);
  const wrongAnswers = input.wrongAnswers ??
    (Number.isInteger(n) && /^-?\d+$/.test(answer)
      ? [String(n + 1), String(n - 1), String(n + 10)]
      : ["wrong1", "wrong2", "wrong3"]);
  if (wrongAnswers.length === 0) throw new RangeError("wrongAnswers must not be empty");
  for (const a of [answer, ...wrongAnswers]) {
    if (!ANSWER_RE.test(a)) {
      throw new RangeError(`answer ${JSON.stringify(a)}: printable ASCII, no "}"`);
    }
  }
  if (wrongAnswers.includes(answer)) throw new RangeError("a wrong answer equals the gold answer");
  if (new Set(wrongAnswers).size !== wrongAnswers.length) {
    throw new RangeError("wrongAnswers must be distinct");
  }
  const w = input.wrongWeights ?? wrongAnswers.map(() => 1);
  if (w.length !== wrongAnswers.length) throw new RangeError("wrongWeights length mismatch");
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0) || w.some((x) => !(x >= 0))) throw new RangeError("bad wrongWeights");
  return {
    id,
    steps,
    pRight,
    answer,
    wrongAnswers: [...wrongAnswers],
    wrongWeights: w.map((x) => x / total),
  };
}

/**
 * Make a {@linkcode Problem} whose text carries the simulated specification.
 *
 * @example
 * ```ts
 * const p = simProblem({ id: "a", steps: 2, pRight: [0.9, 0.5] });
 * ```
 */
export function simProblem(input: SimSpecInput): Problem {
  const spec = resolveSpec(input);
  return {
    id: spec.id,
    problem: `Simulated problem ${spec.id}: ${spec.steps} steps. [sim ${JSON.stringify(spec)}]`,
    answer: spec.answer,
  };
}

/**
 * A set of `count` simulated problems with step counts and per-problem step accuracies drawn
 * uniformly (seeded) from the given integer / real ranges.
 *
 * @example
 * ```ts
 * const set = simProblemSet({ count: 50, steps: [2, 6], pRight: [0.5, 0.95], seed: 1 });
 * ```
 */
export function simProblemSet(
  options: {
    count: number;
    steps: readonly [number, number];
    pRight: readonly [number, number];
    seed?: number;
    prefix?: string;
    answer?: string;
    wrongAnswers?: readonly string[];
    wrongWeights?: readonly number[];
  },
): Problem[] {
  const { count, steps, pRight, seed = 0, prefix = "sim" } = options;
  const r = rng(fork(seed, "simProblemSet"));
  return Array.from({ length: count }, (_, i) =>
    simProblem({
      id: `${prefix}-${i}`,
      steps: steps[0] + r.int(steps[1] - steps[0] + 1),
      pRight: pRight[0] + (pRight[1] - pRight[0]) * r.uniform(),
      wrongAnswers: options.wrongAnswers,
      wrongWeights: options.wrongWeights,
      answer: options.answer,
    }));
}

const cache = new Map<string, SimSpec>();

/**
 * Read the specification back from a problem text made by {@linkcode simProblem}; throws when
 * the text is not a simulated problem.
 */
export function readSpec(problemText: string): SimSpec {
  const hit = cache.get(problemText);
  if (hit) return hit;
  const m = /\[sim (\{.*\})\]$/s.exec(problemText);
  if (!m) throw new Error(`not a simulated problem: ${problemText.slice(0, 60)}`);
  const spec = resolveSpec(JSON.parse(m[1]) as SimSpecInput);
  if (cache.size > 10_000) cache.clear();
  cache.set(problemText, spec);
  return spec;
}
