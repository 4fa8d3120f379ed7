import assert from "node:assert/strict";
import { runScript } from "../lib/runs/_run_script.ts";

const run = (args: string[]) => runScript(new URL("./solve.ts", import.meta.url), args);

Deno.test({
  name: "solve CLI: sample on the embedded model, JSON last line, resumes without duplicates",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const args = [
        "--method",
        "sample",
        "--n",
        "2",
        "--dataset",
        "synthetic",
        "--limit",
        "2",
        "--out",
        `${dir}/r.jsonl`,
      ];
      const first = await run(args);
      assert.equal(first.code, 0, first.stderr);
      const line = JSON.parse(first.stdout.trim().split("\n").at(-1)!);
      for (const k of ["method", "dataset", "n_problems", "accuracy", "ci95", "tokens_generated"]) {
        assert.ok(k in line, k);
      }
      for (const k of ["policy_calls", "wall_s", "pass_at_k", "maj_at_k"]) assert.ok(k in line, k);
      assert.equal(line.method, "sampling");
      assert.equal(line.n_problems, 2);
      const [head, ...records] = (await Deno.readTextFile(`${dir}/r.jsonl`)).trim().split("\n");
      assert.equal(records.length, 2);
      const { identity } = JSON.parse(head);
      assert.deepEqual(
        [identity.seed, identity.method, identity.model, identity.dataset],
        [0, "sampling", "models/embedded", "synthetic"],
      );
      assert.ok(identity.model_sha256 && identity.grader, "model hash and grader version");
      // a rerun skips the done problems: same summary, no new lines
      const again = await run(args);
      assert.equal(again.code, 0, again.stderr);
      const line2 = JSON.parse(again.stdout.trim().split("\n").at(-1)!);
      assert.equal(line2.accuracy, line.accuracy);
      assert.equal((await Deno.readTextFile(`${dir}/r.jsonl`)).trim().split("\n").length, 3);
      // another seed, or another model, into the same file: one line naming what differs
      for (
        const [flag, value, field] of [["--seed", "1", "seed"], [
          "--model",
          "models/embedded-v1",
          "model",
        ]]
      ) {
        const other = await run([...args, flag, value]);
        assert.notEqual(other.code, 0, `${flag} ${value}`);
        assert.match(other.stderr.trim(), new RegExp(`made by another run: ${field} was`));
        assert.equal(other.stderr.trim().split("\n").length, 1, other.stderr);
      }
      assert.equal((await Deno.readTextFile(`${dir}/r.jsonl`)).trim().split("\n").length, 3);
      // a wrong flag is a one-line error naming it
      const bad = await run(["--method", "sample", "--dataset", "synthetic", "--limit", "x"]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr.trim(), /--limit/);
      assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "solve CLI: --prm picks the verifier (a name or a model folder); a bad one is one line",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const base = ["--method", "best_of_n", "--n", "2", "--limit", "2", "--dataset", "synthetic"];
      for (const prm of ["oracle", "logprob", "models/prm"]) {
        const r = await run([...base, "--prm", prm, "--out", `${dir}/${prm.replace("/", "_")}`]);
        assert.equal(r.code, 0, r.stderr);
        const line = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
        assert.match(line.config, new RegExp(`scorer=${prm}`));
        assert.ok("vs_maj_at_k" in line, "paired difference to maj@k");
      }
      const bad = await run([...base, "--prm", "nosuch", "--out", `${dir}/bad`]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr.trim(), /--prm: unknown verifier "nosuch"/);
      assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
      const missing = await run([...base, "--prm", "models/none", "--out", `${dir}/m`]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr.trim(), /--prm models\/none/);
      assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
