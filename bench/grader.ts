/**
 * Grader throughput: MATH500 gold answers against realistic variants of themselves (same answer
 * reformatted: `\dfrac`, `\left( \right)`, decimals, `x =`, `\text{}` units, `\boxed{}` whole
 * outputs) and wrong answers made by perturbing a digit. Reports comparisons per second, the slowest
 * single comparison, how many went over the time limit, and how often variants were judged as they
 * should be.
 *
 * `deno run -A bench/grader.ts` prints one JSON line.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { DEFAULT_LIMITS, gradeAnswer, isEquivalent, warmUp } from "../lib/grading/mod.ts";
import { readJsonlStrict } from "../lib/runs/mod.ts";

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
  const limit = DEFAULT_LIMITS.timeLimitMs;
  let maxMs = 0;
  let slowest = "";
  let over = 0;
  let asExpected = 0;
  let wrongAccepted = 0;
  let rightRejected = 0;
  const reasons: Record<string, number> = {};
  const t0 = performance.now();
  for (const p of pairs) {
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
  const seconds = (performance.now() - t0) / 1000;
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
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.main) console.log(JSON.stringify(await benchGrader()));
