/**
 * Exploring one problem (`notebooks/explore.ipynb`): pick a problem, run one search method on it
 * with chosen knobs and a chosen verifier, and look at the answer, the candidates with their
 * scores and the drawn search tree or particle genealogy — or two settings side by side.
 *
 * The functions here keep the notebook's cells short; the search itself is the registry's
 * (`lib/search/registry.ts`), the policy and verifiers come from {@linkcode openBackend}.
 *
 * @example
 * ```ts
 * import { openBackend } from "./backends.ts";
 * import { candidatesTable, chooseProblem, drawExplored, runOne } from "./explore.ts";
 * const backend = await openBackend({});
 * const problem = await chooseProblem({ dataset: "synthetic", index: 0 });
 * const run = await runOne(backend, { problem, method: "beam", options: { n: 4, m: 2 } });
 * run.result.answer; // e.g. "18"
 * candidatesTable(run); // answers, scores, right or wrong
 * drawExplored(run); // the beam-search tree
 * await backend.close();
 * ```
 *
 * @module
 */
import type { Problem, SearchResult } from "../lib/core/types.ts";
import { loadDataset } from "../lib/datasets/mod.ts";
import { equivalent } from "../lib/grading/mod.ts";
import {
  drawTrace,
  escapeHtml,
  type HtmlView,
  htmlView,
  type Row,
  table,
  traceSvg,
} from "../lib/report/mod.ts";
import { REPORT_CSS } from "../lib/report/styles.ts";
import { type FlagValue, methodOptions, methods, neededOptions } from "../lib/search/registry.ts";
import { splitSteps } from "../lib/search/steps.ts";
import type { Backend } from "./backends.ts";

/**
 * Which problem to explore: the `index`-th problem (0-based) of a dataset (`synthetic`, the
 * evaluation split of the embedded world; `math500`; `gsm8k`), or a problem typed in (with its
 * answer, when known, so that candidates can be graded).
 */
export type ProblemChoice =
  | { dataset: string; index: number }
  | { text: string; answer?: string };

/**
 * The problem a {@linkcode ProblemChoice} names. A typed-in problem gets the id `typed` and an
 * empty gold answer when none is given (nothing is then graded).
 *
 * @example
 * ```ts
 * const p = await chooseProblem({ dataset: "synthetic", index: 3 });
 * p.id; // "eval-003"
 * const q = await chooseProblem({ text: "Ann has 3 pens. She buys 4 more. How many does Ann have now?", answer: "7" });
 * q.id; // "typed"
 * ```
 */
export async function chooseProblem(choice: ProblemChoice): Promise<Problem> {
  if ("text" in choice) return { id: "typed", problem: choice.text, answer: choice.answer ?? "" };
  const { dataset, index } = choice;
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`index must be a non-negative integer, got ${index}`);
  }
  const problems = await loadDataset(dataset, { limit: index + 1 });
  if (problems.length <= index) {
    throw new RangeError(
      `${dataset} has ${problems.length} problems; index ${index} is past its end`,
    );
  }
  return problems[index];
}

/** One setting to run: a method, its knobs and its verifier. */
export interface ExploreSpec {
  /** The problem (from {@linkcode chooseProblem}). */
  problem: Problem;
  /** A method of `lib/search/registry.ts` (`greedy`, `sampling`, `best_of_n`, `beam`, ...). */
  method: string;
  /** The method's knobs, as in `deno task solve` (camelCase or kebab-case; unknown ones throw). */
  options?: Readonly<Record<string, FlagValue>>;
  /**
   * The verifier: a name of `VERIFIER_NAMES` (`recompute-head`, `logprob`, `oracle`, ...), an
   * ONNX PRM folder or a `/pooling` URL; default the backend's verifier of the method's role;
   * `"none"` runs without one (methods that need one then throw).
   */
  verifier?: string;
  /** The search's seed (default 0). */
  seed?: number;
  /** A name for tables and titles (default: method, the given knobs and the verifier). */
  label?: string;
}

