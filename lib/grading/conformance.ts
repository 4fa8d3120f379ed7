/**
 * Conformance suites: `data/grading/conformance.jsonl` (cases from the public tests of the Hendrycks
 * MATH grader, MARIO_EVAL, Math-Verify, Qwen2.5-Math and Minerva, plus our own, used while building
 * the grader), `data/grading/public.jsonl` (every comparison asserted by the public test files, each
 * tagged with its repository, file and test) and the held-out `data/grading/heldout.jsonl`. Each case
 * `{gold, pred, expected, source, note?, settings?}` is graded with {@linkcode gradeAnswer} (a case's
 * Math-Verify `settings` turned into grader options: {@linkcode optionsOf}); cases may carry
 * `math_verify` (Math-Verify's verdict where a test states it, or an estimate in the held-out suite)
 * and `math_verify_run` (Math-Verify 0.8.0's verdict, run outside the repository), so that both
 * graders are compared on the same cases, per source file.
 *
 * `deno run -A lib/grading/conformance.ts [--table] [SUITE.jsonl ...]` prints one JSON line per suite
 * (`{suite, n, agree, rate, disagreements, bySource, math_verify?}`), or with `--table` a Markdown
 * table per suite and its disagreements.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readJsonlStrict, runMain } from "../runs/mod.ts";
import { gradeAnswer, type GradeOptions } from "./grade.ts";
import { warmUp } from "./symbolic.ts";

/** Where a public case comes from. */
export interface CaseSource {
  /** `owner/name` of the public repository. */
  repo: string;
  /** Commit the case was read at (abbreviated). */
  commit?: string;
  /** Test file inside the repository. */
  file: string;
  /** Test function (and parameter index) that asserts the case. */
  test: string;
}

/** One conformance case. */
export interface ConformanceCase {
  /** Gold answer (or gold solution). */
  gold: string;
  /** Prediction: a bare answer or a whole model output. */
  pred: string;
  /** The right verdict (as the source test states it). */
  expected: boolean;
  /** Where the case comes from: `own`, a `repo:file` string, or a structured source. */
  source: string | CaseSource;
  /** Why the case is there. */
  note?: string;
  /** Math-Verify's verdict where a test states it (held-out suite: an estimate). */
  math_verify?: boolean;
  /** Math-Verify 0.8.0's verdict when run on the case (see data/grading/README.md). */
  math_verify_run?: boolean;
  /** Non-default Math-Verify settings the source test uses (`precision`, `match_types`, ...). */
  settings?: Record<string, unknown>;
}

/** Agreement counts of another grader's verdicts with `expected`. */
export interface Agreement {
  /** Cases that carry that grader's verdict. */
  n: number;
  /** Of those, verdicts equal to `expected`. */
  agree: number;
  /** agree / n. */
  rate: number;
}

/** Agreement on the cases of one source file. */
export interface SourceReport {
  /** `repo:file` (or the source string). */
  source: string;
  /** Cases from that file. */
  n: number;
  /** Our verdict equals `expected`. */
  agree: number;
  /** Math-Verify's stated verdict equals `expected`, over the cases where a test states it. */
  math_verify?: Agreement;
  /** Math-Verify 0.8.0 run on the cases. */
  math_verify_run?: Agreement;
}

/** One case where our verdict differs from `expected`. */
export interface Disagreement {
  /** 1-based line in the suite file. */
  line: number;
  /** Source label (`repo:file::test`). */
  source: string;
  /** Gold, cut to 120 chars. */
  gold: string;
  /** Prediction, cut to 120 chars. */
  pred: string;
  /** The right verdict. */
  expected: boolean;
  /** Our verdict. */
  got: boolean;
  /** Our reason. */
  reason: string;
  /** The case's note. */
  note?: string;
}

