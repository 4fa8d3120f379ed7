/**
 * Word problems: a person, their items and a story of events (buying, giving away, boxes, equal
 * piles, fractions), each event one or two plan steps quoted by its sentence, ending in a question
 * (how many now, together, full bags, left over).
 *
 * @example
 * ```ts
 * import { tryWordProblem } from "./word.ts";
 * import { mulberry32 } from "./random.ts";
 * const made = tryWordProblem(mulberry32(1), 3); // { text, plan } or null
 * ```
 *
 * @module
 */

import { admissible, evalStep } from "./execute.ts";
import { CAPS, divisors, fractionFor, opsForLevel, RANGES } from "./levels.ts";
import type { Operand, Plan, PlanStep } from "./plan.ts";
import { fmt, type Rat, rat } from "./rational.ts";
import { pick, randInt, type Rng } from "./random.ts";

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

/**
 * One attempt at a word problem of a level; null if the random choices led nowhere (the caller
 * draws again from the same rng).
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * tryWordProblem(mulberry32(3), 2)?.text; // "Ann has 12 apples. ..." or null
 * ```
 */
export function tryWordProblem(rng: Rng, level: number): { text: string; plan: Plan } | null {
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