/** What {@linkcode runOne} returns: the search result, graded, with its setting. */
export interface Explored {
  /** The setting's name. */
  label: string;
  /** The problem. */
  problem: Problem;
  /** The method. */
  method: string;
  /** The knobs given (the method's defaults fill the rest). */
  options: Record<string, FlagValue>;
  /** The verifier used, or null when none. */
  verifier: string | null;
  /** What the search returned. */
  result: SearchResult;
  /** Whether the answer equals the gold answer (null when the problem has none). */
  correct: boolean | null;
  /** Wall time of the search, seconds. */
  seconds: number;
}

/** A label of a setting: `beam(n=4, m=2) + recompute-head`. */
function settingLabel(
  method: string,
  options: Record<string, FlagValue>,
  verifier: string | null,
): string {
  const knobs = Object.entries(options).map(([k, v]) => `${k}=${v}`).join(", ");
  return `${method}${knobs ? `(${knobs})` : ""}${verifier ? ` + ${verifier}` : ""}`;
}

/**
 * Run one method on one problem with the backend's policy and the named verifier, and grade the
 * answer and every candidate against the gold answer.
 *
 * @example
 * ```ts
 * import { openBackend } from "./backends.ts";
 * declare const problem: import("../lib/core/types.ts").Problem;
 * const backend = await openBackend({});
 * const run = await runOne(backend, { problem, method: "sampling", options: { n: 4 }, verifier: "logprob" });
 * run.correct; // true, false, or null without a gold answer
 * ```
 */
export async function runOne(backend: Backend, spec: ExploreSpec): Promise<Explored> {
  const entry = methods[spec.method];
  if (!entry) {
    throw new RangeError(
      `unknown method ${spec.method}; known: ${Object.keys(methods).join(", ")}`,
    );
  }
  const options = methodOptions(spec.method, spec.options ?? {});
  const wanted = spec.verifier ?? backend.verifier(entry.role);
  if (wanted === "none" && entry.needsScorer) {
    throw new RangeError(`method ${spec.method} needs a verifier; "none" was given`);
  }
  // a method steered by its own token classifier (Q#) takes no verifier; every other one does
  const ownSteering = entry.needs.classifier && !entry.needsScorer;
  const verifier = wanted === "none" || ownSteering ? null : wanted;
  const scorer = verifier === null ? undefined : await backend.scorer(entry.role, verifier);
  const extra = { seed: spec.seed ?? 0, ...await neededOptions(entry, backend) };
  const started = performance.now();
  const result = await entry.run(spec.problem, backend.policy, scorer, { ...options, ...extra });
  const seconds = (performance.now() - started) / 1000;
  return {
    label: spec.label ?? settingLabel(spec.method, options, verifier),
    problem: spec.problem,
    method: spec.method,
    options,
    verifier,
    result,
    correct: grade(spec.problem, result.answer),
    seconds,
  };
}

/** Whether `answer` equals the problem's gold answer; null without a gold answer. */
function grade(problem: Problem, answer: string | null): boolean | null {
  if (!problem.answer) return null;
  return answer !== null && equivalent(problem.answer, answer);
}

/** ✓, ✗ or – for a verdict. */
function mark(correct: boolean | null): string {
  return correct === null ? "–" : correct ? "✓" : "✗";
}

/** Shorten text to `max` characters with an ellipsis. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * One row per candidate, best score first: its answer, whether it is right, the method's score,
 * the step scores, its tokens and steps, whether its answer is the one chosen, and its last step.
 *
 * @example
 * ```ts
 * declare const run: Explored;
 * candidateRows(run)[0].answer;
 * ```
 */
export function candidateRows(run: Explored): Row[] {
  const rows = run.result.candidates.map((c, i) => {
    const steps = splitSteps(c.text.trimEnd()).filter((s) => s.trim().length > 0);
    return {
      "#": i,
      answer: c.answer,
      right: mark(grade(run.problem, c.answer)),
      score: c.score ?? null,
      "step scores": c.stepScores?.map((s) => s.toFixed(2)).join(" ") ?? null,
      tokens: c.tokens ?? null,
      steps: steps.length,
      chosen: c.answer !== null && c.answer === run.result.answer ? "◀" : "",
      "last step": clip(steps.at(-1) ?? "", 70),
    };
  });
  return rows.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
}

