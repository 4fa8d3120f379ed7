/**
 * experiments/explore.ts on the embedded model with tiny budgets: a problem is chosen by dataset
 * and index or typed in; a beam search, a particle filter and greedy decoding run on it with a
 * named verifier; the result is graded; the candidates, summary, drawings (one `<svg>` per trace)
 * and the reading are built from it; a wrong setting is a one-line error.
 */
import assert from "node:assert/strict";
import { openBackend } from "./backends.ts";
import {
  answerView,
  candidateRows,
  candidatesTable,
  chooseProblem,
  drawExplored,
  methodsTable,
  readingView,
  runOne,
  sideBySide,
  summaryRow,
  summaryTable,
} from "./explore.ts";
import { methods } from "../lib/search/registry.ts";

Deno.test("chooseProblem: by dataset and index, typed in, out of range", async () => {
  const p = await chooseProblem({ dataset: "synthetic", index: 3 });
  assert.equal(p.id, "eval-003");
  assert.ok(p.problem.length > 0 && p.answer.length > 0);
  const gsm = await chooseProblem({ dataset: "gsm8k", index: 1 });
  assert.ok(gsm.problem.length > 0);
  const typed = await chooseProblem({ text: "What is 2 + 3?", answer: "5" });
  assert.deepEqual(typed, { id: "typed", problem: "What is 2 + 3?", answer: "5" });
  assert.equal((await chooseProblem({ text: "What is 2 + 3?" })).answer, "");
  await assert.rejects(() => chooseProblem({ dataset: "synthetic", index: -1 }), RangeError);
  await assert.rejects(
    () => chooseProblem({ dataset: "synthetic", index: 100_000 }),
    /synthetic has 500 problems; index 100000 is past its end/,
  );
  await assert.rejects(() => chooseProblem({ dataset: "nope", index: 0 }), /unknown dataset/);
});

Deno.test("methodsTable lists every registered method", () => {
  const html = methodsTable().html;
  for (const name of Object.keys(methods)) assert.ok(html.includes(name), name);
});

Deno.test({
  name: "runOne: beam, particle filter and greedy on the embedded model, tables and drawings",
  sanitizeResources: false,
  async fn() {
    const backend = await openBackend({ threads: 2 });
    try {
      const problem = await chooseProblem({ dataset: "synthetic", index: 0 });
      const knobs = { n: 2, m: 2, numIterations: 12, maxTokens: 96 };
      const beam = await runOne(backend, { problem, method: "beam", options: knobs });
      assert.equal(beam.verifier, "recompute-head", "the default verifier of the prm role");
      assert.equal(beam.label, "beam(n=2, m=2, numIterations=12, maxTokens=96) + recompute-head");
      assert.equal(beam.result.candidates.length, 2);
      assert.equal(beam.result.trace.kind, "tree");
      assert.ok(beam.result.trace.nodes.length > 2);
      assert.equal(typeof beam.correct, "boolean");
      assert.ok(beam.seconds > 0);

      // the same seed repeats the run; the oracle verifier can be named
      const again = await runOne(backend, { problem, method: "beam", options: knobs });
      assert.deepEqual(
        again.result.trace.nodes.map((n) => n.text),
        beam.result.trace.nodes.map((n) => n.text),
      );
      const oracle = await runOne(backend, {
        problem,
        method: "beam",
        options: knobs,
        verifier: "oracle",
        label: "beam, oracle",
      });
      assert.equal(oracle.verifier, "oracle");
      assert.equal(oracle.label, "beam, oracle");

      const rows = candidateRows(beam);
      assert.equal(rows.length, 2);
      const scores = rows.map((r) => r.score as number);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best score first");
      for (const r of rows) assert.ok(["✓", "✗"].includes(r.right as string));
      assert.ok(rows.some((r) => r.chosen === "◀") || beam.result.answer === null);

      const summary = summaryRow(beam);
      assert.equal(summary.gold, problem.answer);
      assert.equal(summary.tokens, beam.result.cost.tokens);
      assert.equal(summary.candidates, 2);

      const pf = await runOne(backend, {
        problem,
        method: "particle_filter",
        options: { n: 2, maxSteps: 12, maxTokens: 96 },
      });
      assert.equal(pf.result.trace.kind, "particles");
      const greedy = await runOne(backend, { problem, method: "greedy", verifier: "none" });
      assert.equal(greedy.verifier, null);
      assert.equal(greedy.label, "greedy");
      assert.equal(greedy.result.cost.scorerCalls, 0);

      // the views: an svg per drawn trace, the answer, the candidates
      const drawn = drawExplored(beam).html;
      assert.equal(drawn.match(/<svg/g)?.length, 1);
      assert.ok(drawn.includes("repro-node") && drawn.includes(beam.label));
      assert.ok(drawExplored(pf).html.includes("particle genealogy"));
      assert.equal(sideBySide([beam, oracle]).html.match(/<svg/g)?.length, 2);
      assert.ok(answerView(beam).html.includes(problem.problem));
      assert.ok(candidatesTable(beam).html.includes("<table"));
      assert.equal(summaryTable([greedy, beam, pf]).html.match(/<tr>/g)?.length, 4);
      const reading = readingView([greedy, beam, pf]).text;
      assert.match(reading, /of 3 settings answer eval-000 correctly/);
      assert.match(reading, /× the tokens of greedy/);

      // a typed-in problem without an answer is not graded
      const typed = await chooseProblem({
        text: "Ann has 12 pens. She buys 3 more. How many does Ann have now?",
      });
      const ungraded = await runOne(backend, {
        problem: typed,
        method: "greedy",
        verifier: "none",
      });
      assert.equal(ungraded.correct, null);
      assert.ok(candidateRows(ungraded).every((r) => r.right === "–"));
      assert.match(readingView([ungraded]).text, /no gold answer/);

      // wrong settings are one-line errors
      await assert.rejects(
        () => runOne(backend, { problem, method: "nope" }),
        /unknown method nope/,
      );
      await assert.rejects(
        () => runOne(backend, { problem, method: "beam", options: { width: 2 } }),
        /beam: unknown option width/,
      );
      await assert.rejects(
        () => runOne(backend, { problem, method: "beam", verifier: "none" }),
        /needs a verifier/,
      );
    } finally {
      await backend.close();
    }
  },
});
