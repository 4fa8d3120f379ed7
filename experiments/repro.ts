/**
 * `deno task repro <name>`: run one paper reproduction on the embedded default (or a real model
 * with `--model DIR` / `--endpoint URL`), resumable, into `results/<name>/`.
 *
 * ```sh
 * deno task repro --list
 * deno task repro alphamath --limit 100 --seed 0
 * deno task repro particle_filter --endpoint http://gpu1:8000/v1 --endpoint http://gpu2:8000/v1
 * ```
 *
 * @module
 */
import { type Flags, numberFlag, parseCli, runMain, usage, UsageError } from "../lib/runs/mod.ts";
import { BACKEND_FLAGS, deviceFlag, openBackend, ROOT, VERIFIER_HELP } from "./backends.ts";
import { experimentBackendFlags, runExperiment } from "./experiment.ts";
import "./all.ts";
import { experiments } from "./registry.ts";

const FLAGS = {
  limit: { type: "string", value: "N", help: "first N problems (default the experiment's limit)" },
  seed: { type: "string", value: "S", help: "sampling seed", default: "0" },
  ...BACKEND_FLAGS,
  only: { type: "string", value: "CONFIG,...", help: "these arms only (commas in (...) kept)" },
  out: { type: "string", value: "DIR", help: "where records go (default results/NAME)" },
  concurrency: { type: "string", value: "K", help: "problems in flight (default 8)" },
  list: { type: "boolean", help: "list the experiments" },
} satisfies Flags;

const USAGE = usage("repro", FLAGS, {
  positionals: "NAME",
  notes: `${VERIFIER_HELP}\nexperiments: ${Object.keys(experiments).join(", ")}`,
});

/**
 * Split a `--only` list at its commas, but not at those inside parentheses, which belong to a
 * config label (`sbs@(2,5)`).
 *
 * @example
 * ```ts
 * splitConfigs("greedy, sbs@(2,5)/oracle-tools"); // ["greedy", "sbs@(2,5)/oracle-tools"]
 * ```
 */
export function splitConfigs(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const c = list[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (i === list.length || (c === "," && depth === 0)) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  return out.filter((s) => s.length > 0);
}

async function main() {
  const { values, positionals } = parseCli(Deno.args, FLAGS);
  if (values.help) return console.log(USAGE);
  if (values.list) {
    for (const e of Object.values(experiments)) console.log(`${e.name}\t${e.title}`);
    return;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`expected one experiment name; ${USAGE.split("\n")[0]}`);
  }
  const exp = experiments[positionals[0]];
  if (!exp) {
    throw new UsageError(
      `unknown experiment ${positionals[0]}; known: ${Object.keys(experiments).join(", ")}`,
    );
  }
  const seed = numberFlag("seed", values.seed, { integer: true });
  const limit = values.limit === undefined
    ? undefined
    : numberFlag("limit", values.limit, { integer: true, min: 1 });
  const only = values.only === undefined ? undefined : splitConfigs(values.only);
  for (const c of only ?? []) {
    if (!exp.arms.some((a) => a.config === c)) {
      throw new UsageError(
        `--only: ${exp.name} has no arm ${c}; arms: ${exp.arms.map((a) => a.config).join(", ")}`,
      );
    }
  }
  const dir = values.out ?? `${ROOT}results/${exp.name}`;
  await Deno.mkdir(dir, { recursive: true });
  // an experiment on another model folder (tool_search) runs on it unless the flags name one
  const backend = await openBackend(experimentBackendFlags(exp, {
    model: values.model,
    endpoint: values.endpoint,
    heads: values.heads,
    prm: values.prm,
    value: values.value,
    vllm: values.vllm,
    vllmPrm: values["vllm-prm"],
    gpus: values.gpus?.split(",").map((g) => g.trim()).filter(Boolean),
    device: deviceFlag(values.device),
    batchInvariant: values["batch-invariant"],
  }));
  try {
    const summary = await runExperiment(exp, {
      backend,
      dir,
      seed,
      limit,
      only,
      concurrency: values.concurrency === undefined
        ? undefined
        : numberFlag("concurrency", values.concurrency, { integer: true, min: 1 }),
      command: `deno task repro ${["", ...Deno.args].join(" ").trim()}`,
    });
    for (const a of summary.arms) {
      const ci = a.ci95.map((x) => x.toFixed(3)).join("-");
      console.error(
        `${a.config.padEnd(28)} acc ${a.accuracy.toFixed(3)} [${ci}] tokens/problem ${
          a.tokens_per_problem.toFixed(0)
        }`,
      );
    }
    console.log(JSON.stringify({ dir, ...summary, paperNumbers: undefined }));
  } finally {
    await backend.close();
  }
}

if (import.meta.main) await runMain(main);
