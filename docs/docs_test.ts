/**
 * The repository is self-contained for its citations: no source or document points at a path
 * outside the repository (the sibling folder of reference notes a clone does not have), and every
 * `docs/algorithms.md §N.M` cited anywhere names a section that exists there.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXTENSIONS = [".ts", ".ipynb", ".md", ".py", ".sh"];
/** Not part of the sources: run outputs, installed packages, git, the ignored scratch folder. */
const SKIP = new Set([".git", "node_modules", "results", "scratch"]);

/** Every checked file of the repository: path relative to the root and its text. */
async function sources(): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const e of Deno.readDir(dir)) {
      const full = join(dir, e.name);
      if (e.isDirectory) {
        if (!SKIP.has(e.name)) await walk(full);
      } else if (e.isFile && EXTENSIONS.some((x) => e.name.endsWith(x))) {
        out.push({ path: relative(ROOT, full), text: await Deno.readTextFile(full) });
      }
    }
  }
  await walk(ROOT);
  return out;
}

/** A notebook's text as written: its cells' sources joined (escapes such as `\u00a7` decoded). */
function notebookText(raw: string): string {
  const nb = JSON.parse(raw) as { cells: { source: string | string[] }[] };
  return nb.cells.map((c) => Array.isArray(c.source) ? c.source.join("") : c.source).join("\n");
}

/** The text to search: notebooks decoded, comment continuations (` * `, `// `, `# `) joined. */
function readable(path: string, text: string): string {
  const t = path.endsWith(".ipynb") ? notebookText(text) : text;
  return t.replace(/\n[ \t]*(?:\*(?!\/)|\/\/|#)?[ \t]*/g, " ");
}

/** Section numbers ("1", "1.3") of the `## N.` and `### N.M` headings of a Markdown file. */
export function headingNumbers(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.?\s/gm)) out.add(m[1]);
  return out;
}

/**
 * The section numbers cited right after each `docs/algorithms.md` mention: `§5.2–§5.4, §6`,
 * `§7.1–7.2` and `§8.2a` give 5.2, 5.4, 6, 7.1, 7.2 and 8.2.
 */
export function citedSections(text: string): string[] {
  const out: string[] = [];
  const num = String.raw`\d+(?:\.\d+)?[a-z]?`;
  const item = String.raw`\s*(?:,|;|–|-|and)?\s*§${num}(?:\s*[–-]\s*§?${num})?`;
  const ref = new RegExp(String.raw`docs/algorithms\.md((?:${item})+)`, "g");
  for (const m of text.matchAll(ref)) {
    for (const n of m[1].matchAll(/\d+(?:\.\d+)?/g)) out.push(n[0]);
  }
  return out;
}

Deno.test("citedSections reads lists and ranges; headingNumbers reads ## and ### headings", () => {
  assert.deepEqual(citedSections("(docs/algorithms.md §5.2–§5.4, §6). See §9."), [
    "5.2",
    "5.4",
    "6",
  ]);
  assert.deepEqual(citedSections("docs/algorithms.md §7.1–7.2 and docs/algorithms.md §8.2a"), [
    "7.1",
    "7.2",
    "8.2",
  ]);
  assert.deepEqual([...headingNumbers("## 1. A\n### 1.3 B\n#### 1.3.1 C\n## Sources\n")], [
    "1",
    "1.3",
  ]);
});

Deno.test("no source or document points outside the repository", async () => {
  const outside = /(?:^|[^\w.-])shared\//;
  const bad: string[] = [];
  for (const { path, text } of await sources()) {
    text.split("\n").forEach((line, i) => {
      if (outside.test(line)) bad.push(`${path}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bad, [], "paths outside the repository: use docs/ instead");
});

Deno.test("docs/algorithms.md and docs/paper-tables.md are cited by their full path", async () => {
  const bad: string[] = [];
  for (const { path, text } of await sources()) {
    for (const m of readable(path, text).matchAll(/(\S{0,5})\b(algorithms|paper-tables)\.md/g)) {
      // a Markdown link between the two files inside docs/ may be relative
      const sibling = path.startsWith("docs") && m[1].endsWith("](");
      if (!m[1].endsWith("docs/") && !sibling) bad.push(`${path}: ${m[0]}`);
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("every cited docs/algorithms.md section exists", async () => {
  const have = headingNumbers(await Deno.readTextFile(join(ROOT, "docs/algorithms.md")));
  assert.ok(have.has("1.3") && have.has("8.2"), "headings not parsed");
  const missing: string[] = [];
  let cited = 0;
  for (const { path, text } of await sources()) {
    for (const s of citedSections(readable(path, text))) {
      cited++;
      if (!have.has(s)) missing.push(`${path}: §${s}`);
    }
  }
  assert.ok(cited > 50, `only ${cited} citations found`);
  assert.deepEqual(missing, []);
});
