/**
 * Final-answer extraction from a whole model output: the last `\boxed{}` / `\fbox{}` (nested braces,
 * also `\boxed 5`), the Minerva "Final Answer: The final answer is X. I hope it is correct.", the
 * PRM800K `# Answer`, the GSM8K `#### X`, "The answer is X", multiple-choice letters, and a
 * last-number fallback. A short text that already is an answer (`\frac{1}{2}`, `x^2+1`, `Evelyn`) is
 * returned cleaned, not reduced to its last number.
 *
 * @module
 */
import { matchBrace } from "./scan.ts";

/**
 * The final answer in `text`, cleaned of surrounding `$`, `\(..\)` and a trailing period; `null`
 * when there is none.
 *
 * @example
 * ```ts
 * extractAnswer("so $x = \\boxed{\\frac{1}{2}}$."); // "\\frac{1}{2}"
 * extractAnswer("Final Answer: The final answer is $28\\%$. I hope it is correct."); // "28\\%"
 * extractAnswer("She has 3 apples.\n#### 1,234"); // "1,234"
 * extractAnswer("no digits here at all"); // null
 * ```
 */
export function extractAnswer(text: string, opts: ExtractOptions = {}): string | null {
  if (typeof text !== "string") return null;
  const t = text.trim();
  if (t === "") return null;
  const latexOnly = opts.latexOnly === true;
  const boxed = lastBoxed(t, { openBox: opts.openBox });
  // A Minerva "final answer is X" written after the last box is the answer (boxes came earlier,
  // for intermediate results).
  const lastBox = t.search(/\\(?:boxed|fbox)(?![\s\S]*\\(?:boxed|fbox))/);
  if (boxed !== null && lastIndexOfCi(t, "final answer is") > lastBox) {
    const span = MARKERS[0](t) ?? "";
    const c = (span.match(/\$/g) ?? []).length <= 2 ? nonEmpty(cleanSpan(span, true)) : null;
    if (c !== null) return c;
  }
  if (boxed !== null) return nonEmpty(cleanSpan(boxed, false));
  for (const find of MARKERS) {
    const span = find(t);
    if (span !== null && (!latexOnly || hasMath(span))) {
      const c = nonEmpty(cleanSpan(span, true));
      if (c !== null) return c;
    }
  }
  const math = lastMathSegment(t);
  if (math !== null) return nonEmpty(tidy(math));
  if (latexOnly) return null;
  if (isBareAnswer(t)) {
    // `Soucis : 2,74 $ a..`: a `$` left unpaired in words is a currency sign, not a formula's
    // delimiter; such a text is prose, and its number is the answer.
    if (strayDollar(t) && words(t).length > 0) {
      const n = lastNumber(t);
      if (n !== null) return n;
    }
    return nonEmpty(cleanSpan(t, false));
  }
  return lastNumber(t);
}

/** Options of {@linkcode extractAnswer}. */
export interface ExtractOptions {
  /**
   * Only answers written as LaTeX count: a box, or a formula between math delimiters (also after an
   * answer marker); no bare-text or last-number fallback (Math-Verify's `match_types=["latex"]`).
   * Default false.
   */
  latexOnly?: boolean;
  /**
   * A last `\boxed{` that never closes runs to the end of its line (Math-Verify's reading of a
   * final text; default true). Search sets it false: a solution cut off inside its box has no boxed
   * answer yet.
   */
  openBox?: boolean;
}

