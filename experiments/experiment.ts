/**
 * The shape of a paper reproduction and the one function that runs any of them: every arm (a
 * search method with its options and scorer) goes through the same harness into
 * `results/<name>/records.jsonl` (append-only, resumable), with a few traces for drawing, and the
 * summaries with bootstrap CIs go to `results/<name>/summary.json` beside the paper's numbers.
 *
 * @module
 */
import type { Policy, Problem } from "../lib/core/types.ts";
import { loadDataset } from "../lib/datasets/mod.ts";
import { GRADER_VERSION } from "../lib/grading/mod.ts";
import { type FlagValue, methods, neededOptions } from "../lib/search/registry.ts";
import { type Backend, type BackendFlags, fromRoot, ROOT, type ScorerKind } from "./backends.ts";
import { fingerprint, guardFingerprint, verifierFiles } from "./fingerprint.ts";
import { runMethod, type RunRecord, summarize, type Summary } from "./harness.ts";
import { shareSamples } from "./shared_samples.ts";

/** One number from a paper, with where it comes from. */
export interface PaperNumber {
  /** Which table of the paper. */
  table: string;
  /** Method as the paper names it. */
  method: string;
  /** Model / dataset / budget the number belongs to. */
  setting: string;
  /** Metric name (e.g. "accuracy %", "pass@1 %"). */
  metric: string;
  /** The value, or null where the paper's number was not recovered. */
  value: number | null;
  /** Citation (paper, table, version), as listed in docs/paper-tables.md. */
  source: string;
  /** True where the docs tag the number or rule [UNVERIFIED]. */
  unverified?: boolean;
}

/** One configuration to run: a registered method, its options and its scorer. */
export interface Arm {
  /** Unique label inside the experiment (also the record key). */
  config: string;
  /** Registry name of the method. */
  method: string;
  /** Method options (flag-able values). */
  options?: Record<string, FlagValue>;
  /** The role its scorer plays (none when absent); `--prm` / `--value` pick the verifier. */
  scorer?: ScorerKind;
  /** A verifier for this arm regardless of the flags (the verifier-quality sweep). */
  verifier?: string;
  /** The paper row(s) this arm stands beside (`PaperNumber.method`). */
  paperMethod?: string;
  /** Nominal budget (samples, particles, beams) for compute curves. */
  budget?: number;
  /** Run on the backend's policy itself, not through the experiment's {@linkcode Experiment.policy}. */
  rawPolicy?: boolean;
}

/**
 * A policy an experiment's arms run on in place of the backend's own (the tool-using experiment
 * runs every code step in a sandbox), opened once per run and closed after it.
 *
 * @example
 * ```ts
 * const identity: PolicyWrapper = {
 *   describe: "the backend's policy, unchanged",
 *   wrap: (inner) => Promise.resolve({ policy: inner, close: () => Promise.resolve() }),
 * };
 * ```
 */
export interface PolicyWrapper {
  /**
   * What the wrapper does and with which settings: recorded in the run identity (the first line of
   * records.jsonl), fingerprint.json and summary.json, so records made through another wrapper
   * are never resumed into the same folder.
   */
  describe: string;
  /** Wrap the backend's policy; `close` releases what the wrapper opened. */
  wrap(inner: Policy, ctx: ExperimentContext): Promise<{ policy: Policy; close(): Promise<void> }>;
}

/** A reproduction of one paper table. */
export interface Experiment {
  /** Folder name under results/ and the `deno task repro` argument. */
  name: string;
  /** Human title. */
  title: string;
  /** The paper (authors, venue, arXiv id). */
  paper: string;
  /** Dataset name (lib/datasets registry). */
  dataset: string;
  /** Problems in a full run. */
  limit: number;
  /** What the method does, in a few sentences with KaTeX (`$...$`) for notebooks. */
  description: string;
  /** The paper's numbers. */
  paperNumbers: PaperNumber[];
  /** The arms to run. */
  arms: Arm[];
  /**
   * Model folder, relative to the repository root, that the experiment runs on when neither
   * `--model` nor `--endpoint` / `--vllm` names one (default the embedded model); see
   * {@linkcode experimentBackendFlags}.
   */
  model?: string;
  /** The policy every arm runs on, made from the backend's (arms with `rawPolicy` skip it). */
  policy?: PolicyWrapper;
  /** Extra work beyond the arms (e.g. label quality); its result goes into summary.extra. */
  extra?(ctx: ExperimentContext): Promise<Record<string, unknown>>;
}

