/**
 * Where a notebook's numbers come from: model, data, seed, limit, command, date, hashes of the
 * model and heads, and the mode the results were loaded in.
 *
 * @example
 * ```ts
 * import { provenance } from "./provenance.ts";
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * provenance(run).text.includes("seed"); // true
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
} from "../../lib/report/mod.ts";
import { fromRoot } from "../backends.ts";
import type { ExperimentSummary } from "../experiment.ts";
import type { LoadedRun } from "./load.ts";

/**
 * A path relative to the repository root when it is inside it (as recorded in summaries).
 *
 * @example
 * ```ts
 * import { repoPath } from "../../lib/report/mod.ts";
 * repoRelative(repoPath("models", "embedded")); // "models/embedded"
 * ```
 */
export const repoRelative: (path: string) => string = fromRoot;

/**
 * The provenance facts of a run, as label/value pairs.
 *
 * @example
 * ```ts
 * import type { ExperimentSummary } from "../experiment.ts";
 * declare const summary: ExperimentSummary;
 * provenanceFacts(summary).map(([label]) => label); // ["paper", "model", "data", ...]
 * ```
 */
export function provenanceFacts(run: ExperimentSummary | LoadedRun): [string, string][] {
  const s = "summary" in run ? run.summary : run;
  const facts: [string, string][] = [
    ["paper", s.paper],
    ["model", repoRelative(s.model)],
    ["data", `${s.dataset} (first ${s.limit} problems)`],
    ["seed", String(s.seed)],
    ["limit", String(s.limit)],
    ["command", s.command],
    ["finished", s.finished],
  ];
  const extra = s.extra ?? {};
  if (typeof extra.model_sha256 === "string") facts.push(["model sha256", extra.model_sha256]);
  const heads = extra.heads_sha256 as Record<string, string> | undefined;
  if (heads && Object.keys(heads).length > 0) {
    facts.push([
      "heads sha256",
      Object.entries(heads).map(([k, v]) => `${k} ${v.slice(0, 16)}…`).join(", "),
    ]);
  }
  if ("summary" in run) facts.push(["source", `${run.mode}: ${run.note}`]);
  return facts;
}

/**
 * For a run loaded fresh because nothing is committed: one plain sentence saying which run is
 * missing, what the page shows instead and the command that makes the run; null otherwise.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * missingRunNotice(run); // "No committed run: results/tsmc/ does not exist. ..." or null
 * ```
 */
export function missingRunNotice(run: Pick<LoadedRun, "mode" | "summary">): string | null {
  if (run.mode !== "fresh") return null;
  const name = run.summary.name;
  return `No committed run: results/${name}/ does not exist, so this page shows a live ` +
    `demonstration on the first ${run.summary.limit} problems (${
      run.summary.arms.map((a) => a.config).join(", ")
    }), not the experiment's result. \`deno task repro ${name}\` makes the full run; ` +
    `\`deno task render --commit --only ${name}\` then executes this notebook on it.`;
}

/**
 * Where our numbers come from (model, data, seed, limit, command, date, mode), as HTML (a
 * Markdown table in static mode), led by {@linkcode missingRunNotice} when the run is missing.
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * provenance(run);
 * ```
 */
export function provenance(run: ExperimentSummary | LoadedRun): HtmlView {
  const facts = provenanceFacts(run);
  const notice = "summary" in run ? missingRunNotice(run) : null;
  const rows = facts.map(([k, v]) =>
    `<tr><th>${escapeHtml(k)}</th><td>${
      k === "command" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)
    }</td></tr>`
  ).join("");
  const mdCell = (k: string, v: string) =>
    k === "command"
      ? markdownProse(`\`${v}\``)
      : k === "source"
      ? markdownProse(v)
      : escapeMarkdown(v);
  const markdown = [
    ...(notice ? [`> **${markdownProse(notice)}**`, ""] : []),
    "**Provenance of our numbers**",
    "",
    "| | |",
    "| :-- | :-- |",
    ...facts.map(([k, v]) => `| ${escapeMarkdown(k)} | ${mdCell(k, v)} |`),
  ].join("\n");
  return htmlView(
    (notice
      ? `<p class="repro-missing-run" style="border-left:4px solid #c62828;padding:6px 10px;` +
        `background:#fdecea;font:14px/1.5 system-ui,sans-serif"><b>${escapeHtml(notice)}</b></p>`
      : "") +
      `<table class="repro-table" style="font:13px system-ui,sans-serif">` +
      `<caption style="text-align:left;font-weight:600">Provenance of our numbers</caption>` +
      `<tbody>${rows}</tbody></table>`,
    [...(notice ? [notice] : []), ...facts.map(([k, v]) => `${k}: ${v}`)].join("\n"),
    { markdown },
  );
}