/** Agreement of our grader (and of Math-Verify, where known) with `expected`. */
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
  disagreements: Disagreement[];
  /** Per source file, in order of first appearance. */
  bySource: SourceReport[];
  /** Agreement of the `math_verify` verdicts with `expected`, when the suite has them. */
  math_verify?: Agreement;
  /** Agreement of the `math_verify_run` verdicts with `expected`, when the suite has them. */
  math_verify_run?: Agreement;
}

/** Default suite files, relative to the repository root. */
export const SUITES = [
  "data/grading/conformance.jsonl",
  "data/grading/heldout.jsonl",
  "data/grading/public.jsonl",
].map((p) => fileURLToPath(new URL(`../../${p}`, import.meta.url)));

/**
 * The source file of a case as one label: `repo:file`, or the part of a source string before `::`.
 *
 * @example
 * ```ts
 * sourceFile({ repo: "huggingface/Math-Verify", file: "tests/test_all.py", test: "t[0]" });
 * // "huggingface/Math-Verify:tests/test_all.py"
 * ```
 */
export function sourceFile(source: string | CaseSource): string {
  if (typeof source === "string") return source.split("::")[0];
  return `${source.repo}:${source.file}`;
}

function sourceLabel(source: string | CaseSource): string {
  return typeof source === "string" ? source : `${source.repo}:${source.file}::${source.test}`;
}

function agreement(n: number, agree: number): Agreement {
  return { n, agree, rate: n ? agree / n : 0 };
}

/**
 * The grader options a case's Math-Verify settings stand for: `strict` → `strict`,
 * `allow_set_relation_comp` → `allowSetRelationComp`, `match_types` without `"expr"` →
 * `latexOnly`. `precision` (Math-Verify's rounding) has no counterpart: a decimal is always
 * compared at its own precision.
 *
 * @example
 * ```ts
 * optionsOf({ match_types: ["latex"], strict: false }); // { latexOnly: true, strict: false }
 * ```
 */
export function optionsOf(settings: Record<string, unknown> | undefined): GradeOptions {
  const opts: GradeOptions = {};
  if (!settings) return opts;
  const types = settings.match_types;
  if (Array.isArray(types) && types.length > 0 && !types.includes("expr")) opts.latexOnly = true;
  if (typeof settings.strict === "boolean") opts.strict = settings.strict;
  if (typeof settings.allow_set_relation_comp === "boolean") {
    opts.allowSetRelationComp = settings.allow_set_relation_comp;
  }
  return opts;
}

/** What {@linkcode agreementTally} reads from a case: the right verdict, Math-Verify's, the source. */
export type LabelledVerdicts =
  & Pick<ConformanceCase, "expected" | "math_verify" | "math_verify_run">
  & { source?: ConformanceCase["source"] };

/**
 * Counts of our verdicts and Math-Verify's against `expected`, overall and per source file (in
 * order of first appearance; a case without a source counts under `-`).
 *
 * @example
 * ```ts
 * const tally = agreementTally();
 * tally.add({ expected: true, source: "own", math_verify: false }, true);
 * tally.summary().agreement; // { n: 1, agree: 1, rate: 1 }
 * ```
 */
