/**
 * `deno task solve`: run one search method over a dataset, writing per-problem records as it goes
 * (a rerun skips the problems already done) and printing a JSON summary as the last stdout line.
 *
 * ```sh
 * deno task solve --method greedy --dataset synthetic --limit 500
 * deno task solve --method sampling --n 16 --dataset synthetic --limit 100 --seed 1
 * deno task solve --method beam --n 16 --m 4 --scorer prm --dataset synthetic --limit 50
 * deno task solve --method sbs --beam-width 2 --dataset gsm8k --endpoint http://gpu1:8000
 * ```
 *
 * Method flags are the method's options in kebab-case (`deno task solve --method beam --help`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadDataset } from "../lib/datasets/mod.ts";
import { GRADER_VERSION } from "../lib/grading/mod.ts";
import { methodOptions, methods, neededOptions } from "../lib/search/registry.ts";
import { type Flags, numberFlag, parseCli, runMain, usage, UsageError } from "../lib/runs/mod.ts";
import {
  BACKEND_FLAGS,
  deviceFlag,
  fromRoot,
  openBackend,
  ROOT,
  type ScorerKind,
  VERIFIER_HELP,
} from "./backends.ts";
import { fingerprint, verifierFiles } from "./fingerprint.ts";
import { runMethod, summarize } from "./harness.ts";

const COMMON = {
  method: { type: "string", value: "NAME", help: "search method (required)" },
  dataset: {
    type: "string",
    value: "synthetic|math500|gsm8k",
    help: "problems",
    default: "synthetic",
  },
  limit: { type: "string", value: "N", help: "first N problems (default all)" },
  seed: { type: "string", value: "S", help: "sampling seed", default: "0" },
  ...BACKEND_FLAGS,
  scorer: {
    type: "string",
    value: "V|none",
    help: "overrides whichever verifier the method uses",
  },
  out: {
    type: "string",
    value: "FILE",
    help: "per-problem records, resumable (default under results/solve)",
  },
  traces: { type: "string", value: "FILE", help: "search traces" },
  concurrency: { type: "string", value: "K", help: "problems in flight", default: "8" },
  threads: { type: "string", value: "N", help: "onnxruntime intra-op threads", default: "2" },
} satisfies Flags;

const USAGE = usage("solve", COMMON, {
  notes: `methods (sample = sampling; --method NAME --help lists its flags):
  ${Object.keys(methods).join(", ")}
${VERIFIER_HELP}`,
});

/** Parse flags in two passes: the method first, then its own options as flags. */
function parse(args: string[]) {
  const first = parseArgs({
    args,
    options: { ...COMMON, help: { type: "boolean", short: "h" } },
    strict: false,
    allowPositionals: true,
  });
  // `sample` is the runner issue's name for `sampling`
  const method = first.values.method === "sample" ? "sampling" : first.values.method;
  if (first.values.help && typeof method !== "string") return { help: USAGE };
  if (typeof method !== "string") {
    throw new UsageError(`missing required flag --method; ${USAGE.split("\n")[0]}`);
  }
  const spec = methods[method];
  if (!spec) {
    throw new UsageError(
      `--method: unknown method ${method}; known: ${Object.keys(methods).join(", ")}`,
    );
  }
  const own: Flags = {};
  for (const [key, d] of Object.entries(spec.defaults)) {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (flag in COMMON) continue; // --seed etc. are the run's own
    const value = typeof d === "number" ? "N" : typeof d === "boolean" ? "true|false" : "S";
    own[flag] = { type: "string", value, help: `${method} option (default ${d})` };
  }
  const table = { ...COMMON, ...own };
  const { values, positionals } = parseCli(args, table, false);
  if (values.help) return { help: usage("solve", table, { notes: `${method}: ${spec.describe}` }) };
  const flags: Record<string, string> = {};
  for (const key of Object.keys(own)) {
    const v = (values as Record<string, unknown>)[key];
    if (typeof v === "string") flags[key] = v;
  }
  let options: Record<string, unknown>;
  try {
    options = methodOptions(method, flags);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return { method, values, options, flags, positionals };
}

/** A stable label: the method and the flags that were given, sorted. */
export function configLabel(method: string, flags: Record<string, string>): string {
  const parts = Object.entries(flags).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) =>
    `${k}=${v}`
  );
  return parts.length ? `${method}(${parts.join(",")})` : method;
}

