/**
 * `deno task train-verifier`: train the head of the re-computation verifier
 * (`lib/rewards/recompute.ts`) on the policy's own samples of training-stream problems, with the
 * step checker's local verdicts as labels, and save it with its card.
 *
 * ```sh
 * deno task train-verifier --problems 600 --n 16 --stream 7 --seed 1 --out models/verifiers/recompute.json
 * ```
 *
 * The samples (`results/tmp/verifier-train/candidates.jsonl`, resumable) come from
 * `trainStream(stream)`, which never overlaps the evaluation split; the policy was trained on
 * streams 1 and 2. The head is a logistic regression (`--hidden 0`) or a small MLP over
 * {@linkcode RECOMPUTE_FEATURES}, early-stopped on held-out problems. Progress on stderr; the last
 * stdout line is a JSON summary.
 *
 * @module
 */
import {
  fileSha256,
  RECOMPUTE_FEATURES,
  recomputeFeaturizer,
  saveHead,
} from "../lib/rewards/mod.ts";
import { numberFlag, parseCli, progress, runMain } from "../lib/runs/mod.ts";
import { trainStream } from "../lib/tasks/mod.ts";
import { type HeadDataset, trainHead } from "../lib/train/mod.ts";
import { fromRoot, openBackend, ROOT, VERIFIERS_DIR } from "./backends.ts";
import { type CandidateSet, sampleCandidates } from "./candidates.ts";

/** Step rows (features, local verdict, problem) of candidate sets, for training. */
export async function verifierDataset(
  sets: readonly CandidateSet[],
  features: (set: CandidateSet) => Promise<Float32Array[][]>,
): Promise<HeadDataset> {
  const K = RECOMPUTE_FEATURES.length;
  const xs: number[] = [];
  const target: number[] = [];
  const problem: number[] = [];
  const bar = progress(sets.length, "features");
  for (let p = 0; p < sets.length; p++) {
    const set = sets[p];
    const f = await features(set);
    set.candidates.forEach((c, i) => {
      if (!c.local) return;
      f[i].forEach((row, k) => {
        xs.push(...row);
        target.push(c.local![k] ? 1 : 0);
        problem.push(p);
      });
    });
    bar.tick(1);
  }
  bar.stop();
  return {
    dim: K,
    x: Float32Array.from(xs),
    target: Float32Array.from(target),
    problem: Int32Array.from(problem),
  };
}

async function main() {
  const { values } = parseCli(Deno.args, {
    problems: { type: "string", default: "600" },
    n: { type: "string", default: "16" },
    stream: { type: "string", default: "7" },
    seed: { type: "string", default: "1" },
    hidden: { type: "string", default: "0" },
    model: { type: "string" },
    samples: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  }, false);
  if (values.help) {
    console.log(
      "usage: deno task train-verifier [--problems 600] [--n 16] [--stream 7] [--seed 1]\n" +
        "  [--hidden 0] [--model DIR] [--samples FILE] [--out FILE]",
    );
    return;
  }
  const count = numberFlag("problems", values.problems, { integer: true, min: 10 });
  const n = numberFlag("n", values.n, { integer: true, min: 1 });
  const stream = numberFlag("stream", values.stream, { integer: true, min: 0 });
  const seed = numberFlag("seed", values.seed, { integer: true });
  const hidden = numberFlag("hidden", values.hidden, { integer: true, min: 0 });
  const out = values.out ?? `${VERIFIERS_DIR}/recompute.json`;
  const samples = values.samples ?? `${ROOT}results/tmp/verifier-train/candidates.jsonl`;
  const it = trainStream(stream);
  const problems = Array.from({ length: count }, () => it.next().value);
  const backend = await openBackend({ model: values.model });
  try {
    const sets = await sampleCandidates(problems, backend.policy, {
      n,
      temperature: 0.8,
      seed,
      out: samples,
      label: "train samples",
    });
    const featurizer = recomputeFeaturizer(backend.policy);
    const data = await verifierDataset(
      sets,
      (s) => featurizer.features(s.candidates.map((c) => ({ problem: s.problem, steps: c.steps }))),
    );
    const modelFile = `${backend.describe.model}/onnx/model.onnx`;
    const { head, metrics } = trainHead(data, {
      kind: "prm",
      seed,
      hidden,
      epochs: 200,
      patience: 10,
      featureModel: {
        name: fromRoot(backend.describe.model),
        dim: RECOMPUTE_FEATURES.length,
        output: `re-computation features (lib/rewards/recompute.ts): ${
          RECOMPUTE_FEATURES.join(", ")
        }`,
        position: "every step",
        sha256: await fileSha256(modelFile),
      },
      data: {
        source: `policy samples of trainStream(${stream}), first ${count} problems`,
        samples: `${n} per problem at T = 0.8, seed ${seed}`,
        rows: data.target.length,
        positives: data.target.reduce((a, b) => a + b, 0),
        target: "step checker's local verdict (right operation and arithmetic)",
        command: `deno task train-verifier --problems ${count} --n ${n} --stream ${stream} ` +
          `--seed ${seed} --hidden ${hidden}`,
      },
      notes: [
        "Scores P(step right); the recompute scorer multiplies them over steps 1..k.",
        "Within-problem quality on the evaluation split: deno task verifiers (results/verifiers).",
      ],
    });
    await saveHead(out, head);
    console.log(JSON.stringify({ out: fromRoot(out), rows: data.target.length, ...metrics }));
  } finally {
    await backend.close();
  }
}

if (import.meta.main) await runMain(main);
