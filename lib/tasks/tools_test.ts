import assert from "node:assert/strict";
import { evalSplit, generateProblem, trainStream } from "./synthetic/mod.ts";
import {
  checkToolSolution,
  flawedToolSolution,
  plainSteps,
  stepCode,
  TOOL_CHARSET,
  toolCheckerScorer,
  toolSolution,
  toolStep,
  toolSteps,
} from "./tools.ts";

Deno.test("toolStep writes one code step per operation", () => {
  assert.equal(
    toolStep("Step 2: 17 * 3 = 51"),
    "Step 2: compute 17 * 3\n<code>\nprint(17 * 3)\n</code>\n<output>\n51\n</output>",
  );
  assert.equal(
    toolStep("Step 3: 83 / 4 = 20 R 3"),
    "Step 3: compute 83 / 4 with remainder\n<code>\nprint(divmod(83, 4))\n</code>\n<output>\n(20, 3)\n</output>",
  );
  assert.equal(stepCode("120", "*", "3/4", false), "print(120 * 3 // 4)");
  assert.equal(stepCode("84", "/", "4", false), "print(84 // 4)");
  assert.equal(toolStep("The answer is \\boxed{3}."), "The answer is \\boxed{3}.");
  assert.equal(
    toolStep("Step 2: (She buys 4 boxes of 7.) 4 * 7 = 28"),
    "Step 2: (She buys 4 boxes of 7.) compute 4 * 7\n<code>\nprint(4 * 7)\n</code>\n<output>\n28\n</output>",
  );
});

Deno.test("toolSteps opens each expression step with the rewrite of the step before", () => {
  const steps = toolSteps([
    "Step 1: 25 - 6 = 19\nNow: 19 + (5 * 2)",
    "Step 2: 5 * 2 = 10\nNow: 19 + 10",
    "Step 3: 19 + 10 = 29",
    "The answer is \\boxed{29}.",
  ]);
  assert.deepEqual(steps.map((s) => s.split("\n")[0]), [
    "Step 1: compute 25 - 6",
    "Step 2: [19 + (5 * 2)] compute 5 * 2",
    "Step 3: [19 + 10] compute 19 + 10",
    "The answer is \\boxed{29}.",
  ]);
  assert.deepEqual(plainSteps(steps), [
    "Step 1: 25 - 6 = 19",
    "Step 2: 5 * 2 = 10",
    "Step 3: 19 + 10 = 29",
    "The answer is \\boxed{29}.",
  ]);
});

Deno.test("gold tool solutions pass the exact checker on the whole evaluation split", () => {
  for (const p of evalSplit()) {
    const s = toolSolution(p);
    const r = checkToolSolution(p, s);
    assert.ok(r.solved, `${p.id}: ${JSON.stringify(r.steps.find((v) => !v.correct))}`);
    assert.equal(s.split("\n\n").length, p.solution.split("\n\n").length);
    // back in plain form, tool steps have neither the word cue nor the rewrite line
    const plain = p.solution.split("\n\n").map((t) =>
      t.replace(/^(Step \d+: )\([^()]*\) /, "$1").replace(/\nNow: .*$/, "")
    );
    assert.deepEqual(plainSteps(s), plain);
    for (const ch of s + p.problem) assert.ok(TOOL_CHARSET.includes(ch), `char ${ch}`);
  }
});

Deno.test("the Python in gold steps computes what the plain step says", () => {
  // evaluate each snippet's arithmetic in TypeScript (Python's // and divmod on non-negatives)
  let checked = 0;
  for (const p of evalSplit().slice(0, 100)) {
    for (const step of toolSolution(p).split("\n\n")) {
      const m = /<code>\nprint\((.*)\)\n<\/code>\n<output>\n(.*)\n<\/output>$/.exec(step);
      if (!m) continue;
      const [, expr, out] = m;
      const dm = /^divmod\((\d+), (\d+)\)$/.exec(expr);
      const value = dm
        ? `(${Math.floor(+dm[1] / +dm[2])}, ${+dm[1] % +dm[2]})`
        : String(evalInt(expr));
      assert.equal(value, out, `${p.id}: ${expr}`);
      checked++;
    }
  }
  assert.ok(checked > 300);
});

/** Left-to-right integer evaluation of `a op b [op c]` with Python's precedence for * and //. */
function evalInt(expr: string): number {
  const t = expr.split(" ");
  let acc = Number(t[0]);
  for (let i = 1; i < t.length; i += 2) {
    const b = Number(t[i + 1]);
    const op = t[i];
    acc = op === "+" ? acc + b : op === "-" ? acc - b : op === "*" ? acc * b : Math.floor(acc / b);
  }
  return acc;
}

Deno.test("flawed tool solutions have one wrong operand and a wrong answer", () => {
  let found = 0;
  const it = trainStream(5);
  for (let i = 0; i < 200; i++) {
    const p = it.next().value;
    const f = flawedToolSolution(p, 3);
    if (!f) continue;
    found++;
    const r = checkToolSolution(p, f.solution);
    assert.equal(r.firstError, f.firstError);
    assert.equal(r.steps[f.firstError].arithmeticOk, true, "the program's result is right");
    assert.equal(r.steps[f.firstError].operandsOk, false);
    assert.notEqual(r.answer, p.answer);
  }
  assert.ok(found > 100, `only ${found} flawed solutions`);
});

Deno.test("a wrong printed output is caught by the checker", () => {
  const p = generateProblem(3, 1, 2, "expr");
  const s = toolSolution(p).replace(/<output>\n(\d+)\n/, (_, z) => `<output>\n${Number(z) + 1}\n`);
  const r = checkToolSolution(p, s);
  assert.equal(r.firstError, 0);
  assert.equal(r.steps[0].arithmeticOk, false);
  const err = toolSolution(p).replace(/<output>\n(\d+)\n/, "<output>\nNameError: x\n");
  assert.equal(checkToolSolution(p, err).firstError, 0);
});

Deno.test("toolCheckerScorer scores the prefix on the gold path", async () => {
  const p = evalSplit()[7];
  const gold = toolSolution(p).split("\n\n").map((s) => s + "\n\n");
  const scorer = toolCheckerScorer([p]);
  const [all] = await scorer.score([{ problem: p.problem, steps: gold }]);
  assert.deepEqual(all, gold.map(() => 1));
  const bad = [...gold];
  bad[1] = bad[1].replace(/<output>\n(\d+)/, (_, z) => `<output>\n${Number(z) + 7}`);
  const [scores] = await scorer.score([{ problem: p.problem, steps: bad }]);
  assert.deepEqual(scores, gold.map((_, i) => (i === 0 ? 1 : 0)));
  const [[last]] = await scorer.score([{ problem: p.problem, steps: bad.slice(0, 1) }], {
    lastOnly: true,
  });
  assert.equal(last, 1);
  await assert.rejects(() => scorer.score([{ problem: "unknown", steps: [] }]));
});
