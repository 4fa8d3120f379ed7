/**
 * `deno task label --method math-shepherd|omegaprm|amcs[,...] --limit N --budget K[,K2] --seed S --out FILE`
 *
 * Step labelling on the synthetic task with the embedded policy (docs/algorithms.md §8): for each
 * problem, each method and each rollout budget (total rollouts per problem), label step prefixes
 * by Monte-Carlo rollouts and append one JSONL record (problem id, labelled paths with hard
 * labels, soft values, rollouts per step, the step checker's truth) to `--out`. Resumable: a rerun
 * skips (method, budget, problem) triples already in the file. With `--quality FILE` it then
 * writes the label-quality table (accuracy, error-class F1, first-error accuracy, with 95% CIs)
 * of every (method, budget) in the file, and prints it. Progress on stderr; the last stdout line
 * is a JSON summary.
 *
 * Options: `--world synthetic|simulated` (simulated: `lib/models/simulated` problems with 3–8
 * steps each right with probability 0.6–0.97, its policy, truth = no slip so far), `--split eval|train` (eval: the first N problems of the 500-problem evaluation
 * split, levels interleaved; train: the seeded training stream), `--k` (Math-Shepherd rollouts per step and OmegaPRM
 * rollouts per estimate, default 8), `--temperature` (0.7), `--max-tokens` (512), `--policy`
 * (models/embedded), `--threads` (onnxruntime intra-op threads, default 2).
 *
 * @example
 * ```sh
 * deno task label --method all --limit 60 --budget 32,96 --seed 1 \
 *   --out results/labels/records.jsonl --quality results/labels/quality.json
 * ```
 *
 * @module
 */
import { rng } from "../lib/core/random.ts";
import type { Policy, Problem } from "../lib/core/types.ts";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { fileSha256 } from "../lib/rewards/mod.ts";
import { simProblemSet, simulatedPolicy } from "../lib/models/simulated/mod.ts";
import {
  type Flags,
  numberFlag,
  openRecords,
  parseCli,
  progress,
  runMain,
  usage,
  UsageError,
} from "../lib/runs/mod.ts";
import {
  checkSteps,
  evalSplit,
  extractBoxed,
  type SyntheticProblem,
  trainStream,
} from "../lib/tasks/mod.ts";
import {
  LABEL_METHODS,
  type LabelMethod,
  labelProblem,
  type LabelQuality,
  labelQuality,
  type LabelRecord,
} from "../lib/train/mod.ts";
import { fromRoot } from "./backends.ts";

/**
 * The synthetic problems of a split: the first `limit` of the evaluation split (levels are
 * interleaved 1..5, so any prefix is balanced), or of the seeded training stream.
 */
export function syntheticProblems(split: string, limit: number, seed: number): SyntheticProblem[] {
  if (split === "eval") return evalSplit().slice(0, limit);
  if (split === "train") {
    const it = trainStream(seed);
    return Array.from({ length: limit }, () => it.next().value as SyntheticProblem);
  }
  throw new UsageError(`--split must be eval or train, got "${split}"`);
}

/** Exact answer match on the last `\boxed{}` (the synthetic task's grader). */
export const syntheticJudge = (item: { answer: string }, text: string) =>
  extractBoxed(text) === item.answer.trim();

/** The step checker's truth of a path: 1 while the prefix is still on the gold path. */
export const syntheticTruth = (p: SyntheticProblem) => (steps: readonly string[]) =>
  checkSteps(p, steps).steps.map((v) => (v.correct ? 1 : 0));

function listFlag<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T[] {
  if (value === undefined) throw new UsageError(`missing required flag --${name}`);
  const items = value === "all" ? [...allowed] : value.split(",").map((s) => s.trim());
  for (const x of items) {
    if (!allowed.includes(x as T)) {
      throw new UsageError(`--${name} must be one of ${allowed.join("|")} (or all), got "${x}"`);
    }
  }
  return items as T[];
}

/**
 * The simulated world (`lib/models/simulated`): steps `step k: ok|slip`, the gold answer iff no
 * slip. Truth of a step = no slip so far (the answer step: the boxed answer is the gold one).
 */
