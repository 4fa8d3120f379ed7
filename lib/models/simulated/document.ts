/**
 * The generative model of simulated solutions, and exact quantities under it.
 *
 * A solution is a sequence of units: `steps` step units `"step k: ok\n\n"` (probability
 * `pRight[k-1]`) or `"step k: slip\n\n"` (the rest), then one answer unit `"\\boxed{A}"` after
 * which the model emits EOS. `A` is the gold answer iff no step slipped; otherwise it is drawn
 * from `wrongAnswers` with `wrongWeights`. Unit texts are prefix-free, so any text is either a
 * prefix of exactly one path of units or not a simulated solution at all.
 *
 * @example
 * ```ts
 * import { simProblem } from "./spec.ts";
 * import { valueOf } from "./document.ts";
 * const p = simProblem({ id: "x", steps: 2, pRight: 0.5, answer: "7" });
 * valueOf(p.problem, "step 1: ok\n\n"); // 0.5
 * ```
 *
 * @module
 */
import { readSpec, type SimSpec } from "./spec.ts";

/** One possible next unit. */
export interface UnitOption {
  /** The unit's text. */
  readonly text: string;
  /** Its probability given the units before it. */
  readonly prob: number;
  /** Whether it is a right step (or the gold answer). */
  readonly good: boolean;
  /** The answer, for answer units. */
  readonly answer?: string;
}

/** The possible units at index `u` (0-based; `u === spec.steps` is the answer unit). */
export function unitOptions(spec: SimSpec, u: number, allOk: boolean): UnitOption[] {
  if (u < spec.steps) {
    const p = spec.pRight[u];
    const out: UnitOption[] = [];
    if (p > 0) out.push({ text: `step ${u + 1}: ok\n\n`, prob: p, good: true });
    if (p < 1) out.push({ text: `step ${u + 1}: slip\n\n`, prob: 1 - p, good: false });
    return out;
  }
  if (u === spec.steps) {
    if (allOk) {
      return [{ text: `\\boxed{${spec.answer}}`, prob: 1, good: true, answer: spec.answer }];
    }
    return spec.wrongAnswers.flatMap((a, i) =>
      spec.wrongWeights[i] > 0
        ? [{ text: `\\boxed{${a}}`, prob: spec.wrongWeights[i], good: false, answer: a }]
        : []
    );
  }
  return [];
}

/** Where a text stands in the unit model. */
export interface Parsed {
  /** The units completed so far. */
  readonly units: readonly UnitOption[];
  /** Whether every completed unit was good. */
  readonly allOk: boolean;
  /** Index of the unit in progress (`spec.steps + 1` when the solution is complete). */
  readonly unit: number;
  /** Text of the unit in progress generated so far ("" at a unit boundary). */
  readonly partial: string;
  /** Options for the unit in progress that are consistent with `partial` (empty when done). */
  readonly candidates: readonly UnitOption[];
  /** Whether the answer unit is complete (the model would emit EOS next). */
  readonly done: boolean;
}

/** Parse a solution text; throws when it is not a prefix of a possible simulated solution. */
export function parse(spec: SimSpec, text: string): Parsed {
  const units: UnitOption[] = [];
  let pos = 0;
  let allOk = true;
  for (let u = 0;; u++) {
    const rest = text.slice(pos);
    if (u > spec.steps) {
      if (rest !== "") throw new Error(`simulated ${spec.id}: text continues after the answer`);
      return { units, allOk, unit: u, partial: "", candidates: [], done: true };
    }
    const opts = unitOptions(spec, u, allOk);
    const full = opts.find((o) => rest.startsWith(o.text));
    if (full) {
      units.push(full);
      allOk &&= full.good;
      pos += full.text.length;
      continue;
    }
    const candidates = opts.filter((o) => o.text.startsWith(rest));
    if (candidates.length === 0) {
      throw new Error(
        `simulated ${spec.id}: not a simulated solution at ${JSON.stringify(rest.slice(0, 30))}`,
      );
    }
    return { units, allOk, unit: u, partial: rest, candidates, done: false };
  }
}

/** Probability that a solution continuing after unit `next` (with `allOk` so far) ends correct. */
function futureValue(spec: SimSpec, next: number, allOk: boolean): number {
  if (!allOk) return 0;
  let v = 1;
  for (let k = next; k < spec.steps; k++) v *= spec.pRight[k];
  return v;
}

/**
 * Exact probability that a temperature-1 continuation of `text` ends with the gold answer
 * (the value V(prefix) a perfect verifier would report).
 *
 * @example
 * ```ts
 * // with pRight = [0.9, 0.8]: valueOf(problem, "") === 0.72
 * ```
 */
export function valueOf(problemText: string, text: string): number {
  const spec = readSpec(problemText);
  const p = parse(spec, text);
  if (p.done) return p.allOk ? 1 : 0;
  let num = 0;
  let den = 0;
  for (const o of p.candidates) {
    den += o.prob;
    num += o.prob * futureValue(spec, p.unit + 1, p.allOk && o.good);
  }
  return num / den;
}

/**
 * Step correctness decisions the text has made, in order: one per completed unit, plus one for
 * the unit in progress when its generated part already decides it (e.g. `"step 2: s"`).
 */
export function decisions(spec: SimSpec, text: string): boolean[] {
  const p = parse(spec, text);
  const out = p.units.map((u) => u.good);
  if (p.partial !== "" && p.candidates.every((c) => c.good === p.candidates[0].good)) {
    out.push(p.candidates[0].good);
  }
  return out;
}

/**
 * Exact log-probability (temperature 1, no truncation) that the model generates `text` from an
 * empty solution; `-Infinity` when impossible.
 */
export function logProbability(problemText: string, text: string): number {
  const spec = readSpec(problemText);
  let p: Parsed;
  try {
    p = parse(spec, text);
  } catch {
    return -Infinity;
  }
  let lp = 0;
  for (const u of p.units) lp += Math.log(u.prob);
  if (!p.done && p.partial !== "") {
    lp += Math.log(p.candidates.reduce((a, c) => a + c.prob, 0));
  }
  return lp;
}

/**
 * Exact next-character distribution of the model after `text` (temperature 1): a map from the
 * next character to its probability, with `""` standing for EOS.
 *
 * @example
 * ```ts
 * // after "step 1: " with pRight 0.7: Map { "o" => 0.7, "s" => 0.3 }
 * ```
 */
export function nextCharProbabilities(problemText: string, text: string): Map<string, number> {
  const spec = readSpec(problemText);
  const p = parse(spec, text);
  const out = new Map<string, number>();
  if (p.done) {
    out.set("", 1);
    return out;
  }
  const den = p.candidates.reduce((a, c) => a + c.prob, 0);
  for (const c of p.candidates) {
    const ch = c.text[p.partial.length];
    out.set(ch, (out.get(ch) ?? 0) + c.prob / den);
  }
  return out;
}
