/**
 * The embedded default world: a seeded synthetic multi-step arithmetic task with an exact step
 * checker.
 *
 * Every problem has a hidden {@linkcode Plan}: a list of binary operations whose operands are
 * literals from the problem text or results of earlier operations. The gold solution writes one
 * operation per step, in plan order, then a final answer step; steps are joined with `"\n\n"`
 * (PRM800K / search-and-learn step format):
 *
 * ```text
 * Step 1: 5 * 12 = 60
 *
 * Step 2: 23 + 60 = 83
 *
 * Step 3: 83 / 4 = 20 R 3
 *
 * The answer is \boxed{3}.
 * ```
 *
 * A step is `Step <k>: <x> <op> <y> = <z>` with `op` one of `+ - * /`, numbers written as
 * non-negative integers or fractions `p/q` (no spaces inside a number, spaces around the operator),
 * and `<z>` written `<q> R <r>` for a division with remainder. {@linkcode checkSteps} judges every
 * step exactly against the plan.
 *
 * All randomness comes from {@linkcode mulberry32} seeded by {@linkcode hashSeed}, so the same seed
 * gives the same problems on any machine.
 *
 * @module
 */

import { rng } from "../core/random.ts";
import type { Problem } from "../core/types.ts";

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** A uniform random number generator on [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32: a small, fast 32-bit seeded PRNG (same sequence on every platform).
 *
 * @example
 * ```ts
 * const rng = mulberry32(42);
 * const x = rng(); // in [0, 1), always the same for seed 42
 * ```
 */
export function mulberry32(seed: number): Rng {
  return rng(seed).uniform;
}

/**
 * Hash strings and numbers into one 32-bit seed (FNV-1a over the parts, then a murmur finalizer).
 *
 * @example
 * ```ts
 * const rng = mulberry32(hashSeed("train", 7, 123)); // problem 123 of train stream 7
 * ```
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${typeof part}:${part};`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform integer in [lo, hi] (inclusive). */
function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Uniform element of a non-empty array. */
function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** Index drawn with probability proportional to `weights`. */
function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

// ---------------------------------------------------------------------------------------------
// Plans and records
// ---------------------------------------------------------------------------------------------

/** A binary operator of the task. `/` is exact division, or division with remainder. */
export type Op = "+" | "-" | "*" | "/";

/**
 * An operand of a plan step: a literal from the problem text (`"17"`, `"3/4"`) or the result of
 * an earlier step (0-based index; for a remainder step its quotient).
 *
 * @example
 * ```ts
 * const a: Operand = { lit: "17" };
 * const b: Operand = { ref: 0 }; // the result of step 1
 * ```
 */
export type Operand = { lit: string } | { ref: number };

/**
 * One operation of a plan. With `rem: true` the step is a division with remainder, written
 * `x / y = q R r`.
 *
 * @example
 * ```ts
 * const s: PlanStep = { op: "*", a: { lit: "5" }, b: { lit: "12" } }; // "Step 1: 5 * 12 = 60"
 * ```
 */
export interface PlanStep {
  op: Op;
  a: Operand;
  b: Operand;
  rem?: boolean;
  /** Word problems: the sentence this step works on, quoted at the start of the step. */
  cue?: string;
}

/**
 * The hidden structure of a problem: the operations in solution order and which result is the
 * answer (`part: "rem"` takes the remainder of a remainder step).
 *
 * @example
 * ```ts
 * const plan: Plan = {
 *   steps: [{ op: "+", a: { lit: "2" }, b: { lit: "3" } }, { op: "*", a: { ref: 0 }, b: { lit: "4" } }],
 *   answer: { ref: 1, part: "value" },
 * };
 * ```
 */
export interface Plan {
  steps: PlanStep[];
  answer: { ref: number; part: "value" | "rem" };
}

/** Surface form of a problem. */
export type ProblemForm = "word" | "expr";

/**
 * A synthetic problem record: `solution` is the gold solution in steps joined by `"\n\n"`, ending
 * with the `\boxed{answer}` step; `plan` is the hidden structure the step checker uses.
 *
 * @example
 * ```ts
 * const p: SyntheticProblem = generateProblem(1, 0, 2, "expr");
 * console.log(p.problem, p.answer, p.solution.split("\n\n").length);
 * ```
 */
export interface SyntheticProblem extends Problem {
  level: number;
  solution: string;
  form: ProblemForm;
  plan: Plan;
}

/** Difficulty levels, easiest first. */
export const LEVELS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * Level of one-operation drill problems (`Calculate 47 + 8.`, `Find the remainder when 47 is
 * divided by 5.`): never in the evaluation split; mixed into training with
 * {@linkcode TrainStreamOptions.drillFraction} so a small model sees more arithmetic per token.
 *
 * @example
 * ```ts
 * generateProblem(1, 0, DRILL_LEVEL, "expr").plan.steps.length; // 1
 * ```
 */
export const DRILL_LEVEL = 0;

/**
 * Every character the task's problems and solutions (gold or flawed) can contain, in a fixed
 * order: the character vocabulary of the embedded policy's tokenizer.
 *
 * @example
 * ```ts
 * const ok = [..."Step 1: 2 + 3 = 5"].every((c) => CHARSET.includes(c)); // true
 * ```
 */
export const CHARSET: string = "\n !(),./0123456789:=?ABCDEFGHIJKLMNOPQRSTUVWXYZ\\" +
  "abcdefghijklmnopqrstuvwxyz{}*+-";

/** Seed of the fixed evaluation split. */
export const EVAL_SEED = 20261125;

/** Number of problems in {@linkcode evalSplit}. */
export const EVAL_SIZE = 500;

/** Largest intermediate value at each level (index = level). */
const CAPS = [150, 30, 60, 99, 99, 150];

// ---------------------------------------------------------------------------------------------
// Number helpers (exact rationals over safe integers; all task numbers stay far below 2^53)
// ---------------------------------------------------------------------------------------------

/** An exact rational `n / d` with `d > 0`, in lowest terms. */
interface Rat {
  n: number;
  d: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function rat(n: number, d = 1): Rat {
  if (d < 0) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

/** Parse `"17"` or `"3/4"` (no sign, no spaces) into a rational; null if not a number. */
function parseNum(s: string): Rat | null {
  const m = /^(\d{1,9})(?:\/(\d{1,9}))?$/.exec(s);
  if (!m) return null;
  const d = m[2] === undefined ? 1 : Number(m[2]);
  if (d === 0) return null;
  return rat(Number(m[1]), d);
}

function fmt(r: Rat): string {
  return r.d === 1 ? `${r.n}` : `${r.n}/${r.d}`;
}

function eq(x: Rat, y: Rat): boolean {
  return x.n === y.n && x.d === y.d;
}

function apply(op: Op, x: Rat, y: Rat): Rat | null {
  switch (op) {
    case "+":
      return rat(x.n * y.d + y.n * x.d, x.d * y.d);
    case "-":
      return rat(x.n * y.d - y.n * x.d, x.d * y.d);
    case "*":
      return rat(x.n * y.n, x.d * y.d);
    case "/":
      return y.n === 0 ? null : rat(x.n * y.d, x.d * y.n);
  }
}

// ---------------------------------------------------------------------------------------------
// Executing plans
// ---------------------------------------------------------------------------------------------

/** Result of one executed step: its value (the quotient for a remainder step) and remainder. */
interface StepValue {
  value: Rat;
  rem?: number;
}

/** Compute one step on concrete operands; null when it is not defined for them. */
function evalStep(step: PlanStep, x: Rat, y: Rat): StepValue | null {
  if (step.rem) {
    if (x.d !== 1 || y.d !== 1 || y.n <= 0 || x.n < 0) return null;
    return { value: rat(Math.floor(x.n / y.n)), rem: x.n % y.n };
  }
  const v = apply(step.op, x, y);
  return v === null ? null : { value: v };
}

/** Format the result part of a step (`"60"`, `"20 R 3"`). */
function fmtResult(v: StepValue): string {
  return v.rem === undefined ? fmt(v.value) : `${fmt(v.value)} R ${v.rem}`;
}

/**
 * Text of one operation step.
 *
 * @example
 * ```ts
 * formatStep(1, "83", "/", "4", "20 R 3"); // "Step 2: 83 / 4 = 20 R 3"
 * ```
 */
export function formatStep(index: number, x: string, op: Op, y: string, result: string): string {
  return `Step ${index + 1}: ${x} ${op} ${y} = ${result}`;
}

/**
 * Text of the final answer step.
 *
 * @example
 * ```ts
 * formatAnswerStep("42"); // "The answer is \\boxed{42}."
 * ```
 */
export function formatAnswerStep(answer: string): string {
  return `The answer is \\boxed{${answer}}.`;
}

function resolve(o: Operand, values: readonly (StepValue | null)[]): Rat | null {
  if ("lit" in o) return parseNum(o.lit);
  return values[o.ref]?.value ?? null;
}

/** Whether a value is allowed as an intermediate result: a non-negative integer within the cap. */
function admissible(v: StepValue, cap: number): boolean {
  return v.value.d === 1 && v.value.n >= 0 && v.value.n <= cap;
}

/** A deliberate deviation at one step, used to make flawed solutions. */
interface Deviation {
  step: number;
  /** Replace the written first or second operand by this number. */
  a?: Rat;
  b?: Rat;
  /** Replace the written result by this one (after operands are applied). */
  result?: StepValue;
}

/** One executed step as written: operands, result, and text. */
interface WrittenStep {
  x: Rat;
  y: Rat;
  out: StepValue;
  text: string;
}

/**
 * Execute a plan, optionally with one deviation, carrying the written results forward
 * consistently. Returns null if some step becomes inadmissible (negative, non-integer, too big).
 */
function runPlan(plan: Plan, cap: number, dev?: Deviation): WrittenStep[] | null {
  const values: (StepValue | null)[] = [];
  const out: WrittenStep[] = [];
  for (let i = 0; i < plan.steps.length; i++) {
    const s = plan.steps[i];
    let x = resolve(s.a, values);
    let y = resolve(s.b, values);
    if (x === null || y === null) return null;
    if (dev?.step === i) {
      x = dev.a ?? x;
      y = dev.b ?? y;
    }
    let v = evalStep(s, x, y);
    if (v === null) return null;
    if (dev?.step === i && dev.result) v = dev.result;
    if (!admissible(v, cap)) return null;
    values.push(v);
    out.push({ x, y, out: v, text: stepText(plan, i, x, y, fmtResult(v), values) });
  }
  return out;
}

/**
 * The written text of operation step `i` of a plan: `Step k: [(cue) ]x op y = z`, and for an
 * expression problem whose body is not yet reduced to one number, a second line
 * `Now: <the expression with every computed part replaced by its written value>`. The cue and the
 * rewrite keep the next step's operands next to it, so a small model need not search the problem
 * for them (without them the embedded model lost its place after step 1).
 */
function stepText(
  plan: Plan,
  i: number,
  x: Rat,
  y: Rat,
  result: string,
  values: readonly (StepValue | null)[] | null,
): string {
  const s = plan.steps[i];
  const cue = s.cue ? `(${s.cue}) ` : "";
  const now = values === null ? null : rewriteAfter(plan, i, values);
  const head = formatStep(i, `${cue}${fmt(x)}`, s.op, fmt(y), result);
  return now === null ? head : `${head}\nNow: ${now}`;
}

/** Index of the step whose result is the expression body (the operand of a final remainder step). */
function bodyRoot(plan: Plan): number {
  const last = plan.steps.length - 1;
  const s = plan.steps[last];
  return s.rem && "ref" in s.a ? s.a.ref : last;
}

const PREC: Record<Op, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/**
 * The expression body after step `i`, steps `0..i` replaced by their values in `values`; null for
 * word problems (steps with cues) and once the body is a single number.
 */
function rewriteAfter(plan: Plan, i: number, values: readonly (StepValue | null)[]): string | null {
  const root = bodyRoot(plan);
  if (i >= root || plan.steps.some((s) => s.cue !== undefined)) return null;
  const operand = (o: Operand, parent: number, isRight: boolean): string => {
    if ("lit" in o) return o.lit;
    if (o.ref <= i) {
      const v = values[o.ref];
      return v ? fmt(v.value) : "?";
    }
    return node(o.ref, parent, isRight);
  };
  const node = (j: number, parentPrec: number, isRight: boolean): string => {
    const s = plan.steps[j];
    const p = PREC[s.op];
    const text = `${operand(s.a, p, false)} ${s.op} ${operand(s.b, p, true)}`;
    return p < parentPrec || (isRight && p === parentPrec) ? `(${text})` : text;
  };
  return node(root, 0, false);
}

function answerOf(plan: Plan, steps: readonly WrittenStep[]): string {
  const v = steps[plan.answer.ref].out;
  return plan.answer.part === "rem" ? `${v.rem ?? 0}` : fmt(v.value);
}

/**
 * The gold solution of a plan as an array of steps (the last one holds `\boxed{answer}`).
 *
 * @example
 * ```ts
 * const p = generateProblem(3, 0, 1, "expr");
 * goldSteps(p).join("\n\n") === p.solution; // true
 * ```
 */
export function goldSteps(problem: Pick<SyntheticProblem, "plan">): string[] {
  const steps = runPlan(problem.plan, Infinity);
  if (!steps) throw new Error("plan cannot be executed");
  return [...steps.map((s) => s.text), formatAnswerStep(answerOf(problem.plan, steps))];
}

// ---------------------------------------------------------------------------------------------
// Word problems
// ---------------------------------------------------------------------------------------------

const NAMES: readonly (readonly [string, string])[] = [
  ["Ann", "She"],
  ["Ben", "He"],
  ["Cara", "She"],
  ["Dan", "He"],
  ["Eva", "She"],
  ["Finn", "He"],
  ["Gia", "She"],
  ["Hugo", "He"],
  ["Ivy", "She"],
  ["Jon", "He"],
  ["Kim", "She"],
  ["Leo", "He"],
  ["Mia", "She"],
  ["Ned", "He"],
  ["Olga", "She"],
  ["Paul", "He"],
  ["Quinn", "She"],
  ["Ravi", "He"],
  ["Sara", "She"],
  ["Tom", "He"],
  ["Uma", "She"],
  ["Victor", "He"],
  ["Wendy", "She"],
  ["Xavier", "He"],
  ["Yara", "She"],
  ["Zack", "He"],
];

const ITEMS: readonly string[] = [
  "apples",
  "marbles",
  "coins",
  "stickers",
  "books",
  "pens",
  "cards",
  "shells",
  "stamps",
  "beads",
];

/** Number of operations (steps before the answer step) at a level. */
function opsForLevel(rng: Rng, level: number): number {
  return [1, 2, 3, 4, randInt(rng, 5, 6), randInt(rng, 7, 8)][level];
}

/** Per-level number ranges. */
interface LevelRanges {
  start: number;
  add: number;
  mul: number;
  box: number;
}

const RANGES: readonly LevelRanges[] = [
  { start: 99, add: 40, mul: 9, box: 9 },
  { start: 20, add: 9, mul: 5, box: 5 },
  { start: 30, add: 9, mul: 5, box: 9 },
  { start: 50, add: 9, mul: 9, box: 9 },
  { start: 50, add: 9, mul: 9, box: 9 },
  { start: 60, add: 20, mul: 9, box: 9 },
];

type WordEvent = "add" | "sub" | "mul" | "addmul" | "submul" | "div" | "frackeep" | "fracgive";
type WordFinal = "now" | "together" | "rem" | "bags";

const WORD_EVENTS: readonly (readonly WordEvent[])[] = [
  [],
  ["add", "sub"],
  ["add", "sub", "mul", "addmul", "submul"],
  ["add", "sub", "mul", "addmul", "submul", "div"],
  ["add", "sub", "mul", "addmul", "submul", "div", "frackeep"],
  ["add", "sub", "mul", "addmul", "submul", "div", "frackeep", "fracgive"],
];

const WORD_FINALS: readonly (readonly WordFinal[])[] = [
  [],
  ["now"],
  ["now", "together"],
  ["now", "together"],
  ["now", "together", "rem", "bags"],
  ["now", "together", "rem", "bags"],
];

const EVENT_COST: Record<WordEvent, number> = {
  add: 1,
  sub: 1,
  mul: 1,
  addmul: 2,
  submul: 2,
  div: 1,
  frackeep: 1,
  fracgive: 2,
};

const FINAL_COST: Record<WordFinal, number> = { now: 0, together: 2, rem: 1, bags: 1 };

/** Denominators used by fraction literals. */
const DENOMS = [2, 3, 4, 5, 6, 8, 10];

/** A random fraction p/q (0 < p < q, lowest terms) with q dividing v, or null. */
function fractionFor(rng: Rng, v: number): Rat | null {
  const qs = DENOMS.filter((q) => v % q === 0 && v >= q);
  if (qs.length === 0) return null;
  const q = pick(rng, qs);
  const ps = [];
  for (let p = 1; p < q; p++) if (gcd(p, q) === 1) ps.push(p);
  return { n: pick(rng, ps), d: q };
}

/** Divisors of v in [lo, hi]. */
function divisors(v: number, lo: number, hi: number): number[] {
  const out = [];
  for (let k = lo; k <= Math.min(hi, v - 1); k++) if (v % k === 0) out.push(k);
  return out;
}

/** Builder shared by the word and expression generators: collects plan steps and values. */
interface Builder {
  steps: PlanStep[];
  values: number[];
  cap: number;
}

/** Append a step; returns the operand referring to its result, or null if inadmissible. */
function push(b: Builder, step: PlanStep, x: number, y: number | Rat): Operand | null {
  const yr = typeof y === "number" ? rat(y) : y;
  const v = evalStep(step, rat(x), yr);
  if (v === null || !admissible(v, b.cap)) return null;
  b.steps.push(step);
  b.values.push(v.value.n);
  return { ref: b.steps.length - 1 };
}

/** One attempt at a word problem; null if the random choices led nowhere. */
function tryWordProblem(rng: Rng, level: number): { text: string; plan: Plan } | null {
  const r = RANGES[level];
  const nOps = opsForLevel(rng, level);
  const [name, pron] = pick(rng, NAMES);
  const items = pick(rng, ITEMS);
  const b: Builder = { steps: [], values: [], cap: CAPS[level] };
  const finals = WORD_FINALS[level].filter((f) => FINAL_COST[f] <= nOps - 1);
  const final = pick(rng, finals);
  let budget = nOps - FINAL_COST[final];
  const start = randInt(rng, 5, r.start);
  let cur: Operand = { lit: `${start}` };
  let val = start;
  const sentences = [`${name} has ${start} ${items}.`];
  /** Quote `sentence` in the steps pushed since `from`. */
  const cue = (from: number, sentence: string) => {
    for (let j = from; j < b.steps.length; j++) b.steps[j].cue = sentence;
  };
  for (let guard = 0; budget > 0; guard++) {
    if (guard > 50) return null;
    const from = b.steps.length;
    const ev = pick(rng, WORD_EVENTS[level].filter((e) => EVENT_COST[e] <= budget));
    let next: Operand | null = null;
    let sentence = "";
    if (ev === "add") {
      const n = randInt(rng, 1, r.add);
      next = push(b, { op: "+", a: cur, b: { lit: `${n}` } }, val, n);
      sentence = `${pron} ${pick(rng, ["buys", "finds"])} ${n} more.`;
    } else if (ev === "sub") {
      if (val < 3) continue;
      const n = randInt(rng, 1, Math.min(val - 1, r.add));
      next = push(b, { op: "-", a: cur, b: { lit: `${n}` } }, val, n);
      sentence = `${pron} ${pick(rng, ["gives away", "loses"])} ${n}.`;
    } else if (ev === "mul") {
      const kMax = Math.min(r.mul, Math.floor(b.cap / val));
      if (kMax < 2) continue;
      const k = randInt(rng, 2, kMax);
      next = push(b, { op: "*", a: cur, b: { lit: `${k}` } }, val, k);
      sentence = `${pron} now has ${k} times as many.`;
    } else if (ev === "addmul" || ev === "submul") {
      const k = randInt(rng, 2, r.mul);
      const m = randInt(rng, 2, r.box);
      if (ev === "submul" && k * m >= val) continue;
      const side = push(b, { op: "*", a: { lit: `${k}` }, b: { lit: `${m}` } }, k, m);
      if (side === null) return null;
      next = push(b, { op: ev === "addmul" ? "+" : "-", a: cur, b: side }, val, k * m);
      sentence = ev === "addmul"
        ? `${pron} buys ${k} boxes of ${m}.`
        : `${pron} sells ${k} bags of ${m}.`;
    } else if (ev === "div") {
      const ks = divisors(val, 2, 9);
      if (ks.length === 0) continue;
      const k = pick(rng, ks);
      next = push(b, { op: "/", a: cur, b: { lit: `${k}` } }, val, k);
      sentence = `${pron} keeps one of ${k} equal piles.`;
    } else if (ev === "frackeep") {
      const f = fractionFor(rng, val);
      if (f === null) continue;
      next = push(b, { op: "*", a: cur, b: { lit: fmt(f) } }, val, f);
      sentence = `${pron} keeps ${fmt(f)} of them.`;
    } else {
      const f = fractionFor(rng, val);
      if (f === null) continue;
      const side = push(b, { op: "*", a: cur, b: { lit: fmt(f) } }, val, f);
      if (side === null) return null;
      next = push(b, { op: "-", a: cur, b: side }, val, b.values[b.values.length - 1]);
      sentence = `${pron} gives away ${fmt(f)} of them.`;
    }
    if (next === null) return null;
    cue(from, sentence);
    cur = next;
    val = b.values[b.values.length - 1];
    budget -= EVENT_COST[ev];
    sentences.push(sentence);
  }
  if (!("ref" in cur)) return null;
  let answer: Plan["answer"] = { ref: cur.ref, part: "value" };
  if (final === "now") {
    sentences.push(`How many does ${name} have now?`);
  } else if (final === "together") {
    const [name2] = pick(rng, NAMES.filter(([n]) => n !== name));
    const more = rng() < 0.5 || val < 3;
    const n = more ? randInt(rng, 1, r.add) : randInt(rng, 1, Math.min(val - 1, r.add));
    const other = push(b, { op: more ? "+" : "-", a: cur, b: { lit: `${n}` } }, val, n);
    if (other === null) return null;
    const total = push(b, { op: "+", a: cur, b: other }, val, b.values[b.values.length - 1]);
    if (total === null || !("ref" in total)) return null;
    answer = { ref: total.ref, part: "value" };
    sentences.push(
      `${name2} has ${n} ${more ? "more" : "fewer"} than ${name}.`,
      "How many do they have together?",
    );
    b.steps[total.ref - 1].cue = sentences.at(-2);
    b.steps[total.ref].cue = sentences.at(-1);
  } else {
    if (val < 4) return null;
    const k = randInt(rng, 3, Math.min(9, val - 1));
    const q = push(b, { op: "/", a: cur, b: { lit: `${k}` }, rem: true }, val, k);
    if (q === null || !("ref" in q)) return null;
    answer = { ref: q.ref, part: final === "rem" ? "rem" : "value" };
    b.steps[q.ref].cue = `${pron} packs them in bags of ${k}.`;
    sentences.push(
      `${pron} packs them in bags of ${k}.`,
      final === "rem" ? "How many are left over?" : "How many full bags are there?",
    );
  }
  return { text: sentences.join(" "), plan: { steps: b.steps, answer } };
}

// ---------------------------------------------------------------------------------------------
// Expression problems
// ---------------------------------------------------------------------------------------------

/** An expression tree node: a literal leaf or a binary operation. */
type Expr = { lit: string; value: number } | { op: Op; left: Expr; right: Expr; value: number };

const EXPR_OPS: readonly (readonly Op[])[] = [
  ["+", "-", "*", "/"],
  ["+", "-"],
  ["+", "-", "*"],
  ["+", "-", "*", "/"],
  ["+", "-", "*", "/"],
  ["+", "-", "*", "/"],
];

/** A random tree shape with `m` operations: null leaves, arrays [left, right] for operations. */
type Shape = null | [Shape, Shape];

function randomShape(rng: Rng, m: number): Shape {
  if (m === 0) return null;
  const left = randInt(rng, 0, m - 1);
  return [randomShape(rng, left), randomShape(rng, m - 1 - left)];
}

/** A left-deep chain of `m` operations: every right operand is a literal. */
function chainShape(m: number): Shape {
  return m === 0 ? null : [chainShape(m - 1), null];
}

/** Fill a shape with operations and literals so that every value is admissible; null on failure. */
function fillShape(rng: Rng, shape: Shape, level: number): Expr | null {
  const r = RANGES[level];
  const cap = CAPS[level];
  if (shape === null) {
    const v = randInt(rng, 1, r.start);
    return { lit: `${v}`, value: v };
  }
  let left = fillShape(rng, shape[0], level);
  if (left === null) return null;
  const rightIsLeaf = shape[1] === null;
  const ops = EXPR_OPS[level].filter((o) => o !== "/" || rightIsLeaf);
  const op = pick(rng, ops);
  const L = left.value;
  let right: Expr | null;
  if (rightIsLeaf) {
    let lit: string;
    let v: number;
    // drills: half the added or subtracted amounts are single digits, as in the levels' steps
    const add = level === DRILL_LEVEL && rng() < 0.5 ? 9 : r.add;
    if (op === "+") {
      v = randInt(rng, 1, add);
      lit = `${v}`;
    } else if (op === "-") {
      if (L < 2) return null;
      v = randInt(rng, 1, Math.min(L - 1, add));
      lit = `${v}`;
    } else if (op === "*") {
      const f = (level >= 4 || level === DRILL_LEVEL) && rng() < 0.35 ? fractionFor(rng, L) : null;
      if (f !== null) {
        const value = (L * f.n) / f.d;
        return { op, left, right: { lit: fmt(f), value: 0 }, value };
      }
      const kMax = Math.min(r.mul, Math.floor(cap / L));
      if (kMax < 2) return null;
      v = randInt(rng, 2, kMax);
      lit = `${v}`;
    } else {
      const ks = divisors(L, 2, 9);
      if (ks.length === 0) return null;
      v = pick(rng, ks);
      lit = `${v}`;
    }
    right = { lit, value: v };
  } else {
    right = fillShape(rng, shape[1], level);
    if (right === null) return null;
    if (op === "-") {
      if (L === right.value) return null;
      if (L < right.value) [left, right] = [right, left];
    }
    // keep products of two computed values learnable: one factor must be small
    if (op === "*" && Math.min(L, right.value) > r.mul) return null;
  }
  const value = apply(op, rat(left.value), rat(right.value));
  if (value === null || value.d !== 1 || value.n < 0 || value.n > cap) return null;
  return { op, left, right, value: value.n };
}

/** Render with the fewest parentheses that keep left-to-right, precedence-aware parsing exact. */
function renderExpr(e: Expr, parentPrec = 0, isRight = false): string {
  if ("lit" in e) return e.lit;
  const p = PREC[e.op];
  const s = `${renderExpr(e.left, p, false)} ${e.op} ${renderExpr(e.right, p, true)}`;
  return p < parentPrec || (isRight && p === parentPrec) ? `(${s})` : s;
}

/** Post-order (left, right, node) plan steps of an expression. */
function exprPlan(e: Expr, steps: PlanStep[]): Operand {
  if ("lit" in e) return { lit: e.lit };
  const a = exprPlan(e.left, steps);
  const b = exprPlan(e.right, steps);
  steps.push({ op: e.op, a, b });
  return { ref: steps.length - 1 };
}

function tryExprProblem(rng: Rng, level: number): { text: string; plan: Plan } | null {
  const nOps = opsForLevel(rng, level);
  const withRem = (level >= 4 && rng() < 0.4) || (level === DRILL_LEVEL && rng() < 0.15);
  const m = withRem ? nOps - 1 : nOps;
  const shape = level <= 3 ? chainShape(m) : randomShape(rng, m);
  const e = fillShape(rng, shape, level);
  if (e === null) return null;
  const steps: PlanStep[] = [];
  const top = exprPlan(e, steps);
  const body = renderExpr(e);
  if (!withRem) {
    if (!("ref" in top)) return null;
    return { text: `Calculate ${body}.`, plan: { steps, answer: { ref: top.ref, part: "value" } } };
  }
  if (e.value < 4) return null;
  const k = randInt(rng, 3, Math.min(9, e.value - 1));
  steps.push({ op: "/", a: top, b: { lit: `${k}` }, rem: true });
  return {
    text: `Find the remainder when ${body} is divided by ${k}.`,
    plan: { steps, answer: { ref: steps.length - 1, part: "rem" } },
  };
}

// ---------------------------------------------------------------------------------------------
// Problem generation, the evaluation split and the training stream
// ---------------------------------------------------------------------------------------------

/** Build a full record from an rng; retries until the random choices give a valid problem. */
function makeProblem(rng: Rng, id: string, level: number, form: ProblemForm): SyntheticProblem {
  if (!LEVELS.includes(level) && level !== DRILL_LEVEL) {
    throw new RangeError(`level must be 0-5, got ${level}`);
  }
  if (level === DRILL_LEVEL) form = "expr";
  for (let attempt = 0; attempt < 10000; attempt++) {
    const made = form === "word" ? tryWordProblem(rng, level) : tryExprProblem(rng, level);
    if (made === null) continue;
    const written = runPlan(made.plan, CAPS[level]);
    if (written === null) continue;
    const answer = answerOf(made.plan, written);
    const solution = [...written.map((s) => s.text), formatAnswerStep(answer)].join("\n\n");
    return { id, problem: made.text, answer, level, solution, form, plan: made.plan };
  }
  throw new Error(`could not generate problem ${id}`);
}

/**
 * Generate one problem of a chosen level and form, determined by `(seed, index)` alone.
 * Its id is `gen-<seed>-<index>-<level>-<form>` ({@linkcode problemById} rebuilds it).
 *
 * @example
 * ```ts
 * const p = generateProblem(7, 0, 3, "word");
 * // p.problem: "Ann has 120 coins. She buys 3 boxes of 8. ..."; p.answer: "152"
 * ```
 */
export function generateProblem(
  seed: number,
  index: number,
  level: number,
  form: ProblemForm,
): SyntheticProblem {
  const rng = mulberry32(hashSeed("gen", seed, index, level, form));
  return makeProblem(rng, `gen-${seed}-${index}-${level}-${form}`, level, form);
}

/** Share of word problems in the evaluation split and (by default) in the training stream. */
export const WORD_FRACTION = 0.3;

/** Problem `index` of the evaluation split: level `1 + index % 5`; word form in 3 of 10 blocks of 5. */
function evalProblem(index: number): SyntheticProblem {
  const rng = mulberry32(hashSeed("eval", EVAL_SEED, index));
  const level = 1 + (index % 5);
  const form: ProblemForm = Math.floor(index / 5) % 10 < 3 ? "word" : "expr";
  return makeProblem(rng, `eval-${String(index).padStart(3, "0")}`, level, form);
}

/**
 * The fixed evaluation split: 500 problems, 100 per level, 30% word and 70% expression form
 * (seed {@linkcode EVAL_SEED}); ids `eval-000` ... `eval-499`.
 *
 * @example
 * ```ts
 * const split = evalSplit();
 * split.length; // 500
 * split[0].id; // "eval-000"
 * ```
 */
export function evalSplit(): SyntheticProblem[] {
  return Array.from({ length: EVAL_SIZE }, (_, i) => evalProblem(i));
}

let evalTexts: Set<string> | null = null;

/**
 * Whether a problem statement appears in the evaluation split.
 *
 * @example
 * ```ts
 * isEvalProblem(evalSplit()[3].problem); // true
 * ```
 */
export function isEvalProblem(text: string): boolean {
  evalTexts ??= new Set(evalSplit().map((p) => p.problem));
  return evalTexts.has(text);
}

/** Options of {@linkcode trainStream}. */
export interface TrainStreamOptions {
  /** Relative weight of levels 1-5 (default: equal). */
  levelWeights?: readonly number[];
  /** Probability of the word form (default {@linkcode WORD_FRACTION}). */
  wordFraction?: number;
  /** Probability of a one-operation drill problem ({@linkcode DRILL_LEVEL}; default 0). */
  drillFraction?: number;
  /** First index of the stream (default 0); ids are `train-<seed>-<index>-<level>-<form>`. */
  start?: number;
}

/** Training problem `index` of stream `seed`: its level and form come from their own rng. */
function trainProblem(
  seed: number,
  index: number,
  opts: TrainStreamOptions = {},
): SyntheticProblem {
  const meta = mulberry32(hashSeed("train-meta", seed, index));
  const level = 1 + pickWeighted(meta, opts.levelWeights ?? [1, 1, 1, 1, 1]);
  const form: ProblemForm = meta() < (opts.wordFraction ?? WORD_FRACTION) ? "word" : "expr";
  if (opts.drillFraction && meta() < opts.drillFraction) {
    return trainProblemOf(seed, index, DRILL_LEVEL, "expr");
  }
  return trainProblemOf(seed, index, level, form);
}

function trainProblemOf(seed: number, index: number, level: number, form: ProblemForm) {
  const rng = mulberry32(hashSeed("train", seed, index, level, form));
  return makeProblem(rng, `train-${seed}-${index}-${level}-${form}`, level, form);
}

/**
 * An endless, seeded stream of training problems that never overlaps the evaluation split: ids
 * live in their own space (`train-<seed>-<index>-<level>-<form>`, seeds hashed with a different tag) and any
 * problem whose text equals an evaluation problem's text is skipped.
 *
 * @example
 * ```ts
 * const it = trainStream(1);
 * const first = it.next().value; // same record on every machine for seed 1
 * ```
 */
export function* trainStream(
  seed: number,
  opts: TrainStreamOptions = {},
): Generator<SyntheticProblem, never> {
  for (let index = opts.start ?? 0;; index++) {
    const p = trainProblem(seed, index, opts);
    if (!isEvalProblem(p.problem)) yield p;
  }
}

/**
 * Rebuild a problem from its id (`eval-<i>`, `train-<seed>-<i>-<level>-<form>` or
 * `gen-<seed>-<i>-<level>-<form>`); null for an id of another shape.
 *
 * @example
 * ```ts
 * problemById("eval-007")?.level; // 3
 * ```
 */
export function problemById(id: string): SyntheticProblem | null {
  let m = /^eval-(\d+)$/.exec(id);
  if (m && Number(m[1]) < EVAL_SIZE) return evalProblem(Number(m[1]));
  m = /^train-(\d+)-(\d+)-([0-5])-(word|expr)$/.exec(id);
  if (m) return trainProblemOf(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as ProblemForm);
  m = /^gen-(\d+)-(\d+)-([0-5])-(word|expr)$/.exec(id);
  if (m) return generateProblem(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as ProblemForm);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Flawed solutions (realistic mistakes for training data and negative examples)
// ---------------------------------------------------------------------------------------------

/** What kind of mistake a flawed solution contains. */
export type MistakeKind = "slip" | "operand";

/**
 * A solution with one mistake, carried on consistently to a wrong boxed answer.
 *
 * @example
 * ```ts
 * const f = flawedSolution(generateProblem(1, 0, 3, "expr"), 9)!;
 * checkSteps(generateProblem(1, 0, 3, "expr"), f.solution).firstError === f.firstError; // true
 * ```
 */
export interface FlawedSolution {
  /** Steps joined with `"\n\n"`. */
  solution: string;
  steps: string[];
  /** 0-based index of the wrong step. */
  firstError: number;
  kind: MistakeKind;
  /** The (wrong) boxed answer. */
  answer: string;
}

/** A nearby wrong integer: off by a little, off by ten, or a digit changed or swapped. */
function perturb(rng: Rng, n: number): number {
  const s = `${n}`;
  const kind = randInt(rng, 0, 5);
  if (kind <= 1) return n + pick(rng, [-2, -1, 1, 2]);
  if (kind === 2) return n + pick(rng, [-10, 10]);
  if (kind === 3 && s.length >= 2) {
    const i = randInt(rng, 0, s.length - 2);
    return Number(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  }
  const i = randInt(rng, 0, s.length - 1);
  const d = randInt(rng, i === 0 && s.length > 1 ? 1 : 0, 9);
  return Number(s.slice(0, i) + d + s.slice(i + 1));
}

/**
 * A solution of `problem` with exactly one mistake at a random step: an arithmetic slip (wrong
 * result) or a wrong operand (another quantity of the problem, or a mis-copied number), after
 * which every later step is computed correctly from the written values, ending in a wrong boxed
 * answer. Deterministic in `(problem.id, seed)`; null when no admissible mistake was found.
 *
 * @example
 * ```ts
 * const p = evalSplit()[10];
 * const f = flawedSolution(p, 1);
 * if (f) console.log(f.steps[f.firstError], f.answer !== p.answer);
 * ```
 */
export function flawedSolution(problem: SyntheticProblem, seed: number): FlawedSolution | null {
  const rng = mulberry32(hashSeed("flaw", problem.id, seed));
  const plan = problem.plan;
  const gold = runPlan(plan, Infinity);
  if (gold === null) return null;
  const cap = Math.max(CAPS[problem.level] ?? 9999, 9999);
  const literals = plan.steps.flatMap((s) => [s.a, s.b]).flatMap((o) => "lit" in o ? [o.lit] : []);
  for (let attempt = 0; attempt < 40; attempt++) {
    const k = randInt(rng, 0, plan.steps.length - 1);
    const step = plan.steps[k];
    const g = gold[k];
    const kind: MistakeKind = rng() < 0.6 ? "slip" : "operand";
    const dev: Deviation = { step: k };
    if (kind === "slip") {
      if (g.out.rem !== undefined && rng() < 0.5) {
        const r = g.out.rem + pick(rng, [-1, 1]);
        if (r < 0 || r >= g.y.n) continue;
        dev.result = { value: g.out.value, rem: r };
      } else {
        if (g.out.value.d !== 1) continue;
        const v = perturb(rng, g.out.value.n);
        if (v < 0 || v === g.out.value.n) continue;
        dev.result = { value: rat(v), rem: g.out.rem };
      }
    } else {
      const which = rng() < 0.5 ? "a" : "b";
      const correct = which === "a" ? g.x : g.y;
      const o = step[which];
      let wrong: Rat | null;
      const r = rng();
      if (r < 0.45 && "ref" in o && k > 0) {
        // another earlier quantity: an earlier result or a literal of the problem
        const pool = [...gold.slice(0, k).map((w) => fmt(w.out.value)), ...literals];
        wrong = parseNum(pick(rng, pool));
      } else if (r < 0.6) {
        wrong = parseNum(pick(rng, literals));
      } else {
        wrong = correct.d === 1 ? rat(perturb(rng, correct.n)) : null;
      }
      if (wrong === null || wrong.n < 0 || eq(wrong, correct)) continue;
      if (correct.d !== wrong.d && !(correct.d === 1 && wrong.d === 1)) continue;
      dev[which] = wrong;
    }
    const written = runPlan(plan, cap, dev);
    if (written === null) continue;
    const answer = answerOf(plan, written);
    if (answer === problem.answer) continue;
    const steps = [...written.map((s) => s.text), formatAnswerStep(answer)];
    const check = checkSteps(problem, steps);
    if (check.firstError !== k) continue;
    return { solution: steps.join("\n\n"), steps, firstError: k, kind, answer };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The step checker
// ---------------------------------------------------------------------------------------------

/** How a step was read. */
export type StepKind = "op" | "answer" | "invalid" | "extra";

/**
 * The verdict on one step.
 *
 * - `locallyCorrect`: right operation on the right quantities (literals of the problem, or this
 *   solution's own earlier results, even if those were wrong: "consistent carry") with a right
 *   result; for the answer step, the box holds this solution's own final result.
 * - `correct`: this step and every earlier step are locally correct, i.e. the prefix is still on
 *   the gold path (the PRM800K-style label of the step).
 *
 * @example
 * ```ts
 * const v: StepVerdict = checkSteps(evalSplit()[0], ["Step 1: 1 + 1 = 3"]).steps[0];
 * v.arithmeticOk; // false
 * ```
 */
export interface StepVerdict {
  /** 0-based position in the solution. */
  index: number;
  text: string;
  kind: StepKind;
  /** The step has the expected form (`Step <index+1>: x op y = z`, or a `\boxed{}` answer). */
  parsed: boolean;
  /** The written result equals the written operands under the written operator. */
  arithmeticOk: boolean;
  /** Operator and operands are the plan's, given the solution's own earlier results. */
  operandsOk: boolean;
  locallyCorrect: boolean;
  correct: boolean;
  /** The locally correct step at this position, given the solution's own earlier results. */
  expected: string;
  /** The gold step at this position (empty past the end of the gold solution). */
  gold: string;
  /** Why the step is not locally correct. */
  error?: string;
}

/**
 * The checker's report on a (partial) solution.
 *
 * @example
 * ```ts
 * const p = evalSplit()[0];
 * const r: CheckResult = checkSteps(p, p.solution);
 * r.firstError; // -1
 * r.solved; // true
 * ```
 */
export interface CheckResult {
  steps: StepVerdict[];
  /** Index of the first step that is not locally correct, or -1. */
  firstError: number;
  /** The solution contains an answer step (a `\boxed{}`). */
  complete: boolean;
  /** Content of the last `\boxed{}` in the solution, or null. */
  answer: string | null;
  /** `answer` equals the problem's answer (exact string match after trimming). */
  answerCorrect: boolean;
  /** Complete, every step correct and the answer right. */
  solved: boolean;
}

/** `Step k: [(cue) ]x op y = z[ R r][\nNow: rewrite]`: groups label, x, op, y, z, r, rewrite. */
const STEP_RE =
  /^Step (\d+): (?:\([^()\n]*\) )?(\d{1,9}(?:\/\d{1,9})?) ([-+*/]) (\d{1,9}(?:\/\d{1,9})?) = (\d{1,9}(?:\/\d{1,9})?)(?: R (\d{1,9}))?(?:\nNow: ([^\n]*))?$/;

/**
 * Content of the last `\boxed{...}` in a text (no nested braces), or null.
 *
 * @example
 * ```ts
 * extractBoxed("The answer is \\boxed{42}."); // "42"
 * ```
 */
export function extractBoxed(text: string): string | null {
  const all = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return all.length ? all[all.length - 1][1].trim() : null;
}

/**
 * Split a solution text into steps on `"\n\n"`, trimming each and dropping empty pieces (so a
 * prefix that ends with the delimiter has no empty last step).
 *
 * @example
 * ```ts
 * splitSteps("Step 1: 2 + 3 = 5\n\nThe answer is \\boxed{5}."); // two steps
 * ```
 */
export function splitSteps(text: string): string[] {
  return text.split("\n\n").map((s) => s.trim()).filter((s) => s.length > 0);
}

function sameNumber(a: string, b: string): boolean {
  const x = parseNum(a);
  const y = parseNum(b);
  return x !== null && y !== null ? eq(x, y) : a === b;
}

/**
 * Judge every step of a (partial) solution against the problem's plan, exactly.
 *
 * Steps are matched to plan operations by position: step `i` must be
 * `Step <i+1>: x op y = z` with the plan's operator, with `x`, `y` the plan's operands (for `+`
 * and `*` in either order), where an operand that refers to an earlier step takes the value that
 * this solution wrote there (consistent carry), and with `z` the exact result (`q R r` with
 * `0 <= r < y` for a remainder step). A quoted cue `(sentence) ` before `x` is allowed and not
 * judged (a wrong cue shows in the operands); an optional `\nNow: ...` line must be the expression
 * body with this solution's own results substituted (a wrong rewrite is an error of its step).
 * After the last operation comes one answer step containing
 * `\boxed{...}`. Each step may keep its trailing `"\n\n"`; a string is split with
 * {@linkcode splitSteps}.
 *
 * @example
 * ```ts
 * const p = generateProblem(1, 0, 2, "expr");
 * const steps = goldSteps(p);
 * steps[0] = steps[0].replace(/= (\d+)/, (_, z) => `= ${Number(z) + 1}`);
 * checkSteps(p, steps).firstError; // 0
 * ```
 */
export function checkSteps(
  problem: Pick<SyntheticProblem, "plan" | "answer">,
  solution: string | readonly string[],
): CheckResult {
  const texts = typeof solution === "string"
    ? splitSteps(solution)
    : solution.map((s) => s.trim()).filter((s) => s.length > 0);
  const plan = problem.plan;
  const gold = runPlan(plan, Infinity);
  if (gold === null) throw new Error("plan cannot be executed");
  const goldTexts = [...gold.map((s) => s.text), formatAnswerStep(problem.answer)];
  const own: (StepValue | null)[] = [];
  const verdicts: StepVerdict[] = [];
  let onTrack = true;
  let complete = false;
  let answer: string | null = null;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    const base = { index: i, text, gold: goldTexts[i] ?? "" };
    let v: Omit<StepVerdict, "correct" | "index" | "text" | "gold">;
    const boxed = extractBoxed(text);
    if (boxed !== null) {
      complete = true;
      answer = boxed;
      if (i !== plan.steps.length) {
        v = {
          kind: "answer",
          parsed: true,
          arithmeticOk: false,
          operandsOk: false,
          locallyCorrect: false,
          expected: i < plan.steps.length ? expectedStep(plan, i, own) : "",
          error: i < plan.steps.length
            ? "answer before the last operation"
            : "answer after extra steps",
        };
      } else {
        const ref = own[plan.answer.ref];
        const mine = ref === null || ref === undefined
          ? null
          : plan.answer.part === "rem"
          ? `${ref.rem ?? 0}`
          : fmt(ref.value);
        const ok = mine !== null && sameNumber(boxed, mine);
        v = {
          kind: "answer",
          parsed: true,
          arithmeticOk: true,
          operandsOk: ok,
          locallyCorrect: ok,
          expected: mine === null ? "" : formatAnswerStep(mine),
          error: ok ? undefined : "boxed answer differs from the solution's own result",
        };
      }
    } else if (i >= plan.steps.length) {
      v = {
        kind: "extra",
        parsed: STEP_RE.test(text),
        arithmeticOk: false,
        operandsOk: false,
        locallyCorrect: false,
        expected: i === plan.steps.length ? answerExpected(plan, own) : "",
        error: "step after the last operation",
      };
    } else {
      const r = judgeOp(plan, i, text, own);
      v = r.verdict;
      own.push(r.value);
    }
    // keep `own` aligned with step positions (answer and extra steps have no value)
    if (own.length === i) own.push(null);
    onTrack = onTrack && v.locallyCorrect;
    verdicts.push({ ...base, ...v, correct: onTrack });
  }
  const firstError = verdicts.findIndex((s) => !s.locallyCorrect);
  const answerCorrect = answer !== null && answer === problem.answer.trim();
  return {
    steps: verdicts,
    firstError,
    complete,
    answer,
    answerCorrect,
    solved: complete && firstError === -1 && answerCorrect &&
      verdicts.length === plan.steps.length + 1,
  };
}

/** The locally correct text of operation step i, given the solution's own earlier values. */
function expectedStep(plan: Plan, i: number, own: readonly (StepValue | null)[]): string {
  const s = plan.steps[i];
  const x = resolveOwn(s.a, plan, own);
  const y = resolveOwn(s.b, plan, own);
  const v = evalStep(s, x, y);
  if (v === null) return stepText(plan, i, x, y, "?", null);
  const values = plan.steps.slice(0, i).map((_, j) =>
    own[j] ?? { value: resolveOwn({ ref: j }, plan, own) }
  );
  return stepText(plan, i, x, y, fmtResult(v), [...values, v]);
}

function answerExpected(plan: Plan, own: readonly (StepValue | null)[]): string {
  const ref = own[plan.answer.ref];
  if (!ref) return "";
  return formatAnswerStep(plan.answer.part === "rem" ? `${ref.rem ?? 0}` : fmt(ref.value));
}

/** An operand's value for this solution: its own written result, or the gold-consistent one. */
function resolveOwn(o: Operand, plan: Plan, own: readonly (StepValue | null)[]): Rat {
  if ("lit" in o) return parseNum(o.lit)!;
  const mine = own[o.ref];
  if (mine) return mine.value;
  // the referenced step was unreadable: fall back to what it should have computed
  const s = plan.steps[o.ref];
  const v = evalStep(s, resolveOwn(s.a, plan, own), resolveOwn(s.b, plan, own));
  return v?.value ?? rat(0);
}

function judgeOp(
  plan: Plan,
  i: number,
  text: string,
  own: readonly (StepValue | null)[],
): { verdict: Omit<StepVerdict, "correct" | "index" | "text" | "gold">; value: StepValue | null } {
  const s = plan.steps[i];
  const expected = expectedStep(plan, i, own);
  const m = STEP_RE.exec(text);
  const x = m ? parseNum(m[2]) : null;
  const y = m ? parseNum(m[4]) : null;
  const z = m ? parseNum(m[5]) : null;
  if (!m || x === null || y === null || z === null) {
    return {
      verdict: {
        kind: "invalid",
        parsed: false,
        arithmeticOk: false,
        operandsOk: false,
        locallyCorrect: false,
        expected,
        error: 'not of the form "Step k: x op y = z"',
      },
      value: null,
    };
  }
  const op = m[3] as Op;
  const remWritten = m[6] !== undefined ? Number(m[6]) : undefined;
  const written: StepValue = { value: z, rem: remWritten };
  // arithmetic on the written numbers
  let arithmeticOk: boolean;
  if (remWritten !== undefined) {
    arithmeticOk = op === "/" && x.d === 1 && y.d === 1 && z.d === 1 && y.n > 0 &&
      z.n * y.n + remWritten === x.n && remWritten < y.n;
  } else {
    const c = apply(op, x, y);
    arithmeticOk = c !== null && eq(c, z);
  }
  // operator and operands against the plan, with consistent carry
  const ex = resolveOwn(s.a, plan, own);
  const ey = resolveOwn(s.b, plan, own);
  const commutes = s.op === "+" || s.op === "*";
  const labelOk = Number(m[1]) === i + 1;
  const formOk = (remWritten !== undefined) === (s.rem === true);
  const operandsOk = op === s.op && labelOk && formOk &&
    ((eq(x, ex) && eq(y, ey)) || (commutes && eq(x, ey) && eq(y, ex)));
  // the rewrite line, where written, must be the body with this solution's own values
  const rewrite = m[7] === undefined ? undefined : m[7].trim();
  const rewriteOk = rewrite === undefined || rewrite === rewriteAfter(plan, i, [...own, written]);
  const errors = [];
  if (!labelOk) errors.push(`label should be Step ${i + 1}`);
  if (op !== s.op) errors.push(`operator should be ${s.op}`);
  else if (!formOk) errors.push(s.rem ? "result should be written q R r" : "no remainder expected");
  else if (!operandsOk) errors.push("wrong operand");
  if (!arithmeticOk) errors.push("arithmetic error");
  if (!rewriteOk) errors.push("wrong rewrite on the Now line");
  const ok = operandsOk && arithmeticOk && rewriteOk;
  return {
    verdict: {
      kind: "op",
      parsed: true,
      arithmeticOk,
      operandsOk,
      locallyCorrect: ok,
      expected,
      error: ok ? undefined : errors.join("; "),
    },
    value: written,
  };
}
