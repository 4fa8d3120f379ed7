import assert from "node:assert/strict";
import {
  answerDistribution,
  noisyScorer,
  passAtN,
  perfectScorer,
  probabilityCorrect,
  simProblem,
  valueOf,
} from "./mod.ts";

const prob = simProblem({ id: "sc", steps: 3, pRight: [0.9, 0.5, 0.8], answer: "7" });
const S1 = "step 1: ok\n\n",
  S2 = "step 2: slip\n\n",
  S2ok = "step 2: ok\n\n",
  S3 = "step 3: ok\n\n";

Deno.test("exact values of prefixes", () => {
  assert.ok(Math.abs(valueOf(prob.problem, "") - 0.36) < 1e-12);
  assert.ok(Math.abs(valueOf(prob.problem, S1) - 0.4) < 1e-12);
  assert.ok(Math.abs(valueOf(prob.problem, S1 + "step 2: ") - 0.4) < 1e-12); // undecided
  assert.equal(valueOf(prob.problem, S1 + "step 2: s"), 0);
  assert.equal(valueOf(prob.problem, S1 + S2ok + S3 + "\\boxed{7}"), 1);
  assert.ok(Math.abs(probabilityCorrect(prob.problem) - 0.36) < 1e-12);
  assert.ok(Math.abs(passAtN(0.36, 3) - (1 - 0.64 ** 3)) < 1e-12);
  const d = answerDistribution(prob.problem);
  assert.ok(Math.abs([...d.values()].reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(d.get("8")!.toFixed(6), (0.64 / 3).toFixed(6));
});

Deno.test("perfect scorer: value and step kinds, per step and lastOnly", async () => {
  const req = { problem: prob.problem, steps: [S1, S2, "step 3: ok\n\n"] };
  const [v] = await perfectScorer().score([req]);
  assert.deepEqual(v.map((x) => +x.toFixed(12)), [0.4, 0, 0]);
  const [s] = await perfectScorer({ kind: "step" }).score([req]);
  assert.deepEqual(s, [1, 0, 1]);
  const [[last]] = await perfectScorer({ kind: "step" }).score([req], { lastOnly: true });
  assert.equal(last, 0);
  const [[lastV]] = await perfectScorer().score([{ problem: prob.problem, steps: [S1 + S2ok] }], {
    lastOnly: true,
  });
  assert.equal(lastV, 0.8);
});

Deno.test("noisy scorer: deterministic per prefix, noise level controls the spread", async () => {
  const reqs = [{ problem: prob.problem, steps: [S1, S2ok] }];
  const a = await noisyScorer({ noise: 1, seed: 3 }).score(reqs);
  const b = await noisyScorer({ noise: 1, seed: 3 }).score([...reqs, ...reqs]);
  assert.deepEqual(a[0], b[1]);
  const zero = await noisyScorer({ noise: 0 }).score(reqs);
  assert.ok(Math.abs(zero[0][1] - 0.8) < 1e-12);
  // spread of logit noise over many distinct prefixes ≈ noise
  const errs: number[] = [];
  for (let k = 0; k < 400; k++) {
    const p = simProblem({ id: `n${k}`, steps: 2, pRight: 0.5 });
    const [[s]] = await noisyScorer({ noise: 0.5, seed: 1 }).score([{
      problem: p.problem,
      steps: [S1],
    }]);
    errs.push(Math.log(s / (1 - s)));
  }
  const mean = errs.reduce((x, y) => x + y, 0) / errs.length;
  const sd = Math.sqrt(errs.reduce((x, y) => x + (y - mean) ** 2, 0) / errs.length);
  assert.ok(Math.abs(mean) < 0.1 && Math.abs(sd - 0.5) < 0.07, `${mean} ${sd}`);
});
