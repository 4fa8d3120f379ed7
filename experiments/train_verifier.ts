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
import {
  type Flags,
  numberFlag,
  parseCli,
  progress,
  readRecords,
  runMain,
  usage,
  UsageError,
} from "../lib/runs/mod.ts";
import { problemById, trainStream } from "../lib/tasks/mod.ts";
import { type HeadDataset, type LabelRecord, trainHead } from "../lib/train/mod.ts";
import { fromRoot, openBackend, ROOT, VERIFIERS_DIR } from "./backends.ts";
import { type CandidateSet, sampleCandidates } from "./candidates.ts";

/** Where step labels come from (`--source`): the step checker, or a Monte-Carlo labeller. */
export type LabelSource = "truth" | "math-shepherd" | "omegaprm" | "amcs";

/**
 * Per-step local labels from cumulative ones ("the prefix through step k is still right / can
 * still reach the answer"): a step is right while every label so far is 1, the first 0 marks the
 * wrong step, and nothing after it (or after an unknown label) is a label of its own step.
 *
 * @example
 * ```ts
 * localLabels([1, 1, 0, 1]); // [1, 1, 0]
 * localLabels([1, null, 1]); // [1]
 * ```
 */
export function localLabels(cumulative: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (const c of cumulative) {
    if (c === null || c === undefined) break;
    out.push(c > 0 ? 1 : 0);
    if (c <= 0) break;
  }
  return out;
}

/** Candidate sets from `deno task label` records: each labelled path with labels from `source`. */
export function labelledSets(
  records: readonly LabelRecord[],
  source: LabelSource,
  paths: string,
  problemOf: (id: string) => string,
): CandidateSet[] {
  return records.filter((r) => r.method === (source === "truth" ? paths : source)).map((r) => ({
    id: r.id,
    problem: problemOf(r.id),
    gold: "",
    candidates: r.solutions.map((s) => {
      const labels = localLabels(source === "truth" ? (s.truth ?? []) : s.labels);
      return {
        text: s.steps.join(""),
        steps: s.steps.slice(0, labels.length),
        answer: null,
        correct: false,
        local: labels.map((x) => x > 0),
      };
    }).filter((c) => c.steps.length > 0),
  }));
}

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

const FLAGS = {
  problems: { type: "string", value: "N", help: "training-stream problems", default: "600" },
  n: { type: "string", value: "N", help: "samples per problem", default: "16" },
  stream: { type: "string", value: "K", help: "training stream", default: "7" },
  seed: { type: "string", value: "S", help: "sampling and training seed", default: "1" },
  hidden: { type: "string", value: "H", help: "MLP width, 0 = logistic regression", default: "0" },
  model: { type: "string", value: "DIR", help: "ONNX policy folder (default models/embedded)" },
  samples: {
    type: "string",
    value: "FILE",
    help: "sample cache (default results/tmp/verifier-train/candidates.jsonl)",
  },
  out: {
    type: "string",
    value: "FILE",
    help: "the head (default models/verifiers/recompute.json)",
  },
  labels: { type: "string", value: "FILE", help: "train on the paths of a deno task label file" },
  source: {
    type: "string",
    value: "SOURCE",
    help: "their labels: truth (step checker), math-shepherd, omegaprm or amcs",
    default: "truth",
  },
  paths: {
    type: "string",
    value: "METHOD",
    help: "with --source truth: the paths of this method",
    default: "math-shepherd",
  },
} satisfies Flags;

async function main() {
  const { values } = parseCli(Deno.args, FLAGS, false);
  if (values.help) return console.log(usage("train-verifier", FLAGS));
  const count = numberFlag("problems", values.problems, { integer: true, min: 10 });
  const n = numberFlag("n", values.n, { integer: true, min: 1 });
  const stream = numberFlag("stream", values.stream, { integer: true, min: 0 });
  const seed = numberFlag("seed", values.seed, { integer: true });
  const hidden = numberFlag("hidden", values.hidden, { integer: true, min: 0 });
  const out = values.out ?? `${VERIFIERS_DIR}/recompute.json`;
  const samples = values.samples ?? `${ROOT}results/tmp/verifier-train/candidates.jsonl`;
  const source = values.source as LabelSource;
  if (!["truth", "math-shepherd", "omegaprm", "amcs"].includes(source)) {
    throw new UsageError(
      `--source must be truth, math-shepherd, omegaprm or amcs, got "${source}"`,
    );
  }
  const backend = await openBackend({ model: values.model });
  try {
    let sets: CandidateSet[];
    let described: Record<string, unknown>;
    if (values.labels) {
      const records = await readRecords<LabelRecord>(values.labels);
      sets = labelledSets(records, source, values.paths!, (id) => {
        const p = problemById(id);
        if (!p) throw new UsageError(`${values.labels}: unknown problem id ${id}`);
        return p.problem;
      });
      if (sets.length === 0) {
        throw new UsageError(
          `${values.labels}: no records of ${source === "truth" ? values.paths : source}`,
        );
      }
      described = {
        source: `${fromRoot(values.labels)}: paths of ${
          source === "truth" ? values.paths : source
        }`,
        labels: source === "truth" ? "step checker (truth field)" : `${source} hard labels`,
        problems: sets.length,
      };
    } else {
      const it = trainStream(stream);
      const problems = Array.from({ length: count }, () => it.next().value);
      sets = await sampleCandidates(problems, backend.policy, {
        n,
        temperature: 0.8,
        seed,
        out: samples,
        label: "train samples",
      });
      described = {
        source: `policy samples of trainStream(${stream}), first ${count} problems`,
        samples: `${n} per problem at T = 0.8, seed ${seed}`,
      };
    }
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
        ...described,
        rows: data.target.length,
        positives: data.target.reduce((a, b) => a + b, 0),
        target: values.labels
          ? "local label of each step up to the first wrong one"
          : "step checker's local verdict of every step (consistent carry)",
        command: `deno task train-verifier ${Deno.args.join(" ")}`,
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
