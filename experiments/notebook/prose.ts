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
import { escapeHtml, type HtmlView, htmlView, texHtml } from "../../lib/report/mod.ts";
import type { ArmSummary, Experiment } from "../experiment.ts";
import { pct } from "./format.ts";
import type { LoadedRun } from "./load.ts";
import { compareArms } from "./paired.ts";

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
  return text.split(/(\$\$[^$]+\$\$|\$[^$]+\$)/).map((part) => {
    if (part.startsWith("$$")) return texHtml(part.slice(2, -2), { display: true });
    if (part.startsWith("$") && part.length > 1) {
      return texHtml(part.slice(1, -1), { display: false });
    }
    return escapeHtml(part).replace(/`([^`]+)`/g, "<code>$1</code>");
  }).join("");
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
  );
}

/**
 * Plain sentences about a run, computed from its numbers (so they hold in every mode): sample
 * size and CI width, the most accurate arm, the cheapest arm statistically tied with it, and a
 * verdict for each pair (paired bootstrap).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * readingLines(run, [["pf@16", "maj@16"]]);
 * ```
 */
export function readingLines(
  run: Pick<LoadedRun, "summary" | "records">,
  pairs: readonly [string, string][] = [],
): string[] {
  const arms = run.summary.arms.filter((a) => Number.isFinite(a.accuracy));
  if (arms.length === 0) return ["No arm has results."];
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
  const lines = [
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
  run: Pick<LoadedRun, "summary" | "records">,
  pairs: readonly [string, string][] = [],
): HtmlView {
  const lines = readingLines(run, pairs);
  return htmlView(
    `<ul style="font:14px/1.5 system-ui,sans-serif">${
      lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")
    }</ul>`,
    lines.join("\n"),
  );
}
