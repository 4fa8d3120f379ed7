/**
 * Inline SVG drawings of search traces: trees (beam search, MCTS, DVTS), particle genealogies
 * (SMC, particle filtering) and plain sample fans, laid out by {@linkcode layoutTrace}.
 *
 * Node fill shows the score on a viridis scale (grey when a node has none); node size grows with
 * MCTS visits when present; the selected path (selected nodes and all their ancestors) is drawn in
 * red; terminal nodes get a dark ring and their answer as a label; hovering a node shows its text,
 * score, visits and answer as a tooltip (SVG `<title>`).
 *
 * @module
 */

import type { Trace } from "../core/types.ts";
import { viridis } from "./color_scale.ts";
import { type HtmlView, htmlView } from "./display.ts";
import { escapeHtml } from "./escape.ts";
import { REPORT_CSS } from "./styles.ts";
import { layoutTrace } from "./trace_layout.ts";

/** Options of {@linkcode traceSvg} and {@linkcode drawTrace}. */
export interface TraceSvgOptions {
  /** Title drawn above the tree. */
  title?: string;
  /** Horizontal distance between slots, px (default 30). */
  dx?: number;
  /** Vertical distance between layers, px (default 60). */
  dy?: number;
  /** Score range mapped onto the colour scale (default: min and max score in the trace). */
  domain?: [number, number];
  /** Longest answer label, characters (default 10). */
  labelChars?: number;
  /** Longest tooltip text, characters (default 600). */
  tooltipChars?: number;
  /** Name of the layers on the left axis (default "round" for particles, "depth" otherwise). */
  layerName?: string;
}

const PATH_COLOR = "#d62728";
let svgCounter = 0;

/** Shorten text to `max` characters with an ellipsis. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** Format a number for labels. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

/**
 * Draw a trace as an SVG string (one `<circle class="repro-node">` per node, one
 * `<path class="repro-edge">` per parent link).
 *
 * @example
 * ```ts
 * import { traceSvg } from "./trace_svg.ts";
 * const svg = traceSvg({ kind: "tree", nodes: [
 *   { id: 0, parent: null, text: "Let x = 2.", depth: 0, score: 0.6 },
 *   { id: 1, parent: 0, text: "So 2x = 4.", depth: 1, score: 0.9, terminal: true, answer: "4", selected: true },
 * ] });
 * svg.startsWith("<svg"); // true
 * ```
 */
