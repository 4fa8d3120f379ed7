/**
 * Open the policy and reward models an experiment runs on, from the flags every CLI shares:
 * `--model DIR` (in-process ONNX, default the embedded model) or `--endpoint URL` (repeatable,
 * OpenAI-compatible servers), and the trained heads that turn the policy's hidden states into
 * scorers.
 *
 * @module
 */
import type { Policy, Scorer } from "../lib/core/types.ts";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { headScorer, loadPolicyHead, qsharpClassifier } from "../lib/rewards/mod.ts";
import type { TokenClassifier } from "../lib/rewards/mod.ts";
import { UsageError } from "../lib/runs/mod.ts";
import { createOpenAIPolicy } from "../lib/models/openai/mod.ts";

/** Repository root (experiments/ is one level down). */
export const ROOT = new URL("../", import.meta.url).pathname;

/** The embedded default model folder. */
export const EMBEDDED_MODEL = `${ROOT}models/embedded`;

/** Where the trained heads of the embedded model live. */
export const HEADS_DIR = `${ROOT}models/heads`;

/** Scorer kinds a head file can provide. */
export type ScorerKind = "value" | "prm" | "twist";

/** Flags shared by every experiment CLI. */
export interface BackendFlags {
  /** ONNX model folder (default the embedded model). */
  model?: string;
  /** OpenAI-compatible endpoints; when given, `model` is not loaded. */
  endpoint?: string[];
  /** Folder of head files (`value.json`, `prm.json`, `twist.json`, `qsharp.json`). */
  heads?: string;
  /** onnxruntime intra-op threads (default 2). */
  threads?: number;
}

/** An open backend: the policy, scorers on demand, and what to print about it. */
export interface Backend {
  policy: Policy;
  /** A scorer of the given kind (cached); throws a one-line error when it cannot be built. */
  scorer(kind: ScorerKind): Promise<Scorer>;
  /** The Q# token classifier. */
  classifier(): Promise<TokenClassifier>;
  /** Model and endpoint, for records and notebooks. */
  describe: { model: string; endpoints?: string[]; heads: string };
  close(): Promise<void>;
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
  const endpoints = flags.endpoint ?? [];
  if (endpoints.length > 0 && flags.model !== undefined) {
    throw new UsageError("give either --model or --endpoint, not both");
  }
  let policy: Policy;
  let close = async () => {};
  let model: string;
  if (endpoints.length > 0) {
    policy = await createOpenAIPolicy({ endpoints });
    model = policy.name;
  } else {
    model = flags.model ?? EMBEDDED_MODEL;
    const onnx = await createOnnxPolicy(model, { intraOpNumThreads: flags.threads ?? 2 });
    policy = onnx;
    close = () => onnx.dispose();
  }
  const scorers = new Map<ScorerKind, Promise<Scorer>>();
  const headFile = (kind: string) => `${heads}/${kind}.json`;
  return {
    policy,
    scorer(kind) {
      if (!scorers.has(kind)) {
        scorers.set(
          kind,
          loadPolicyHead(headFile(kind), kind, policy).then((h) =>
            headScorer(policy, h, `${kind}-head`)
          ),
        );
      }
      return scorers.get(kind)!;
    },
    async classifier() {
      return qsharpClassifier(await loadPolicyHead(headFile("qsharp"), "qsharp", policy));
    },
    describe: endpoints.length > 0 ? { model, endpoints, heads } : { model, heads },
    close,
  };
}
