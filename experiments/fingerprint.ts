/**
 * What exactly ran: hashes of the model and head files, recorded in every experiment summary and
 * checked before a results folder is resumed.
 *
 * @module
 */
import { fileSha256 } from "../lib/rewards/mod.ts";
import {
  DEFAULT_VERIFIER,
  EMBEDDED_MODEL,
  EMBEDDED_PRM,
  fromRoot,
  HEADS_DIR,
  VERIFIERS_DIR,
} from "./backends.ts";
import type { ExperimentContext } from "./experiment.ts";

/** SHA-256 of a file as hex, or null when it cannot be read. */
const shaOrNull = (path: string): Promise<string | null> => fileSha256(path).catch(() => null);

/** Hashes of the given model folder and heads folder: `model.onnx` and every head file. */
async function hashFiles(model: string, heads: string) {
  const headShas: Record<string, string> = {};
  for (const kind of ["value", "prm", "twist", "qsharp"]) {
    const sha = await shaOrNull(`${heads}/${kind}.json`);
    if (sha) headShas[kind] = sha;
  }
  return { model: await shaOrNull(`${model}/onnx/model.onnx`), heads: headShas };
}

/**
 * Hashes of the default model and heads, taken when this module is first imported — before a CLI
 * loads the model — so that a file rewritten in place during a long run is not mistaken for the
 * one that ran.
 */
const startHashes = hashFiles(EMBEDDED_MODEL, HEADS_DIR);

/**
 * The trained files a verifier spec reads, as paths (none for `logprob`, `recompute`, the oracles
 * and URLs).
 *
 * @example
 * ```ts ignore
 * verifierPaths("recompute-head=results/label_sources/amcs.json", HEADS_DIR); // that file
 * ```
 */
export function verifierPaths(spec: string, heads: string): string[] {
  return spec === "recompute-head"
    ? [`${VERIFIERS_DIR}/recompute.json`]
    : spec.startsWith("recompute-head=")
    ? [spec.slice(spec.indexOf("=") + 1)]
    : /^(prm|value|twist)(-head)?$/.test(spec)
    ? [`${heads}/${spec.replace("-head", "")}.json`]
    : spec.includes("/") && !/^https?:/.test(spec)
    ? [`${spec}/onnx/model.onnx`]
    : [];
}

/**
 * The trained files a verifier spec reads, with their SHA-256 (none for `logprob`, `recompute`,
 * the oracles and URLs): what must not change under records that used it.
 *
 * @example
 * ```ts ignore
 * await verifierFiles("recompute-head", HEADS_DIR); // { "models/verifiers/recompute.json": "3fe1…" }
 * ```
 */
export async function verifierFiles(spec: string, heads: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of verifierPaths(spec, heads)) out[fromRoot(f)] = await fileSha256(f);
  return out;
}

/** The trained verifiers a run may use, hashed at process start (they too are retrained in place). */
const trainedVerifiers = [`${VERIFIERS_DIR}/recompute.json`, `${EMBEDDED_PRM}/onnx/model.onnx`];
const startVerifiers = Promise.all(trainedVerifiers.map(shaOrNull));

/** The verifiers of the two roles and the SHA-256 of every trained verifier file they can read. */
async function verifierIdentity(d: { prm?: string; value?: string }) {
  const prm = d.prm ?? DEFAULT_VERIFIER;
  const value = d.value ?? DEFAULT_VERIFIER;
  const shas = await startVerifiers;
  const files: Record<string, string | null> = {};
  trainedVerifiers.forEach((f, i) => (files[fromRoot(f)] = shas[i]));
  for (const spec of [prm, value]) {
    const file = spec.startsWith("recompute-head=")
      ? spec.slice(spec.indexOf("=") + 1)
      : spec.includes("/") && !/^https?:/.test(spec)
      ? `${spec}/onnx/model.onnx`
      : null;
    if (file && !(fromRoot(file) in files)) files[fromRoot(file)] = await shaOrNull(file);
  }
  return { prm: fromRoot(prm), value: fromRoot(value), files };
}

