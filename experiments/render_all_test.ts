/**
 * Every paper notebook executes on a small limit: `renderNotebooks` runs each one through Jupyter
 * (Deno kernel) with `REPRO_LIMIT=2` (a fresh two-problem run of each arm on the embedded model,
 * in `results/tmp/<name>-2`), then headless Chromium opens every page with the network blocked and
 * checks the paper-vs-ours table, the provenance (model, data, seed, command) and the plots.
 * `render_test.ts` checks the datasets notebook in more depth (pixels, KaTeX font, traces).
 *
 * Skipped, with a message, only when `jupyter` or Chromium is missing (`.ci/setup.sh` installs
 * both).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { commandExists, renderNotebooks } from "../lib/report/render_notebooks.ts";
import { repoPath } from "../lib/report/paths.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"];
const LIMIT = 2;

const hasJupyter = await commandExists("jupyter", ["nbconvert", "--version"]);
const hasChromium = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
const ready = hasJupyter && hasChromium;
if (!ready) {
  console.warn(
    "render_all_test: SKIPPING: jupyter nbconvert or chromium not installed; " +
      "run `bash .ci/setup.sh` to install them.",
  );
}

/** Notebooks that reproduce no paper table (checked for their own contents). */
const OTHER = ["datasets", "verifiers", "explore"];

/** The paper notebooks: every notebook but the datasets overview, verifiers and explore pages. */
async function paperNotebooks(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(repoPath("notebooks"))) {
    if (e.name.endsWith(".ipynb") && !OTHER.includes(e.name.replace(/\.ipynb$/, ""))) {
      names.push(e.name.replace(/\.ipynb$/, ""));
    }
  }
  return names.sort();
}

Deno.test({
  name: `render: every paper notebook executes with REPRO_LIMIT=${LIMIT} and draws its tables${
    ready ? "" : " [skipped: jupyter or chromium missing]"
  }`,
  ignore: !ready,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const papers = await paperNotebooks();
    assert.ok(papers.length >= 6, `expected the paper notebooks, found ${papers.join(", ")}`);
    // the verifiers page reads the committed results/verifiers run (no fresh run to make); the
    // explore page runs a few tiny searches on one problem with the embedded model
    const names = [...papers, "verifiers", "explore"].sort();
    const outDir = await Deno.makeTempDir({ prefix: "render_all_" });
    try {
      const results = await renderNotebooks({
        only: names,
        outDir,
        limit: LIMIT,
        timeoutS: 600,
        log: () => {},
      });
      for (const r of results) {
        console.log(
          `render_all_test: ${r.name}.ipynb ${r.ok ? "ok" : "FAILED"} in ${r.seconds.toFixed(1)} s`,
        );
      }
      const failed = results.filter((r) => !r.ok);
      assert.deepEqual(
        failed.map((r) => `${r.name}: ${r.error}\n${r.tail?.join("\n")}`),
        [],
        "every notebook executes",
      );
      assert.deepEqual(results.map((r) => r.name).sort(), names);

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        for (const name of names) {
          const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(String(e)));
          await page.route("**/*", (route) => {
            const url = route.request().url();
            return url.startsWith("file:") || url.startsWith("data:")
              ? route.continue()
              : route.abort();
          });
          await page.goto(`file://${join(outDir, `${name}.html`)}`);
          const text = await page.locator("body").innerText();
          if (name === "verifiers") {
            for (const fact of ["final AUC", "recompute-head", "oracle", "maj@16", "seed"]) {
              assert.ok(text.includes(fact), `verifiers: the page shows ${fact}`);
            }
            await page.locator(".repro-plot .main-svg").first().waitFor({ timeout: 30_000 });
            assert.deepEqual(errors, [], `${name}: no script errors`);
            await page.close();
            continue;
          }
          if (name === "explore") {
            // the answer, a candidates table and drawn search trees (drawTrace's svg)
            assert.match(text, /answers \S+; gold \S+: (right|wrong)/, "explore: the answer");
            const captions = await page.locator("table.repro-table caption").allInnerTexts();
            assert.ok(
              captions.some((c) => c.startsWith("Candidates of")),
              `explore: a candidates table (${captions.join(" | ")})`,
            );
            const trees = page.locator(".repro-trace-box svg");
            assert.ok(await trees.count() >= 2, "explore: a drawn tree and a side-by-side");
            const nodes = await trees.first().locator("circle.repro-node").count();
            assert.ok(nodes > 2, `explore: the tree has nodes (${nodes})`);
            assert.ok(
              (await trees.first().boundingBox())!.height > 100,
              "explore: the tree is drawn",
            );
            const genealogies = page.locator(".repro-trace-box svg", {
              hasText: "particle genealogy",
            });
            assert.ok(await genealogies.count() >= 1, "explore: a particle genealogy");
            assert.deepEqual(errors, [], `${name}: no script errors`);
            await page.close();
            continue;
          }
          // paper vs ours, side by side, with the provenance of ours
          const headers = await page.locator("table.repro-table th").allInnerTexts();
          assert.ok(headers.includes("paper"), `${name}: a paper column (${headers.join("|")})`);
          assert.ok(headers.some((h) => h.startsWith("ours")), `${name}: an ours column`);
          for (const fact of ["model", "data", "seed", "command"]) {
            assert.ok(text.includes(fact), `${name}: provenance names the ${fact}`);
          }
          assert.ok(text.includes(`REPRO_LIMIT=${LIMIT}`), `${name}: the small limit is stated`);
          // plotly figures are drawn (plotly adds .main-svg)
          const plots = page.locator(".repro-plot");
          if (await plots.count() > 0) {
            await plots.first().locator(".main-svg").first().waitFor({ timeout: 30_000 });
          }
          assert.deepEqual(errors, [], `${name}: no script errors`);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});