/**
 * The candidates as a table (best score first), captioned with the setting.
 *
 * @example
 * ```ts
 * declare const run: Explored;
 * candidatesTable(run);
 * ```
 */
export function candidatesTable(run: Explored): HtmlView {
  return table(candidateRows(run), {
    caption: `Candidates of ${run.label} (${run.result.candidates.length}; ◀ = the chosen answer)`,
    digits: 3,
    dtypes: false,
  });
}

/**
 * One summary row of a setting: answer, gold, verdict, candidates, distinct answers, cost.
 *
 * @example
 * ```ts
 * declare const run: Explored;
 * summaryRow(run).tokens;
 * ```
 */
export function summaryRow(run: Explored): Row {
  const { result } = run;
  const answers = new Set(result.candidates.map((c) => c.answer).filter((a) => a !== null));
  return {
    setting: run.label,
    answer: result.answer,
    gold: run.problem.answer || null,
    right: mark(run.correct),
    candidates: result.candidates.length,
    "distinct answers": answers.size,
    "trace nodes": result.trace.nodes.length,
    tokens: result.cost.tokens,
    "policy calls": result.cost.policyCalls,
    "verifier calls": result.cost.scorerCalls,
    seconds: Math.round(run.seconds * 10) / 10,
  };
}

/**
 * The settings' summary rows as one table.
 *
 * @example
 * ```ts
 * declare const a: Explored, b: Explored;
 * summaryTable([a, b]);
 * ```
 */
export function summaryTable(runs: readonly Explored[], caption = "Settings"): HtmlView {
  return table(runs.map(summaryRow), { caption, digits: 1, dtypes: false });
}

/**
 * The problem, its gold answer, the method's answer and the solution that gave it, as a small
 * HTML block.
 *
 * @example
 * ```ts
 * declare const run: Explored;
 * answerView(run);
 * ```
 */
export function answerView(run: Explored): HtmlView {
  const { result, problem } = run;
  const chosen = result.answer === null ? undefined : [...result.candidates]
    .filter((c) => c.answer === result.answer)
    .sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity))[0];
  const verdict = run.correct === null
    ? "no gold answer to grade against"
    : run.correct
    ? "right"
    : "wrong";
  const html = [
    `<style>${REPORT_CSS}</style>`,
    `<div class="repro-explore-answer">`,
    `<p><b>Problem</b> <code>${escapeHtml(problem.id)}</code>: ${escapeHtml(problem.problem)}</p>`,
    `<p><b>${escapeHtml(run.label)}</b> answers <b>${
      escapeHtml(result.answer ?? "(no answer)")
    }</b>; gold ${
      escapeHtml(problem.answer || "(none)")
    }: ${verdict} — ${result.candidates.length} ` +
    `candidates, ${result.cost.tokens} tokens, ${run.seconds.toFixed(1)} s.</p>`,
    chosen
      ? `<p>A solution with that answer${
        chosen.score === undefined ? "" : ` (score ${chosen.score.toFixed(3)})`
      }:</p><pre style="white-space:pre-wrap;font-size:12px">${
        escapeHtml(chosen.text.trim())
      }</pre>`
      : "",
    `</div>`,
  ].join("\n");
  return htmlView(
    html,
    `${run.label}: ${result.answer ?? "(no answer)"} (gold ${
      problem.answer || "none"
    }, ${verdict})`,
  );
}

/** The heading of a run's drawing: its setting, answer, verdict and cost. */
function runHeading(run: Explored): string {
  const { result } = run;
  return `<p><b>${escapeHtml(run.label)}</b><br>answer <b>${
    escapeHtml(result.answer ?? "(none)")
  }</b> ${mark(run.correct)} · ${result.candidates.length} candidates · ${result.cost.tokens} ` +
    `tokens · ${run.seconds.toFixed(1)} s</p>`;
}

/** The title drawn above a trace: its kind and size. */
function traceTitle(run: Explored): string {
  const t = run.result.trace;
  const what = t.kind === "particles" ? "particle genealogy" : `${t.kind} trace`;
  return `${run.method}: ${what}, ${t.nodes.length} nodes`;
}

