/**
 * Runs the demo's whole code path (backend, every family, resumable records, stdout table, HTML
 * page) on one problem with budget 2, into a temporary folder. Needs the trained heads
 * (models/heads/prm.json, value.json, or a folder named by REPRO_HEADS); skipped when they are
 * not there.
 */
import assert from "node:assert/strict";
import { HEADS_DIR } from "./backends.ts";
import { DEMO_FAMILIES, demoExperiment, demoTable, runDemo } from "./demo.ts";
import { backendFromEnv } from "./notebook.ts";

/** The backend of the test: the embedded model, heads from REPRO_HEADS or models/heads. */
const backend = backendFromEnv(Deno.env);
const haveHeads = ["prm", "value"].every((k) => {
  try {
    return Deno.statSync(`${backend.heads ?? HEADS_DIR}/${k}.json`).isFile;
  } catch {
    return false;
  }
});

Deno.test("demoExperiment: greedy plus every family at each budget", () => {
  const exp = demoExperiment([2, 4]);
  assert.equal(exp.arms.length, 1 + 2 * DEMO_FAMILIES.length);
  assert.deepEqual(exp.arms.slice(0, 3).map((a) => a.config), ["greedy", "maj@2", "bon@2"]);
  assert.equal(new Set(exp.arms.map((a) => a.config)).size, exp.arms.length);
});

Deno.test({
  name: "runDemo: one problem, budget 2, table and offline HTML page (resumable)",
  ignore: !haveHeads,
  async fn() {
    const tmp = await Deno.makeTempDir();
    try {
      const lines: string[] = [];
      const opts = {
        limit: 1,
        budgets: [2],
        seed: 0,
        backend,
        dir: `${tmp}/demo`,
        html: `${tmp}/demo.html`,
        log: (l: string) => lines.push(l),
      };
      const first = await runDemo(opts);
      assert.equal(first.summary.arms.length, 1 + DEMO_FAMILIES.length);
      for (const a of first.summary.arms) assert.equal(a.n_problems, 1);
      assert.match(first.table, /pf@2/);
      assert.equal(first.table, demoTable(first.summary));
      const page = await Deno.readTextFile(first.html);
      assert.match(page, /<svg/);
      assert.match(page, /Plotly\.newPlot/);
      assert.doesNotMatch(page, /<script[^>]+src=/);
      const records = (await Deno.readTextFile(`${tmp}/demo/records.jsonl`)).trim().split("\n");
      // A rerun resumes: nothing new is appended.
      await runDemo(opts);
      const again = (await Deno.readTextFile(`${tmp}/demo/records.jsonl`)).trim().split("\n");
      assert.equal(again.length, records.length);
      assert(lines.some((l) => l.startsWith("demo: ")));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
