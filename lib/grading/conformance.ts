/**
 * Conformance suites: `data/grading/conformance.jsonl` (cases from the public tests of the Hendrycks
 * MATH grader, MARIO_EVAL, Math-Verify, Qwen2.5-Math and Minerva, plus our own) and the held-out
 * `data/grading/heldout.jsonl`. Each case `{gold, pred, expected, source, note?}` is graded with
 * {@linkcode gradeAnswer}; held-out cases also carry `math_verify`, an estimate of what Math-Verify
 * answers, so the two graders can be compared on the same cases.
 *
 * `deno run -A lib/grading/conformance.ts [SUITE.jsonl ...]` prints one JSON line per suite:
 * `{suite, n, agree, rate, disagreements, math_verify?}`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readJsonlStrict, runMain } from "../runs/mod.ts";
import { gradeAnswer } from "./grade.ts";
import { warmUp } from "./symbolic.ts";

/** One conformance case. */
export interface ConformanceCase {
  /** Gold answer (or gold solution). */
  gold: string;
  /** Prediction: a bare answer or a whole model output. */
  pred: string;
  /** The right verdict. */
  expected: boolean;
  /** Where the case comes from (`own` when we wrote it). */
  source: string;
  /** Why the case is there. */
  note?: string;
  /** Held-out suite only: estimate of Math-Verify 0.8.0's verdict. */
  math_verify?: boolean;
}

/** Agreement of our grader (and of the Math-Verify estimate, when present) with `expected`. */
export interface SuiteReport {
  /** Suite file. */
  suite: string;
  /** Number of cases. */
  n: number;
  /** Cases where our verdict equals `expected`. */
  agree: number;
  /** agree / n. */
  rate: number;
  /** Slowest single case, ms. */
  maxMs: number;
  /** Cases where our verdict differs from `expected`. */
  disagreements: {
    line: number;
    gold: string;
    pred: string;
    expected: boolean;
    got: boolean;
    reason: string;
  }[];
  /** Agreement of the `math_verify` estimates with `expected`, when the suite has them. */
  math_verify?: { n: number; agree: number; rate: number };
}

/** Default suite files, relative to the repository root. */
export const SUITES = ["data/grading/conformance.jsonl", "data/grading/heldout.jsonl"].map((p) =>
  fileURLToPath(new URL(`../../${p}`, import.meta.url))
);

/**
 * Grade every case of a suite and report agreement.
 *
 * @example
 * ```ts
 * const report = await runSuite(SUITES[0]);
 * console.log(report.rate);
 * ```
 */
export async function runSuite(path: string): Promise<SuiteReport> {
  const cases = await readJsonlStrict<ConformanceCase>(path);
  const report: SuiteReport = {
    suite: path,
    n: cases.length,
    agree: 0,
    rate: 0,
    maxMs: 0,
    disagreements: [],
  };
  warmUp();
  let mvN = 0;
  let mvAgree = 0;
  cases.forEach((c, i) => {
    const t0 = performance.now();
    const g = gradeAnswer(c.gold, c.pred);
    report.maxMs = Math.max(report.maxMs, performance.now() - t0);
    if (g.correct === c.expected) report.agree++;
    else {
      report.disagreements.push({
        line: i + 1,
        gold: c.gold.slice(0, 120),
        pred: c.pred.slice(0, 120),
        expected: c.expected,
        got: g.correct,
        reason: g.reason,
      });
    }
    if (typeof c.math_verify === "boolean") {
      mvN++;
      if (c.math_verify === c.expected) mvAgree++;
    }
  });
  report.rate = report.n ? report.agree / report.n : 0;
  report.maxMs = Math.round(report.maxMs * 10) / 10;
  if (mvN > 0) report.math_verify = { n: mvN, agree: mvAgree, rate: mvAgree / mvN };
  return report;
}

if (import.meta.main) {
  await runMain(async () => {
    const paths = Deno.args.length ? Deno.args : SUITES;
    for (const p of paths) {
      try {
        await Deno.stat(p);
      } catch {
        console.error(`skip: ${p} not found`);
        continue;
      }
      console.log(JSON.stringify(await runSuite(p)));
    }
  });
}
