/**
 * A run's stored search traces: pick an arm's trace and draw its search tree or particle
 * genealogy (lib/report's SVG drawing).
 *
 * @example
 * ```ts
 * import { drawTrace } from "./traces.ts";
 * drawTrace([], "mcts@16").text; // "no trace for mcts@16"
 * ```
 *
 * @module
 */
import {
  drawTrace as drawTraceSvg,
  escapeHtml,
  escapeMarkdown,
  type HtmlView,
  htmlView,
  type TraceSvgOptions,
} from "../../lib/report/mod.ts";
import type { TraceRow } from "./load.ts";

/**
 * The stored trace of an arm: the given problem, else the first one stored (null when none).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * pickTrace(run.traces, "mcts@16")?.trace.nodes.length;
 * ```
 */
export function pickTrace(
  traces: readonly TraceRow[],
  config: string,
  id?: string,
): TraceRow | null {
  return traces.find((t) => t.config === config && (id === undefined || t.id === id)) ?? null;
}

/**
 * Draw an arm's search tree or particle genealogy (lib/report's SVG drawing).
 *
 * @example
 * ```ts
 * import type { LoadedRun } from "./load.ts";
 * declare const run: LoadedRun;
 * drawTrace(run.traces, "pf@8");
 * ```
 */
export function drawTrace(
  traces: readonly TraceRow[],
  config: string,
  options: TraceSvgOptions & { id?: string } = {},
): HtmlView {
  const row = pickTrace(traces, config, options.id);
  if (!row) {
    const have = [...new Set(traces.map((t) => t.config))].join(", ") || "none";
    return htmlView(
      `<p><i>No stored trace for arm ${escapeHtml(config)} (arms with traces: ${
        escapeHtml(have)
      }).</i></p>`,
      `no trace for ${config}`,
      {
        markdown: `_No stored trace for arm ${escapeMarkdown(config)} (arms with traces: ${
          escapeMarkdown(have)
        })._`,
      },
    );
  }
  const { id: _id, ...svgOptions } = options;
  return drawTraceSvg(row.trace, {
    title: `${config} on problem ${row.id} (${row.trace.nodes.length} nodes)`,
    ...svgOptions,
  });
}
