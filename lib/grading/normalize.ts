/**
 * String normalisation of a final answer, following the MARIO_EVAL rules (docs/algorithms.md §1.4)
 * plus the Hendrycks MATH `strip_string` ones: LaTeX spacing and sizing commands, `\dfrac`/`\tfrac`,
 * `\text{}` wrappers, units, `$`, thousands separators, mixed numbers, unicode symbols, and one
 * canonical spelling for percent (`\%`), degrees (`^{\circ}`) and relations (`\le`, `\ge`, `\ne`).
 *
 * The result is still LaTeX: it is both the key for the exact-string fast path and the input to the
 * LaTeX parser.
 *
 * @module
 */
import { matchBrace, splitTopLevel } from "./scan.ts";

/** Units dropped after a number even without a space (`10weeks`, `125 miles`). */
const LONG_UNITS = [
  "square units",
  "sq units",
  "cubic units",
  "units",
  "unit",
  "square feet",
  "square inches",
  "square meters",
  "square centimeters",
  "square cm",
  "square miles",
  "square yards",
  "cubic feet",
  "cubic inches",
  "cubic meters",
  "cubic centimeters",
  "centimeters",
  "centimeter",
  "millimeters",
  "millimeter",
  "kilometers",
  "kilometer",
  "meters",
  "meter",
  "inches",
  "inch",
  "feet",
  "foot",
  "yards",
  "yard",
  "miles",
  "mile",
  "seconds",
  "second",
  "minutes",
  "minute",
  "hours",
  "hour",
  "days",
  "day",
  "weeks",
  "week",
  "months",
  "month",
  "years",
  "year",
  "dollars",
  "dollar",
  "cents",
  "cent",
  "degrees",
  "degree",
  "pounds",
  "pound",
  "ounces",
  "ounce",
  "grams",
  "gram",
  "kilograms",
  "liters",
  "liter",
  "gallons",
  "gallon",
  "people",
  "students",
  "ways",
  "times",
  "points",
  "mph",
  "sq",
];
/** Short units: only dropped after a space (`10 cm`, but not `10cm`, which may be a product). */
const SHORT_UNITS = [
  "cm",
  "mm",
  "km",
  "m",
  "ft",
  "in",
  "yd",
  "mi",
  "kg",
  "g",
  "lb",
  "lbs",
  "s",
  "h",
];

const LONG_UNIT_RE = new RegExp(
  String.raw`^(.*?[\d}.)])\s*(?:${LONG_UNITS.join("|").replace(/ /g, String.raw`\s+`)})` +
    String.raw`(?:\^\{?[23]\}?|\s*squared|\s*cubed)?$`,
  "i",
);
const SHORT_UNIT_RE = new RegExp(
  String.raw`^(.*?[\d}.)])\s+(?:${SHORT_UNITS.join("|")})(?:\^\{?[23]\}?)?$`,
);

/** A number written right before a short unit (`4m`, `3s`, `\frac{1}{2}cm`): the whole answer. */
const NUMBER_UNIT_RE = new RegExp(
  String.raw`^(-?(?:\d+(?:\.\d+)?|\\frac\{\d+\}\{\d+\}))\s*(?:${SHORT_UNITS.join("|")})$`,
);
/** A number followed by what it counts (`7 apples`): one lowercase word of three letters or more. */
const COUNTED_RE = /^(-?\d+(?:\.\d+)?)\s+([a-z]{3,})$/;
/** Words after a number that are math, not a counted noun. */
const NOT_NOUNS = new Set(["and", "sin", "cos", "tan", "cot", "sec", "csc", "log", "exp", "mod"]);

const TEXT_COMMANDS = String
  .raw`(?:text|textnormal|textrm|textbf|textit|textsf|texttt|mbox|mathrm|mathit|mathsf|mathbf|mathbb|bf|rm)`;
const TRAILING_TEXT_RE = new RegExp(
  String.raw`^(.*?[^\s])\s*\\${TEXT_COMMANDS}\s*\{([^{}]*)\}(?:\^\{?[23]\}?)?$`,
);
const TEXT_WRAP_RE = new RegExp(String.raw`\\${TEXT_COMMANDS}\s*\{`, "g");

const UNICODE: [RegExp, string][] = [
  [/√/g, "\\sqrt"],
  [/π/g, "\\pi "],
  [/∞/g, "\\infty "],
  [/∪/g, "\\cup "],
  [/∩/g, "\\cap "],
  [/[·⋅]/g, "\\cdot "],
  [/×/g, "\\times "],
  [/[−–]/g, "-"],
  [/≤/g, "\\le "],
  [/≥/g, "\\ge "],
  [/≠/g, "\\ne "],
  [/°/g, "^{\\circ}"],
  [/\u00a0/g, " "],
];

