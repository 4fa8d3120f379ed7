/**
 * Grader throughput: MATH500 gold answers against realistic variants of themselves (same answer
 * reformatted: `\dfrac`, `\left( \right)`, decimals, `x =`, `\text{}` units, `\boxed{}` whole
 * outputs) and wrong answers made by perturbing a digit. Reports comparisons per second, the slowest
 * single comparison, how many went over the time limit, and how often variants were judged as they
 * should be.
 *
 * Against what a user would write instead: `@cortex-js/compute-engine`'s raw
 * `ce.parse(gold).isEqual(ce.parse(pred))` on the same pairs (no extraction, normalisation or
 * time limit), timed in the same run, the pairs taken in chunks that alternate which side goes
 * first; `vsRawComputeEngine` is our comparisons/s over its (wall clock and CPU time), and
 * `raw_compute_engine.as_expected` how often its verdict was the right one.
 *
 * `deno run -A bench/grader.ts` prints one JSON line.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ComputeEngine } from "@cortex-js/compute-engine";
import { DEFAULT_LIMITS, gradeAnswer, isEquivalent, warmUp } from "../lib/grading/mod.ts";
import { readJsonlStrict } from "../lib/runs/mod.ts";
import { addSpan, mark, ratio, since, type Span } from "./timing.ts";

const CANDIDATES = ["../data/math500_test.jsonl"].map((p) =>
  fileURLToPath(new URL(p, import.meta.url))
);

interface Pair {
  gold: string;
  pred: string;
  equal: boolean;
  whole: boolean;
}

/** Variants of one gold answer: same value reformatted (equal) and perturbed (not equal). */
function variants(gold: string): Pair[] {
  const same = (pred: string, whole = false): Pair => ({ gold, pred, equal: true, whole });
  const out: Pair[] = [same(gold)];
  if (gold.includes("\\frac")) out.push(same(gold.replace(/\\frac/g, "\\dfrac")));
  if (/^\(.*\)$/.test(gold)) out.push(same(`\\left${gold.slice(0, -1)}\\right)`));
  const frac = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(gold);
  if (frac) {
    const v = Number(frac[2]) / Number(frac[3]);
    out.push(same(`${frac[1]}${v.toFixed(6).replace(/0+$/, "")}`));
  }
  if (/^-?\d+$/.test(gold)) {
    out.push(same(`${gold}.0`), same(`x = ${gold}`), same(`${gold}\\text{ units}`));
    out.push({ gold, pred: String(BigInt(gold) + 1n), equal: false, whole: false });
  }
  out.push(same(`So the final answer is $\\boxed{${gold}}$.`, true));
  const perturbed = gold.replace(/\d(?!.*\d)/, (d) => String((Number(d) + 1) % 10));
  if (perturbed !== gold) out.push({ gold, pred: perturbed, equal: false, whole: false });
  return out;
}

/**
 * Run the benchmark and return its figures.
 *
 * @example
 * ```ts
 * const r = await benchGrader();
 * console.log(r.comparisons_per_s);
 * ```
 */
export async function benchGrader(): Promise<Record<string, unknown>> {
  let path: string | undefined;
  for (const c of CANDIDATES) {
    try {
      await Deno.stat(c);
      path = c;
      break;
    } catch { /* try the next location */ }
  }
  if (!path) throw new Error(`math500_test.jsonl not found in ${CANDIDATES.join(" or ")}`);
  const rows = await readJsonlStrict<{ answer: string }>(path);
  const pairs = rows.flatMap((r) => variants(String(r.answer)));
  warmUp();
  const ce = new ComputeEngine();
  // The same warm-up as the grader's (its parser's first call is slow).
  ce.parse("\\frac{\\sqrt{x}}{2}+\\sin(\\pi x)^{2}");
  const limit = DEFAULT_LIMITS.timeLimitMs;
  let maxMs = 0;
  let slowest = "";
  let over = 0;
  let asExpected = 0;
  let wrongAccepted = 0;
  let rightRejected = 0;
  const reasons: Record<string, number> = {};
  const ours = (chunk: readonly Pair[]) => {
    for (const p of chunk) {
      const s = performance.now();
      const equal = p.whole
        ? gradeAnswer(p.gold, p.pred).correct
        : isEquivalent(p.gold, p.pred).equal;
      const ms = performance.now() - s;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = `${p.gold} | ${p.pred}`;
      }
      if (ms > limit) over++;
      if (equal === p.equal) asExpected++;
      else if (equal) wrongAccepted++;
      else {
        rightRejected++;
        const why = isEquivalent(p.gold, p.pred).reason.split(":")[0];
        reasons[why] = (reasons[why] ?? 0) + 1;
      }
    }
  };
  let rawMaxMs = 0;
  let rawAsExpected = 0;
  let rawThrew = 0;
  const raw = (chunk: readonly Pair[]) => {
    for (const p of chunk) {
      const s = performance.now();
      let equal = false;
      try {
        equal = ce.parse(p.gold).isEqual(ce.parse(p.pred)) === true;
      } catch {
        rawThrew++;
      }
      rawMaxMs = Math.max(rawMaxMs, performance.now() - s);
      if (equal === p.equal) rawAsExpected++;
    }
  };
  // Chunks alternate which side runs first, so load drifts hit both; each pair is graded once by
  // each side (the grader's parse cache sees every pair once, as in a real run).
  const chunks = 10;
  const size = Math.ceil(pairs.length / chunks);
  let ourTime: Span = { wall: 0, cpu: 0 };
  let rawTime: Span = { wall: 0, cpu: 0 };
  for (let c = 0; c < chunks; c++) {
    const chunk = pairs.slice(c * size, (c + 1) * size);
    const timed = (f: (chunk: readonly Pair[]) => void) => {
      const t0 = mark();
      f(chunk);
      return since(t0);
    };
    if (c % 2 === 0) {
      ourTime = addSpan(ourTime, timed(ours));
      rawTime = addSpan(rawTime, timed(raw));
    } else {
      rawTime = addSpan(rawTime, timed(raw));
      ourTime = addSpan(ourTime, timed(ours));
    }
  }
  const seconds = ourTime.wall / 1000;
  return {
    bench: "grader",
    data: path,
    golds: rows.length,
    comparisons: pairs.length,
    seconds: round(seconds),
    comparisons_per_s: Math.round(pairs.length / seconds),
    max_ms: round(maxMs),
    slowest,
    limit_ms: limit,
    over_limit: over,
    as_expected: asExpected,
    wrong_accepted: wrongAccepted,
    right_rejected: rightRejected,
    right_rejected_reasons: reasons,
    raw_compute_engine: {
      seconds: round(rawTime.wall / 1000),
      comparisons_per_s: Math.round(pairs.length / (rawTime.wall / 1000)),
      max_ms: round(rawMaxMs),
      as_expected: rawAsExpected,
      threw: rawThrew,
    },
    vsRawComputeEngine: ratio(rawTime, ourTime),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.main) console.log(JSON.stringify(await benchGrader()));
