/**
 * `deno task verifiers`: how well each verifier ranks one problem's solutions, on one fixed set of
 * candidates (N samples per evaluation problem, drawn as `solve --method sampling` draws them).
 *
 * ```sh
 * deno task verifiers --limit 500 --n 16                  # every verifier below
 * deno task verifiers --verifiers logprob,oracle:0.1      # some of them
 * ```
 *
 * For each verifier: within-problem AUC of final solutions, step AUC by (problem, step index),
 * best-of-N and weighted majority against majority voting with paired bootstrap CIs
 * (`lib/metrics/verifier.ts`). Writes `results/verifiers/{candidates.jsonl, scores/*.jsonl,
 * summary.json}`; every part resumes.
 *
 * @module
 */
import { loadDataset } from "../lib/datasets/mod.ts";
import { graderSame, type VerifierReport, verifierReport } from "../lib/metrics/mod.ts";
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
import { fileSha256 } from "../lib/rewards/mod.ts";
import { EMBEDDED_PRM, fromRoot, openBackend, ROOT } from "./backends.ts";
import { verifierFiles } from "./fingerprint.ts";
import { type CandidateSet, sampleCandidates } from "./candidates.ts";

/** The verifiers a full run compares, best first as measured (README "Verifiers"). */
export const ALL_VERIFIERS = [
  "recompute-head",
  "recompute",
  "logprob",
  EMBEDDED_PRM,
  "prm-head",
  "value-head",
  "oracle",
  "oracle:0.1",
  "oracle:0.2",
] as const;

/** One verifier's line in summary.json. */
export interface VerifierRow extends VerifierReport {
  /** The spec as given to `--prm`. */
  verifier: string;
  /** The scorer's own name. */
  name: string;
  /** Wall time of scoring, seconds (only the part run in this invocation). */
  seconds: number;
}

/** Per-problem step scores of one verifier. */
interface ScoreRecord {
  id: string;
  scores: number[][];
}

/** A file name for a spec. */
const slug = (spec: string) => fromRoot(spec).replace(/[^A-Za-z0-9.-]+/g, "_");

/** Refuse to resume `path` when it was written for another identity; write it when new. */
async function guardIdentity(path: string, identity: Record<string, unknown>): Promise<void> {
  const want = JSON.stringify(identity);
  try {
    const have = JSON.stringify(JSON.parse(await Deno.readTextFile(path)));
    if (have !== want) {
      throw new Error(
        `${path}: made with ${have.slice(0, 120)}, now ${want.slice(0, 120)}; move it away`,
      );
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, JSON.stringify(identity, null, 1) + "\n");
  }
}

/**
 * Score every candidate set with `scorer` into `out` (resumed), `concurrency` problems at once.
 *
 * @example
 * ```ts
 * import type { CandidateSet } from "./candidates.ts";
 * declare const sets: CandidateSet[];
 * declare const scorer: import("../lib/core/types.ts").Scorer;
 * const scores = await scoreCandidates(sets, scorer, "results/tmp/s.jsonl", 8);
 * ```
 */
export async function scoreCandidates(
  sets: readonly CandidateSet[],
  scorer: import("../lib/core/types.ts").Scorer,
  out: string,
  concurrency = 8,
): Promise<Map<string, number[][]>> {
  const file = await openRecords<ScoreRecord>(out, (r) => r.id);
  const todo = sets.filter((s) => !file.done.has(s.id));
  const bar = progress(sets.length, scorer.name, sets.length - todo.length);
  const queue = [...todo];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const scores = await scorer.score(
        s.candidates.map((c) => ({ problem: s.problem, steps: c.steps })),
      );
      await file.append({ id: s.id, scores });
      bar.tick(1);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    bar.stop();
  }
  return new Map(file.records.map((r) => [r.id, r.scores]));
}

const FLAGS = {
  limit: { type: "string", value: "N", help: "evaluation problems", default: "500" },
  n: { type: "string", value: "N", help: "candidates per problem", default: "16" },
  temperature: { type: "string", value: "T", help: "sampling temperature", default: "0.8" },
  seed: { type: "string", value: "S", help: "sampling seed", default: "0" },
  verifiers: { type: "string", value: "A,B,...", help: "verifiers to score (default all)" },
  out: { type: "string", value: "DIR", help: "results folder (default results/verifiers)" },
  model: { type: "string", value: "DIR", help: "ONNX policy folder (default models/embedded)" },
  heads: { type: "string", value: "DIR", help: "folder of head files (default models/heads)" },
  concurrency: { type: "string", value: "K", help: "problems in flight", default: "8" },
} satisfies Flags;

