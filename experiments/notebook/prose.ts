/**
 * The prose of a notebook: text with formulas, the experiment's header, and plain sentences
 * about a run computed from its numbers (so they hold in every mode).
 *
 * @example
 * ```ts
 * import { texText } from "./prose.ts";
 * texText("accuracy $\\frac{1}{n}\\sum_i c_i$").includes("katex"); // true
 * ```
 *
 * @module
 */
import {
  escapeHtml,
  escapeMarkdown,
  type HtmlView,
  htmlView,
  markdownProse,
  texHtml,
} from "../../lib/report/mod.ts";
import type { ArmSummary, Experiment } from "../experiment.ts";
import { pct } from "./format.ts";
import type { LoadedRun } from "./load.ts";
import { compareArms } from "./paired.ts";
import { scorerLabel } from "./paper_vs_ours.ts";
import { missingRunNotice } from "./provenance.ts";

/** The parts of a text: formulas (`$...$`, `$$...$$`) and the words between them. */
const FORMULAS = /(\$\$[^$]+\$\$|\$[^$]+\$)/;

/**
 * Text with `$...$` (inline) and `$$...$$` (display) formulas as HTML: formulas through KaTeX, the
 * rest escaped; backticks become `<code>`. (Markdown cells must not carry `$...$`: nbconvert's
 * MathJax is not available offline.)
 *
 * @example
 * ```ts
 * texText("weights $w_i \\propto r_i$").includes("katex"); // true
 * ```
 */