/**
 * Normalise one final answer (not a whole solution: see `extractAnswer`) to canonical LaTeX.
 *
 * @example
 * ```ts
 * normalizeAnswer("\\$10,\\!000"); // "10000"
 * normalizeAnswer("\\left( \\dfrac{1}{2}, 3 \\right)"); // "(\\frac{1}{2},3)"
 * normalizeAnswer("10\\text{ cm}^2"); // "10"
 * ```
 */
export function normalizeAnswer(answer: string): string {
  let s = answer.trim();
  for (const [re, to] of UNICODE) s = s.replace(re, to);
  // "\\frac" typed with a doubled backslash (seen in model outputs and in the MATH tests), but not
  // a matrix row break "\\" followed by a command.
  if (!s.includes("\\begin")) s = s.replace(/\\\\(?=[a-zA-Z])/g, "\\");
  else if (s.includes("\\\\begin")) s = s.replace(/\\\\/g, "\\"); // every backslash doubled
  s = s.replace(/\\\$/g, "").replace(/\$/g, "").trim().replace(/\.$/, "");
  s = clock24(s);
  s = unwrapCommand(s, "boxed");
  s = unwrapCommand(s, "fbox");
  s = s.replace(/^\\\(|\\\)$/g, "").replace(/^\\\[|\\\]$/g, "");
  s = s.replace(/\\(?:displaystyle|textstyle|scriptstyle)/g, "");
  // Thousands separators written as "10,\!000" or "10{,}000" must lose their comma before "\!"
  // spacing is dropped (a plain "32, 349" is a list, not a number).
  s = s.replace(/(\d),\\!\s*(?=\d{3}(?!\d))/g, "$1").replace(/(\d)\{,\s*\}(?=\d{3}(?!\d))/g, "$1");
  s = s.replace(/\{,\}/g, ",");
  s = s.replace(/(?<!\\)\\[!,;:> ]/g, " ").replace(/\\q?quad/g, " ").replace(/~/g, " ");
  s = s.replace(/\\(?:left|right|[bB]igg?[lr]?)\s*\.(?![0-9])/g, "");
  s = s.replace(/\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])/g, "");
  s = s.replace(/\\[dtc]frac/g, "\\frac").replace(/\\[dt]binom/g, "\\binom");
  s = s.replace(/\\(?:lvert|rvert|vert)(?![a-zA-Z])/g, "|");
  // Percent, degrees and relations get one spelling each.
  s = s.replace(/\\text\{\s*\\?%\s*\}|\\?%/g, "\\%");
  s = s.replace(/\s*(?:\\text\{\s*)?(?:percent(?:age)?|pct)\s*\}?\s*$/i, "\\%");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\degree(?![a-zA-Z])/g, "^{\\circ}");
  s = s.replace(/(\d)\s*\\circ(?![a-zA-Z])/g, "$1^{\\circ}");
  s = s.replace(/(?<=\d)\s*(?:\\text\{\s*)?degrees?\s*\}?\s*$/, "^{\\circ}");
  s = s.replace(/\\leqslant|\\leq(?![a-zA-Z])|<=/g, "\\le ").replace(
    /\\geqslant|\\geq(?![a-zA-Z])|>=/g,
    "\\ge ",
  );
  s = s.replace(/\\neq(?![a-zA-Z])|!=/g, "\\ne ").replace(/\\lt(?![a-zA-Z])/g, "<").replace(
    /\\gt(?![a-zA-Z])/g,
    ">",
  );
  s = cutApproximation(s);
  s = s.replace(/\+\s*\\infty/g, "\\infty").replace(/\\infinity/g, "\\infty");
  // "and"/"or" between items of an answer list.
  s = s.replace(new RegExp(String.raw`\\${TEXT_COMMANDS}\s*\{\s*(?:and|or|,)\s*\}`, "g"), ",");
  s = s.replace(/\s+(?:and|or)\s+/g, ",");
  // `(11,7)or(7,11)`, `W(x)=1orW(x)=-1`: "or"/"and" written without spaces between two answers.
  s = s.replace(/(?<=[)\]\d])\s*(?:or|and)\s*(?=[([A-Z\d-])/g, ",");
  s = s.replace(/,\s*,/g, ",");
  s = plainTextMath(s);
  // `\text{5 cm}`: a number and its unit inside one text wrapper.
  s = s.replace(
    new RegExp(String.raw`^\\${TEXT_COMMANDS}\s*\{\s*(-?[\d.]+\s*[a-zA-Z ]+)\}$`),
    "$1",
  );
  s = semicolonLists(s);
  s = dropUnitsPerItem(stripOuterBraces(s));
  s = s.replace(TEXT_WRAP_RE, "{");
  s = s.replace(/^[a-zA-Z]\s*\\in\s*/, "");
  s = s.trim().replace(/[.。]+$/, "").trim();
  s = stripOuterBraces(s);
  s = tidyShorthands(s);
  s = numberForms(s);
  s = squeezeSpaces(s);
  s = s.replace(/^\+(?=\d)/, "");
  return s;
}

