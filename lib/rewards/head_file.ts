/**
 * Head files: one small JSON document holding the card and the parameters as base64 little-endian
 * Float32 arrays. Loading checks everything (format, kind, shapes, finiteness, the feature model's
 * hidden size) and fails with one line naming the file and what is wrong.
 *
 * ```json
 * { "format": "ttsearch-head/1", "kind": "value", "dim": 64, "hidden": 0,
 *   "params": { "mean": "<b64>", "std": "<b64>", "w1": "", "b1": "", "w2": "<b64>", "b2": 0.1 },
 *   "card": { "kind": "value", "seed": 1, ... } }
 * ```
 *
 * @module
 */
import { dirname } from "node:path";
import { type Head, HEAD_KINDS, type HeadKind } from "./head.ts";

/** The format tag written into every head file. */
export const HEAD_FORMAT = "ttsearch-head/1";

/** Encode Float32 values as base64 of their little-endian bytes. */
export function f32ToBase64(xs: ArrayLike<number>): string {
  const buf = new ArrayBuffer(xs.length * 4);
  const view = new DataView(buf);
  for (let i = 0; i < xs.length; i++) view.setFloat32(i * 4, xs[i], true);
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Decode base64 little-endian Float32 values; throws on a length that is not a multiple of 4. */
export function base64ToF32(b64: string): Float32Array {
  const s = atob(b64);
  if (s.length % 4 !== 0) throw new Error(`${s.length} bytes is not a whole number of float32`);
  const view = new DataView(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) view.setUint8(i, s.charCodeAt(i));
  const out = new Float32Array(s.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Serialise a head to its JSON text.
 *
 * @example
 * ```ts
 * import type { Head } from "./head.ts";
 * declare const head: Head;
 * await Deno.writeTextFile("models/heads/value.json", encodeHead(head));
 * ```
 */
export function encodeHead(head: Head): string {
  return JSON.stringify(
    {
      format: HEAD_FORMAT,
      kind: head.kind,
      dim: head.dim,
      hidden: head.hidden,
      vocab: head.vocab,
      params: {
        mean: f32ToBase64(head.mean),
        std: f32ToBase64(head.std),
        w1: f32ToBase64(head.w1),
        b1: f32ToBase64(head.b1),
        w2: f32ToBase64(head.w2),
        b2: head.b2,
        wa: f32ToBase64(head.wa),
        ba: f32ToBase64(head.ba),
      },
      card: head.card,
    },
    null,
    1,
  ) + "\n";
}

/** What {@linkcode parseHead} / {@linkcode loadHead} may check beyond self-consistency. */
export interface HeadExpectation {
  /** Required kind. */
  kind?: HeadKind;
  /** Required hidden size (the policy's). */
  dim?: number;
  /** Required feature model name. */
  model?: string;
}

/**
 * Parse and validate head JSON text; `source` names the file in errors.
 *
 * @example
 * ```ts
 * const text = await Deno.readTextFile("models/heads/value.json");
 * const head = parseHead(text, "models/heads/value.json", { kind: "value", dim: 64 });
 * ```
 */
export function parseHead(text: string, source: string, expect: HeadExpectation = {}): Head {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) fail("not a JSON object");
  if (doc.format !== HEAD_FORMAT) {
    fail(`format is ${JSON.stringify(doc.format)}, expected "${HEAD_FORMAT}"`);
  }
  const kind = doc.kind as HeadKind;
  if (!HEAD_KINDS.includes(kind)) {
    fail(`kind ${JSON.stringify(doc.kind)} is not one of ${HEAD_KINDS.join("|")}`);
  }
  if (expect.kind && kind !== expect.kind) fail(`is a ${kind} head, expected ${expect.kind}`);
  const dim = doc.dim, hidden = doc.hidden;
  if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 1) fail(`bad dim ${dim}`);
  if (typeof hidden !== "number" || !Number.isInteger(hidden) || hidden < 0) {
    fail(`bad hidden ${hidden}`);
  }
  const vocab = doc.vocab ?? 0;
  if (typeof vocab !== "number" || !Number.isInteger(vocab) || vocab < 0) {
    fail(`bad vocab ${vocab}`);
  }
  if (kind === "qsharp" && vocab === 0) fail("a qsharp head needs token rows (vocab > 0)");
  const d = dim as number, u = hidden as number, v = vocab as number;
  if (expect.dim !== undefined && d !== expect.dim) {
    fail(
      `head expects hidden size ${d} but the policy has ${expect.dim} (trained on another model?)`,
    );
  }
  const card = doc.card as Head["card"] | undefined;
  if (!card || typeof card !== "object" || !card.featureModel) fail("missing card.featureModel");
  if (card!.featureModel.dim !== d) {
    fail(`card.featureModel.dim ${card!.featureModel.dim} != dim ${d}`);
  }
  if (expect.model !== undefined && card!.featureModel.name !== expect.model) {
    fail(`trained on features of "${card!.featureModel.name}", not "${expect.model}"`);
  }
  const params = doc.params as Record<string, unknown> | undefined;
  if (!params || typeof params !== "object") fail("missing params");
  const arr = (name: string, length: number): Float32Array => {
    const v = params![name];
    if (typeof v !== "string") return fail(`params.${name} is not a base64 string`);
    let xs: Float32Array;
    try {
      xs = base64ToF32(v);
    } catch (e) {
      return fail(`params.${name} is not base64 float32 (${e instanceof Error ? e.message : e})`);
    }
    if (xs.length !== length) fail(`params.${name} has ${xs.length} values, expected ${length}`);
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i])) fail(`params.${name}[${i}] is not finite`);
    }
    return xs;
  };
  const mean = arr("mean", d);
  const std = arr("std", d);
  for (let i = 0; i < d; i++) if (!(std[i] > 0)) fail(`params.std[${i}] is not positive`);
  const w1 = arr("w1", u * d);
  const b1 = arr("b1", u);
  const w2 = arr("w2", u === 0 ? d : u);
  const b2 = params!.b2;
  if (typeof b2 !== "number" || !Number.isFinite(b2)) fail("params.b2 is not a finite number");
  const wa = v > 0 ? arr("wa", v * (u || d)) : new Float32Array(0);
  const ba = v > 0 ? arr("ba", v) : new Float32Array(0);
  return {
    kind,
    dim: d,
    hidden: u,
    mean,
    std,
    w1,
    b1,
    w2,
    b2: b2 as number,
    vocab: v,
    wa,
    ba,
    card: card!,
  };
}

/**
 * Read and validate a head file (errors: one line, `<path>: <what is wrong>`).
 *
 * @example
 * ```ts
 * const head = await loadHead("models/heads/value.json", { kind: "value", dim: 64 });
 * ```
 */
export async function loadHead(path: string, expect: HeadExpectation = {}): Promise<Head> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new Error(`${path}: cannot read head file (${e instanceof Error ? e.message : e})`);
  }
  return parseHead(text, path, expect);
}

/**
 * Write a head file (creating its folder).
 *
 * @example
 * ```ts
 * import type { Head } from "./head.ts";
 * declare const head: Head;
 * await saveHead("models/heads/prm.json", head);
 * ```
 */
export async function saveHead(path: string, head: Head): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, encodeHead(head));
}