export function texText(text: string): string {
  return text.split(FORMULAS).map((part) => {
    if (part.startsWith("$$")) return texHtml(part.slice(2, -2), { display: true });
    if (part.startsWith("$") && part.length > 1) {
      return texHtml(part.slice(1, -1), { display: false });
    }
    return escapeHtml(part).replace(/`([^`]+)`/g, "<code>$1</code>");
  }).join("");
}

/**
 * {@linkcode texText} for Markdown (static notebook outputs): formulas stay `$...$` / `$$...$$`
 * for the viewer to typeset, code spans stay, the rest is escaped.
 *
 * @example
 * ```ts
 * texTextMarkdown("weights $w_i \\propto r_i$ per *step*"); // "weights $w_i \\propto r_i$ per \\*step\\*"
 * ```
 */
export function texTextMarkdown(text: string): string {
  return text.split(FORMULAS).map((part, i) => i % 2 === 1 ? part : markdownProse(part)).join("");
}

/**
 * The experiment's header: title, paper and method description (formulas rendered), for the
 * first cells of a notebook.
 *
 * @example
 * ```ts
 * import { alphamath } from "../alphamath.ts";
 * describeExperiment(alphamath);
 * ```
 */
export function describeExperiment(exp: Experiment): HtmlView {
  return htmlView(
    `<div style="font:14px/1.5 system-ui,sans-serif;max-width:60em">` +
      `<p><b>Paper.</b> ${escapeHtml(exp.paper)}</p>` +
      `<p><b>Method.</b> ${texText(exp.description)}</p></div>`,
    `${exp.title}\n${exp.paper}\n${exp.description}`,
    {
      markdown: `**Paper.** ${escapeMarkdown(exp.paper)}\n\n**Method.** ${
        texTextMarkdown(exp.description)
      }`,
    },
  );
}

/**
 * The verifier an arm of a run was scored by, or null when it uses none: a role (`prm`, `value`)
 * is named by the verifier the run recorded for it (`summary.extra.verifiers`, `recorded` true);
 * a run made before verifiers were recorded used the role's hidden-state head (`prm head`,
 * `recorded` false); a token classifier is named after its method (`qsharp classifier`).
 *
 * @example
 * ```ts
 * armVerifier({ extra: { verifiers: { prm: "recompute-head" } } }, { method: "best_of_n", scorer: "prm" });
 * // { name: "recompute-head", recorded: true }
 * ```
 */
export function armVerifier(
  summary: Pick<LoadedRun["summary"], "extra">,
  arm: Pick<ArmSummary, "method" | "scorer">,
): { name: string; recorded: boolean } | null {
  const recorded = summary.extra?.verifiers as Record<string, unknown> | undefined;
  const label = scorerLabel(arm);
  if (!label || label === "none") return null;
  const named = recorded?.[label];
  if (typeof named === "string") return { name: named, recorded: true };
  const head = !recorded && (label === "prm" || label === "value");
  return { name: head ? `${label} head` : label, recorded: !!recorded };
}

/**
 * One line naming the verifier each method family of a run was scored by (e.g.
 * `recompute-head (bon, wmaj); oracle (pf)`), or null when no arm uses one. A role (`prm`,
 * `value`) is named by the verifier the run recorded for it (`summary.extra.verifiers`); a run
 * made before verifiers were recorded used the role's hidden-state head (`prm head`).
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * verifierLine(summary); // "Verifiers of this run: prm head (bon, wmaj, beam); value head (sbs)."
 * ```
 */
export function verifierLine(
  summary: Pick<LoadedRun["summary"], "arms" | "extra">,
): string | null {
  const byScorer = new Map<string, string[]>();
  for (const a of summary.arms) {
    const scorer = armVerifier(summary, a)?.name;
    if (!scorer) continue;
    const family = a.config.split("@")[0];
    const families = byScorer.get(scorer) ?? [];
    if (!families.includes(family)) families.push(family);
    byScorer.set(scorer, families);
  }
  if (byScorer.size === 0) return null;
  return `Verifiers of this run: ${
    [...byScorer].map(([scorer, families]) => `${scorer} (${families.join(", ")})`).join("; ")
  }.`;
}

/**
 * For each arm: on how many problems one of its candidates was right, and on how many of those
 * it answered right (a selector's or a vote's loss against its own candidates).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * coverageLines(run, ["bon@16"]);
 * // ["bon@16: a right candidate on 27 of 30 problems; answered right on 5 of those (19%)."]
 * ```
 */
export function coverageLines(
  run: Pick<LoadedRun, "records">,
  arms: readonly string[],
): string[] {
  const lines: string[] = [];
  for (const arm of arms) {
    const records = run.records.filter((r) => r.config === arm);
    if (records.length === 0) continue;
    const covered = records.filter((r) => r.candidates.some((c) => c.correct));
    const kept = covered.filter((r) => r.correct).length;
    lines.push(
      `${arm}: a right candidate on ${covered.length} of ${records.length} problems; answered ` +
        `right on ${kept} of those${
          covered.length ? ` (${Math.round((100 * kept) / covered.length)}%)` : ""
        }.`,
    );
  }
  return lines;
}

/**
 * Options of {@linkcode readingLines} and {@linkcode reading}.
 *
 * @example
 * ```ts
 * const options: ReadingOptions = { coverage: ["bon@16", "pf@16"] };
 * ```
 */
export interface ReadingOptions {
  /** Arms to give a {@linkcode coverageLines} line each. */
  coverage?: readonly string[];
}

/**
 * Plain sentences about a run, computed from its numbers (so they hold in every mode): where the
 * numbers come from when they are not the committed full run (a missing run said plainly), the
 * verifiers, sample size and CI width, the most accurate arm, the cheapest arm statistically tied
 * with it, a verdict for each pair (paired bootstrap) and, for the `coverage` arms, how often a
 * right candidate was there and kept.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * readingLines(run, [["pf@16", "maj@16"]], { coverage: ["pf@16"] });
 * ```
 */
export function readingLines(
  run: Pick<LoadedRun, "summary" | "records"> & Partial<Pick<LoadedRun, "mode" | "note">>,
  pairs: readonly [string, string][] = [],
  options: ReadingOptions = {},
): string[] {
  const source = run.mode === "fresh"
    ? missingRunNotice(run as Pick<LoadedRun, "mode" | "summary">)
    : run.mode === "ci"
    ? run.note ?? null
    : null;
  const arms = run.summary.arms.filter((a) => Number.isFinite(a.accuracy));
  if (arms.length === 0) return [...(source ? [source] : []), "No arm has results."];
  const halfWidth = arms.reduce((s, a) => s + (a.ci95[1] - a.ci95[0]) / 2, 0) / arms.length;
  const best = arms.reduce((b, a) => (a.accuracy > b.accuracy ? a : b));
  const tied = arms
    .filter((a) => {
      const d = compareArms(run.records, a.config, best.config);
      return d !== null && d.hi >= 0 && d.lo <= 0;
    })
    .sort((a, b) => a.tokens_per_problem - b.tokens_per_problem);
  const fmt = (a: ArmSummary) =>
    `${a.config} (${pct(a.accuracy).toFixed(1)}% [${pct(a.ci95[0]).toFixed(1)}, ${
      pct(a.ci95[1]).toFixed(1)
    }], ${Math.round(a.tokens_per_problem)} tokens/problem)`;
  const verifiers = verifierLine(run.summary);
  const lines = [
    ...(source ? [source] : []),
    ...(verifiers ? [verifiers] : []),
    `${run.summary.limit} problems: a single arm's 95% CI is about ±${
      pct(halfWidth).toFixed(0)
    } points wide, so only large differences can show.`,
    `Most accurate arm: ${fmt(best)}.`,
  ];
  const cheapest = tied[0];
  if (cheapest && cheapest.config !== best.config) {
    lines.push(
      `Cheapest arm not detectably worse than it (paired 95% CI of the difference includes 0): ${
        fmt(cheapest)
      }.`,
    );
  }
  for (const [a, b] of pairs) {
    const d = compareArms(run.records, a, b);
    if (!d) continue;
    const verdict = d.lo > 0 ? "better" : d.hi < 0 ? "worse" : "no detectable difference";
    lines.push(
      `${a} vs ${b}: ${d.diff >= 0 ? "+" : ""}${pct(d.diff).toFixed(1)} points [${
        pct(d.lo).toFixed(1)
      }, ${pct(d.hi).toFixed(1)}] at ${
        (d.tokensA / Math.max(1, d.tokensB)).toFixed(1)
      }× the tokens: ${verdict}.`,
    );
  }
  lines.push(...coverageLines(run, options.coverage ?? []));
  return lines;
}

/**
 * {@linkcode readingLines} as a displayable bullet list.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * reading(run, [["sbs@(3,5)", "greedy"]]);
 * ```
 */
export function reading(
  run: Pick<LoadedRun, "summary" | "records"> & Partial<Pick<LoadedRun, "mode" | "note">>,
  pairs: readonly [string, string][] = [],
  options: ReadingOptions = {},
): HtmlView {
  const lines = readingLines(run, pairs, options);
  return htmlView(
    `<ul style="font:14px/1.5 system-ui,sans-serif">${
      lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")
    }</ul>`,
    lines.join("\n"),
    { markdown: lines.map((l) => `- ${markdownProse(l)}`).join("\n") },
  );
}