/** A box or a math delimiter (`$`, `\(`, `\[`) in `s`. */
function hasMath(s: string): boolean {
  return /(?<!\\)\$|\\[([]|\\(?:boxed|fbox)(?![a-zA-Z])/.test(s);
}

/** An odd number of unescaped `$` signs: one of them delimits nothing. */
function strayDollar(s: string): boolean {
  return (s.match(/(?<!\\)\$/g) ?? []).length % 2 === 1;
}

/**
 * In prose without any answer marker, the last inline formula (`$..$`, `\(..\)`, `\[..\]`) when it
 * comes after the last number written outside formulas; null otherwise (the last-number fallback
 * then applies). A text that is one formula with at most a word around it also counts. Inline
 * delimiters do not pair across a line break.
 */
function lastMathSegment(t: string): string | null {
  // Inline math (`$..$`, `\(..\)`) stays on one line, display math (`$$..$$`, `\[..\]`) may span
  // lines (Math-Verify's rule): `$ \n 9 \n $` is not a formula.
  const re =
    /(?<!\\)\$\$([\s\S]+?)(?<!\\)\$\$|(?<!\\)\$((?:\\\$|[^$\n])+?)(?<!\\)\$|\\\(([^\n]+?)\\\)|\\\[([\s\S]+?)\\\]/g;
  const all: RegExpExecArray[] = [];
  for (let m = re.exec(t); m !== null; m = re.exec(t)) all.push(m);
  if (all.length === 0) return null;
  const last = all[all.length - 1];
  const end = last.index + last[0].length;
  const outside = t.slice(end);
  if (/\d/.test(outside.replace(/<\|[^|]*\|>/g, ""))) return null;
  const inner = last[1] ?? last[2] ?? last[3] ?? last[4];
  if (inner.trim() === "") return null;
  // `$2$ and $4$`, `$21,16$ or $11$`: formulas joined only by and/or/commas are one answer list.
  const picked = [inner];
  for (let k = all.length - 2; k >= 0; k--) {
    const gap = t.slice(all[k].index + all[k][0].length, all[k + 1].index);
    if (!/^\s*(?:,|and|or|,\s*and)?\s*$/.test(gap) || gap.trim() === "") break;
    const m = all[k];
    picked.unshift(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return picked.join(", ");
}

interface Box {
  start: number;
  end: number;
  content: string;
}

/**
 * Content of the last `\boxed{..}` / `\fbox{..}` (or `\boxed 5`). Boxes written one after the other
 * (`\boxed{1}, \boxed{2}`) are joined with commas. A last box whose brace never closes runs to the
 * end of its line (`\boxed{x = 1` → `x = 1`) unless `openBox` is false. `null` when there is no box.
 *
 * @example
 * ```ts
 * lastBoxed("\\boxed{1} then \\boxed{\\frac{a}{b}}"); // "\\frac{a}{b}"
 * ```
 */
export function lastBoxed(
  text: string,
  { openBox = true }: Pick<ExtractOptions, "openBox"> = {},
): string | null {
  const boxes: Box[] = [];
  let unclosed: Box | null = null;
  const re = /\\(?:boxed|fbox)(?![a-zA-Z])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let i = m.index + m[0].length;
    while (text[i] === " ") i++;
    if (text[i] === "{") {
      const close = matchBrace(text, i);
      if (close < 0) {
        if (!openBox) continue;
        const eol = text.indexOf("\n", i);
        const end = eol < 0 ? text.length : eol;
        unclosed = { start: m.index, end, content: text.slice(i + 1, end) };
        continue;
      }
      boxes.push({ start: m.index, end: close + 1, content: text.slice(i + 1, close) });
      re.lastIndex = close + 1;
    } else {
      const rest = /^[^\s$]+/.exec(text.slice(i));
      if (rest) boxes.push({ start: m.index, end: i + rest[0].length, content: rest[0] });
    }
  }
  // A box left open after every closed one (a cut-off output, a lost brace) runs to the end of
  // its line.
  if (unclosed !== null && (boxes.length === 0 || unclosed.start > boxes[boxes.length - 1].start)) {
    return unclosed.content.trim();
  }
  if (boxes.length === 0) return null;
  const picked = [boxes[boxes.length - 1]];
  for (let k = boxes.length - 2; k >= 0; k--) {
    if (!isConnector(text.slice(boxes[k].end, picked[0].start))) break;
    picked.unshift(boxes[k]);
  }
  return picked.map((b) => b.content.trim()).join(", ");
}

/**
 * True when the text between two answers only joins them: on one line, at most 40 characters, and
 * once math delimiters, spacing commands, `\text{}` wrappers, punctuation and labels (`y_2 =`) are
 * taken away, nothing, or at most four short words among which `and` or `or` (`for part (a) and`,
 * `papers and`; not `then`).
 */
function isConnector(gap: string): boolean {
  if (gap.includes("\n") || gap.length > 40) return false;
  const rest = gap
    .replace(/\\+$/, "")
    .replace(/\\(?:text|mbox|textbf|textnormal|mathrm)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\\[()[\]]|\\q?quad|\\[,;:! ]|\$/g, " ")
    .replace(/(?:^|\s)[A-Za-z](?:_\{?\w+\}?)?\s*=\s*$/, " ")
    .replace(/[,;+&]|\([a-z]\)/g, " ")
    .trim();
  if (rest === "") return true;
  const words = rest.split(/\s+/);
  return words.length <= 4 && words.every((w) => /^[A-Za-z]{1,12}$/.test(w)) &&
    words.some((w) => /^(?:and|or)$/i.test(w));
}

/** Marker-based spans, most specific first; each returns the raw text after its marker. */
const MARKERS: ((t: string) => string | null)[] = [
  (t) => {
    const i = lastIndexOfCi(t, "final answer is");
    if (i < 0) return null;
    const rest = t.slice(i + "final answer is".length);
    const hope = rest.search(/I hope it is correct/i);
    return firstLine(hope >= 0 ? rest.slice(0, hope) : rest);
  },
  (t) => {
    const m = lastMatch(t, /^#+\s*Answer\s*:?\s*$/gim);
    if (m === null) return null;
    const after = t.slice(m.index + m[0].length).split("\n").find((l) => l.trim() !== "");
    return after ?? null;
  },
  (t) => {
    const m = lastMatch(t, /####\s*/g);
    return m === null ? null : firstLine(t.slice(m.index + m[0].length));
  },
  (t) => {
    const m = lastMatch(t, /final answer\s*[:：]\s*/gi);
    return m === null ? null : firstLine(t.slice(m.index + m[0].length));
  },
  (t) => {
    const m = lastMatch(
      t,
      /\b(?:answer|option|choice)\s+(?:is\s*)?[:：]?\s*(\(?[A-E]\)?)(?![A-Za-z0-9])/g,
    );
    return m === null ? null : m[1];
  },
  (t) => {
    const m = lastMatch(t, /(?:the\s+)?(?:correct\s+)?answer\s+is\s*[:：]?\s*/gi);
    if (m === null) return null;
    return firstSentence(firstLine(t.slice(m.index + m[0].length)));
  },
];

function lastIndexOfCi(t: string, needle: string): number {
  return t.toLowerCase().lastIndexOf(needle);
}

function lastMatch(t: string, re: RegExp): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    last = m;
    if (m[0] === "") re.lastIndex++;
  }
  return last;
}

function firstLine(s: string): string {
  const lines = s.split("\n");
  const first = lines.find((l) => l.trim() !== "");
  return first ?? "";
}

/** Cut at the end of the first sentence: a period followed by a space and a capital, or `<`. */
function firstSentence(s: string): string {
  const m = /\.\s+(?=[A-Z<])|\.\s*$/.exec(s);
  return m ? s.slice(0, m.index) : s;
}

const NUMBER_RE =
  /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+,\d{1,2}(?![\d,])|-?\d+(?:\.\d+)?(?:\/\d+)?|-?\.\d+/g;

/** The last number in `t` (thousands separators and `a/b` kept), or `null`. */
function lastNumber(t: string): string | null {
  const all = t.match(NUMBER_RE);
  return all ? all[all.length - 1] : null;
}

/**
 * True when `t` reads as an answer rather than prose: one line, short, and at most two words of
 * three or more letters outside LaTeX commands and `\text{}`.
 */
function isBareAnswer(t: string): boolean {
  if (t.includes("\n") || t.length > 200) return false;
  return words(t).length <= 2;
}

/**
 * Words of three or more letters (two with an apostrophe: `it's`) outside LaTeX commands and
 * `\text{}` (`and`/`or` excluded).
 */
function words(t: string): string[] {
  const w = t
    .replace(/\\(?:text|mbox|textbf|textnormal|mathrm)\s*\{[^{}]*\}/g, " ")
    .replace(/\\[a-zA-Z]+/g, " ")
    .match(/[A-Za-z]{3,}|[A-Za-z]+'[a-z]+/g) ?? [];
  return w.filter((x) => !/^(?:and|or)$/i.test(x));
}

/**
 * Clean a span: strip `$`/`\(..\)` wrappers, a leading colon and trailing punctuation. With
 * `prose`, a span that still reads as a sentence ("The largest $n$ is 34") is reduced to its last
 * number after the last inline formula, or to that formula.
 */
function cleanSpan(span: string, prose: boolean): string {
  let s = span.trim().replace(/^[:：]\s*/, "");
  s = s.replace(/[\s.,;:]+$/, "").trim();
  const whole = unwrapMath(s);
  if (whole !== null) return tidy(whole);
  const segs = [...s.matchAll(/\$+([^$]+)\$+|\\\((.+?)\\\)/g)];
  if (prose && words(s.replace(/\$[^$]*\$|\\\(.+?\\\)/g, " ")).length >= 2) {
    const last = segs[segs.length - 1];
    const tailFrom = last ? last.index! + last[0].length : 0;
    const tailNumber = lastNumber(s.slice(tailFrom));
    if (tailNumber !== null) return tailNumber;
    if (last) return tidy(last[1] ?? last[2]);
    return lastNumber(s) ?? "";
  }
  return tidy(s.replace(/(?<!\\)\$/g, ""));
}

/** The inside of `$X$`, `$$X$$`, `\(X\)`, `\[X\]` when that wraps the whole string, else null. */
function unwrapMath(s: string): string | null {
  const m = /^\$\$([^$]*)\$\$$/.exec(s) ?? /^\$([^$]*)\$$/.exec(s) ??
    /^\\\(([\s\S]*)\\\)$/.exec(s) ?? /^\\\[([\s\S]*)\\\]$/.exec(s);
  return m ? m[1] : null;
}

function tidy(s: string): string {
  return s.trim().replace(/^\$+|\$+$/g, "").trim().replace(/[\s.,;]+$/, "").trim();
}

function nonEmpty(s: string): string | null {
  return s === "" ? null : s;
}
