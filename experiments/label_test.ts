import assert from "node:assert/strict";
import { flawedSolution, goldSteps } from "../lib/tasks/mod.ts";
import { qualityTable, syntheticJudge, syntheticProblems, syntheticTruth } from "./label.ts";

Deno.test("synthetic judge and truth follow the step checker", () => {
  const [p] = syntheticProblems("eval", 1, 0);
  const gold = goldSteps(p).map((s, i, a) => (i < a.length - 1 ? s + "\n\n" : s));
  assert.ok(syntheticJudge(p, gold.join("")));
  assert.deepEqual(syntheticTruth(p)(gold), gold.map(() => 1));
  const f = flawedSolution(p, 3);
  assert.ok(f);
  const truth = syntheticTruth(p)(f.steps);
  assert.equal(truth.indexOf(0), f.firstError);
  assert.ok(!syntheticJudge(p, f.steps.join("\n\n")));
});

Deno.test("syntheticProblems spreads eval problems over levels and names a bad split", () => {
  const ps = syntheticProblems("eval", 5, 0);
  assert.equal(new Set(ps.map((p) => p.level)).size, 5);
  assert.equal(syntheticProblems("train", 3, 7).length, 3);
  assert.throws(() => syntheticProblems("test", 3, 7), /--split must be eval or train/);
});

Deno.test("qualityTable prints one row per method and budget", () => {
  const q = {
    problems: 1,
    rolloutsPerProblem: 12,
    labelledSteps: 4,
    stepsPer100Rollouts: 33.3,
    errorRate: 0.5,
    accuracy: { estimate: 0.75, lo: 0.3, hi: 0.95, halfWidth: 0.3 },
    f1Error: { estimate: 0.8, lo: 0.5, hi: 1 },
    firstError: { estimate: 1, lo: 0.2, hi: 1, halfWidth: 0.4, n: 1 },
  };
  const t = qualityTable([{ method: "amcs", budget: 12, quality: q }]);
  assert.match(
    t,
    /\| amcs \| 12 \| 12\.0 \| 4 \| 50\.0% \| 75\.0% \[30\.0, 95\.0\] \| 80\.0% \[50\.0, 100\.0\] \| 100\.0% \[20\.0, 100\.0\] \(1\) \|/,
  );
});

Deno.test({
  name:
    "label CLI: the sampler's identity leads the file; another temperature is one refusing line",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const out = `${dir}/labels.jsonl`;
    const run = async (...extra: string[]) => {
      const o = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("./label.ts", import.meta.url).pathname, "--method", "amcs"]
          .concat(["--world", "simulated", "--limit", "2", "--budget", "4", "--out", out], extra),
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code: o.code, stderr: new TextDecoder().decode(o.stderr).trim() };
    };
    try {
      const first = await run();
      assert.equal(first.code, 0, first.stderr);
      const [head, ...records] = (await Deno.readTextFile(out)).trim().split("\n");
      assert.deepEqual(JSON.parse(head).identity, {
        world: "simulated",
        split: null,
        policy: null,
        policy_sha256: null,
        k: 8,
        temperature: 0.7,
        max_tokens: 512,
      });
      assert.equal(records.length, 2);
      const other = await run("--temperature", "0.5");
      assert.notEqual(other.code, 0);
      assert.match(other.stderr, /made by another run: temperature was 0\.7, now 0\.5/);
      assert.equal(other.stderr.split("\n").length, 1, other.stderr);
      assert.equal((await Deno.readTextFile(out)).trim().split("\n").length, 3);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