async function main() {
  const parsed = parse(Deno.args);
  if ("help" in parsed) {
    console.log(parsed.help);
    return;
  }
  const { method, values, options, flags } = parsed;
  const spec = methods[method];
  const seed = numberFlag("seed", values.seed, { integer: true });
  const limit = values.limit === undefined
    ? undefined
    : numberFlag("limit", values.limit, { integer: true, min: 1 });
  const concurrency = numberFlag("concurrency", values.concurrency, { integer: true, min: 1 });
  const role: ScorerKind = spec.role;
  const roleFlag = role === "prm" ? values.prm : values.value;
  const explicit = values.scorer ?? roleFlag;
  if (spec.needsScorer && explicit === "none") {
    throw new UsageError(`--scorer none: method ${method} needs a scorer`);
  }
  const useScorer = explicit !== "none" && (spec.needsScorer || explicit !== undefined);
  let problems;
  try {
    problems = await loadDataset(values.dataset!, { limit });
  } catch (e) {
    throw new UsageError(`--dataset: ${e instanceof Error ? e.message : e}`);
  }
  const backend = await openBackend({
    model: values.model,
    endpoint: values.endpoint,
    heads: values.heads,
    prm: values.prm,
    value: values.value,
    problems,
    vllm: values.vllm,
    vllmPrm: values["vllm-prm"],
    gpus: values.gpus?.split(",").map((g) => g.trim()).filter(Boolean),
    device: deviceFlag(values.device),
    batchInvariant: values["batch-invariant"],
    threads: numberFlag("threads", values.threads, { integer: true, min: 1 }),
  });
  try {
    const verifier = values.scorer && values.scorer !== "none"
      ? values.scorer
      : backend.verifier(role);
    const scorer = useScorer ? await backend.scorer(role, verifier) : undefined;
    Object.assign(options, await neededOptions(spec, backend));
    const config = configLabel(
      method,
      useScorer ? { ...flags, scorer: fromRoot(verifier) } : flags,
    );
    const { model_sha256, heads_sha256 } = await fingerprint({ backend });
    const identity = {
      dataset: values.dataset,
      seed,
      method,
      config,
      model: fromRoot(backend.describe.model),
      ...(backend.describe.endpoints ? { endpoints: backend.describe.endpoints } : {}),
      model_sha256,
      ...(backend.describe.batchInvariant ? { batch_invariant: true } : {}),
      ...(useScorer
        ? {
          verifier: fromRoot(verifier),
          verifier_files: await verifierFiles(verifier, backend.describe.heads),
        }
        : {}),
      ...(spec.needs.classifier ? { heads_sha256 } : {}),
      grader: GRADER_VERSION,
    };
    // the default file names the model and the seed, so another run goes to another file
    const safe = (x: string) => x.replace(/[^A-Za-z0-9@=,.:()_+-]+/g, "_");
    const out = values.out ??
      `${ROOT}results/solve/${safe(fromRoot(backend.describe.model))}/${values.dataset}-${
        safe(config)
      }-seed${seed}.jsonl`;
    const started = performance.now();
    const records = await runMethod({
      method,
      options,
      config,
      problems,
      policy: backend.policy,
      scorer,
      seed,
      out,
      traces: values.traces,
      concurrency,
      identity,
    });
    const summary = summarize(records, seed);
    console.log(JSON.stringify({
      method,
      config,
      dataset: values.dataset,
      model: fromRoot(backend.describe.model),
      seed,
      ...summary,
      run_wall_s: (performance.now() - started) / 1000,
      out,
    }));
  } finally {
    await backend.close();
  }
}

if (import.meta.main) await runMain(main);