/**
 * `x = \frac{1}{3} \approx 0.33` → `x = \frac{1}{3}`: the exact value before an approximation wins;
 * `x \approx 11` → `x = 11`.
 */
function cutApproximation(s: string): string {
  const parts = s.split(/\\approx(?![a-zA-Z])|\\simeq(?![a-zA-Z])/);
  if (parts.length === 1) return s;
  const head = parts[0].trim();
  if (/^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[a-zA-Z0-9]+\}?)?$/.test(head)) return `${head}=${parts[1]}`;
  return head;
}

/** `\boxed{X}` (the whole string) → `X`. */
function unwrapCommand(s: string, name: string): string {
  const head = `\\${name}`;
  const t = s.trim();
  if (!t.startsWith(head)) return s;
  const open = t.indexOf("{", head.length);
  if (open < 0 || t.slice(head.length, open).trim() !== "") return s;
  const close = matchBrace(t, open);
  if (close !== t.length - 1) return s;
  return t.slice(open + 1, close);
}

/** Units dropped from every item of a top-level list (`35 cm,4` → `35,4`). */
function dropUnitsPerItem(s: string): string {
  const items = splitTopLevel(s, ",");
  if (items.length === 1) return dropUnits(s);
  const dropped = items.map((it) => dropUnits(it.trim()));
  return dropped.some((d, k) => d !== items[k].trim()) ? dropped.join(", ") : s;
}

/** Drop trailing units: `\text{ cm}^2`, `\mbox{ units}`, ` square units`, ` cm`. */
function dropUnits(s: string): string {
  for (let k = 0; k < 3; k++) {
    const before = s;
    const t = TRAILING_TEXT_RE.exec(s);
    if (t && /[\d}a-zA-Z)]\s*$/.test(t[1]) && !/^\s*[A-Ea-e]\s*$/.test(t[2])) s = t[1];
    const l = LONG_UNIT_RE.exec(s);
    if (l) s = l[1];
    const sh = SHORT_UNIT_RE.exec(s) ?? NUMBER_UNIT_RE.exec(s) ?? COUNTED_RE.exec(s);
    if (sh && !(sh === COUNTED_RE.exec(s) && NOT_NOUNS.has(sh[2]))) s = sh[1];
    s = s.trim();
    if (s === before) break;
  }
  return s;
}

/** `08:34 \text{P.M.}` → `20:34`: a clock time with AM/PM in 24-hour form. */
function clock24(s: string): string {
  const m = /^(\d{1,2}):(\d{2})(:\d{2})?\s*(?:\\text\{)?\s*([AaPp])\.?\s*[Mm]\.?\s*\}?$/.exec(s);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return s;
  const h = (Number(m[1]) % 12) + (/p/i.test(m[4]) ? 12 : 0);
  return `${String(h).padStart(2, "0")}:${m[2]}${m[3] ?? ""}`;
}

/** Plain-text math: `x**3` → `x^3`, `oo` → `\infty`, `sqrt(2)` → `\sqrt{2}`. */
function plainTextMath(s: string): string {
  return s
    .replace(/\*\*/g, "^")
    .replace(/(?<![a-zA-Z\\])oo(?![a-zA-Z])/g, "\\infty ")
    .replace(/(?<![a-zA-Z\\])sqrt\(([^()]*)\)/g, "\\sqrt{$1}");
}

/**
 * Semicolons as list separators: `-12;-11;-10` → `-12,-11,-10`; `(0;-2;6)` → `(0,-2,6)`; groups of
 * labelled values `p=5,q=2;p=7,q=2` → `(5,2),(7,2)`.
 */