/**
 * What exactly ran: SHA-256 of the ONNX model, of every head file and of the trained verifiers,
 * the verifier of each role, and the Deno version (the embedded model, heads and verifiers are
 * retrained in place, so a path alone does not identify them).
 * `runExperiment` puts it in every summary's `extra` and checks it with
 * {@linkcode guardFingerprint} before resuming a folder. For the default model and heads the
 * hashes are those taken at process start; for others, when called.
 *
 * @example
 * ```ts ignore
 * const { model_sha256 } = await fingerprint({ backend });
 * ```
 */
export async function fingerprint(
  ctx: Pick<ExperimentContext, "backend">,
): Promise<Record<string, unknown>> {
  const d = ctx.backend.describe;
  const start = await startHashes;
  const defaults = d.model === EMBEDDED_MODEL && d.heads === HEADS_DIR;
  const now = defaults ? start : await hashFiles(d.model, d.heads);
  const model = d.model === EMBEDDED_MODEL ? start.model : now.model;
  const heads = d.heads === HEADS_DIR ? start.heads : now.heads;
  return {
    model_sha256: d.endpoints ? null : model,
    heads_sha256: heads,
    verifiers: await verifierIdentity(d),
    deno: Deno.version.deno,
    ...(d.batchInvariant ? { batch_invariant: true } : {}),
  };
}

/** The parts of an experiment's `extra` that identify what ran (model, heads and verifiers). */
const IDENTITY_KEYS = ["model_sha256", "heads_sha256", "verifiers"] as const;

/**
 * Parts only some runs have (`policy`: an experiment's policy wrapper, `PolicyWrapper.describe`;
 * `batch_invariant`: `--batch-invariant`): written when present; a folder without one resumes
 * only under a run without one.
 */
const OPTIONAL_KEYS = ["policy", "batch_invariant"] as const;

/**
 * Refuse to resume a results folder whose records were made by another model, other heads or
 * verifiers, or through another policy wrapper:
 * the first run writes `fingerprint.json` (the identity parts of `extra`), later runs must match
 * it, so a retrained model never mixes its records with an older one's. Throws a one-line error
 * naming the folder and both hashes.
 *
 * @example
 * ```ts ignore
 * await guardFingerprint("results/alphamath", { model_sha256: "ab12…", heads_sha256: {} });
 * ```
 */
export async function guardFingerprint(dir: string, extra: Record<string, unknown>): Promise<void> {
  const identity = Object.fromEntries([
    ...IDENTITY_KEYS.map((k) => [k, extra[k] ?? null]),
    ...OPTIONAL_KEYS.filter((k) => extra[k] !== undefined).map((k) => [k, extra[k]]),
  ]);
  const path = `${dir}/fingerprint.json`;
  let own: string | null = null;
  let saved: Record<string, unknown> | null = null;
  try {
    own = await Deno.readTextFile(path);
    saved = JSON.parse(own);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new Error(`${path}: ${e instanceof Error ? e.message : e}`);
    }
  }
  // a folder from before fingerprint.json: its finished summary says what made its records
  saved ??= await Deno.readTextFile(`${dir}/summary.json`).then(
    (t) => JSON.parse(t).extra ?? null,
    () => null,
  );
  for (const k of [...IDENTITY_KEYS, ...OPTIONAL_KEYS]) {
    if (saved === null) break;
    const a = JSON.stringify(saved[k] ?? null);
    const b = JSON.stringify(identity[k] ?? null);
    if (a !== b) {
      throw new Error(
        `${dir}: its records were made with another ${k.replace("_sha256", "")} ` +
          `(${a.slice(0, 40)} vs now ${b.slice(0, 40)}); move the folder away to start afresh`,
      );
    }
  }
  if (own === null) {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(path, JSON.stringify(identity, null, 1) + "\n");
  }
}
