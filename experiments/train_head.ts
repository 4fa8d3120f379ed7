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
 * Value targets, `--targets mcts|outcome` (recorded on the card as `data.targets`):
 * - `mcts` (default; AlphaMath, Chen et al. arXiv 2405.03553 §3, docs/algorithms.md §5.6): the
 *   rows of a cache made by `--extract --source mcts`: every node of AlphaMath MCTS trees built on
 *   training problems, with the node's Q (the mean of the values backed up through it) as the
 *   target, and finals their outcome ±1 (`lib/train/mcts_targets.ts`);
 * - `outcome`: the earlier behaviour, every step row of the policy's samples with the sample's
 *   outcome ±1.
 *
 * `deno task train-head --extract --features DIR [--split train|eval] [--limit N] [--samples K]
 * [--token-rows T] [--labels FILE] [--policy DIR] [--seed S]` extracts the feature cache once
 * through the ONNX policy (`hidden.f32` + `index.json`); an existing cache is kept (resumable:
 * delete it, or pass `--force`, to redo). `--source gold-flawed` replaces policy samples by
 * teacher-forced texts: each problem's gold solution and `samples − 1` solutions with one
 * checker-verified mistake (for a policy that cannot solve the task yet).
 *
 * `--source mcts` builds the value targets from search instead (`lib/train/mcts_data.ts`): on each
 * problem it runs AlphaMath MCTS (`--iterations N`, default 40; `--samples-per-node B2`, default 5;
 * the other settings `MCTS_DEFAULTS`), leaves valued by `--value V` (default `value-head`, the
 * previous round's value head, as AlphaMath's later rounds; any verifier `solve --value` takes) and
 * finals rewarded ±1 by the grader against the gold answer (as upstream builds its training
 * trees); each visited node becomes an `mcts` row (the hidden state at the end of its text, its
 * target in the `q` column), and `DIR/mcts.jsonl` lists the rows with their texts. `--concurrency
 * K` searches K problems at once (default 1; more batches their policy calls, which can perturb
 * sampling at floating-point level).
 *
 * Progress on stderr; the last stdout line is a JSON summary.
 *
 * @example
 * ```sh
 * deno task train-head --extract --features results/features/train --split train --limit 1500 \
 *   --samples 8 --labels results/labels/train.jsonl
 * deno task train-head --kind prm --features results/features/train --prm-target truth \
 *   --seed 1 --out models/heads/prm.json
 * # AlphaMath's value head: targets from MCTS trees (Q), evaluated on policy samples
 * deno task train-head --extract --source mcts --features results/features/mcts --split train \
 *   --limit 200 --iterations 40 --samples-per-node 5 --value value-head --seed 1
 * deno task train-head --kind value --targets mcts --features results/features/mcts \
 *   --eval results/features/eval --seed 1 --out models/heads/value.json
 * # the earlier value head: the sample outcome ±1 at every step
 * deno task train-head --kind value --targets outcome --features results/features/train \
 *   --eval results/features/eval --seed 1 --out models/heads/value.json
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { createOnnxPolicy, type OnnxPolicy } from "../lib/models/onnx/mod.ts";
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
  mctsFeatures,
  mctsValueData,
  readFeatures,
  trainHead,
  VALUE_TARGETS,
  type ValueTargets,
  writeFeatures,
} from "../lib/train/mod.ts";
import {
  type FeatureModel,
  fileSha256,
  HEAD_KINDS,
  type HeadKind,
  saveHead,
} from "../lib/rewards/mod.ts";
import { flawedSolution, type SyntheticProblem } from "../lib/tasks/mod.ts";
import { MCTS_DEFAULTS } from "../lib/search/mcts.ts";
import { HEADS_DIR, openScorer } from "./backends.ts";
import { syntheticJudge, syntheticProblems, syntheticTruth } from "./label.ts";
import { MAX_STEPS, STEP_TOKENS } from "./search_and_learn.ts";

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
  const source = (values.source as string | undefined) ?? "samples";
  if (source !== "samples" && source !== "gold-flawed" && source !== "mcts") {
    throw new UsageError(`--source must be samples, gold-flawed or mcts, got "${source}"`);
  }
  const mcts = source === "mcts" ? mctsFlags(values) : null;
  const labels = values.labels ? await readRecords<LabelRecord>(values.labels as string) : [];
  const problems = syntheticProblems(split, limit, seed);
  const policy = await createOnnxPolicy(policyDir, { intraOpNumThreads: threads });
  if (mcts) {
    try {
      return await extractMcts(dir, mcts, { policy, policyDir, problems, split, limit, seed });
    } finally {
      await policy.dispose();
    }
  }
  const model = await featureModel(
    policy,
    policyDir,
    "last token of each step prefix (step rows); token before the candidate (token rows)",
  );
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

/** The feature model of an ONNX policy, for the feature index and head cards. */
async function featureModel(
  policy: OnnxPolicy,
  policyDir: string,
  position: string,
): Promise<FeatureModel> {
  return {
    name: policyDir,
    dim: policy.runner.shape.hiddenSize,
    output: policy.runner.io.hiddenOutput ?? "last_hidden_state",
    position,
    sha256: await fileSha256(policy.runner.folder.modelPath),
  };
}

/** The flags of `--source mcts`, read before the model loads. */
function mctsFlags(values: Record<string, string | boolean | undefined>) {
  if (values.labels) throw new UsageError("--labels does not apply to --source mcts");
  const iterations = numberFlag("iterations", values.iterations as string | undefined, {
    integer: true,
    min: 1,
    fallback: MCTS_DEFAULTS.iterations,
  });
  const samplesPerNode = numberFlag(
    "samples-per-node",
    values["samples-per-node"] as string | undefined,
    { integer: true, min: 1, fallback: MCTS_DEFAULTS.samplesPerNode },
  );
  const concurrency = numberFlag("concurrency", values.concurrency as string | undefined, {
    integer: true,
    min: 1,
    fallback: 1,
  });
  // the world's step settings, as the alphamath reproduction's MCTS row
  const search = { iterations, samplesPerNode, maxDepth: MAX_STEPS, maxTokens: STEP_TOKENS };
  return { search, concurrency, valueSpec: (values.value as string | undefined) ?? "value-head" };
}

/**
 * `--source mcts`: AlphaMath MCTS on each problem (finals rewarded by the grader, leaves valued by
 * `--value`), each tree's visited nodes as `mcts` rows with their Q / reward targets.
 */
async function extractMcts(
  dir: string,
  { search, concurrency, valueSpec }: ReturnType<typeof mctsFlags>,
  ctx: {
    policy: OnnxPolicy;
    policyDir: string;
    problems: SyntheticProblem[];
    split: string;
    limit: number;
    seed: number;
  },
) {
  const { policy, problems } = ctx;
  const { seed: _seed, ...searchDefaults } = MCTS_DEFAULTS;
  const scorer = await openScorer(valueSpec, { policy, heads: HEADS_DIR, problems }, "value");
  const bar = progress(problems.length, "mcts");
  const trees = await mctsValueData(problems, {
    policy,
    scorer,
    seed: ctx.seed,
    search,
    concurrency,
    onProblem: () => bar.tick(),
  });
  bar.stop();
  const byId = new Map(problems.map((p) => [p.id, p]));
  const set = await mctsFeatures(
    trees.map((tree) => {
      const p = byId.get(tree.id)!;
      return { tree, problem: p.problem, truth: syntheticTruth(p) };
    }),
    {
      policy,
      model: await featureModel(
        policy,
        ctx.policyDir,
        "last token of each MCTS node's text (mcts rows)",
      ),
      vocab: policy.runner.vocabSize,
      source: {
        command: `deno task train-head ${Deno.args.join(" ")}`,
        source: "mcts",
        split: ctx.split,
        limit: ctx.limit,
        seed: ctx.seed,
        value: valueSpec,
        // each problem searches with seed fork(seed, id) (lib/train/mcts_data.ts)
        search: { ...searchDefaults, ...search },
        goldRewards: true,
        concurrency,
      },
    },
  );
  await writeFeatures(dir, set);
  const lines = trees.flatMap((t) =>
    t.rows.map((r) =>
      JSON.stringify({
        id: t.id,
        node: r.node,
        parent: r.parent,
        depth: r.depth,
        kind: r.kind,
        status: r.status,
        visits: r.visits,
        q: r.q,
        target: r.target,
        answer: r.answer,
        correct: r.correct,
        text: r.text,
      })
    )
  );
  await Deno.writeTextFile(join(dir, "mcts.jsonl"), lines.map((l) => l + "\n").join(""));
  const kinds: Record<string, number> = {};
  for (const t of trees) for (const r of t.rows) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  const solved = trees.filter((t) => t.answer === byId.get(t.id)!.answer).length;
  return {
    features: dir,
    rows: set.count,
    kinds,
    trees: trees.length,
    nodes: trees.reduce((a, t) => a + t.nodes, 0),
    solved,
    reused: false,
  };
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
  targets: {
    type: "string",
    value: "mcts|outcome",
    help: "value: MCTS Q targets (--source mcts rows; default) or sample outcomes at every step",
  },
  source: {
    type: "string",
    value: "samples|gold-flawed|mcts",
    help: "extract: policy samples, gold + flawed solutions, or MCTS trees (default samples)",
  },
  value: {
    type: "string",
    value: "V",
    help: "extract --source mcts: value model of the leaves (default value-head)",
  },
  iterations: {
    type: "string",
    value: "N",
    help: "extract --source mcts: simulations per problem (default 40)",
  },
  "samples-per-node": {
    type: "string",
    value: "B2",
    help: "extract --source mcts: children per expansion (default 5)",
  },
  concurrency: {
    type: "string",
    value: "K",
    help: "extract --source mcts: problems searched at once (default 1)",
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
        "--extract --features extracts the cache. A value head trains on AlphaMath's MCTS\n" +
        "targets by default (--targets mcts: each tree node's Q, finals ±1; the cache from\n" +
        "--extract --source mcts), or on sample outcomes at every step (--targets outcome).",
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
  if (values.targets !== undefined && kind !== "value") {
    throw new UsageError(`--targets is for --kind value, not ${kind}`);
  }
  const targets = (values.targets ?? "mcts") as ValueTargets;
  if (!VALUE_TARGETS.includes(targets)) {
    throw new UsageError(`--targets must be ${VALUE_TARGETS.join(" or ")}, got "${targets}"`);
  }
  const ds = headDataset(set, kind, {
    soft: values.soft,
    truthTargets: prmTarget === "truth",
    targets,
  });
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
        : kind === "value" && targets === "mcts"
        ? "mcts rows (visited nodes of AlphaMath MCTS trees)"
        : "step rows",
      ...(kind === "value" ? { targets } : {}),
      target: kind === "value"
        ? targets === "mcts" ? "MCTS Q of open nodes, outcome ±1 of finals" : "outcome ±1"
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