export function simulatedWorld(limit: number, seed: number) {
  const problems = simProblemSet({ count: limit, steps: [3, 8], pRight: [0.6, 0.97], seed });
  const truth = (p: Problem) => (steps: readonly string[]) => {
    let ok = true;
    return steps.map((s) => {
      if (/: slip/.test(s)) ok = false;
      const boxed = extractBoxed(s);
      if (boxed !== null && boxed !== p.answer) ok = false;
      return ok ? 1 : 0;
    });
  };
  return { problems, truth };
}

/** Format the quality table for the terminal. */
export function qualityTable(
  rows: { method: string; budget: number; quality: LabelQuality }[],
): string {
  const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : "–");
  const lines = [
    "| method | budget | rollouts/problem | labelled steps | error rate | accuracy [95% CI] | F1 (error) [95% CI] | first-error acc [95% CI] (n) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const { method, budget, quality: q } of rows) {
    lines.push(
      `| ${method} | ${budget} | ${q.rolloutsPerProblem.toFixed(1)} | ${q.labelledSteps} | ${
        pct(q.errorRate)
      }% | ` +
        `${pct(q.accuracy.estimate)}% [${pct(q.accuracy.lo)}, ${pct(q.accuracy.hi)}] | ` +
        `${pct(q.f1Error.estimate)}% [${pct(q.f1Error.lo)}, ${pct(q.f1Error.hi)}] | ` +
        `${pct(q.firstError.estimate)}% [${pct(q.firstError.lo)}, ${
          pct(q.firstError.hi)
        }] (${q.firstError.n}) |`,
    );
  }
  return lines.join("\n");
}

const FLAGS = {
  method: {
    type: "string",
    value: "M[,M2]",
    help: "labelling methods: math-shepherd, omegaprm, amcs, or all (required)",
  },
  limit: { type: "string", value: "N", help: "problems to label (required)" },
  budget: {
    type: "string",
    value: "K[,K2]",
    help: "total rollouts per problem, one run each (required)",
  },
  out: { type: "string", value: "FILE", help: "label records, appended (resumable; required)" },
  quality: {
    type: "string",
    value: "FILE",
    help: "write label accuracy and error-class F1 against the step checker",
  },
  seed: { type: "string", value: "S", help: "problem and rollout seed (default 1)" },
  split: { type: "string", value: "eval|train", help: "problem split (default eval)" },
  world: { type: "string", value: "synthetic|simulated", help: "task world (default synthetic)" },
  k: {
    type: "string",
    value: "K",
    help: "Math-Shepherd rollouts per step, OmegaPRM's per estimate (default 8)",
  },
  temperature: { type: "string", value: "T", help: "rollout temperature (default 0.7)" },
  "max-tokens": { type: "string", value: "N", help: "rollout length cap (default 512)" },
  policy: { type: "string", value: "DIR", help: "ONNX policy (default models/embedded)" },
  threads: { type: "string", value: "N", help: "onnxruntime intra-op threads (default 2)" },
} satisfies Flags;

