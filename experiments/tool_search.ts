/**
 * Code steps: does running the tool-using policy's code make it more accurate, and does search
 * with code steps beat greedy decoding? The policy is `models/embedded-tools` (the embedded
 * Llama trained on `lib/tasks/tools.ts` solutions, AlphaMath's code-step layout); every arm but
 * `greedyNoExec` runs through {@linkcode toolPolicy}, so each `<code>` block runs in the pyodide
 * sandbox (`lib/sandbox`) and the search reads Python's output, not the model's guess.
 * `deno task repro tool_search [--limit N]`.
 *
 * The SBS and MCTS value is `oracle-tools`, the exact step checker of the tool world
 * (`toolCheckerScorer`): an oracle, an upper bound on what a learned value model could give. The
 * arms' configs say so (`/oracle-tools`).
 *
 * @example
 * ```ts
 * import { toolSearch } from "./tool_search.ts";
 * toolSearch.arms.map((a) => a.config); // ["greedyNoExec", "greedyExec", "majorityExec@8", ...]
 * ```
 *
 * @module
 */
import { createSandbox } from "../lib/sandbox/mod.ts";
import { MCTS_DEFAULTS } from "../lib/search/mcts.ts";
import { toolPolicy } from "../lib/search/tool_steps.ts";
import { alphamath } from "./alphamath.ts";
import type { Arm, Experiment, PolicyWrapper } from "./experiment.ts";
import { register } from "./registry.ts";

/** The model folder the experiment runs on unless `--model` / `--endpoint` names another. */
export const TOOL_MODEL = "models/embedded-tools";

/** Most new tokens of a whole solution (greedy, sampling). */
export const TOOL_SOLUTION_TOKENS = 1200;
/** Most new tokens of one code step (SBS, MCTS; a step with its code and output). */
export const TOOL_STEP_TOKENS = 160;
/** Most steps of a tree search. */
export const TOOL_MAX_STEPS = 12;
/** Samples of the majority vote. */
export const TOOL_MAJORITY_N = 8;
/** Sandbox workers and the time limit of one code execution (ms). */
export const TOOL_SANDBOX = { workers: 1, timeoutMs: 5_000 } as const;

/** The verifier of SBS and MCTS: the tool world's exact step checker (an oracle). */
export const TOOL_ORACLE = "oracle-tools";

/** What each arm does, in words (notebook tables). */
export const TOOL_ARM_TEXT: Record<string, string> = {
  greedyNoExec: "greedy, code not run (the model writes each output itself)",
  greedyExec: "greedy, code run in the sandbox",
  [`majorityExec@${TOOL_MAJORITY_N}`]:
    `majority vote over ${TOOL_MAJORITY_N} sampled solutions (T = 0.7), code run`,
  [`sbsExec@(2,5)/${TOOL_ORACLE}`]:
    "SBS(2, 5) (T = 0.7), code run, step value = exact checker (oracle)",
  [`mctsExec@${MCTS_DEFAULTS.iterations}/${TOOL_ORACLE}`]:
    `MCTS (${MCTS_DEFAULTS.iterations} simulations, ${MCTS_DEFAULTS.samplesPerNode} children, ` +
    `T = ${MCTS_DEFAULTS.temperature}), code run, step value = exact checker (oracle)`,
};