function semicolonLists(s: string): string {
  if (!s.includes(";")) return s;
  const groups = splitTopLevel(s, ";").map((g) => g.trim());
  if (groups.length > 1) {
    const tuples = groups.map((g) => {
      const items = splitTopLevel(g, ",");
      if (items.length < 2) return g;
      const values = items.map((it) => /^[A-Za-z](?:_\{?\w+\}?)?\s*=(.+)$/.exec(it.trim())?.[1]);
      return values.every((v) => v !== undefined)
        ? `(${values.map((v) => v!.trim()).join(",")})`
        : g;
    });
    s = tuples.join(",");
  }
  // Inside brackets with no comma of their own, a semicolon separates items.
  return s.replace(
    /([([])([^()[\],]*;[^()[\],]*)([)\]])/g,
    (_m, o, inner, c) => `${o}${inner.replace(/;/g, ",")}${c}`,
  );
}

/** `{X}` wrapping the whole string → `X`. */
function stripOuterBraces(s: string): string {
  while (s.startsWith("{") && matchBrace(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

/** `\frac12` → `\frac{1}{2}`, `\sqrt3` → `\sqrt{3}`, `\frac1{72}` → `\frac{1}{72}`. */
function tidyShorthands(s: string): string {
  return s
    .replace(/\\frac\s*(\d)\s*(\d)/g, "\\frac{$1}{$2}")
    .replace(/\\frac\s*(\d)\s*\{/g, "\\frac{$1}{")
    .replace(/\\frac\s*\{([^{}]*)\}\s*(\d)/g, "\\frac{$1}{$2}")
    .replace(/\\frac\s*([a-zA-Z])\s*([a-zA-Z\d])/g, "\\frac{$1}{$2}")
    .replace(/\\sqrt\s*(\d+|[a-zA-Z])(?![a-zA-Z{])/g, "\\sqrt{$1}");
}

/** Whole-answer number spellings: thousands separators, `1 000`, mixed numbers, `.5`. */
function numberForms(s: string): string {
  if (/^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (/^-?\d{1,3}( \d{3})+(\.\d+)?$/.test(s)) s = s.replace(/ /g, "");
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) === false) s = mixedInside(s);
  const times = /^(-?\d+)\s+(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}$/.exec(s);
  if (times && BigInt(times[3]) < BigInt(times[4])) {
    // `3 1\frac{1}{2}`: a number times a mixed number (latex2sympy2_extended reads it so).
    const den = BigInt(times[4]);
    return `${times[1]}\\cdot\\frac{${BigInt(times[2]) * den + BigInt(times[3])}}{${den}}`;
  }
  const mixed = /^(-?)(\d+)\s*(?:\s(\d+)\/(\d+)|\\frac\{(\d+)\}\{(\d+)\})$/.exec(s);
  if (mixed) {
    const whole = BigInt(mixed[2]);
    const num = BigInt(mixed[3] ?? mixed[5]);
    const den = BigInt(mixed[4] ?? mixed[6]);
    if (den !== 0n && num < den) s = `${mixed[1]}\\frac{${whole * den + num}}{${den}}`;
  }
  s = s.replace(/(^|[^\d.])\.(\d)/g, "$10.$2");
  s = s.replace(/^(-?\d+)\.0+$/, "$1");
  return s;
}

/**
 * A mixed number inside an expression (`1 \frac{1}{2} + 3` → `\frac{3}{2}+3`): a whole number right
 * before a proper fraction of digits, at the start or after an operator, and followed by an operator.
 */
function mixedInside(s: string): string {
  return s.replace(
    /(^|[+\-=(,]\s*)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}(?=\s*(?:[+\-=),]|$))/g,
    (m, pre: string, w: string, n: string, d: string, at: number) => {
      const num = BigInt(n), den = BigInt(d);
      if (den === 0n || num >= den || m.length === s.length - at) return m;
      return `${pre}(\\frac{${BigInt(w) * den + num}}{${den}})`;
    },
  );
}

/** Remove spaces, except one between a command and a following letter (`\pi r`) or two words. */
function squeezeSpaces(s: string): string {
  s = s.replace(/\s+/g, " ").trim();
  return s.replace(/ /g, (_m, i: number, str: string) => {
    const prev = str.slice(0, i);
    const next = str[i + 1] ?? "";
    if (!/[a-zA-Z]/.test(next)) return "";
    if (/\\[a-zA-Z]+$/.test(prev)) return " ";
    if (/[a-zA-Z]{2,}$/.test(prev) && /^[a-zA-Z]{2,}/.test(str.slice(i + 1))) return " ";
    return "";
  });
}