export function agreementTally() {
  type Pair = [n: number, agree: number];
  type Counts = { ours: Pair; mv: Pair; run: Pair };
  const zero = (): Counts => ({ ours: [0, 0], mv: [0, 0], run: [0, 0] });
  const all = zero();
  const files = new Map<string, Counts>();
  const bump = (c: Pair, agrees: boolean) => {
    c[0]++;
    if (agrees) c[1]++;
  };
  const theirs = (c: Counts) => ({
    ...(c.mv[0] > 0 ? { math_verify: agreement(...c.mv) } : {}),
    ...(c.run[0] > 0 ? { math_verify_run: agreement(...c.run) } : {}),
  });
  return {
    /** Count one case, given our verdict on it. */
    add(c: LabelledVerdicts, ours: boolean) {
      const source = c.source === undefined ? "-" : sourceFile(c.source);
      let f = files.get(source);
      if (!f) files.set(source, f = zero());
      for (const t of [all, f]) {
        bump(t.ours, ours === c.expected);
        if (typeof c.math_verify === "boolean") bump(t.mv, c.math_verify === c.expected);
        if (typeof c.math_verify_run === "boolean") bump(t.run, c.math_verify_run === c.expected);
      }
    },
    /** Cases counted. */
    n: () => all.ours[0],
    /** Agreement of ours and of Math-Verify's verdicts (where cases carry them), and per file. */
    summary(): {
      agreement: Agreement;
      math_verify?: Agreement;
      math_verify_run?: Agreement;
      bySource: SourceReport[];
    } {
      return {
        agreement: agreement(...all.ours),
        ...theirs(all),
        bySource: [...files].map(([source, c]) => ({
          source,
          n: c.ours[0],
          agree: c.ours[1],
          ...theirs(c),
        })),
      };
    },
  };
}

/**
 * Grade every case of a suite (with the options its settings stand for: {@linkcode optionsOf}) and
 * report agreement, overall and per source file.
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
    bySource: [],
  };
  warmUp();
  const tally = agreementTally();
  cases.forEach((c, i) => {
    const t0 = performance.now();
    const g = gradeAnswer(c.gold, c.pred, optionsOf(c.settings));
    report.maxMs = Math.max(report.maxMs, performance.now() - t0);
    tally.add(c, g.correct);
    if (g.correct !== c.expected) {
      report.disagreements.push({
        line: i + 1,
        source: sourceLabel(c.source),
        gold: c.gold.slice(0, 120),
        pred: c.pred.slice(0, 120),
        expected: c.expected,
        got: g.correct,
        reason: g.reason,
        ...(c.note ? { note: c.note } : {}),
      });
    }
  });
  const { agreement: ours, ...theirs } = tally.summary();
  report.agree = ours.agree;
  report.rate = ours.rate;
  report.maxMs = Math.round(report.maxMs * 10) / 10;
  Object.assign(report, theirs);
  return report;
}

/**
 * A suite report as Markdown: one row per source file (cases, ours, Math-Verify stated, Math-Verify
 * run), then every disagreement with its reason.
 *
 * @example
 * ```ts
 * console.log(reportTable(await runSuite(SUITES[2])));
 * ```
 */
export function reportTable(r: SuiteReport): string {
  const cell = (a?: Agreement) => a ? `${a.agree}/${a.n}` : "—";
  const lines = [
    `${r.suite.split("/").slice(-2).join("/")}: ${r.agree}/${r.n} = ${(100 * r.rate).toFixed(1)}%`,
    "",
    "| source file | cases | ours | Math-Verify (stated) | Math-Verify 0.8.0 (run) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...r.bySource.map((s) =>
      `| ${s.source} | ${s.n} | ${s.agree}/${s.n} | ${cell(s.math_verify)} | ${
        cell(s.math_verify_run)
      } |`
    ),
    `| **all** | ${r.n} | ${r.agree}/${r.n} | ${cell(r.math_verify)} | ${
      cell(r.math_verify_run)
    } |`,
    "",
    ...r.disagreements.map((d) =>
      `- ${d.source} (line ${d.line}): \`${d.gold.slice(0, 60)}\` vs \`${
        d.pred.slice(0, 60)
      }\` expected ${d.expected}, got ${d.got} (${d.reason})${d.note ? ` — ${d.note}` : ""}`
    ),
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  await runMain(async () => {
    const table = Deno.args.includes("--table");
    const args = Deno.args.filter((a) => a !== "--table");
    const paths = args.length ? args : SUITES;
    for (const p of paths) {
      try {
        await Deno.stat(p);
      } catch {
        console.error(`skip: ${p} not found`);
        continue;
      }
      const r = await runSuite(p);
      console.log(table ? reportTable(r) + "\n" : JSON.stringify(r));
    }
  });
}
