/**
 * Load the shipped heads of a policy (`models/heads/<kind>.json`) and check they were trained on
 * this policy: same hidden size, and — when the policy is an ONNX folder — the same model file
 * (SHA-256 on the card). A head left over from a retrained policy fails with one line naming the
 * head file, instead of scoring garbage.
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "../models/onnx/mod.ts";
 * import { valueHeadScorer } from "./head_scorer.ts";
 * const policy = await createOnnxPolicy("models/embedded");
 * const value = await loadPolicyHead("models/heads/value.json", "value", policy);
 * const scorer = valueHeadScorer(policy, value);
 * ```
 *
 * @module
 */
import type { Policy } from "../core/types.ts";
import type { Head, HeadKind } from "./head.ts";
import { loadHead } from "./head_file.ts";

/** Where the heads of the embedded policy are shipped. */
export const HEADS_DIR = "models/heads";

/** The ONNX policy facts a check needs (present on `OnnxPolicy`). */
interface OnnxFacts {
  runner?: { folder: { modelPath: string }; shape: { hiddenSize: number } };
}

/** SHA-256 of a file, hex. */
export async function fileSha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Load `path` as a `kind` head for `policy`; checks the input size (the hidden size, or `dim`
 * for heads on other features of the policy) and the model hash where known.
 */
export async function loadPolicyHead(
  path: string,
  kind: HeadKind,
  policy: Policy & OnnxFacts,
  options: { dim?: number } = {},
): Promise<Head> {
  const dim = options.dim ?? policy.runner?.shape.hiddenSize;
  const head = await loadHead(path, { kind, dim });
  const want = head.card.featureModel.sha256;
  if (policy.runner && want) {
    const have = await fileSha256(policy.runner.folder.modelPath);
    if (have !== want) {
      throw new Error(
        `${path}: trained on model sha256 ${
          want.slice(0, 12)
        }…, but ${policy.runner.folder.modelPath} is ${
          have.slice(0, 12)
        }… (policy retrained? rerun deno task train-head)`,
      );
    }
  }
  return head;
}
