import assert from "node:assert/strict";
import type { Head } from "./head.ts";
import { arithmeticReader } from "./_reader.ts";
import {
  CHECK_KINDS,
  disagreements,
  drillPrompts,
  parseClaim,
  RECOMPUTE_FEATURES,
  recomputeFeaturizer,
  recomputeScorer,
} from "./recompute.ts";
import { logprobScorer } from "./logprob.ts";

const problem = "Calculate 12 * 4 - 5.";
const right = [
  "Step 1: 12 * 4 = 48\nNow: 48 - 5\n\n",
  "Step 2: 48 - 5 = 43\n\n",
  "The answer is \\boxed{43}.",
];
const slip = [
  "Step 1: 12 * 4 = 50\nNow: 50 - 5\n\n",
  "Step 2: 50 - 5 = 45\n\n",
  "The answer is \\boxed{45}.",
];

Deno.test("parseClaim reads x op y = z with its span, remainders and cues included", () => {
  const c = parseClaim("Step 2: (She buys 4 more.) 12 + 4 = 16\n\n")!;
  assert.deepEqual([c.x, c.op, c.y, c.z], ["12", "+", "4", "16"]);
  assert.equal("Step 2: (She buys 4 more.) 12 + 4 = 16".slice(c.zStart, c.zEnd), "16");
  assert.equal(parseClaim("Step 3: 47 / 5 = 9 R 2")!.z, "9 R 2");
  assert.equal(parseClaim("Step 1: 10 * 9/10 = 9")!.y, "9/10");
  assert.equal(parseClaim("The answer is \\boxed{7}."), null);
});

Deno.test("drillPrompts: forward, commuted for + and *, inverse on integers only", () => {
  const kinds = (s: string) => drillPrompts(parseClaim(s)!).map((p) => `${p.kind}:${p.problem}`);
  assert.deepEqual(kinds("12 * 4 = 48"), [
    "forward:Calculate 12 * 4.",
    "commuted:Calculate 4 * 12.",
    "inverse:Calculate 48 / 4.",
  ]);
  assert.deepEqual(kinds("12 - 4 = 8"), ["forward:Calculate 12 - 4.", "inverse:Calculate 8 + 4."]);
  assert.deepEqual(kinds("47 / 5 = 9 R 2"), [
    "forward:Find the remainder when 47 is divided by 5.",
  ]);
  assert.deepEqual(kinds("10 * 9/10 = 9"), [
    "forward:Calculate 10 * 9/10.",
    "commuted:Calculate 9/10 * 10.",
  ]);
  const inv = drillPrompts(parseClaim("12 + 4 = 16")!).find((p) => p.kind === "inverse")!;
  assert.deepEqual([inv.prefix, inv.target], ["Step 1: 16 - 4 = ", "12\n\n"]);
});

Deno.test("recompute counts each disagreeing check and multiplies over steps", async () => {
  const scorer = recomputeScorer(arithmeticReader());
  assert.equal(scorer.name, "recompute");
  const [ok, bad] = await scorer.score([{ problem, steps: right }, { problem, steps: slip }]);
  assert.deepEqual(ok, [1, 1, 1]);
  // 12 * 4 = 50: in context, forward and commuted disagree (50 / 4 is no integer: no inverse)
  assert.deepEqual(bad, [1 / 8, 1 / 8, 1 / 8]);
  const [[last]] = await scorer.score([{ problem, steps: slip }], { lastOnly: true });
  assert.equal(last, 1 / 8);
});

Deno.test("a belief the policy shares with the solution goes unseen, unless the inverse checks it", async () => {
  const inv = 6 + 3 * CHECK_KINDS.indexOf("inverse");
  const believes50 = recomputeFeaturizer(arithmeticReader({ "12 * 4": "50", "4 * 12": "50" }));
  const [steps] = await believes50.features([{ problem, steps: slip }]);
  assert.equal(steps[0][inv + 2], 0, "50 / 4 has no integer inverse to check");
  assert.equal(disagreements(steps[0]), 0);
  const believes52 = recomputeFeaturizer(arithmeticReader({ "12 * 4": "52", "4 * 12": "52" }));
  const [flagged] = await believes52.features([{ problem, steps: ["Step 1: 12 * 4 = 52\n\n"] }]);
  assert.equal(flagged[0][inv + 1], 1, "52 / 4 = 13, not 12");
  assert.equal(disagreements(flagged[0]), 1);
});

Deno.test("features of a known prefix are cached: only new steps are read again", async () => {
  const reader = arithmeticReader();
  const scorer = recomputeScorer(reader);
  await scorer.score([{ problem, steps: right.slice(0, 2) }]);
  const before = reader.requests.length;
  await scorer.score([{ problem, steps: right }]);
  const fresh = reader.requests.slice(before);
  assert.equal(fresh.length, 1, "only the solution text, no drill (the answer step has no claim)");
  assert.equal(fresh[0].from, right[0].length + right[1].length);
});

Deno.test("with a head, P(step right) comes from the head on the features", async () => {
  const K = RECOMPUTE_FEATURES.length;
  const w2 = new Float32Array(K);
  w2[RECOMPUTE_FEATURES.indexOf("forward_nongreedy")] = -4;
  const head: Head = {
    kind: "prm",
    dim: K,
    hidden: 0,
    mean: new Float32Array(K),
    std: new Float32Array(K).fill(1),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2,
    b2: 2,
    vocab: 0,
    wa: new Float32Array(0),
    ba: new Float32Array(0),
    card: {
      kind: "prm",
      seed: 0,
      data: {},
      metrics: {},
      featureModel: { name: "test", dim: K, output: "recompute", position: "step" },
      training: {},
    },
  };
  const scorer = recomputeScorer(arithmeticReader(), { head });
  assert.equal(scorer.name, "recompute-head");
  const [[a], [b]] = await scorer.score([{ problem, steps: right.slice(0, 1) }, {
    problem,
    steps: slip.slice(0, 1),
  }]);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  assert.ok(Math.abs(a - sig(2)) < 1e-6);
  assert.ok(Math.abs(b - sig(-2)) < 1e-6);
  assert.throws(() => recomputeScorer(arithmeticReader(), { head: { ...head, dim: 3 } }), /inputs/);
});

Deno.test("logprob: exp of the mean token log-probability of each prefix, read once", async () => {
  const reader = arithmeticReader();
  const scorer = logprobScorer(reader);
  const [scores] = await scorer.score([{ problem, steps: slip }]);
  const n1 = slip[0].length;
  const expect1 = Math.exp((2 * -2 + (n1 - 2) * -0.01) / n1);
  assert.ok(Math.abs(scores[0] - expect1) < 1e-9);
  assert.ok(scores[2] > scores[0], "later steps are all greedy, the mean rises");
  const before = reader.requests.length;
  const [again] = await scorer.score([{ problem, steps: slip }]);
  assert.deepEqual(again, scores);
  assert.equal(reader.requests.length, before, "cached");
  assert.throws(
    () => logprobScorer({ ...reader, logprobs: undefined }),
    /cannot read token log-probabilities/,
  );
});

Deno.test("recompute and oracle read a prefix given as one step as its own steps", async () => {
  const scorer = recomputeScorer(arithmeticReader());
  const [[whole]] = await scorer.score([{ problem, steps: [slip.join("")] }]);
  const [[last]] = await scorer.score([{ problem, steps: slip }], { lastOnly: true });
  assert.equal(whole, last);
  const [two] = await scorer.score([{ problem, steps: [right[0] + right[1], right[2]] }]);
  assert.deepEqual(two, [1, 1]);
});
