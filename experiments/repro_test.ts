import assert from "node:assert/strict";
import { runScript } from "../lib/runs/_run_script.ts";
import { splitConfigs } from "./repro.ts";

const run = (args: string[]) => runScript(new URL("./repro.ts", import.meta.url), args);

Deno.test({
  name: "repro CLI: the run's identity leads records.jsonl; another seed is one refusing line",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/records.jsonl`;
    const args = ["search_and_learn", "--limit", "2", "--only", "greedy", "--out", dir];
    try {
      const first = await run(args);
      assert.equal(first.code, 0, first.stderr);
      const [head, ...records] = (await Deno.readTextFile(path)).trim().split("\n");
      const { identity } = JSON.parse(head);
      assert.deepEqual(
        [identity.experiment, identity.dataset, identity.seed, identity.model],
        ["search_and_learn", "synthetic", 0, "models/embedded"],
      );
      assert.ok(identity.model_sha256 && identity.grader && identity.verifiers, head);
      assert.equal(records.length, 2);
      // another seed into the same folder: nothing runs, one line names the seed
      const other = await run([...args, "--seed", "1"]);
      assert.notEqual(other.code, 0);
      assert.match(other.stderr.trim(), /made by another run: seed was 0, now 1/);
      assert.equal(other.stderr.trim().split("\n").length, 1, other.stderr);
      // a file from before identities is adopted only by the seed that made its records
      await Deno.writeTextFile(path, records.join("\n") + "\n");
      const older = await run([...args, "--seed", "1"]);
      assert.match(older.stderr.trim(), /made with another seed than 1/);
      assert.equal(await Deno.readTextFile(path), records.join("\n") + "\n", "left untouched");
      const adopted = await run(args);
      assert.equal(adopted.code, 0, adopted.stderr);
      assert.equal(await Deno.readTextFile(path), [head, ...records].join("\n") + "\n");
      // records of an older grader whose verdicts this grader gives again are kept
      const old = JSON.stringify({ identity: { ...identity, grader: "2000-01-01.1" } });
      await Deno.writeTextFile(path, [old, ...records].join("\n") + "\n");
      const regraded = await run(args);
      assert.equal(regraded.code, 0, regraded.stderr);
      assert.equal(await Deno.readTextFile(path), [head, ...records].join("\n") + "\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("splitConfigs: commas inside a config's parentheses stay in it", () => {
  assert.deepEqual(splitConfigs("greedy, sbs@(2,5)/oracle-tools,maj@5"), [
    "greedy",
    "sbs@(2,5)/oracle-tools",
    "maj@5",
  ]);
  assert.deepEqual(splitConfigs("sbs@(1,5)"), ["sbs@(1,5)"]);
  assert.deepEqual(splitConfigs("a,,b,"), ["a", "b"]);
});
