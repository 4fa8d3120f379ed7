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
import { numberFlag, parseCli, runMain, UsageError } from "../lib/runs/mod.ts";
import {
  DEFAULT_VERIFIER,
  deviceFlag,
  fromRoot,
  openBackend,
  ROOT,
  type ScorerKind,
  VERIFIER_NAMES,
} from "./backends.ts";
import { fingerprint, verifierFiles } from "./fingerprint.ts";
import { runMethod, summarize } from "./harness.ts";

const COMMON = {
  method: { type: "string" },
  dataset: { type: "string", default: "synthetic" },
  limit: { type: "string" },
  seed: { type: "string", default: "0" },
  model: { type: "string" },
  endpoint: { type: "string", multiple: true },
  heads: { type: "string" },
  scorer: { type: "string" },
  prm: { type: "string" },
  value: { type: "string" },
  vllm: { type: "string" },
  "vllm-prm": { type: "string" },
  gpus: { type: "string" },
  device: { type: "string" },
  out: { type: "string" },
  traces: { type: "string" },
  concurrency: { type: "string", default: "8" },
  threads: { type: "string", default: "2" },
  help: { type: "boolean", short: "h" },
} as const;

const USAGE = `usage: deno task solve --method NAME [--dataset synthetic|math500|gsm8k] [--limit N]
  [--seed S] [--model DIR | --endpoint URL ...] [--prm V] [--value V] [--scorer V|none]
  [--out FILE] [--traces FILE] [--concurrency K] [method flags]
methods: ${Object.keys(methods).join(", ")} (sample = sampling)
V, a verifier: ${VERIFIER_NAMES.join(", ")}, an ONNX PRM folder (models/prm) or a /pooling URL;
  --prm serves best-of-N, weighted majority, beam, DVTS and PF, --value SBS, MCTS, rStar and TSMC
  (default ${DEFAULT_VERIFIER}); --scorer overrides whichever the method uses`;

/** Parse flags in two passes: the method first, then its own options as flags. */
function parse(args: string[]) {
  const first = parseArgs({ args, options: COMMON, strict: false, allowPositionals: true });
  // `sample` is the runner issue's name for `sampling`
  const method = first.values.method === "sample" ? "sampling" : first.values.method;
  if (first.values.help && typeof method !== "string") return { help: USAGE };
  if (typeof method !== "string") throw new UsageError(`missing required flag --method\n${USAGE}`);
  const spec = methods[method];
  if (!spec) {
    throw new UsageError(
      `--method: unknown method ${method}; known: ${Object.keys(methods).join(", ")}`,
    );
  }
  const own: Record<string, { type: "string" }> = {};
  for (const key of Object.keys(spec.defaults)) {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!(flag in COMMON)) own[flag] = { type: "string" }; // --seed etc. are the run's own
  }
  const { values, positionals } = parseCli(args, { ...COMMON, ...own }, false);
  if (values.help) {
    const lines = Object.entries(spec.defaults).map(([k, v]) =>
      `  --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} (default ${v})`
    );
    return { help: `${method}: ${spec.describe}\n${lines.join("\n")}` };
  }
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
