import assert from "node:assert/strict";
import { loadDataset } from "../lib/datasets/mod.ts";
import type { ArmSummary, Experiment, ExperimentContext, ExperimentSummary } from "./experiment.ts";
import type { RunRecord } from "./harness.ts";
import {
  accuracyVsTokensFigure,
  accuracyVsTokensSeries,
  armFamily,
  armRows,
  backendFromEnv,
  compareArms,
  drawTrace,
  fingerprint,
  inJupyter,
  loadOrRun,
  paperVsOurs,
  paperVsOursRows,
  pickTrace,
  planLoad,
  provenance,
  readingLines,
  SHAPE_NOT_LEVEL,
  texText,
  toolSearchTable,
  type TraceRow,
} from "./notebook.ts";

const env = (vars: Record<string, string>) => new Map(Object.entries(vars));

function arm(config: string, accuracy: number, tokens: number, extra: Partial<ArmSummary> = {}) {
  return {
    config,
    method: config.split("@")[0],
    scorer: "none",
    n_problems: 10,
    accuracy,
    ci95: [accuracy - 0.1, accuracy + 0.1] as [number, number],
    tokens_generated: tokens * 10,
    tokens_per_problem: tokens,
    policy_calls: 10,
    scorer_calls: 0,
    wall_s: 5,
    s_per_problem: 0.5,
    ...extra,
  } satisfies ArmSummary;
}

const summary: ExperimentSummary = {
  name: "kit",
  title: "Kit test",
  paper: "A paper",
  model: "models/embedded",
  dataset: "synthetic",
  seed: 0,
  limit: 2,
  command: "deno task repro kit --limit 2",
  finished: "2026-11-25T00:00:00.000Z",
  arms: [
    arm("greedy", 0.3, 100, { paperMethod: "Pass@1" }),
    arm("maj@4", 0.4, 400),
    arm("maj@16", 0.5, 1600, { paperMethod: "BoN" }),
  ],
  paperNumbers: [
    { table: "T1", method: "Pass@1", setting: "7B", metric: "acc", value: 26.8, source: "src A" },
    {
      table: "T1",
      method: "BoN",
      setting: "7B",
      metric: "acc",
      value: 46.6,
      source: "src A",
      unverified: true,
    },
    { table: "T2", method: "TSMC", setting: "7B", metric: "acc", value: null, source: "src B" },
  ],
};

Deno.test("planLoad: REPRO_LIMIT means a fresh CI run in results/tmp/<name>-<limit>", () => {
  assert.deepEqual(planLoad("x", { env: env({ REPRO_LIMIT: "3" }), resultsDir: "/r" }), {
    mode: "ci",
    dir: "/r/tmp/x-3",
    limit: 3,
  });
  assert.throws(() => planLoad("x", { env: env({ REPRO_LIMIT: "0" }) }), RangeError);
  assert.throws(() => planLoad("x", { env: env({ REPRO_LIMIT: "abc" }) }), RangeError);
});

