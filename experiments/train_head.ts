/**
 * `deno task train-head --kind value|twist|prm|qsharp --features DIR --seed S --out FILE`
 *
 * Train a head on cached hidden states (Adam, seeded, mini-batches, early stopping on held-out
 * problems) and save it with its card. `--eval DIR` adds metrics on a second feature set (the
 * synthetic evaluation split): value/twist/qsharp AUC of eventual correctness, PRM AUC against the
 * step checker's truth on policy samples. Other options: `--hidden H` (MLP width, 0 = linear),
 * `--epochs`, `--lr`, `--batch`, `--soft` (PRM on soft labels), `--prm-target labels|truth` (PRM
 * on labelling-method labels, default, or on the step checker's truth of step rows).
 *
 * `deno task train-head --extract --features DIR [--split train|eval] [--limit N] [--samples K]
 * [--token-rows T] [--labels FILE] [--policy DIR] [--seed S]` extracts the feature cache once
 * through the ONNX policy (`hidden.f32` + `index.json`); an existing cache is kept (resumable:
 * delete it, or pass `--force`, to redo). `--source gold-flawed` replaces policy samples by
 * teacher-forced texts: each problem's gold solution and `samples − 1` solutions with one
 * checker-verified mistake (for a policy that cannot solve the task yet).
 *
 * Progress on stderr; the last stdout line is a JSON summary.
 *
 * @example
 * ```sh
 * deno task train-head --extract --features results/features/train --split train --limit 1500 \
 *   --samples 8 --labels results/labels/train.jsonl
 * deno task train-head --kind value --features results/features/train --eval results/features/eval \
 *   --seed 1 --out models/heads/value.json
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
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
import {
  evaluateRows,
  extractFeatures,
  headDataset,
  type LabelRecord,
  readFeatures,
  trainHead,
  writeFeatures,
} from "../lib/train/mod.ts";
import { fileSha256, HEAD_KINDS, type HeadKind, saveHead } from "../lib/rewards/mod.ts";
import { flawedSolution } from "../lib/tasks/mod.ts";
import { syntheticJudge, syntheticProblems, syntheticTruth } from "./label.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function extract(values: Record<string, string | boolean | undefined>, dir: string) {
  if (!values.force && await exists(join(dir, "index.json"))) {
    const set = await readFeatures(dir);
    return { features: dir, rows: set.count, reused: true };
  }
  const seed = numberFlag("seed", values.seed as string | undefined, {
    integer: true,
    fallback: 1,
  });
  const limit = numberFlag("limit", values.limit as string | undefined, {
    integer: true,
    min: 1,
    fallback: 200,
  });
  const samples = numberFlag("samples", values.samples as string | undefined, {
    integer: true,
    min: 0,
    fallback: 8,
  });
  const tokenRows = numberFlag("token-rows", values["token-rows"] as string | undefined, {
    integer: true,
    min: 0,
    fallback: 8,
  });
  const threads = numberFlag("threads", values.threads as string | undefined, {
    integer: true,
    min: 1,
    fallback: 2,
  });
  const split = (values.split as string | undefined) ?? "train";
  const policyDir = (values.policy as string | undefined) ?? "models/embedded";
  const labels = values.labels ? await readRecords<LabelRecord>(values.labels as string) : [];
  const source = (values.source as string | undefined) ?? "samples";
  if (source !== "samples" && source !== "gold-flawed") {
    throw new UsageError(`--source must be samples or gold-flawed, got "${source}"`);
  }
  const problems = syntheticProblems(split, limit, seed);
  const policy = await createOnnxPolicy(policyDir, { intraOpNumThreads: threads });
  const model = {
    name: policyDir,
    dim: policy.runner.shape.hiddenSize,
    output: policy.runner.io.hiddenOutput ?? "last_hidden_state",
    position: "last token of each step prefix (step rows); token before the candidate (token rows)",
    sha256: await fileSha256(policy.runner.folder.modelPath),
  };
  const bar = progress(problems.length, "extract");
  const set = await extractFeatures(problems.map((p) => ({ ...p, truth: syntheticTruth(p) })), {
    policy,
    judge: syntheticJudge,
    samples,
    tokenRows,
    seed,
    sampling: { temperature: 0.7, maxTokens: 512 },
    labels,
    model,
    // gold-flawed: teacher-forced texts — the gold solution (correct) and `samples − 1` solutions
    // with one checker-verified mistake each (flawedSolution), for policies that cannot solve yet.
    texts: source === "gold-flawed"
      ? (item) => {
        const p = problems.find((x) => x.id === item.id)!;
        const out = [{ text: p.solution, outcome: true }];
        for (let j = 1; j < Math.max(samples, 2); j++) {
          const f = flawedSolution(p, seed * 1000 + j);
          if (f) out.push({ text: f.steps.join("\n\n"), outcome: false });
        }
        return out;
      }
      : undefined,
    vocab: policy.runner.vocabSize,
    onProblem: () => bar.tick(),
    source: {
      command: `deno task train-head ${Deno.args.join(" ")}`,
      split,
      limit,
      labels: values.labels ?? null,
    },
  });
  bar.stop();
  await policy.dispose();
  await writeFeatures(dir, set);
  const kinds: Record<string, number> = {};
  for (const k of set.columns.kind) kinds[k] = (kinds[k] ?? 0) + 1;
  return { features: dir, rows: set.count, kinds, reused: false };
}

const FLAGS = {
  kind: { type: "string", value: "value|twist|prm|qsharp", help: "head to train" },
  features: { type: "string", value: "DIR", help: "feature cache to train on (or to extract)" },
  out: { type: "string", value: "FILE", help: "where the trained head goes" },
  eval: { type: "string", value: "DIR", help: "a second feature set for held-out metrics" },
  seed: { type: "string", value: "S", help: "training (or extraction) seed (default 1)" },
  hidden: { type: "string", value: "H", help: "MLP width, 0 = linear (default 0)" },
  epochs: { type: "string", value: "N", help: "training epochs (default 60)" },
  lr: { type: "string", value: "X", help: "Adam learning rate (default 0.003)" },
  batch: { type: "string", value: "N", help: "mini-batch size (default 64)" },
  soft: { type: "boolean", help: "PRM on soft labels" },
  "prm-target": {
    type: "string",
    value: "labels|truth",
    help: "PRM on labelling-method labels or on the checker's truth (default labels)",
  },
  extract: { type: "boolean", help: "extract the feature cache instead of training" },
  split: { type: "string", value: "train|eval", help: "extract: problem split (default train)" },
  limit: { type: "string", value: "N", help: "extract: problems (default 200)" },
  samples: { type: "string", value: "K", help: "extract: policy samples per problem (default 8)" },
  "token-rows": { type: "string", value: "T", help: "extract: token rows per sample (default 8)" },
  labels: { type: "string", value: "FILE", help: "extract: step labels from deno task label" },
  policy: { type: "string", value: "DIR", help: "extract: ONNX policy (default models/embedded)" },
  source: {
    type: "string",
    value: "samples|gold-flawed",
    help: "extract: policy samples, or gold + flawed solutions (default samples)",
  },
  threads: { type: "string", value: "N", help: "extract: onnxruntime threads (default 2)" },
  force: { type: "boolean", help: "extract: redo an existing cache" },
} satisfies Flags;

async function main(): Promise<void> {
  const { values } = parseCli(Deno.args, FLAGS, false);
  if (values.help) {
    return console.log(usage("train-head", FLAGS, {
      notes:
        "Heads on the policy's cached hidden states: --kind, --features and --out train one,\n" +
        "--extract --features extracts the cache.",
    }));
  }
  if (!values.features) throw new UsageError("missing required flag --features");
  if (values.extract) {
    console.log(JSON.stringify(await extract(values, values.features)));
    return;
  }
  const kind = values.kind as HeadKind;
  if (!HEAD_KINDS.includes(kind)) {
    throw new UsageError(
      `--kind must be one of ${HEAD_KINDS.join("|")}, got "${values.kind ?? ""}"`,
    );
  }
  if (!values.out) throw new UsageError("missing required flag --out");
  const seed = numberFlag("seed", values.seed, { integer: true, fallback: 1 });
  const hidden = numberFlag("hidden", values.hidden, { integer: true, min: 0, fallback: 0 });
  const epochs = numberFlag("epochs", values.epochs, { integer: true, min: 1, fallback: 60 });
  const lr = numberFlag("lr", values.lr, { min: 0, fallback: 3e-3 });
  const batchSize = numberFlag("batch", values.batch, { integer: true, min: 1, fallback: 64 });

  const set = await readFeatures(values.features);
  const prmTarget = values["prm-target"] ?? "labels";
  if (prmTarget !== "labels" && prmTarget !== "truth") {
    throw new UsageError(`--prm-target must be labels or truth, got "${prmTarget}"`);
  }
  const ds = headDataset(set, kind, { soft: values.soft, truthTargets: prmTarget === "truth" });
  const t0 = performance.now();
  const bar = progress(1, `train ${kind}`);
  const { head, metrics, history } = trainHead(ds, {
    kind,
    seed,
    hidden,
    epochs,
    lr,
    batchSize,
    vocab: set.vocab,
    featureModel: set.model,
    data: {
      features: values.features,
      rowsOf: kind === "prm"
        ? "label rows (labelled paths)"
        : kind === "qsharp"
        ? "token rows"
        : "step rows",
      target: kind === "value"
        ? "outcome ±1"
        : kind === "prm"
        ? prmTarget === "truth"
          ? "step checker truth (oracle labels)"
          : values.soft
          ? "soft MC label"
          : "hard MC label"
        : "outcome 0/1",
      problems: set.problems.length,
      source: set.source,
    },
  });
  bar.tick();
  bar.stop();
  if (values.eval) {
    const evalSet = await readFeatures(values.eval);
    if (evalSet.dim !== set.dim || evalSet.model.sha256 !== set.model.sha256) {
      throw new Error(`${values.eval}: features come from another model than ${values.features}`);
    }
    const ev = headDataset(evalSet, kind, { evaluation: true });
    const m = evaluateRows(head, ev, Array.from({ length: ev.target.length }, (_, i) => i));
    head.card.metrics.evalRows = m.rows;
    head.card.metrics.evalAuc = kind === "prm" ? m.aucTruth : m.aucTarget;
    head.card.metrics.evalAucWithin = kind === "prm" ? m.aucTruthWithin : m.aucTargetWithin;
    head.card.data.eval = {
      features: values.eval,
      problems: evalSet.problems.length,
      split: evalSet.source.split,
    };
  }
  await saveHead(values.out, head);
  console.log(JSON.stringify({
    out: values.out,
    kind,
    seed,
    rows: ds.target.length,
    epochs: history.length,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    metrics: { ...metrics, ...head.card.metrics },
  }));
}

if (import.meta.main) await runMain(main);
