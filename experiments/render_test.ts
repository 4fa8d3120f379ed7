/**
 * End-to-end test of the render task: executes `notebooks/datasets.ipynb` through Jupyter (Deno
 * kernel) into a temporary folder, then opens the page in headless Chromium with all network
 * access blocked and checks that the table, the plotly figure (drawn, not blank), the KaTeX
 * formula (with its inlined font) and the SVG trace are there. A second test checks that a
 * failing notebook makes the task exit non-zero with a one-line error naming it.
 *
 * Skipped, with a message, only when `jupyter` or Chromium is missing (`.ci/setup.sh` installs
 * both).
 */

import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { commandExists, renderNotebooks } from "../lib/report/render_notebooks.ts";
import { repoPath } from "../lib/report/paths.ts";

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