async function main(): Promise<void> {
  const { values } = parseCli(Deno.args, FLAGS, false);
  if (values.help) {
    return console.log(usage("label", FLAGS, {
      notes: "Monte-Carlo step labels of each problem's paths, appended to --out (resumable).",
    }));
  }
  const methods = listFlag<LabelMethod>("method", values.method, LABEL_METHODS);
  const limit = numberFlag("limit", values.limit, { integer: true, min: 1 });
  if (values.budget === undefined) throw new UsageError("missing required flag --budget");
  const budgets = values.budget.split(",").map((b) =>
    numberFlag("budget", b, { integer: true, min: 1 })
  );
  const seed = numberFlag("seed", values.seed, { integer: true, fallback: 1 });
  if (!values.out) throw new UsageError("missing required flag --out");
  const k = numberFlag("k", values.k, { integer: true, min: 1, fallback: 8 });
  const temperature = numberFlag("temperature", values.temperature, { min: 0, fallback: 0.7 });
  const maxTokens = numberFlag("max-tokens", values["max-tokens"], {
    integer: true,
    min: 1,
    fallback: 512,
  });
  const threads = numberFlag("threads", values.threads, { integer: true, min: 1, fallback: 2 });
  const split = values.split ?? "eval";
  const world = values.world ?? "synthetic";
  if (world !== "synthetic" && world !== "simulated") {
    throw new UsageError(`--world must be synthetic or simulated, got "${world}"`);
  }
  const sim = world === "simulated" ? simulatedWorld(limit, seed) : null;
  const problems: Problem[] = sim ? sim.problems : syntheticProblems(split, limit, seed);
  const truthOf = (p: Problem) => sim ? sim.truth(p) : syntheticTruth(p as SyntheticProblem);

  const key = (r: Pick<LabelRecord, "method" | "budget" | "id" | "seed">) =>
    `${r.method}|${r.budget}|${r.seed}|${r.id}`;
  // what makes the labels besides each record's key (method, budget, seed, problem): the file's
  // first line, checked on resume, so labels of two policies or samplers never share a file
  const policyDir = sim ? null : values.policy ?? "models/embedded";
  const identity = {
    world,
    split: sim ? null : split,
    policy: policyDir && fromRoot(policyDir),
    policy_sha256: policyDir && await fileSha256(`${policyDir}/onnx/model.onnx`),
    k,
    temperature,
    max_tokens: maxTokens,
  };
  const out = await openRecords<LabelRecord>(values.out, key, { identity, lock: true });
  const todo: [LabelMethod, number, Problem][] = [];
  for (const method of methods) {
    for (const budget of budgets) {
      for (const p of problems) {
        if (!out.done.has(key({ method, budget, seed, id: p.id }))) {
          todo.push([method, budget, p]);
        }
      }
    }
  }
  const total = methods.length * budgets.length * problems.length;
  let rollouts = 0;
  if (todo.length > 0) {
    const policy: Policy & { dispose?: () => Promise<void> } = sim
      ? simulatedPolicy({ seed })
      : await createOnnxPolicy(values.policy ?? "models/embedded", { intraOpNumThreads: threads });
    const bar = progress(total, "label", total - todo.length);
    for (const [method, budget, p] of todo) {
      const rec = await labelProblem({
        method,
        policy,
        item: p,
        judge: syntheticJudge,
        budget,
        seed,
        k,
        sampling: { temperature, maxTokens },
        truth: truthOf(p),
      });
      await out.append(rec);
      rollouts += rec.rollouts;
      bar.tick(1, `${method} b${budget}`);
    }
    bar.stop();
    await policy.dispose?.();
  }
  await out.close();

  const summary: Record<string, unknown> = {
    out: values.out,
    methods,
    budgets,
    problems: problems.length,
    records: out.records.length,
    newRollouts: rollouts,
  };
  if (values.quality) {
    const ids = new Set(problems.map((p) => p.id));
    const rows = [];
    for (const method of methods) {
      for (const budget of budgets) {
        const recs = out.records.filter((r) =>
          r.method === method && r.budget === budget && r.seed === seed && ids.has(r.id)
        );
        rows.push({ method, budget, quality: labelQuality(recs, rng(seed)) });
      }
    }
    const table = qualityTable(rows);
    console.log(table);
    const doc = {
      command: `deno task label ${Deno.args.join(" ")}`,
      world,
      split: sim ? null : split,
      seed,
      k,
      temperature,
      policy: sim ? "simulated (lib/models/simulated)" : values.policy ?? "models/embedded",
      notes: [
        "budget = total rollouts per problem (sampling the solutions to label counts); labels compared with the synthetic step checker (step correct = prefix still on the gold path)",
        "positive class for F1 = step is an error (label 0); accuracy/first-error CIs are Wilson 95%, F1 CI is a per-problem bootstrap (500 rounds)",
        "labelled prefixes are deduplicated within a problem",
      ],
      rows,
      table,
    };
    await Deno.mkdir(values.quality.replace(/\/[^/]*$/, "") || ".", { recursive: true });
    await Deno.writeTextFile(values.quality, JSON.stringify(doc, null, 1) + "\n");
    summary.quality = values.quality;
  }
  console.log(JSON.stringify(summary));
}

if (import.meta.main) await runMain(main);
