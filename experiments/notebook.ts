/**
 * The kit every paper notebook uses: get an experiment's results (the committed full run, or a
 * fresh small run in CI) and show them the same way — provenance, paper-vs-ours table, accuracy
 * against generated tokens with 95% CIs, and a drawn search trace.
 *
 * Modes of {@linkcode loadOrRun}:
 * - `"ci"`: env `REPRO_LIMIT=N` is set (as `deno task render --limit N` does): the experiment is run
 *   fresh on the first N problems into `results/tmp/<name>-<N>` (removed first).
 * - `"committed"`: `results/<name>/summary.json` exists: the full run is read with its records and
 *   traces, nothing is run.
 * - `"fresh"`: there is no committed run: a small run (default 5 problems) goes into
 *   `results/tmp/<name>-<N>`, and the provenance says so.
 *
 * One module per concern under `notebook/`: `load.ts` (getting the results), `provenance.ts`,
 * `paper_vs_ours.ts` and `tables.ts` (tables), `paired.ts` (paired comparisons of two arms, over
 * lib/metrics' `pairedDifference`), `charts.ts` and `traces.ts` (figures), `prose.ts` (text with
 * formulas and readings of a run); this module re-exports them for the notebooks.
 *
 * Arms are grouped into method families for the plots by their config label: the part before `@`
 * (`maj@4`, `maj@16` → `maj`), unless a `family` function is given.
 *
 * @example
 * ```ts
 * import { accuracyVsTokens, drawTrace, loadOrRun, paperVsOurs, provenance } from "../experiments/notebook.ts";
 * import { alphamath } from "../experiments/alphamath.ts";
 * const run = await loadOrRun(alphamath);
 * provenance(run);
 * paperVsOurs(run.summary);
 * accuracyVsTokens(run.summary);
 * drawTrace(run.traces, "mcts");
 * ```
 *
 * @module
 */
export { fingerprint } from "./fingerprint.ts";
export {
  backendFromEnv,
  inJupyter,
  type LoadedRun,
  type LoadOptions,
  loadOrRun,
  type LoadPlan,
  planLoad,
  readRunFiles,
  type RunMode,
  type TraceRow,
} from "./notebook/load.ts";
export {
  coverageLines,
  describeExperiment,
  reading,
  readingLines,
  type ReadingOptions,
  texText,
  texTextMarkdown,
  verifierLine,
} from "./notebook/prose.ts";
export {
  missingRunNotice,
  provenance,
  provenanceFacts,
  repoRelative,
} from "./notebook/provenance.ts";
export {
  paperVsOurs,
  paperVsOursFrame,
  type PaperVsOursOptions,
  type PaperVsOursRow,
  paperVsOursRows,
  scorerLabel,
  SHAPE_NOT_LEVEL,
} from "./notebook/paper_vs_ours.ts";
export { armRows, toolSearchTable } from "./notebook/tables.ts";
export {
  accuracyVsTokens,
  accuracyVsTokensFigure,
  accuracyVsTokensSeries,
  armFamily,
  type FamilyOptions,
} from "./notebook/charts.ts";
export { type ArmDifference, compareArms, comparisons } from "./notebook/paired.ts";
export { drawTrace, pickTrace } from "./notebook/traces.ts";
