/**
 * End-to-end test of the render task: executes `notebooks/datasets.ipynb` through Jupyter (Deno
 * kernel) into a temporary folder, then opens the page in headless Chromium with all network
 * access blocked and checks that the table, the plotly figure (drawn, not blank), the KaTeX
 * formula (with its inlined font) and the SVG trace are there. A second test checks that a
 * failing notebook makes the task exit non-zero with a one-line error naming it. A third executes
 * a tiny notebook in place with static outputs (`deno task render --commit`): figures become valid,
 * non-blank PNGs, tables Markdown, no plotly.js is stored, and a second run leaves the file as it
 * was. A last test, which needs neither Jupyter nor Chromium, checks the committed notebooks:
 * every code cell executed, figures as PNG, no scripts.
 *
 * The browser tests are skipped, with a message, only when `jupyter` or Chromium is missing
 * (`.ci/setup.sh` installs both).
 */

import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { Buffer } from "node:buffer";
import { commandExists, listNotebooks, renderNotebooks } from "../lib/report/render_notebooks.ts";
import { repoPath } from "../lib/report/paths.ts";
import { type NotebookJson, staticOutputProblems } from "../lib/report/static_notebook.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

const hasJupyter = await commandExists("jupyter", ["nbconvert", "--version"]);
const hasChromium = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
const missing = [
  hasJupyter ? "" : "jupyter nbconvert",
  hasChromium ? "" : `chromium (${CHROMIUM})`,
].filter(Boolean);
if (missing.length > 0) {
  console.warn(
    `render_test: SKIPPING browser render tests: ${missing.join(" and ")} not installed; ` +
      "run `bash .ci/setup.sh` to install them.",
  );
}
const skipNote = missing.length ? ` [skipped: ${missing.join(", ")} missing]` : "";

/** Decoded PNG pixels as RGBA bytes. Supports 8-bit grey, RGB, grey+alpha and RGBA, no interlace. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  assert.ok(sig.every((b, i) => png[i] === b), "not a PNG");
  let width = 0, height = 0, colorType = 0;
  const idat: Uint8Array[] = [];
  for (let off = 8; off < png.length;) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      const [depth, ct, , , interlace] = data.subarray(8, 13);
      assert.equal(depth, 8, "PNG bit depth");
      assert.equal(interlace, 0, "interlaced PNG");
      colorType = ct;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  assert.ok(channels, `PNG colour type ${colorType}`);
  const raw = inflateSync(concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = out.subarray(i * channels, (i + 1) * channels);
    const [r, g, b] = channels >= 3 ? [px[0], px[1], px[2]] : [px[0], px[0], px[0]];
    rgba.set([r, g, b, channels === 4 ? px[3] : channels === 2 ? px[1] : 255], i * 4);
  }
  return { width, height, rgba };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Distinct colours and the share of pixels that differ from the most common colour. */