/** What an experiment run has at hand. */
export interface ExperimentContext {
  backend: Backend;
  problems: Problem[];
  seed: number;
  /** Output folder. */
  dir: string;
}

/** One arm's summary in summary.json. */
export interface ArmSummary extends Summary {
  config: string;
  method: string;
  scorer: string;
  paperMethod?: string;
  budget?: number;
  /** SHA-256 of the trained files of the arm's own verifier ({@linkcode Arm.verifier}), if any. */
  verifier_files?: Record<string, string>;
}

/** The contents of `results/<name>/summary.json`. */
export interface ExperimentSummary {
  name: string;
  title: string;
  paper: string;
  model: string;
  /** {@linkcode PolicyWrapper.describe} of the experiment's policy wrapper, when it has one. */
  policy?: string;
  dataset: string;
  seed: number;
  limit: number;
  /** The command that reproduces these numbers. */
  command: string;
  finished: string;
  arms: ArmSummary[];
  paperNumbers: PaperNumber[];
  extra?: Record<string, unknown>;
  /** Earlier runs whose arms this summary keeps (`repro --only` merges instead of replacing). */
  merged?: { command: string; finished: string }[];
}

/** Options of {@linkcode runExperiment}. */
export interface RunExperimentOptions {
  backend: Backend;
  /** Output folder (default `results/<name>`). */
  dir: string;
  seed: number;
  /** Problems to run (default the experiment's limit). */
  limit?: number;
  /** Only these arms (configs). */
  only?: string[];
  /** Traces kept per arm (default 3). */
  traces?: number;
  /** The command line to record. */
  command?: string;
  /** Problems searched at once (default {@linkcode DEFAULT_CONCURRENCY}). */
  concurrency?: number;
}

/**
 * Problems an experiment searches at once by default: their policy calls share batched engine
 * steps in process, and keep an HTTP server's batch full. Records do not depend on it.
 */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Run every arm of an experiment (resuming what is done) and write summary.json.
 *
 * @example
 * ```ts
 * declare const exp: Experiment;
 * declare const backend: import("./backends.ts").Backend;
 * const summary = await runExperiment(exp, { backend, dir: "results/demo", seed: 0, limit: 20 });
 * ```
 */
export async function runExperiment(
  exp: Experiment,
  options: RunExperimentOptions,
): Promise<ExperimentSummary> {
  const limit = options.limit ?? exp.limit;
  const problems = await loadDataset(exp.dataset, { limit });
  const arms = options.only ? exp.arms.filter((a) => options.only!.includes(a.config)) : exp.arms;
  const ctx = { backend: options.backend, problems, seed: options.seed, dir: options.dir };
  const wrapper: { policy?: string } = exp.policy ? { policy: exp.policy.describe } : {};
  const identity: Record<string, unknown> = { ...(await fingerprint(ctx)), ...wrapper };
  await guardFingerprint(options.dir, identity);
  // what makes every record of the folder: the first line of records.jsonl, checked on resume
  const runIdentity = {
    experiment: exp.name,
    dataset: exp.dataset,
    seed: options.seed,
    model: fromRoot(options.backend.describe.model),
    model_sha256: identity.model_sha256,
    heads_sha256: identity.heads_sha256,
    verifiers: identity.verifiers,
    ...wrapper,
    grader: GRADER_VERSION,
  };
  // the wrapped policy is opened for the first arm that needs it and closed after the last
  const wrapped: { policy: Policy; close(): Promise<void> }[] = [];
  // arms drawing the same seeded solutions (maj@N, ORM BoN@N, PRM wmaj@N) draw them once
  const shared = shareSamples(options.backend.policy);
  const policyOf = async (arm: Arm) => {
    if (!exp.policy || arm.rawPolicy) return shared.policy;
    if (wrapped.length === 0) wrapped.push(await exp.policy.wrap(shared.policy, ctx));
    return wrapped[0].policy;
  };
  const records: RunRecord[][] = [];
  try {
    for (const arm of arms) records.push(await runArm(arm, await policyOf(arm)));
  } finally {
    for (const w of wrapped) await w.close();
  }
  async function runArm(arm: Arm, policy: Policy): Promise<RunRecord[]> {
    const scorer = arm.scorer ? await options.backend.scorer(arm.scorer, arm.verifier) : undefined;
    const spec = methods[arm.method];
    if (!spec) throw new RangeError(`${exp.name}/${arm.config}: unknown method ${arm.method}`);
    const extra = await neededOptions(spec, options.backend);
    return await runMethod({
      method: arm.method,
      options: { ...arm.options, ...extra },
      config: arm.config,
      problems,
      policy,
      scorer,
      seed: options.seed,
      out: `${options.dir}/records.jsonl`,
      traces: `${options.dir}/traces.jsonl`,
      maxTraces: options.traces ?? 3,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      label: `${exp.name}/${arm.config}`,
      identity: runIdentity,
      reread: shared.reread,
    });
  }
  const summary: ExperimentSummary = {
    name: exp.name,
    title: exp.title,
    paper: exp.paper,
    model: fromRoot(options.backend.describe.model),
    ...wrapper,
    dataset: exp.dataset,
    seed: options.seed,
    limit: problems.length,
    command: options.command ??
      `deno task repro ${exp.name} --limit ${problems.length} --seed ${options.seed}`,
    finished: new Date().toISOString(),
    arms: await Promise.all(arms.map(async (arm, i) => {
      const files = arm.verifier
        ? await verifierFiles(arm.verifier, options.backend.describe.heads)
        : {};
      return {
        config: arm.config,
        method: arm.method,
        scorer: arm.scorer
          ? fromRoot(arm.verifier ?? options.backend.verifier(arm.scorer))
          : "none",
        ...(arm.paperMethod ? { paperMethod: arm.paperMethod } : {}),
        ...(arm.budget ? { budget: arm.budget } : {}),
        ...(Object.keys(files).length > 0 ? { verifier_files: files } : {}),
        ...summarize(records[i], options.seed),
      };
    })),
    paperNumbers: exp.paperNumbers,
  };
  summary.extra = { ...identity, ...(exp.extra ? await exp.extra(ctx) : {}) };
  const merged = options.only ? mergeSummaries(await readSummary(options.dir), summary) : summary;
  await Deno.writeTextFile(`${options.dir}/summary.json`, JSON.stringify(merged, null, 1) + "\n");
  return merged;
}