async function main() {
  const { values } = parseCli(Deno.args, FLAGS, false);
  if (values.help) {
    console.log(usage("verifiers", FLAGS, {
      notes: `all verifiers: ${ALL_VERIFIERS.map(fromRoot).join(", ")}`,
    }));
    return;
  }
  const limit = numberFlag("limit", values.limit, { integer: true, min: 1 });
  const n = numberFlag("n", values.n, { integer: true, min: 2 });
  const temperature = numberFlag("temperature", values.temperature, { min: 0 });
  const seed = numberFlag("seed", values.seed, { integer: true });
  const concurrency = numberFlag("concurrency", values.concurrency, { integer: true, min: 1 });
  const specs = values.verifiers?.split(",").map((s) => s.trim()).filter(Boolean) ??
    [...ALL_VERIFIERS];
  if (specs.length === 0) throw new UsageError("--verifiers: give at least one verifier");
  const dir = values.out ?? `${ROOT}results/verifiers`;
  const problems = await loadDataset("synthetic", { limit });
  const backend = await openBackend({ model: values.model, heads: values.heads, problems });
  try {
    const modelSha = await fileSha256(`${backend.describe.model}/onnx/model.onnx`);
    await guardIdentity(`${dir}/identity.json`, { model_sha256: modelSha, seed, n, temperature });
    const sets = await sampleCandidates(problems, backend.policy, {
      n,
      temperature,
      seed,
      out: `${dir}/candidates.jsonl`,
      concurrency,
    });
    const rows: VerifierRow[] = [];
    for (const spec of specs) {
      const scorer = await backend.scorer("prm", spec);
      const out = `${dir}/scores/${slug(spec)}.jsonl`;
      await guardIdentity(`${out.slice(0, -6)}.identity.json`, {
        verifier: fromRoot(spec),
        files: await verifierFiles(spec, backend.describe.heads),
      });
      const started = performance.now();
      const scores = await scoreCandidates(sets, scorer, out, concurrency);
      const seconds = (performance.now() - started) / 1000;
      const report = verifierReport(
        sets.map((s) =>
          s.candidates.map((c, i) => ({
            answer: c.answer,
            correct: c.correct,
            stepScores: scores.get(s.id)![i],
            stepTruth: c.truth,
          }))
        ),
        { seed, same: graderSame },
      );
      rows.push({ verifier: fromRoot(spec), name: scorer.name, seconds, ...report });
      const pct = (x: number) => (100 * x).toFixed(1);
      console.error(
        `${fromRoot(spec)}: final AUC ${report.finalAuc.toFixed(3)}, step AUC ${
          report.stepAuc?.toFixed(3)
        }, BoN ${pct(report.bestOfN.mean)} (${pct(report.bestOfNVsMajority.lo)}..${
          pct(report.bestOfNVsMajority.hi)
        } vs maj ${pct(report.majority.mean)}), wmaj ${pct(report.weightedMajority.mean)}`,
      );
    }
    // rows of verifiers not run now stay as they were
    const old = await Deno.readTextFile(`${dir}/summary.json`).then(
      (t) => JSON.parse(t).verifiers as VerifierRow[],
      () => [] as VerifierRow[],
    );
    const ran = new Set(rows.map((r) => r.verifier));
    const kept = old.filter((r) => !ran.has(r.verifier) && r.problems === sets.length);
    const summary = {
      model: fromRoot(backend.describe.model),
      dataset: "synthetic",
      limit: sets.length,
      n,
      temperature,
      seed,
      command: `deno task verifiers --limit ${limit} --n ${n} --seed ${seed}`,
      finished: new Date().toISOString(),
      verifiers: [...rows, ...kept],
    };
    await Deno.writeTextFile(`${dir}/summary.json`, JSON.stringify(summary, null, 1) + "\n");
    console.log(JSON.stringify({
      limit: sets.length,
      n,
      verifiers: rows.map((r) => ({
        verifier: r.verifier,
        finalAuc: r.finalAuc,
        bestOfN: r.bestOfN.mean,
        vsMajority: r.bestOfNVsMajority,
      })),
    }));
  } finally {
    await backend.close();
  }
}

if (import.meta.main) await runMain(main);
