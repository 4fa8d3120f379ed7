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
import { matchBrace } from "./scan.ts";

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
  s = s.replace(/\\\$/g, "").replace(/\$/g, "").trim().replace(/\.$/, "");
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
  s = s.replace(/,\s*,/g, ",");
  s = dropUnits(s);
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

/** Drop trailing units: `\text{ cm}^2`, `\mbox{ units}`, ` square units`, ` cm`. */
function dropUnits(s: string): string {
  for (let k = 0; k < 3; k++) {
    const before = s;
    const t = TRAILING_TEXT_RE.exec(s);
    if (t && /[\d}a-zA-Z)]\s*$/.test(t[1]) && !/^\s*[A-Ea-e]\s*$/.test(t[2])) s = t[1];
    const l = LONG_UNIT_RE.exec(s);
    if (l) s = l[1];
    const sh = SHORT_UNIT_RE.exec(s);
    if (sh) s = sh[1];
    s = s.trim();
    if (s === before) break;
  }
  return s;
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
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (/^-?\d{1,3}( \d{3})+(\.\d+)?$/.test(s)) s = s.replace(/ /g, "");
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
