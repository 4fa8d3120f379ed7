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
import { escapeHtml, type HtmlView, htmlView } from "../../lib/report/mod.ts";
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
 * Where our numbers come from (model, data, seed, limit, command, date, mode), as HTML.
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
  const rows = facts.map(([k, v]) =>
    `<tr><th>${escapeHtml(k)}</th><td>${
      k === "command" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)
    }</td></tr>`
  ).join("");
  return htmlView(
    `<table class="repro-table" style="font:13px system-ui,sans-serif">` +
      `<caption style="text-align:left;font-weight:600">Provenance of our numbers</caption>` +
      `<tbody>${rows}</tbody></table>`,
    facts.map(([k, v]) => `${k}: ${v}`).join("\n"),
  );
}
