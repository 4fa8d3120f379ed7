import assert from "node:assert/strict";
import { runScript } from "../lib/runs/_run_script.ts";

const run = (args: string[]) => runScript(new URL("./train_head.ts", import.meta.url), args);

Deno.test({
  name: "train-head CLI: --source mcts extracts tree rows, --kind value trains on their Q",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const features = `${dir}/mcts`;
      const extract = await run([
        "--extract",
        "--source",
        "mcts",
        "--features",
        features,
        "--limit",
        "2",
        "--iterations",
        "4",
        "--samples-per-node",
        "2",
        "--seed",
        "3",
      ]);
      assert.equal(extract.code, 0, extract.stderr);
      const summary = JSON.parse(extract.stdout.trim().split("\n").at(-1)!);
      assert.equal(summary.trees, 2);
      const rows = (await Deno.readTextFile(`${features}/mcts.jsonl`)).trim().split("\n")
        .map((l) => JSON.parse(l));
      assert.equal(rows.length, summary.rows);
      for (const r of rows) {
        assert.equal(r.target, r.kind === "open" ? r.q : r.correct ? 1 : -1);
        assert.ok(r.text.length > 0 && r.visits > 0);
      }

      const out = `${dir}/value.json`;
      const train = await run(["--kind", "value", "--features", features, "--out", out]);
      assert.equal(train.code, 0, train.stderr);
      const card = JSON.parse(await Deno.readTextFile(out)).card;
      assert.equal(card.data.targets, "mcts", "the default targets, on the card");
      assert.equal(card.data.rows, rows.length);
      assert.equal(card.data.source.source, "mcts");

      const outcome = await run([
        "--kind",
        "value",
        "--targets",
        "outcome",
        "--features",
        features,
        "--out",
        out,
      ]);
      assert.notEqual(outcome.code, 0);
      assert.match(outcome.stderr, /no step rows .*train with --targets mcts/);
      const prm = await run([
        "--kind",
        "prm",
        "--targets",
        "mcts",
        "--features",
        features,
        "--out",
        out,
      ]);
      assert.notEqual(prm.code, 0);
      assert.match(prm.stderr, /--targets is for --kind value/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
