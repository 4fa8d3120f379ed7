/**
 * Open the policy and reward models an experiment runs on, from the flags every CLI shares:
 * `--model DIR` (in-process ONNX, default the embedded model) or `--endpoint URL` (repeatable,
 * OpenAI-compatible servers), and the trained heads that turn the policy's hidden states into
 * scorers.
 *
 * @module
 */
import type { Policy, Scorer } from "../lib/core/types.ts";
import type { Problem } from "../lib/core/types.ts";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import {
  headScorer,
  loadPolicyHead,
  logprobScorer,
  onnxStepTagPrm,
  oracleScorer,
  qsharpClassifier,
  RECOMPUTE_FEATURES,
  type RecomputeFeaturizer,
  recomputeFeaturizer,
  recomputeScorer,
} from "../lib/rewards/mod.ts";
import type { TokenClassifier } from "../lib/rewards/mod.ts";
import { type Flags, UsageError } from "../lib/runs/mod.ts";
import { createOpenAIPolicy, createPoolingScorer, launchVllm } from "../lib/models/openai/mod.ts";
import { evalSplit, type SyntheticProblem } from "../lib/tasks/mod.ts";
import { toolCheckerScorer } from "../lib/tasks/tools.ts";

/** Repository root (experiments/ is one level down). */
export const ROOT = new URL("../", import.meta.url).pathname;

/** The embedded default model folder. */
export const EMBEDDED_MODEL = `${ROOT}models/embedded`;

/** Where the trained heads of the embedded model live. */
export const HEADS_DIR = `${ROOT}models/heads`;

/** Where the trained verifiers of the embedded model live (`recompute.json`). */
export const VERIFIERS_DIR = `${ROOT}models/verifiers`;

/** The ONNX process reward model in the Qwen2.5-Math-PRM contract (`models/train/train_prm.py`). */
export const EMBEDDED_PRM = `${ROOT}models/prm`;

/**
 * The verifier every role uses unless `--prm` / `--value` say otherwise: the best one measured
 * on the embedded world (`deno task verifiers`, README "Verifiers").
 */
export const DEFAULT_VERIFIER = "recompute-head";

/** The roles a scorer plays: step rewards (PRM), state values, TSMC twists. */
export type ScorerKind = "value" | "prm" | "twist";

/**
 * Verifier names `--prm` / `--value` accept besides a model folder or a URL (see
 * {@linkcode openScorer}).
 */
export const VERIFIER_NAMES = [
  "recompute-head",
  "recompute",
  "logprob",
  "oracle",
  "oracle:P",
  "oracle-tools",
  "prm-head",
  "value-head",
  "twist-head",
] as const;

/** Flags shared by every experiment CLI. */
export interface BackendFlags {
  /** ONNX model folder (default the embedded model). */
  model?: string;
  /** OpenAI-compatible endpoints; when given, `model` is not loaded. */
  endpoint?: string[];
  /** Folder of head files (`value.json`, `prm.json`, `twist.json`, `qsharp.json`). */
  heads?: string;
  /** Verifier of the PRM role (BoN, weighted majority, beam, DVTS, PF): a name, folder or URL. */
  prm?: string;
  /** Verifier of the value and twist roles (SBS, MCTS, rStar, TSMC). */
  value?: string;
  /** Problems an `oracle` verifier may be asked about (default the evaluation split). */
  problems?: readonly Problem[];
  /** onnxruntime intra-op threads (default 2). */
  threads?: number;
  /** Start `vllm serve` with this policy model on each of `gpus` and run against them. */
  vllm?: string;
  /** Start `vllm serve --runner pooling` with this PRM and use it for the PRM role. */
  vllmPrm?: string;
  /** GPU ids for `vllm` (default `["0"]`); the PRM goes on the last one. */
  gpus?: string[];
  /** `cpu` (default) or `cuda` for the in-process ONNX policy. */
  device?: "cpu" | "cuda";
  /**
   * The in-process ONNX policy batches only rows that cannot change each other's numbers
   * (`RunnerOptions.batchInvariant`): results independent of concurrency and resume.
   */
  batchInvariant?: boolean;
}

