/**
 * `deno task grade FILE.jsonl [--out FILE] [--time-limit MS]`: grade every row of a JSONL file.
 *
 * Each row has `gold` and `pred` (a bare answer or a whole model output), or only `text`. Every
 * input row is written back with all its fields plus `extracted` and, where `gold` is present,
 * `correct` and `reason`. Output goes to stdout (or `--out`); progress and a summary line
 * `{n, graded, correct, accuracy, errors}` go to stderr.
 *
 * A labelled suite (rows in the conformance format of `conformance.ts`: a boolean `expected`,
 * optionally `source`, Math-Verify `settings`, and Math-Verify's verdicts `math_verify` /
 * `math_verify_run`) is graded the way `conformance.ts` grades it, each row with the options its
 * settings stand for; every such row gains `agrees` (our verdict equals `expected`), and the
 * summary gains `agreement` (ours), `math_verify` and `math_verify_run` (theirs, over the rows that
 * carry them) and the same per source file (`bySource`). A malformed line is reported with its line
 * number and skipped; the exit code is then 1. A missing file or a wrong flag exits with 2.
 *
 * @module
 */
import {
  type Flags,
  numberFlag,
  parseCli,
  progress,
  readJsonl,
  runMain,
  usage,
  UsageError,
} from "../runs/mod.ts";
import {
  type Agreement,
  agreementTally,
  type LabelledVerdicts,
  optionsOf,
  type SourceReport,
} from "./conformance.ts";
import { DEFAULT_LIMITS } from "./equivalence.ts";
import { extractAnswer } from "./extract.ts";
import { gradeAnswer } from "./grade.ts";

/** Summary printed on stderr by {@linkcode gradeFile}. */
export interface GradeSummary {
  /** Non-blank input lines. */
  n: number;
  /** Rows with a gold answer that were compared. */
  graded: number;
  /** Rows judged correct. */
  correct: number;
  /** correct / graded (0 when nothing was graded). */
  accuracy: number;
  /** Malformed or unusable lines. */
  errors: number;
  /** Over the graded rows with a boolean `expected`: our verdict equals it. */
  agreement?: Agreement;
  /** Over those rows that carry `math_verify`: it equals `expected`. */
  math_verify?: Agreement;
  /** Over those rows that carry `math_verify_run`: it equals `expected`. */
  math_verify_run?: Agreement;
  /** The same per source file (`sourceFile` of each row's `source`; `-` when it has none). */
  bySource?: SourceReport[];
}

type Row = Record<string, unknown>;

/**
 * Grade the rows of `path`, writing JSONL lines with `write`; bad lines are reported with `report`.
 *
 * @example
 * ```ts
 * const summary = await gradeFile("preds.jsonl", (line) => console.log(line), console.error);
 * ```
 */
export async function gradeFile(
  path: string,
  write: (line: string) => void,
  report: (message: string) => void,
  timeLimitMs: number = DEFAULT_LIMITS.timeLimitMs,
): Promise<GradeSummary> {
  const rows = [];
  for await (const row of readJsonl<unknown>(path)) rows.push(row);
  const bar = progress(rows.length, "grading");
  const s: GradeSummary = { n: rows.length, graded: 0, correct: 0, accuracy: 0, errors: 0 };
  const tally = agreementTally();
  for (const row of rows) {
    bar.tick();
    if (row.error !== undefined) {
      report(row.error);
      s.errors++;
      continue;
    }
    const problem = checkRow(row.value);
    if (typeof problem === "string") {
      report(`${path}:${row.line}: ${problem}`);
      s.errors++;
      continue;
    }
    const { value, gold, pred } = problem;
    if (gold === undefined) {
      write(JSON.stringify({ ...value, extracted: extractAnswer(pred) }));
      continue;
    }
    const settings = isObject(value.settings) ? value.settings : undefined;
    const g = gradeAnswer(gold, pred, { ...optionsOf(settings), timeLimitMs });
    s.graded++;
    if (g.correct) s.correct++;
    const graded = { ...value, extracted: g.extracted, correct: g.correct, reason: g.reason };
    if (typeof value.expected === "boolean") {
      tally.add(labelled(value, value.expected), g.correct);
      write(JSON.stringify({ ...graded, agrees: g.correct === value.expected }));
    } else write(JSON.stringify(graded));
  }
  bar.stop();
  s.accuracy = s.graded ? s.correct / s.graded : 0;
  return tally.n() === 0 ? s : { ...s, ...tally.summary() };
}

const isObject = (x: unknown): x is Row => x !== null && typeof x === "object" && !Array.isArray(x);

/** A labelled row's verdicts and source, the fields of the wrong type left out. */
function labelled(row: Row, expected: boolean): LabelledVerdicts {
  const { source, math_verify: mv, math_verify_run: run } = row;
  const known = typeof source === "string" ||
    (isObject(source) && typeof source.repo === "string" && typeof source.file === "string");
  return {
    expected,
    ...(known ? { source: source as LabelledVerdicts["source"] } : {}),
    ...(typeof mv === "boolean" ? { math_verify: mv } : {}),
    ...(typeof run === "boolean" ? { math_verify_run: run } : {}),
  };
}

/** The gold and prediction of a row, or what is wrong with it. */
function checkRow(value: unknown): { value: Row; gold?: string; pred: string } | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return "row is not a JSON object";
  }
  const row = value as Row;
  const text = asText(row.pred) ?? asText(row.text);
  if (text === undefined) return 'row needs a string "pred" or "text"';
  if (row.gold === undefined) return { value: row, pred: text };
  const gold = asText(row.gold);
  if (gold === undefined) return '"gold" must be a string or a number';
  return { value: row, gold, pred: text };
}

function asText(x: unknown): string | undefined {
  if (typeof x === "string") return x;
  if (typeof x === "number" && Number.isFinite(x)) return String(x);
  return undefined;
}

const FLAGS = {
  out: { type: "string", value: "FILE", help: "write the graded rows there (default stdout)" },
  "time-limit": { type: "string", value: "MS", help: "budget of one comparison (default 200)" },
} satisfies Flags;

const USAGE = usage("grade", FLAGS, {
  positionals: "FILE.jsonl",
  notes: 'FILE.jsonl: one JSON object per line, {"gold", "pred"} (graded) or {"text"} (answer\n' +
    "extracted); adds extracted, correct and reason; the summary goes to stderr, with the\n" +
    'agreement with "expected" (ours and "math_verify", per "source") where rows have it',
});

async function main(): Promise<number> {
  const { values, positionals } = parseCli(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(USAGE.split("\n")[0]);
  const path = positionals[0];
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  if (!info.isFile) throw new UsageError(`${path}: not a file`);
  const timeLimitMs = numberFlag("time-limit", values["time-limit"], {
    min: 1,
    fallback: DEFAULT_LIMITS.timeLimitMs,
  });
  const lines: string[] = [];
  const summary = await gradeFile(
    path,
    (l) => lines.push(l),
    (m) => console.error(`error: ${m}`),
    timeLimitMs,
  );
  const body = lines.length ? lines.join("\n") + "\n" : "";
  if (values.out) await Deno.writeTextFile(values.out, body);
  else await Deno.stdout.write(new TextEncoder().encode(body));
  console.error(JSON.stringify(summary));
  if (summary.n === 0) {
    console.error(`error: ${path}: no rows to grade (the file is empty)`);
    return 1;
  }
  return summary.errors > 0 ? 1 : 0;
}

if (import.meta.main) await runMain(main);