const ARMS: Arm[] = [
  {
    config: "greedyNoExec",
    method: "greedy",
    options: { maxTokens: TOOL_SOLUTION_TOKENS },
    rawPolicy: true,
    budget: 1,
  },
  {
    config: "greedyExec",
    method: "greedy",
    options: { maxTokens: TOOL_SOLUTION_TOKENS },
    paperMethod: "Greedy",
    budget: 1,
  },
  {
    config: `majorityExec@${TOOL_MAJORITY_N}`,
    method: "sampling",
    options: {
      n: TOOL_MAJORITY_N,
      select: "majority",
      temperature: 0.7,
      maxTokens: TOOL_SOLUTION_TOKENS,
    },
    budget: TOOL_MAJORITY_N,
  },
  {
    config: `sbsExec@(2,5)/${TOOL_ORACLE}`,
    method: "sbs",
    options: {
      beamWidth: 2,
      samplesPerNode: 5,
      temperature: 0.7,
      maxDepth: TOOL_MAX_STEPS,
      maxTokens: TOOL_STEP_TOKENS,
    },
    scorer: "value",
    verifier: TOOL_ORACLE,
    paperMethod: "SBS (B1=2)",
    budget: 10,
  },
  {
    config: `mctsExec@${MCTS_DEFAULTS.iterations}/${TOOL_ORACLE}`,
    method: "mcts",
    // AlphaMath's defaults (mcts_sft.yaml): 40 simulations, B2 = 5, c_puct 1.25, T = 0.6
    options: {
      iterations: MCTS_DEFAULTS.iterations,
      samplesPerNode: MCTS_DEFAULTS.samplesPerNode,
      cPuct: MCTS_DEFAULTS.cPuct,
      temperature: MCTS_DEFAULTS.temperature,
      maxDepth: TOOL_MAX_STEPS,
      maxTokens: TOOL_STEP_TOKENS,
    },
    scorer: "value",
    verifier: TOOL_ORACLE,
    paperMethod: "MCTS (B1=1)",
    budget: MCTS_DEFAULTS.iterations,
  },
];

/**
 * The policy wrapper of the experiment: {@linkcode toolPolicy} over a fresh pyodide sandbox
 * ({@linkcode TOOL_SANDBOX}), warmed before the first arm and closed after the last.
 *
 * @example
 * ```ts
 * TOOL_POLICY.describe; // "toolPolicy: AlphaMath code steps run in the pyodide sandbox ..."
 * ```
 */
export const TOOL_POLICY: PolicyWrapper = {
  describe: `toolPolicy: AlphaMath code steps run in the pyodide sandbox ` +
    `(${TOOL_SANDBOX.workers} worker, ${TOOL_SANDBOX.timeoutMs} ms per execution)`,
  async wrap(inner) {
    const sandbox = createSandbox({ ...TOOL_SANDBOX });
    try {
      await sandbox.warm();
    } catch (e) {
      await sandbox.close();
      throw e;
    }
    return {
      policy: toolPolicy(inner, { sandbox, timeoutMs: TOOL_SANDBOX.timeoutMs }),
      close: () => sandbox.close(),
    };
  },
};

/** The experiment. */
export const toolSearch: Experiment = {
  name: "tool_search",
  title: "Code steps: the tool-using policy with a Python sandbox, greedy vs search",
  paper: alphamath.paper,
  dataset: "synthetic",
  limit: 100,
  model: TOOL_MODEL,
  policy: TOOL_POLICY,
  description: "AlphaMath's policy writes Python in a step and reads what it prints " +
    "(`<code>…</code>` then `<output>…</output>`). Ours is `models/embedded-tools`, the " +
    "embedded Llama trained on code-step solutions of the synthetic task; every arm but " +
    "`greedyNoExec` runs each code block in the pyodide sandbox " +
    `(${TOOL_SANDBOX.timeoutMs / 1000} s per execution). Arms: greedy decoding without ` +
    "execution (the model writes each output itself) and with it, both up to " +
    `${TOOL_SOLUTION_TOKENS} tokens; a majority vote over ${TOOL_MAJORITY_N} samples at ` +
    "$T = 0.7$; SBS$(B_1 = 2, B_2 = 5)$ at $T = 0.7$; and MCTS with AlphaMath's defaults " +
    `(${MCTS_DEFAULTS.iterations} simulations, ${MCTS_DEFAULTS.samplesPerNode} children, ` +
    `$c_{\\text{puct}} = ${MCTS_DEFAULTS.cPuct}$, $T = ${MCTS_DEFAULTS.temperature}$), both ` +
    `with at most ${TOOL_STEP_TOKENS} tokens a step and ${TOOL_MAX_STEPS} steps. The value of ` +
    "SBS and MCTS is `oracle-tools`, the exact step checker: $V(s) = 1$ while the solution is " +
    "on the gold path, else $0$. It is an oracle, an upper bound on what a learned value model " +
    "could give, not a claim about one.",
  paperNumbers: alphamath.paperNumbers.filter((p) =>
    p.table === "Table 5" && p.metric === "accuracy %" &&
    ARMS.some((a) => a.paperMethod === p.method)
  ),
  arms: ARMS,
};

register(toolSearch);