/** {@linkcode BackendFlags} as rows of a CLI's flag table (solve, repro and demo spread it). */
export const BACKEND_FLAGS = {
  model: { type: "string", value: "DIR", help: "ONNX policy folder (default models/embedded)" },
  endpoint: {
    type: "string",
    value: "URL",
    multiple: true,
    help: "OpenAI-compatible server, instead of --model",
  },
  heads: { type: "string", value: "DIR", help: "folder of head files (default models/heads)" },
  prm: {
    type: "string",
    value: "V",
    help: "verifier of BoN, weighted majority, beam, DVTS and PF",
  },
  value: { type: "string", value: "V", help: "verifier of SBS, MCTS, rStar and TSMC" },
  vllm: { type: "string", value: "MODEL", help: "run on vllm serve of MODEL, one per GPU" },
  "vllm-prm": { type: "string", value: "PRM", help: "a vllm pooling server of PRM for --prm" },
  gpus: { type: "string", value: "ID,...", help: "GPUs for --vllm (default 0; PRM on the last)" },
  device: { type: "string", value: "cpu|cuda", help: "of the ONNX policy (default cpu)" },
  "batch-invariant": {
    type: "boolean",
    help: "ONNX policy: each problem's numbers as if run alone (any concurrency, resumes)",
  },
} satisfies Flags;

/** What V of `--prm V` / `--value V` may be, for `--help`. */
export const VERIFIER_HELP =
  `V, a verifier (default ${DEFAULT_VERIFIER}): a name, an ONNX PRM folder (models/prm) or a ` +
  `/pooling URL;\n  names: ${VERIFIER_NAMES.join(", ")}`;

/** An open backend: the policy, scorers on demand, and what to print about it. */
export interface Backend {
  policy: Policy;
  /**
   * The scorer of a role, from `--prm` / `--value` or {@linkcode DEFAULT_VERIFIER}, or the one
   * `spec` names (cached); throws a one-line error when it cannot be built.
   */
  scorer(kind: ScorerKind, spec?: string): Promise<Scorer>;
  /** The verifier spec a role resolves to (for records and tables). */
  verifier(kind: ScorerKind): string;
  /** The Q# token classifier. */
  classifier(): Promise<TokenClassifier>;
  /** Model, endpoints, heads and verifiers (and batch invariance when on), for records. */
  describe: {
    model: string;
    endpoints?: string[];
    heads: string;
    prm: string;
    value: string;
    batchInvariant?: true;
  };
  close(): Promise<void>;
}

/**
 * Read `--device`: `cpu` (default) or `cuda`; anything else is a one-line usage error.
 *
 * @example
 * ```ts
 * deviceFlag(undefined); // undefined (the default: cpu)
 * deviceFlag("cuda"); // "cuda"
 * ```
 */
export function deviceFlag(value: string | undefined): "cpu" | "cuda" | undefined {
  if (value === undefined || value === "cpu" || value === "cuda") return value;
  throw new UsageError(`--device must be cpu or cuda, got "${value}"`);
}

/**
 * A path as the repository sees it (`models/embedded` rather than an absolute path), for what
 * runs write down, so a summary reads the same on every machine.
 *
 * @example
 * ```ts
 * fromRoot(EMBEDDED_MODEL); // "models/embedded"
 * ```
 */
