import assert from "node:assert/strict";
import type { Policy } from "../lib/core/types.ts";
import { MCTS_DEFAULTS } from "../lib/search/mcts.ts";
import { type Backend, openBackend, ROOT } from "./backends.ts";
import { type Experiment, experimentBackendFlags, runExperiment } from "./experiment.ts";
import type { RunRecord } from "./harness.ts";
import { experiments } from "./registry.ts";
import {
  TOOL_ARM_TEXT,
  TOOL_MODEL,
  TOOL_ORACLE,
  TOOL_POLICY,
  TOOL_SANDBOX,
  toolSearch,
} from "./tool_search.ts";

const arm = (config: string) => {
  const a = toolSearch.arms.find((x) => x.config === config);
  assert.ok(a, `no arm ${config}`);
  return a;
};

Deno.test("tool_search: the bench's five arms with its settings; the oracle value is named so", () => {
  assert.equal(experiments.tool_search, toolSearch);
  assert.equal(toolSearch.model, TOOL_MODEL);
  assert.equal(toolSearch.policy, TOOL_POLICY);
  assert.equal(toolSearch.limit, 100);
  assert.deepEqual(toolSearch.arms.map((a) => a.config), [
    "greedyNoExec",
    "greedyExec",
    "majorityExec@8",
    "sbsExec@(2,5)/oracle-tools",
    "mctsExec@40/oracle-tools",
  ]);
  // only greedyNoExec runs on the model without the sandbox
  assert.deepEqual(toolSearch.arms.filter((a) => a.rawPolicy).map((a) => a.config), [
    "greedyNoExec",
  ]);
  for (const c of ["greedyNoExec", "greedyExec"]) {
    assert.equal(arm(c).method, "greedy");
    assert.deepEqual(arm(c).options, { maxTokens: 1200 });
  }
  assert.deepEqual(arm("majorityExec@8").options, {
    n: 8,
    select: "majority",
    temperature: 0.7,
    maxTokens: 1200,
  });
  assert.deepEqual(arm("sbsExec@(2,5)/oracle-tools").options, {
    beamWidth: 2,
    samplesPerNode: 5,
    temperature: 0.7,
    maxDepth: 12,
    maxTokens: 160,
  });
  assert.deepEqual(arm("mctsExec@40/oracle-tools").options, {
    iterations: 40,
    samplesPerNode: 5,
    cPuct: 1.25,
    temperature: 0.6,
    maxDepth: 12,
    maxTokens: 160,
  });
  assert.equal(MCTS_DEFAULTS.iterations, 40, "AlphaMath's defaults");
  // the value of SBS and MCTS is the exact checker: an oracle, in the config, text and description
  const valued = toolSearch.arms.filter((a) => a.scorer);
  assert.deepEqual(valued.map((a) => a.method), ["sbs", "mcts"]);
  for (const a of valued) {
    assert.equal(a.scorer, "value");
    assert.equal(a.verifier, TOOL_ORACLE);
    assert.match(a.config, /oracle/);
    assert.match(TOOL_ARM_TEXT[a.config], /oracle/);
  }
  assert.match(toolSearch.description, /oracle/);
  assert.match(toolSearch.description, /T = 0\.7/);
  assert.deepEqual(TOOL_SANDBOX, { workers: 1, timeoutMs: 5_000 });
  for (const a of toolSearch.arms) assert.ok(TOOL_ARM_TEXT[a.config], a.config);
  // the AlphaMath rows the arms stand beside
  assert.deepEqual(toolSearch.paperNumbers.map((p) => [p.method, p.value]), [
    ["Greedy", 53.62],
    ["SBS (B1=2)", 64.66],
    ["MCTS (B1=1)", 64.02],
  ]);
});

Deno.test("experimentBackendFlags: the experiment's model unless the flags name a policy", () => {
  assert.deepEqual(experimentBackendFlags(toolSearch, { threads: 1 }), {
    threads: 1,
    model: `${ROOT}${TOOL_MODEL}`,
  });
  assert.deepEqual(experimentBackendFlags(toolSearch, { model: "m" }), { model: "m" });
  const endpoint = { endpoint: ["http://x/v1"] };
  assert.deepEqual(experimentBackendFlags(toolSearch, endpoint), endpoint);
  assert.deepEqual(experimentBackendFlags(toolSearch, { vllm: "q" }), { vllm: "q" });
  assert.deepEqual(experimentBackendFlags({}, {}), {});
});

