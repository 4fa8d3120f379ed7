import assert from "node:assert/strict";
import {
  type HeadCard,
  type LabelQualityFile,
  labelSourceRows,
  markdown,
  replaceSection,
  sweepRows,
  verifierRows,
  type VerifiersSummary,
} from "./verifier_tables.ts";
import type { VerifierRow } from "./verifiers.ts";

const interval = (mean: number) => ({ mean, lo: mean - 0.01, hi: mean + 0.01 });

function row(verifier: string, finalAuc: number, bon: number): VerifierRow {
  return {
    verifier,
    name: verifier,
    seconds: 1,
    problems: 500,
    n: 16,
    finalAuc,
    stepAuc: 0.9,
    random: 0.4,
    bestOfN: interval(bon),
    weightedMajority: interval(0.6),
    majority: interval(0.56),
    passAtN: 0.86,
    bestOfNVsMajority: interval(bon - 0.56),
    weightedVsMajority: interval(0.04),
  };
}

const summary: VerifiersSummary = {
  model: "models/embedded",
  limit: 500,
  n: 16,
  temperature: 0.8,
  seed: 0,
  command: "deno task verifiers",
  finished: "now",
  verifiers: [
    row("logprob", 0.8, 0.566),
    row("oracle", 0.86, 0.702),
    row("recompute-head=results/label_sources/amcs.json", 0.81, 0.594),
    row("recompute-head=results/label_sources/truth-amcs.json", 0.809, 0.592),
  ],
};

Deno.test("verifierRows: best final AUC first, label-source heads left to their own table", () => {
  assert.deepEqual(verifierRows(summary).map((r) => r.verifier), ["oracle", "logprob"]);
  assert.equal(verifierRows(summary)[0]["BoN@16 %"], "70.2 [69.2, 71.2]");
});

Deno.test("labelSourceRows: checker labels beside the labeller's, with its label quality", () => {
  const quality: LabelQualityFile = {
    command: "deno task label",
    rows: [{
      method: "amcs",
      quality: {
        labelledSteps: 100,
        accuracy: { estimate: 0.783, lo: 0.759, hi: 0.806 },
        firstError: { estimate: 0.823, lo: 0.8, hi: 0.84 },
      },
    }],
  };
  const card = (rows: number): HeadCard => ({
    card: { data: { rows, problems: 300, labels: "x", source: "y" } },
  });
  const rows = labelSourceRows(summary, quality, { amcs: card(40), "truth-amcs": card(37) });
  assert.deepEqual(rows.map((r) => [r["paths of"], r.labels]), [
    ["amcs", "step checker"],
    ["amcs", "amcs (Monte Carlo)"],
  ]);
  assert.equal(rows[1]["label accuracy %"], "78.3 [75.9, 80.6]");
  assert.equal(rows[0]["training steps"], "37 (300 problems)");
  assert.equal(rows[1]["BoN − maj@16"], "+3.4 [+2.4, +4.4]");
  // a head without its card is left out rather than guessed
  assert.equal(labelSourceRows(summary, quality, { amcs: card(40) }).length, 1);
});

Deno.test("sweepRows: a method not yet run shows a dash; best-of-N comes from the verifiers run", () => {
  const rows = sweepRows(summary, {
    accuracy: { "pf@16/oracle": { n: 200, mean: 0.865 } },
    vsMajority: { "pf@16/oracle": { n: 200, mean: 0.305, lo: 0.25, hi: 0.36 } },
  });
  const pf = rows.find((r) => r.method === "particle filtering @16")!;
  assert.equal(pf.oracle, "86.5 (+30.5 [+25.0, +36.0]), 200 problems");
  assert.equal(pf.logprob, "—");
  assert.equal(rows[0].oracle, "70.2 (+14.2 [+13.2, +15.2])");
});

Deno.test("replaceSection and markdown: the README's marked section is replaced, nothing else", () => {
  const text = "a\n<!-- t: cmd -->\nold\n<!-- /t -->\nb\n";
  const out = replaceSection(text, "t", markdown([{ x: "1" }]));
  assert.equal(out, "a\n<!-- t: cmd -->\n\n| x |\n| --- |\n| 1 |\n\n<!-- /t -->\nb\n");
  assert.throws(() => replaceSection(text, "u", "x"), /no <!-- u -->/);
});