export function fromRoot(path: string): string {
  // a verifier spec `name=PATH` (recompute-head=FILE) keeps its name
  const eq = path.indexOf("=");
  if (eq > 0 && !path.slice(0, eq).includes("/")) {
    return path.slice(0, eq + 1) + fromRoot(path.slice(eq + 1));
  }
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/**
 * Open a backend from CLI flags.
 *
 * @example
 * ```ts
 * const backend = await openBackend({});
 * const scorer = await backend.scorer("value");
 * await backend.close();
 * ```
 */
export async function openBackend(flags: BackendFlags): Promise<Backend> {
  const heads = flags.heads ?? HEADS_DIR;
  const endpoints = [...(flags.endpoint ?? [])];
  if (endpoints.length > 0 && flags.model !== undefined) {
    throw new UsageError("give either --model or --endpoint, not both");
  }
  for (const [flag, spec] of [["prm", flags.prm], ["value", flags.value]] as const) {
    if (spec !== undefined) checkSpec(`--${flag}`, spec);
  }
  if (flags.vllm !== undefined && (endpoints.length > 0 || flags.model !== undefined)) {
    throw new UsageError("give one of --vllm, --model or --endpoint");
  }
  if (flags.batchInvariant && (endpoints.length > 0 || flags.vllm !== undefined)) {
    throw new UsageError("--batch-invariant is for the in-process ONNX policy, not a server");
  }
  let policy: Policy;
  const closers: (() => Promise<void>)[] = [];
  let model: string;
  let prmFlag = flags.prm;
  const logDir = `${ROOT}results/tmp/vllm`;
  try {
    if (flags.vllm !== undefined) {
      const servers = await launchVllm({ model: flags.vllm, gpus: flags.gpus, logDir });
      closers.push(() => servers.stop());
      endpoints.push(...servers.urls);
    }
    if (flags.vllmPrm !== undefined) {
      if (flags.prm !== undefined) throw new UsageError("give either --vllm-prm or --prm");
      const gpus = flags.gpus?.length ? flags.gpus : ["0"];
      const prmServer = await launchVllm({
        model: flags.vllmPrm,
        pooling: true,
        gpus: [gpus[gpus.length - 1]],
        logDir,
      });
      closers.push(() => prmServer.stop());
      prmFlag = prmServer.urls[0];
    }
    if (endpoints.length > 0) {
      policy = await createOpenAIPolicy({ endpoints });
      model = policy.name;
    } else {
      model = flags.model ?? EMBEDDED_MODEL;
      const onnx = await createOnnxPolicy(model, {
        intraOpNumThreads: flags.threads ?? 2,
        ...(flags.device ? { device: flags.device } : {}),
        ...(flags.batchInvariant ? { batchInvariant: true } : {}),
      });
      policy = onnx;
      closers.push(() => onnx.dispose());
    }
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => {});
    throw e;
  }
  const close = async () => {
    for (const c of [...closers].reverse()) await c();
  };
  const prm = prmFlag ?? DEFAULT_VERIFIER;
  const value = flags.value ?? DEFAULT_VERIFIER;
  const scorers = new Map<string, Promise<Scorer>>();
  const ctx: ScorerContext = {
    policy,
    heads,
    problems: flags.problems as readonly SyntheticProblem[] | undefined,
    threads: flags.threads,
  };
  return {
    policy,
    verifier: (kind) => (kind === "prm" ? prm : value),
    scorer(kind, spec) {
      const s = spec ?? (kind === "prm" ? prm : value);
      if (!scorers.has(s)) scorers.set(s, openScorer(s, ctx, kind));
      return scorers.get(s)!;
    },
    async classifier() {
      return qsharpClassifier(await loadPolicyHead(`${heads}/qsharp.json`, "qsharp", policy));
    },
    describe: endpoints.length > 0
      ? { model, endpoints, heads, prm, value }
      : { model, heads, prm, value, ...(flags.batchInvariant ? { batchInvariant: true } : {}) },
    close,
  };
}

/** What {@linkcode openScorer} builds scorers from. */
export interface ScorerContext {
  /** The policy (self-certainty, re-computation and the heads read it). */
  policy: Policy;
  /** Folder of the hidden-state heads. */
  heads: string;
  /** Problems an oracle may be asked about. */
  problems?: readonly SyntheticProblem[];
  /** onnxruntime threads of an ONNX PRM. */
  threads?: number;
}

