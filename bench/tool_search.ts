/**
 * Measured result: does code execution make the tool-using policy (`models/embedded-tools`,
 * trained on `lib/tasks/tools.ts` solutions) more accurate, and does search with code steps beat
 * greedy decoding? On the first `--n` problems of the synthetic evaluation split:
 *
 * - `greedyNoExec`: greedy decoding of the raw policy (the model must write every output itself);
 * - `greedyExec`: greedy decoding through {@linkcode toolPolicy} (outputs come from the sandbox);
 * - `majorityExec`: majority vote over `--samples` sampled solutions with code execution
 *   (no verifier);
 * - `sbsExec`: AlphaMath SBS(B1, B2) with code execution, valued by the oracle step checker
 *   ({@linkcode toolCheckerScorer}: an upper-bound verifier, not a learned model);
 * - `mctsExec`: AlphaMath MCTS with its default settings (40 simulations, 5 children per
 *   expansion, c_puct 1.25, T 0.6), code execution and the same oracle value.
 *
 * Accuracy is an exact match of the last `\boxed{}` with the gold answer (as train.py). Writes one
 * JSON file (default `results/tool_search.json`) with the numbers, per-level accuracy, sandbox
 * counters and the command line.
 *
 * ```sh
 * deno run -A bench/tool_search.ts --model models/embedded-tools --n 60 --out results/tool_search.json
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { bootstrapCI, pairedBootstrapCI } from "../lib/metrics/bootstrap.ts";
import type { Policy, Scorer, SearchResult } from "../lib/core/types.ts";
import { createOnnxPolicy } from "../lib/models/onnx/mod.ts";
import { createSandbox } from "../lib/sandbox/mod.ts";
import { greedySearch } from "../lib/search/greedy.ts";
import { mcts, MCTS_DEFAULTS } from "../lib/search/mcts.ts";
import { samplingSearch } from "../lib/search/sampling.ts";
import { sbs } from "../lib/search/sbs.ts";
import { toolPolicy } from "../lib/search/tool_steps.ts";
import { evalSplit, extractBoxed, type SyntheticProblem } from "../lib/tasks/mod.ts";
import { toolCheckerScorer } from "../lib/tasks/tools.ts";

/** Options of {@linkcode benchToolSearch}. */
export interface ToolSearchOptions {
  /** Model folder (default `models/embedded-tools`). */
  model?: string;
  /** Evaluation problems (default 60). */
  n?: number;
  /** Samples of the majority vote (default 8). */
  samples?: number;
  /** Methods to run (default all). */
  methods?: string[];
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

type Method = (p: SyntheticProblem) => Promise<SearchResult>;

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Run the comparison; returns the record written by the CLI.
 *
 * @example
 * ```ts ignore
 * const r = await benchToolSearch({ n: 20, methods: ["greedyNoExec", "greedyExec"] });
 * ```
 */
export async function benchToolSearch(
  options: ToolSearchOptions = {},
): Promise<Record<string, unknown>> {
  const model = options.model ?? "models/embedded-tools";
  const n = options.n ?? 60;
  const samples = options.samples ?? 8;
  const log = options.log ?? (() => {});
  const problems = evalSplit().slice(0, n);
  const raw = await createOnnxPolicy(model, { intraOpNumThreads: 1 });
  const sandbox = createSandbox({ workers: 1, timeoutMs: 5_000 });
  const policy: Policy = toolPolicy(raw, { sandbox, timeoutMs: 5_000 });
  const scorer: Scorer = toolCheckerScorer(problems);
  const stepTokens = 160;
  const methods: Record<string, Method> = {
    greedyNoExec: (p) => greedySearch(p, raw, undefined, { maxTokens: 1200 }),
    greedyExec: (p) => greedySearch(p, policy, undefined, { maxTokens: 1200 }),
    majorityExec: (p) =>
      samplingSearch(p, policy, undefined, {
        n: samples,
        temperature: 0.7,
        maxTokens: 1200,
        select: "majority",
        seed: 1,
      }),
    sbsExec: (p) =>
      sbs(p, policy, scorer, {
        beamWidth: 2,
        samplesPerNode: 5,
        maxDepth: 12,
        temperature: 0.7,
        maxTokens: stepTokens,
        seed: 1,
      }),
    mctsExec: (p) =>
      // AlphaMath's defaults (MCTS_DEFAULTS: 40 simulations, 5 children, c_puct 1.25, T 0.6)
      mcts(p, policy, scorer, { maxDepth: 12, maxTokens: stepTokens, seed: 1 }),
  };
  const chosen = options.methods ?? Object.keys(methods);
  const out: Record<string, unknown> = {};
  const solved: Record<string, number[]> = {};
  try {
    await sandbox.warm();
    for (const name of chosen) {
      const method = methods[name];
      if (!method) throw new Error(`unknown method ${name}`);
      const t0 = performance.now();
      let correct = 0;
      let tokens = 0;
      const byLevel: Record<string, [number, number]> = {};
      const right: number[] = (solved[name] = []);
      for (const p of problems) {
        const r = await method(p);
        const answer = r.answer === null
          ? null
          : (extractBoxed(`\\boxed{${r.answer}}`) ?? r.answer);
        const ok = answer !== null && answer.trim() === p.answer;
        if (ok) correct++;
        right.push(ok ? 1 : 0);
        tokens += r.cost.tokens;
        const lv = (byLevel[p.level] ??= [0, 0]);
        lv[0] += ok ? 1 : 0;
        lv[1]++;
      }
      const ci = bootstrapCI(right, { seed: 0 });
      out[name] = {
        accuracy: correct / problems.length,
        ci95: [r3(ci.lo), r3(ci.hi)],
        correct,
        n: problems.length,
        byLevel: Object.fromEntries(
          Object.entries(byLevel).map(([k, [c, t]]) => [k, Math.round((c / t) * 1000) / 1000]),
        ),
        tokensPerProblem: Math.round(tokens / problems.length),
        seconds: Math.round((performance.now() - t0) / 100) / 10,
      };
      log(`${name}: ${JSON.stringify(out[name])}`);
    }
  } finally {
    await sandbox.close();
    await raw.dispose();
  }
  // paired on the same problems: each search against greedy decoding with code execution
  const vsGreedy: Record<string, unknown> = {};
  for (const name of Object.keys(solved)) {
    if (name === "greedyExec" || !solved.greedyExec) continue;
    const d = pairedBootstrapCI(solved[name], solved.greedyExec, { seed: 0 });
    vsGreedy[name] = { difference: r3(d.mean), ci95: [r3(d.lo), r3(d.hi)] };
  }
  return {
    model,
    problems: `evalSplit().slice(0, ${n})`,
    methods: out,
    vsGreedyExec: vsGreedy,
    solved: { ids: problems.map((p) => p.id), ...solved },
    toolStats: (policy as ReturnType<typeof toolPolicy>).stats(),
    settings: {
      majorityExec: { n: samples, temperature: 0.7 },
      sbsExec: { beamWidth: 2, samplesPerNode: 5, temperature: 0.7, value: "oracle step checker" },
      mctsExec: {
        iterations: MCTS_DEFAULTS.iterations,
        samplesPerNode: MCTS_DEFAULTS.samplesPerNode,
        cPuct: MCTS_DEFAULTS.cPuct,
        temperature: MCTS_DEFAULTS.temperature,
        value: "oracle step checker",
      },
      sandbox: { workers: 1, timeoutMs: 5000 },
    },
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      model: { type: "string" },
      n: { type: "string" },
      samples: { type: "string" },
      methods: { type: "string" },
      out: { type: "string" },
    },
  });
  const record = await benchToolSearch({
    model: values.model,
    n: values.n ? Number(values.n) : undefined,
    samples: values.samples ? Number(values.samples) : undefined,
    methods: values.methods?.split(","),
    log: (l) => console.error(l),
  });
  const full = { command: `deno run -A bench/tool_search.ts ${Deno.args.join(" ")}`, ...record };
  const path = values.out ?? "results/tool_search.json";
  await Deno.mkdir(path.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(full, null, 2) + "\n");
  console.log(JSON.stringify(full));
}