Deno.test("planLoad: committed when summary.json exists, else a small fresh run", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.deepEqual(planLoad("x", { env: env({}), resultsDir: root, freshLimit: 4 }), {
      mode: "fresh",
      dir: `${root}/tmp/x-4`,
      limit: 4,
    });
    await Deno.mkdir(`${root}/x`);
    await Deno.writeTextFile(`${root}/x/summary.json`, "{}");
    assert.deepEqual(planLoad("x", { env: env({}), resultsDir: root }).mode, "committed");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadOrRun: reads a committed run and keeps only its arms and first problems", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = `${root}/kit`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(`${dir}/summary.json`, JSON.stringify(summary));
    const ids = (await loadDataset("synthetic", { limit: 3 })).map((p) => p.id);
    const rec = (config: string, id: string) =>
      ({
        config,
        method: "greedy",
        id,
        gold: "1",
        answer: "1",
        correct: true,
        candidates: [],
        tokens: 1,
        policy_calls: 1,
        scorer_calls: 0,
        wall_ms: 1,
        seed: 0,
      }) satisfies RunRecord;
    const lines = [
      rec("greedy", ids[0]),
      rec("greedy", ids[1]),
      rec("greedy", ids[2]), // beyond the summary's limit of 2
      rec("old-arm", ids[0]), // not in the summary
    ];
    await Deno.writeTextFile(
      `${dir}/records.jsonl`,
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
    const trace: TraceRow = {
      config: "greedy",
      id: ids[0],
      trace: { kind: "samples", nodes: [{ id: 0, parent: null, text: "", depth: 0 }] },
    };
    await Deno.writeTextFile(`${dir}/traces.jsonl`, JSON.stringify(trace) + "\n");
    const exp = { name: "kit" } as Experiment;
    const run = await loadOrRun(exp, { env: env({}), resultsDir: root });
    assert.deepEqual(run.mode, "committed");
    assert.deepEqual(run.records.map((r) => r.id), [ids[0], ids[1]]);
    assert.deepEqual(run.traces.length, 1);
    assert.match(provenance(run).html, /committed/);
    assert.match(provenance(run).html, /deno task repro kit --limit 2/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadOrRun: a malformed record line names the file and line; a torn last line is skipped", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/kit`);
    await Deno.writeTextFile(`${root}/kit/summary.json`, JSON.stringify(summary));
    await Deno.writeTextFile(`${root}/kit/records.jsonl`, '{oops\n{"config":"greedy","id":"a"}\n');
    await assert.rejects(
      () => loadOrRun({ name: "kit" } as Experiment, { env: env({}), resultsDir: root }),
      /records\.jsonl:1/,
    );
    await Deno.writeTextFile(`${root}/kit/records.jsonl`, "");
    await Deno.writeTextFile(`${root}/kit/traces.jsonl`, '{"config":"greedy","id":"a","tr');
    const run = await loadOrRun({ name: "kit" } as Experiment, { env: env({}), resultsDir: root });
    assert.deepEqual(run.traces, [], "the torn trace line of a killed run is skipped");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("paperVsOursRows: matched pairs, arms without a paper row, unmatched paper rows", () => {
  const rows = paperVsOursRows(summary);
  assert.deepEqual(rows.map((r) => [r.arm, r.paper_method]), [
    ["greedy", "Pass@1"],
    ["maj@4", null],
    ["maj@16", "BoN"],
    [null, "TSMC"],
  ]);
  assert.deepEqual(rows[0].ours, 30);
  assert.deepEqual(rows[0].paper, 26.8);
  assert.deepEqual(rows[2].flag, "[UNVERIFIED]");
  assert.deepEqual(rows[3].flag, "not recovered");
  assert.deepEqual(rows[3].ours, null);
  assert.deepEqual(
    paperVsOursRows(summary, { metrics: ["none"] }).map((r) => r.paper_method),
    [null, null, null],
  );
  const view = paperVsOurs(summary);
  // the table holds aligned rows only; the rest are named below it
  assert.equal(view.text.split("\n").filter((l) => /\bnull\b/.test(l)).length, 0);
  assert.match(view.text, /Our arms without a paper number: maj@4\./);
  assert.match(
    view.text,
    /Paper numbers without one of ours: TSMC \(.*not recovered, no arm; src B\)/,
  );
  assert(view.html.includes("[UNVERIFIED]"));
  assert(view.html.includes(SHAPE_NOT_LEVEL.slice(0, 40)));
  assert(view.html.includes("src B"));
});

Deno.test("accuracyVsTokensSeries: one series per family, CI per point", () => {
  assert.deepEqual(armFamily({ config: "sbs@(1,5)" }), "sbs");
  assert.deepEqual(armFamily({ config: "greedy" }), "greedy");
  const series = accuracyVsTokensSeries(summary);
  assert.deepEqual(series.map((s) => [s.name, s.points.length]), [["greedy", 1], ["maj", 2]]);
  assert.deepEqual(series[1].points[1], { tokens: 1600, value: 0.5, lo: 0.4, hi: 0.6 });
  const fig = accuracyVsTokensFigure(summary);
  assert.deepEqual((fig.layout!.yaxis as { range: number[] }).range.map((x) => x.toFixed(2)), [
    "0.00",
    "0.66",
  ]);
  const maj = fig.data.find((t) => t.name === "maj")!;
  assert.deepEqual((maj.error_y as { array: number[] }).array.map((x) => x.toFixed(2)), [
    "0.10",
    "0.10",
  ]);
});

Deno.test("armRows and pickTrace / drawTrace", () => {
  const rows = armRows(summary);
  assert.deepEqual(rows[0]["accuracy %"], 30);
  assert.deepEqual(rows[0]["95% CI"], "[20.0,\u00a040.0]");
  assert.equal(rows[0].samples, undefined); // no arm re-read another's samples
  const shared = { ...summary, arms: [summary.arms[0], { ...summary.arms[1], shared_samples: 2 }] };
  assert.deepEqual(armRows(shared).map((r) => r.samples), [
    "drawn",
    "re-read on 2 problems (s/problem = scoring only)",
  ]);
  const traces: TraceRow[] = [
    { config: "a", id: "1", trace: { kind: "tree", nodes: [] } },
    {
      config: "b",
      id: "2",
      trace: { kind: "tree", nodes: [{ id: 0, parent: null, text: "root", depth: 0 }] },
    },
  ];
  assert.deepEqual(pickTrace(traces, "b")?.id, "2");
  assert.deepEqual(pickTrace(traces, "b", "9"), null);
  assert(drawTrace(traces, "b").html.includes("<svg"));
  assert(drawTrace(traces, "zzz").html.includes("No stored trace"));
});

Deno.test("texText: formulas through KaTeX, the rest escaped", () => {
  const html = texText("a <b> `code` and $x^2$ then $$y$$");
  assert(html.includes("a &lt;b&gt; <code>code</code> and "));
  assert.equal((html.match(/class="katex"/g) ?? []).length, 2);
  assert(html.includes("katex-display"));
});

Deno.test("compareArms: paired difference on shared problems", () => {
  const r = (config: string, id: string, correct: boolean, tokens: number) =>
    ({
      config,
      method: "x",
      id,
      gold: "1",
      answer: null,
      correct,
      candidates: [],
      tokens,
      policy_calls: 0,
      scorer_calls: 0,
      wall_ms: 0,
      seed: 0,
    }) satisfies RunRecord;
  const records = [
    r("a", "1", true, 10),
    r("a", "2", true, 10),
    r("a", "3", false, 10),
    r("b", "1", false, 20),
    r("b", "2", true, 20),
    r("b", "9", true, 20),
  ];
  const d = compareArms(records, "a", "b")!;
  assert.equal(d.n, 2);
  assert.equal(d.diff, 0.5);
  assert.equal(d.tokensA, 10);
  assert.equal(d.tokensB, 20);
  assert.equal(compareArms(records, "a", "zzz"), null);
  const lines = readingLines({ summary, records }, [["a", "b"]]);
  assert.match(lines[1], /Most accurate arm: maj@16/);
  assert.match(lines.at(-1)!, /^a vs b: \+50\.0 points .* at 0\.5× the tokens/);
});

Deno.test("backendFromEnv: REPRO_MODEL / REPRO_ENDPOINT / REPRO_HEADS", () => {
  assert.deepEqual(backendFromEnv(env({})), {});
  assert.deepEqual(
    backendFromEnv(env({ REPRO_ENDPOINT: "http://a/v1, http://b/v1", REPRO_HEADS: "/h" })),
    { endpoint: ["http://a/v1", "http://b/v1"], heads: "/h" },
  );
});

Deno.test("inJupyter: false outside the kernel", () => {
  assert.equal(inJupyter(), false);
});

Deno.test("fingerprint: hashes of the model and head files, shown by provenance", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/model/onnx`, { recursive: true });
    await Deno.writeTextFile(`${dir}/model/onnx/model.onnx`, "abc");
    await Deno.mkdir(`${dir}/heads`);
    await Deno.writeTextFile(`${dir}/heads/prm.json`, "abc");
    const ctx = {
      backend: {
        describe: { model: `${dir}/model`, heads: `${dir}/heads`, prm: "oracle", value: "oracle" },
      },
    } as unknown as ExperimentContext;
    const extra = await fingerprint(ctx);
    const sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert.equal(extra.model_sha256, sha);
    assert.deepEqual(extra.heads_sha256, { prm: sha });
    const html = provenance({ ...summary, extra }).html;
    assert(html.includes(sha));
    assert(html.includes("prm ba7816bf8f01cfea…"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("toolSearchTable: each arm in words, solved counts, paired difference from greedyExec", () => {
  const r = (config: string, id: string, correct: boolean) =>
    ({
      config,
      method: "x",
      id,
      gold: "1",
      answer: null,
      correct,
      candidates: [],
      tokens: 10,
      policy_calls: 1,
      scorer_calls: 0,
      wall_ms: 5,
      seed: 0,
    }) satisfies RunRecord;
  const ids = ["a", "b", "c", "d", "e"];
  const sbs = "sbsExec@(2,5)/oracle-tools";
  const records = [
    ...ids.map((id, i) => r("greedyExec", id, i < 2)),
    ...ids.map((id, i) => r(sbs, id, i < 4)),
  ];
  const tools: ExperimentSummary = {
    ...summary,
    name: "tool_search",
    model: "models/embedded-tools",
    policy: "toolPolicy: code run in a sandbox",
    limit: 5,
    arms: [arm("greedyExec", 0.4, 10), arm(sbs, 0.8, 10)],
  };
  const view = toolSearchTable({ summary: tools, records });
  assert.match(view.html, /2\/5/);
  assert.match(view.html, /4\/5/);
  // +40 points, paired over the same five problems, with its CI
  assert.match(view.html, /\+40\.0 \[\+\d+\.\d,\u00a0\+\d+\.\d\]/);
  assert.match(view.html, /exact checker \(oracle\)/);
  assert.match(view.html, /models\/embedded-tools through toolPolicy/);
});