export function traceSvg(trace: Trace, options: TraceSvgOptions = {}): string {
  const layout = layoutTrace(trace);
  const dx = options.dx ?? 30;
  const dy = options.dy ?? 60;
  const labelChars = options.labelChars ?? 10;
  const tooltipChars = options.tooltipChars ?? 600;
  const layerName = options.layerName ?? (trace.kind === "particles" ? "round" : "depth");

  let [lo, hi] = [Infinity, -Infinity];
  for (const n of trace.nodes) {
    if (n.score !== undefined && Number.isFinite(n.score)) {
      lo = Math.min(lo, n.score);
      hi = Math.max(hi, n.score);
    }
  }
  if (options.domain) [lo, hi] = options.domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  const gradId = `repro-grad-${++svgCounter}`;
  const colorOf = (s: number | undefined) =>
    s === undefined || !Number.isFinite(s)
      ? "#cccccc"
      : viridis(hi > lo ? (s - lo) / (hi - lo) : 0.5);
  let maxVisits = 0;
  for (const n of trace.nodes) maxVisits = Math.max(maxVisits, n.visits ?? 0);
  const radius = (visits: number | undefined) =>
    maxVisits > 0 ? 4 + 6 * Math.sqrt((visits ?? 0) / maxVisits) : 7;

  const hasLabels = trace.nodes.some((n) => n.terminal && n.answer != null);
  const left = 70;
  const top = options.title ? 64 : 40;
  const bottom = hasLabels ? 70 : 24;
  // Wide enough for the legend (about 420 px) and the title, whatever the tree's size.
  const minWidth = Math.max(420, options.title ? 20 + options.title.length * 8 : 0);
  const width = Math.max(minWidth, left + Math.max(1, layout.width) * dx + 20);
  const height = top + Math.max(0, layout.layers - 1) * dy + bottom;
  const px = (x: number) => left + x * dx + dx / 2;
  const py = (layer: number) => top + layer * dy;
  const pos = new Map(layout.nodes.map((n) => [n.node.id, n] as const));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="repro-trace" data-kind="${trace.kind}" ` +
      `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `style="max-width:100%;height:auto" role="img">`,
  );
  if (options.title) {
    out.push(
      `<text x="10" y="20" font-size="14" font-weight="600">${escapeHtml(options.title)}</text>`,
    );
  }
  // Legend: colour scale, then the selected-path swatch.
  const ly = options.title ? 34 : 12;
  out.push(
    `<defs><linearGradient id="${gradId}" x1="0" x2="1" y1="0" y2="0">` +
      [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="${viridis(t)}"/>`)
        .join("") +
      `</linearGradient></defs>`,
    `<g class="repro-legend" font-size="10" fill="#555">` +
      `<text x="10" y="${ly + 9}">score ${num(lo)}</text>` +
      `<rect x="70" y="${ly}" width="80" height="10" fill="url(#${gradId})"/>` +
      `<text x="155" y="${ly + 9}">${num(hi)}</text>` +
      `<line x1="200" x2="222" y1="${ly + 5}" y2="${
        ly + 5
      }" stroke="${PATH_COLOR}" stroke-width="3"/>` +
      `<text x="227" y="${ly + 9}">selected path</text>` +
      `<circle cx="305" cy="${ly + 5}" r="4" fill="#fff" stroke="#222" stroke-width="2"/>` +
      `<text x="313" y="${ly + 9}">terminal (answer)</text></g>`,
  );
  out.push(`<g class="repro-axis" font-size="10" fill="#888">`);
  for (let l = 0; l < layout.layers; l++) {
    out.push(`<text x="8" y="${py(l) + 3}">${escapeHtml(layerName)} ${l}</text>`);
  }
  out.push(`</g>`);

  // Edges first (under nodes), path edges last (on top).
  const edges = [...layout.edges].sort((a, b) => Number(a.onPath) - Number(b.onPath));
  out.push(`<g class="repro-edges" fill="none">`);
  for (const e of edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const [x1, y1, x2, y2] = [px(a.x), py(a.layer), px(b.x), py(b.layer)];
    const ym = (y1 + y2) / 2;
    const stroke = e.onPath
      ? `stroke="${PATH_COLOR}" stroke-width="3"`
      : `stroke="#b8b8b8" stroke-width="1.2"`;
    out.push(
      `<path class="repro-edge${
        e.onPath ? " repro-path" : ""
      }" data-from="${e.from}" data-to="${e.to}" ` +
        `d="M${x1} ${y1}C${x1} ${ym} ${x2} ${ym} ${x2} ${y2}" ${stroke}/>`,
    );
  }
  out.push(`</g>`);

  out.push(`<g class="repro-nodes">`);
  for (const p of layout.nodes) {
    const n = p.node;
    const [cx, cy] = [px(p.x), py(p.layer)];
    const facts = [`#${n.id}`, `depth ${n.depth}`];
    if (n.score !== undefined) facts.push(`score ${num(n.score)}`);
    if (n.visits !== undefined) facts.push(`visits ${n.visits}`);
    if (n.terminal) facts.push(n.answer != null ? `answer ${n.answer}` : "terminal, no answer");
    if (n.selected) facts.push("selected");
    const tip = `${facts.join(" · ")}\n${clip(n.text, tooltipChars)}`;
    const stroke = p.onPath
      ? `stroke="${PATH_COLOR}" stroke-width="2.5"`
      : n.terminal
      ? `stroke="#222" stroke-width="2"`
      : `stroke="#fff" stroke-width="1"`;
    out.push(
      `<g class="repro-node-group"><title>${escapeHtml(tip)}</title>` +
        `<circle class="repro-node${n.terminal ? " repro-terminal" : ""}" data-id="${n.id}" ` +
        `cx="${cx}" cy="${cy}" r="${num(radius(n.visits))}" fill="${colorOf(n.score)}" ${stroke}/>`,
    );
    if (n.terminal && n.answer != null) {
      const ty = cy + radius(n.visits) + 10;
      out.push(
        `<text class="repro-answer" x="${cx}" y="${ty}" font-size="10" ` +
          `transform="rotate(35 ${cx} ${ty})" fill="${p.onPath ? PATH_COLOR : "#333"}">` +
          `${escapeHtml(clip(String(n.answer), labelChars))}</text>`,
      );
    }
    out.push(`</g>`);
  }
  out.push(`</g></svg>`);
  return out.join("\n");
}

/**
 * A displayable trace drawing.
 *
 * @example
 * ```ts
 * import { drawTrace } from "./trace_svg.ts";
 * drawTrace({ kind: "particles", nodes: [
 *   { id: 0, parent: null, text: "p0", depth: 0, score: 0.2 },
 *   { id: 1, parent: 0, text: "p0 → p1", depth: 1, score: 0.7, selected: true },
 * ] }, { title: "Particle genealogy" });
 * ```
 */
export function drawTrace(trace: Trace, options: TraceSvgOptions = {}): HtmlView {
  const terminals = trace.nodes.filter((n) => n.terminal).length;
  return htmlView(
    `<style>${REPORT_CSS}</style>\n<div class="repro-trace-box">${traceSvg(trace, options)}</div>`,
    `[${trace.kind} trace: ${trace.nodes.length} nodes, ${terminals} terminal]`,
    { figure: true },
  );
}