/**
 * Draw a run's search tree or particle genealogy under a heading naming the setting (colour =
 * score, red = the chosen path, terminal nodes labelled with their answers; hover a node for its
 * step text).
 *
 * @example
 * ```ts
 * declare const run: Explored;
 * drawExplored(run);
 * ```
 */
export function drawExplored(run: Explored): HtmlView {
  const drawing = drawTrace(run.result.trace, { title: traceTitle(run) });
  return htmlView(`${runHeading(run)}\n${drawing.html}`, drawing.text, { figure: true });
}

/**
 * Two or more settings side by side: each one's answer and cost over its drawn trace, in columns
 * sharing one colour scale (so equal colours mean equal scores across the drawings).
 *
 * @example
 * ```ts
 * declare const a: Explored, b: Explored;
 * sideBySide([a, b]);
 * ```
 */
export function sideBySide(runs: readonly Explored[]): HtmlView {
  const scores = runs.flatMap((r) =>
    r.result.trace.nodes.map((n) => n.score).filter((s): s is number => s !== undefined)
  );
  const domain: [number, number] | undefined = scores.length
    ? [Math.min(...scores), Math.max(...scores)]
    : undefined;
  const columns = runs.map((r) => {
    const svg = traceSvg(r.result.trace, { title: traceTitle(r), ...(domain ? { domain } : {}) });
    return `<div style="flex:1 1 0;min-width:0;overflow-x:auto">${runHeading(r)}` +
      `<div class="repro-trace-box">${svg}</div></div>`;
  });
  return htmlView(
    `<style>${REPORT_CSS}</style>\n<div style="display:flex;gap:16px;align-items:flex-start">${
      columns.join("\n")
    }</div>`,
    runs.map((r) => `${r.label}: ${r.result.answer ?? "(none)"} ${mark(r.correct)}`).join(" | "),
    { figure: true },
  );
}

/**
 * Every registered method with its verifier role and its knobs' defaults, as a table.
 *
 * @example
 * ```ts
 * methodsTable();
 * ```
 */
export function methodsTable(): HtmlView {
  return table(
    Object.entries(methods).map(([name, m]) => ({
      method: name,
      verifier: m.needs.classifier && !m.needsScorer
        ? "its token classifier"
        : m.needsScorer
        ? `${m.role} (needed)`
        : m.needs.optionalScorer
        ? `${m.role} (optional)`
        : "none",
      what: m.describe,
      "knobs (defaults)": Object.entries(m.defaults).map(([k, v]) => `${k}=${v}`).join(", "),
    })),
    { caption: "Search methods (lib/search/registry.ts)", dtypes: false, maxRows: 50 },
  );
}

/**
 * A few computed lines about runs of one problem, the first taken as the baseline: which settings
 * answer correctly, what each spent in tokens against the baseline, and the time they took.
 *
 * @example
 * ```ts
 * declare const greedy: Explored, beam: Explored;
 * readingView([greedy, beam]);
 * ```
 */
export function readingView(runs: readonly Explored[]): HtmlView {
  if (runs.length === 0) return htmlView("<p>No runs.</p>", "no runs");
  const [base, ...rest] = runs;
  const problem = base.problem;
  const lines: string[] = [];
  if (!problem.answer) {
    lines.push(`${problem.id} has no gold answer: nothing is graded.`);
  } else {
    const right = runs.filter((r) => r.correct === true).map((r) => r.label);
    lines.push(
      `${right.length} of ${runs.length} settings answer ${problem.id} correctly (gold ` +
        `${problem.answer})${right.length ? `: ${right.join("; ")}` : ""}.`,
    );
  }
  for (const r of rest) {
    const ratio = base.result.cost.tokens > 0
      ? `${
        (r.result.cost.tokens / base.result.cost.tokens).toFixed(1)
      }× the tokens of ${base.label}`
      : `${r.result.cost.tokens} tokens`;
    const verdict = r.correct === null ? "" : r.correct ? " (right)" : " (wrong)";
    lines.push(`${r.label} answers ${r.result.answer ?? "nothing"}${verdict} with ${ratio}.`);
  }
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  lines.push(`The ${runs.length} runs took ${seconds.toFixed(1)} s in all on this machine.`);
  return htmlView(
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`,
    lines.join("\n"),
  );
}