/** Throw a one-line usage error unless `spec` names a verifier, a URL or a folder. */
function checkSpec(flag: string, spec: string): void {
  if (/^https?:\/\//.test(spec) || spec.includes("/") || spec.startsWith(".")) return;
  if (spec.startsWith("recompute-head=")) return;
  if (/^oracle(:(0|1|0?\.\d+))?$/.test(spec)) return;
  const names = VERIFIER_NAMES.filter((n) => n !== "oracle:P");
  if (([...names, "prm", "value", "twist"] as string[]).includes(spec)) return;
  throw new UsageError(
    `${flag}: unknown verifier "${spec}"; give one of ${VERIFIER_NAMES.join(", ")}, ` +
      "an ONNX PRM folder or a /pooling URL",
  );
}

/** One re-computation featurizer per policy: scorers over it (several heads) share its cache. */
const featurizers = new WeakMap<Policy, RecomputeFeaturizer>();
function sharedFeaturizer(policy: Policy): RecomputeFeaturizer {
  if (!featurizers.has(policy)) featurizers.set(policy, recomputeFeaturizer(policy));
  return featurizers.get(policy)!;
}

/**
 * Open the scorer a spec names: `recompute-head` (re-computation features through the trained
 * head in `models/verifiers/recompute.json`; `recompute-head=FILE` another such head; all share
 * one feature cache per policy), `recompute` (disagreement counts), `logprob` (self-certainty), `oracle` / `oracle:P` (the step checker with a share P of verdicts flipped;
 * synthetic problems only), `oracle-tools` (the exact step checker of the tool-using world,
 * `toolCheckerScorer` of lib/tasks/tools.ts: 1 while a code-step solution is on the gold path,
 * else 0; synthetic problems only), `prm-head` / `value-head` / `twist-head` (the hidden-state heads;
 * `prm`, `value`, `twist` are the same), an ONNX PRM folder in the Qwen2.5-Math-PRM contract
 * (`models/prm`), or the URL of a vLLM-compatible `/pooling` server.
 *
 * @example
 * ```ts
 * import type { Policy } from "../lib/core/types.ts";
 * declare const policy: Policy;
 * const scorer = await openScorer("oracle:0.1", { policy, heads: HEADS_DIR });
 * scorer.name; // "oracle:0.1"
 * ```
 */
export async function openScorer(
  spec: string,
  ctx: ScorerContext,
  role: ScorerKind = "prm",
): Promise<Scorer> {
  const { policy } = ctx;
  const oracle = /^oracle(?::(.+))?$/.exec(spec);
  try {
    if (/^https?:\/\//.test(spec)) return await createPoolingScorer({ endpoints: [spec] });
    if (oracle) {
      return oracleScorer({ flip: oracle[1] ? Number(oracle[1]) : 0, problems: ctx.problems });
    }
    if (spec === "oracle-tools") return toolCheckerScorer(ctx.problems ?? evalSplit(), spec);
    if (spec === "logprob") return logprobScorer(policy);
    if (spec === "recompute") {
      return recomputeScorer(policy, { featurizer: sharedFeaturizer(policy) });
    }
    if (spec === "recompute-head" || spec.startsWith("recompute-head=")) {
      const path = spec.includes("=")
        ? spec.slice(spec.indexOf("=") + 1)
        : `${VERIFIERS_DIR}/recompute.json`;
      const head = await loadPolicyHead(path, "prm", policy, { dim: RECOMPUTE_FEATURES.length });
      return recomputeScorer(policy, { head, featurizer: sharedFeaturizer(policy) });
    }
    const kind = /^(prm|value|twist)(-head)?$/.exec(spec)?.[1] as ScorerKind | undefined;
    if (kind) {
      const head = await loadPolicyHead(`${ctx.heads}/${kind}.json`, kind, policy);
      return headScorer(policy, head, `${kind}-head`);
    }
    return await onnxStepTagPrm(spec, "qwen-prm", { intraOpNumThreads: ctx.threads ?? 1 });
  } catch (e) {
    const flag = role === "prm" ? "--prm" : "--value";
    throw new UsageError(`${flag} ${spec}: ${e instanceof Error ? e.message : e}`);
  }
}
