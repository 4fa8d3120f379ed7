import assert from "node:assert/strict";
import { mediaBundle } from "../../lib/report/mod.ts";
import type { ArmSummary, ExperimentSummary } from "../experiment.ts";
import type { RunRecord } from "../harness.ts";
import { coverageLines, reading, readingLines, texTextMarkdown, verifierLine } from "./prose.ts";
import { missingRunNotice, provenance } from "./provenance.ts";

function arm(config: string, scorer: string, accuracy: number): ArmSummary {
  return {
    config,
    method: config.split("@")[0] === "bon" ? "best_of_n" : "sampling",
    scorer,
    n_problems: 3,
    accuracy,
    ci95: [accuracy - 0.2, accuracy + 0.2],
    tokens_generated: 300,
    tokens_per_problem: 100,
    policy_calls: 3,
    scorer_calls: 3,
    wall_s: 1,
    s_per_problem: 0.3,
  };
}

const summary: ExperimentSummary = {
  name: "kit",
  title: "Kit",
  paper: "A paper",
  model: "models/embedded",
  dataset: "synthetic",
  seed: 0,
  limit: 3,
  command: "deno task repro kit --limit 3",
  finished: "2026-12-06T00:00:00.000Z",
  arms: [arm("maj@4", "none", 2 / 3), arm("bon@4", "prm", 1 / 3), arm("wmaj@4", "prm", 1 / 3)],
  paperNumbers: [],
};

/** A record of arm `config` on problem `id`: its verdict and its candidates' verdicts. */
function rec(config: string, id: string, correct: boolean, candidates: boolean[]): RunRecord {
  return {
    config,
    method: "x",
    id,
    gold: "1",
    answer: correct ? "1" : "2",
    correct,
    candidates: candidates.map((c) => ({ answer: c ? "1" : "2", correct: c })),
    tokens: 100,
    policy_calls: 1,
    scorer_calls: 1,
    wall_ms: 1,
    seed: 0,
  };
}

const records = [
  rec("maj@4", "a", true, [true, false]),
  rec("maj@4", "b", true, [true, true]),
  rec("maj@4", "c", false, [false, false]),
  rec("bon@4", "a", false, [true, false]),
  rec("bon@4", "b", true, [true, true]),
  rec("bon@4", "c", false, [false, false]),
];

Deno.test("coverageLines: a right candidate there, and kept", () => {
  assert.deepEqual(coverageLines({ records }, ["bon@4", "none@1"]), [
    "bon@4: a right candidate on 2 of 3 problems; answered right on 1 of those (50%).",
  ]);
});

Deno.test("verifierLine: recorded verifiers by role, else the role's head for older runs", () => {
  assert.equal(verifierLine(summary), "Verifiers of this run: prm head (bon, wmaj).");
  assert.equal(
    verifierLine({ ...summary, extra: { verifiers: { prm: "recompute-head" } } }),
    "Verifiers of this run: recompute-head (bon, wmaj).",
  );
  assert.equal(verifierLine({ arms: [arm("maj@4", "none", 0.5)] }), null);
});

Deno.test("a missing committed run is said plainly in the provenance and the reading", () => {
  const fresh = { summary, records, mode: "fresh" as const, note: "fresh" };
  const notice = missingRunNotice(fresh)!;
  assert.match(notice, /^No committed run: results\/kit\/ does not exist/);
  assert.ok(notice.includes("`deno task repro kit`"));
  assert.ok(notice.includes("live demonstration on the first 3 problems (maj@4, bon@4, wmaj@4)"));
  assert.equal(missingRunNotice({ ...fresh, mode: "committed" }), null);
  assert.equal(readingLines(fresh)[0], notice);
  const view = provenance({ ...fresh, traces: [], dir: "/tmp/kit" });
  assert.ok(view.html.includes("repro-missing-run"));
  const md = String(mediaBundle(view, "static")["text/markdown"]);
  assert.ok(md.startsWith("> **No committed run: results/kit/ does not exist"), md);
  assert.ok(md.includes("`deno task repro kit`"), "commands stay code");
  assert.ok(md.includes("| command | `deno task repro kit --limit 3` |"), md);
  const committed = provenance({ ...fresh, mode: "committed", traces: [], dir: "/tmp/kit" });
  assert.ok(!committed.html.includes("repro-missing-run"));
});

Deno.test("reading has a Markdown list with the coverage lines; texTextMarkdown keeps math", () => {
  const view = reading({ summary, records }, [["bon@4", "maj@4"]], { coverage: ["bon@4"] });
  const md = String(mediaBundle(view, "static")["text/markdown"]);
  assert.ok(md.startsWith("- Verifiers of this run: prm head (bon, wmaj)."), md);
  assert.match(md, /\n- bon@4 vs maj@4: -33\.3 points \\\[/);
  assert.ok(md.endsWith("answered right on 1 of those (50%)."), md);
  assert.equal(
    texTextMarkdown("weights $w_i$ per *step*, `code_x`"),
    "weights $w_i$ per \\*step\\*, `code_x`",
  );
});