function pixelStats(png: Uint8Array): { colors: number; inked: number } {
  const { rgba } = decodePng(png);
  const counts = new Map<number, number>();
  for (let i = 0; i < rgba.length; i += 4) {
    const key = ((rgba[i] << 24) | (rgba[i + 1] << 16) | (rgba[i + 2] << 8) | rgba[i + 3]) >>> 0;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = rgba.length / 4;
  return { colors: counts.size, inked: 1 - Math.max(...counts.values()) / total };
}

Deno.test({
  name:
    `render: datasets notebook renders to offline HTML with table, plot, formula and trace${skipNote}`,
  ignore: missing.length > 0,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const outDir = await Deno.makeTempDir({ prefix: "render_test_" });
    try {
      const lines: string[] = [];
      const started = performance.now();
      const [result] = await renderNotebooks({
        only: ["datasets"],
        outDir,
        limit: 40,
        timeoutS: 300,
        log: (l) => lines.push(l),
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(`render_test: datasets.ipynb rendered in ${seconds.toFixed(1)} s`);
      assert.ok(result.ok, `render failed: ${result.error}\n${result.tail?.join("\n")}`);
      assert.ok(lines.some((l) => l.includes("executing")), "progress was logged");
      const html = await Deno.readTextFile(join(outDir, "datasets.html"));
      assert.ok(html.includes("REPRO_LIMIT=40"), "REPRO_LIMIT reached the notebook");

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const pageErrors: string[] = [];
        const network: string[] = [];
        page.on("pageerror", (e) => pageErrors.push(String(e)));
        await page.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
          network.push(url);
          return route.abort();
        });
        await page.goto(`file://${join(outDir, "datasets.html")}`);

        // Tables: the polars tables have header and body rows.
        const tables = await page.locator("table.repro-table").count();
        assert.ok(tables >= 3, `expected >= 3 tables, found ${tables}`);
        const levelRows = await page.locator("table.repro-table").nth(1).locator("tbody tr")
          .count();
        assert.ok(levelRows >= 1, "subject table has rows");

        // Plotly: drawn (plotly adds .main-svg with bars), and the pixels are not blank.
        const plot = page.locator(".repro-plot").first();
        await plot.locator(".main-svg").first().waitFor({ timeout: 30_000 });
        const bars = await plot.locator("g.point path").count();
        assert.ok(bars > 5, `expected bars, found ${bars}`);
        const plotShot = pixelStats(await plot.screenshot());
        await page.evaluate(`(() => {
          const blank = document.createElement("div");
          blank.id = "blank-probe";
          blank.style.cssText = "width:600px;height:300px;background:#fff";
          document.body.prepend(blank);
        })()`);
        const blankShot = pixelStats(await page.locator("#blank-probe").screenshot());
        assert.equal(blankShot.colors, 1, "decoder sees a blank div as one colour");
        assert.ok(
          plotShot.colors > 20 && plotShot.inked > 0.02,
          `plot looks blank: ${plotShot.colors} colours, ${(plotShot.inked * 100).toFixed(1)}% ink`,
        );

        // KaTeX: rendered, with its own (inlined) font available.
        assert.ok((await page.locator(".katex-display").count()) >= 1, "KaTeX display formula");
        const katexFont = await page.evaluate(
          `document.fonts.ready.then(() => document.fonts.check("16px KaTeX_Main"))`,
        );
        assert.ok(katexFont, "KaTeX_Main font is loaded from the inlined CSS");

        // Trace drawings: every node drawn, tree edges = nodes - 1.
        const svg = page.locator("svg.repro-trace").first();
        const nodes = await svg.locator("circle.repro-node").count();
        const edges = await svg.locator("path.repro-edge").count();
        assert.equal(nodes, 10);
        assert.equal(edges, nodes - 1);
        assert.ok((await svg.locator("path.repro-path").count()) >= 1, "selected path drawn");

        assert.deepEqual(pageErrors, [], "no script errors");
        assert.deepEqual(network, [], "page made no network requests");
      } finally {
        await browser.close();
      }
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

Deno.test({
  name: `render: a failing notebook makes the task exit non-zero and names it${skipNote}`,
  ignore: !hasJupyter,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "render_fail_" });
    try {
      const nb = {
        cells: [{
          cell_type: "code",
          id: "boom",
          execution_count: null,
          metadata: {},
          outputs: [],
          source: 'throw new Error("deliberate failure <42>");',
        }],
        metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      await Deno.writeTextFile(join(dir, "broken.ipynb"), JSON.stringify(nb));
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          repoPath("experiments", "render.ts"),
          "--notebooks",
          dir,
          "--out",
          join(dir, "html"),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 1, stderr);
      assert.match(
        stderr,
        /render: error: notebook broken\.ipynb failed after [\d.]+ s: Error: deliberate failure <42>/,
      );
      const index = await Deno.readTextFile(join(dir, "html", "index.html"));
      assert.ok(index.includes("status-failed"));
      assert.ok(!(await Deno.stat(join(dir, "html", "broken.html")).then(() => true, () => false)));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The outputs of a notebook's code cells, in order. */
function outputsOf(nb: NotebookJson) {
  return nb.cells.flatMap((c) => c.outputs ?? []);
}

/** Joined text of a string or nbformat list of lines. */
const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

Deno.test({
  name:
    `render --commit: a tiny notebook runs in place with PNG figures and no plotly.js${skipNote}`,
  ignore: missing.length > 0,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // inside the repository, so that the kernel finds deno.json (the npm imports of lib/report)
    const dir = await Deno.makeTempDir({ dir: repoPath("notebooks"), prefix: ".render_static_" });
    try {
      const cells = [
        'import { barChart, drawTrace, plot, preamble, table, tex } from "../../lib/report/mod.ts";\n' +
        "preamble();",
        'plot(barChart(["a", "b", "c"], [{ name: "n", values: [3, 1, 2] }], { title: "tiny" }), ' +
        "{ height: 300 });",
        'table([{ arm: "orm_bon@16", "acc %": 61.25 }, { arm: "a|b", "acc %": 50 }], ' +
        '{ caption: "Arms" });',
        "tex(String.raw`\\hat a = \\arg\\max_a \\sum_i w_i`);",
        'drawTrace({ kind: "tree", nodes: [{ id: 0, parent: null, text: "q", depth: 0, score: 0.2 }, ' +
        '{ id: 1, parent: 0, text: "s", depth: 1, score: 0.9, terminal: true, answer: "4", ' +
        "selected: true }] });",
      ];
      const nb = {
        cells: cells.map((source) => ({
          cell_type: "code",
          execution_count: null,
          metadata: {},
          outputs: [],
          source,
        })),
        metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      const file = join(dir, "tiny.ipynb");
      await Deno.writeTextFile(file, JSON.stringify(nb));
      const run = () =>
        renderNotebooks({ notebooksDir: dir, inPlace: true, timeoutS: 300, log: () => {} });
      const [result] = await run();
      assert.ok(result.ok, `render --commit failed: ${result.error}\n${result.tail?.join("\n")}`);
      assert.equal(result.figures, 2);
      assert.equal(result.ipynb, file);
      const text = await Deno.readTextFile(file);
      const done = JSON.parse(text) as NotebookJson;
      assert.deepEqual(staticOutputProblems(done), []);
      assert.ok(text.length < 200_000, `the notebook stays small (${text.length} bytes)`);
      assert.ok(!text.includes("plotly.js-dist-min") && !text.includes("<script"), "no plotly.js");

      const outputs = outputsOf(done);
      const pngs = outputs.map((o) => o.data?.["image/png"]).filter((p) => p !== undefined);
      assert.equal(pngs.length, 2, "the bar chart and the trace are PNG images");
      for (const png of pngs) {
        const bytes = new Uint8Array(Buffer.from(joined(png), "base64"));
        const { width, height } = decodePng(bytes);
        assert.ok(width >= 300 && height >= 100, `a real image (${width}×${height})`);
        const { colors, inked } = pixelStats(bytes);
        assert.ok(colors > 5 && inked > 0.005, `not blank: ${colors} colours, ${inked} ink`);
      }
      const markdown = outputs.map((o) => joined(o.data?.["text/markdown"]));
      assert.ok(markdown[0].includes("PNG"), "the preamble says figures are images");
      assert.ok(
        markdown.includes(
          "**Arms**\n\n| arm | acc % |\n| :-- | --: |\n" +
            "| orm_bon@16 | 61.250 |\n| a\\|b | 50 |",
        ),
        markdown.join("\n---\n"),
      );
      assert.ok(markdown.includes("$$\n\\hat a = \\arg\\max_a \\sum_i w_i\n$$"), "formula as math");
      assert.ok(done.cells.every((c) => c.execution_count && c.id), "executed, with ids");

      const [again] = await run();
      assert.ok(again.ok, again.error ?? "second run failed");
      assert.equal(await Deno.readTextFile(file), text, "a second run leaves the file unchanged");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("committed notebooks carry their outputs: every code cell executed, figures as PNG", async () => {
  const dir = repoPath("notebooks");
  const names = listNotebooks(dir);
  assert.ok(names.length >= 8, `the notebooks (${names.join(", ")})`);
  const problems: string[] = [];
  for (const name of names) {
    const text = await Deno.readTextFile(join(dir, `${name}.ipynb`));
    const nb = JSON.parse(text) as NotebookJson;
    if (!nb.cells.some((c) => (c.outputs ?? []).length > 0)) {
      problems.push(`${name}.ipynb: no outputs (run \`deno task render --commit --only ${name}\`)`);
      continue;
    }
    for (const p of staticOutputProblems(nb)) problems.push(`${name}.ipynb ${p}`);
    const drawn = outputsOf(nb).filter((o) => o.data?.["image/png"] !== undefined).length;
    const draws = nb.cells.filter((c) =>
      c.cell_type === "code" && /\b(plot|drawTrace|accuracyVsTokens|drawExplored|sideBySide)\(/
        .test(joined(c.source))
    ).length;
    if (draws > 0 && drawn === 0) {
      problems.push(`${name}.ipynb: draws figures but stores no PNG`);
    }
    if (text.length > 3_000_000) {
      problems.push(`${name}.ipynb: ${text.length} bytes`);
    }
  }
  assert.deepEqual(problems, [], "run `deno task render --commit` and commit the notebooks");
});