/**
 * The backend flags an experiment runs on: `flags` as given, with the experiment's own
 * {@linkcode Experiment.model} as the model folder when the flags name no policy (no `--model`,
 * `--endpoint` or `--vllm`). `repro` and the notebooks' `loadOrRun` open their backend through it.
 *
 * @example
 * ```ts
 * const exp = { model: "models/embedded-tools" } as Experiment;
 * experimentBackendFlags(exp, {}).model; // "<repository>/models/embedded-tools"
 * experimentBackendFlags(exp, { model: "models/embedded" }).model; // "models/embedded"
 * ```
 */
export function experimentBackendFlags(
  exp: Pick<Experiment, "model">,
  flags: BackendFlags,
): BackendFlags {
  const named = flags.model !== undefined || (flags.endpoint?.length ?? 0) > 0 ||
    flags.vllm !== undefined;
  return exp.model === undefined || named ? flags : { ...flags, model: `${ROOT}${exp.model}` };
}

/**
 * A run of some arms (`--only`) merged into the summary already in the folder: the arms it ran
 * replace theirs, the others stay (each arm keeps its own `n_problems`); `limit` is the larger of
 * the two, and the older command is kept in `merged` so no number loses its provenance.
 *
 * @example
 * ```ts
 * declare const old: ExperimentSummary;
 * declare const partial: ExperimentSummary;
 * mergeSummaries(old, partial).arms.length >= old.arms.length; // true
 * ```
 */
export function mergeSummaries(
  old: ExperimentSummary | null,
  next: ExperimentSummary,
): ExperimentSummary {
  if (!old) return next;
  const ran = new Set(next.arms.map((a) => a.config));
  const order = [...old.arms.map((a) => a.config), ...next.arms.map((a) => a.config)];
  const byConfig = new Map([...old.arms, ...next.arms].map((a) => [a.config, a]));
  const arms = [...new Set(order)].map((c) => byConfig.get(c)!).filter((a) =>
    ran.has(a.config) || old.arms.includes(a)
  );
  const merged = [...(old.merged ?? []), { command: old.command, finished: old.finished }];
  return { ...next, limit: Math.max(old.limit, next.limit), arms, merged };
}

/**
 * Read a finished run's summary.json, or null when there is none.
 *
 * @example
 * ```ts
 * const s = await readSummary("results/alphamath");
 * ```
 */
export async function readSummary(dir: string): Promise<ExperimentSummary | null> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(`${dir}/summary.json: ${e instanceof Error ? e.message : e}`);
  }
}