/** The experiment with every search budget cut down, for a run of a few seconds. */
const tiny: Experiment = {
  ...toolSearch,
  arms: toolSearch.arms.map((a) => ({
    ...a,
    options: {
      ...a.options,
      ...(a.method === "sampling" ? { n: 2 } : {}),
      ...(a.method === "sbs" ? { beamWidth: 1, samplesPerNode: 2, maxDepth: 6 } : {}),
      ...(a.method === "mcts" ? { iterations: 3, samplesPerNode: 2, maxDepth: 6 } : {}),
    },
  })),
};

/** A backend whose policy counts its `extend` calls. */
function counting(backend: Backend): { backend: Backend; calls: () => number } {
  let calls = 0;
  const inner = backend.policy;
  const policy: Policy = {
    ...inner,
    name: inner.name,
    capabilities: inner.capabilities,
    start: (p) => inner.start(p),
    extend: (states, opts) => {
      calls++;
      return inner.extend(states, opts);
    },
  };
  return { backend: { ...backend, policy }, calls: () => calls };
}

const strip = (text: string) =>
  text.trim().split("\n").slice(1).map((l) => {
    const { wall_ms: _, ...r } = JSON.parse(l) as RunRecord;
    return r;
  });

Deno.test({
  name:
    "tool_search end to end: records through the sandbox, resume redoes nothing, same seed same records",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const opened = await openBackend(experimentBackendFlags(tiny, { threads: 1 }));
    try {
      const { backend, calls } = counting(opened);
      const run = (out: string, exp = tiny) =>
        runExperiment(exp, { backend, dir: out, seed: 3, limit: 2, concurrency: 2 });
      const summary = await run(`${dir}/a`);
      assert.equal(summary.model, TOOL_MODEL);
      assert.equal(summary.policy, TOOL_POLICY.describe);
      assert.deepEqual(summary.arms.map((a) => a.n_problems), [2, 2, 2, 2, 2]);
      assert.deepEqual(summary.arms.map((a) => a.scorer), [
        "none",
        "none",
        "none",
        TOOL_ORACLE,
        TOOL_ORACLE,
      ]);
      const text = await Deno.readTextFile(`${dir}/a/records.jsonl`);
      const { identity } = JSON.parse(text.split("\n")[0]);
      assert.equal(identity.model, TOOL_MODEL);
      assert.equal(identity.policy, TOOL_POLICY.describe);
      const fp = JSON.parse(await Deno.readTextFile(`${dir}/a/fingerprint.json`));
      assert.equal(fp.policy, TOOL_POLICY.describe);
      const records = strip(text);
      assert.equal(records.length, 10);
      // the sandbox ran the code: outputs in the executed arms come from Python
      const greedy = records.filter((r) => r.config === "greedyExec");
      assert.ok(greedy.every((r) => r.answer !== null), JSON.stringify(greedy));
      const made = calls();
      assert.ok(made > 0);

      // resume: nothing is redone, nothing is appended
      const again = await run(`${dir}/a`);
      assert.equal(calls(), made, "no policy call on resume");
      assert.equal(await Deno.readTextFile(`${dir}/a/records.jsonl`), text);
      assert.deepEqual(again.arms.map((a) => a.accuracy), summary.arms.map((a) => a.accuracy));

      // same seed, fresh folder: the same records (two problems run at once finish in either order)
      await run(`${dir}/b`);
      const byKey = (rs: typeof records) =>
        [...rs].sort((x, y) => `${x.config} ${x.id}`.localeCompare(`${y.config} ${y.id}`));
      assert.deepEqual(
        byKey(strip(await Deno.readTextFile(`${dir}/b/records.jsonl`))),
        byKey(records),
      );

      // another policy wrapper is refused before anything runs
      const other = { ...tiny, policy: { ...TOOL_POLICY, describe: "another wrapper" } };
      await assert.rejects(run(`${dir}/a`, other), /another policy/);
      assert.equal(await Deno.readTextFile(`${dir}/a/records.jsonl`), text);
    } finally {
      await opened.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
