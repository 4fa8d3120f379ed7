/**
 * Labels: the names an answer gives its values (`PQ=6`, `m = 12`, `y_1 = …`, `|PQ|=7`,
 * `A_1:A_2=3:5`, `\frac{PM}{MQ}=\frac{2}{\sqrt3}`), and what a list of labelled values means:
 * distinct labels make an ordered tuple (`a=7,b=3,c=-1` is not `3,7,-1`), one label repeated or only
 * the first item labelled make a set of values (`x=1, x=2`; `a=4,-8,-10`).
 *
 * @module
 */
import { splitRelations } from "./scan.ts";
import { isLoneVariable } from "./structure.ts";

const NAME = String.raw`(?:[A-Za-z]{1,5}|\\[a-zA-Z]+)(?:_\{?[A-Za-z0-9]+\}?)?'*`;
const NAME_RE = new RegExp(`^${NAME}$`);
const ABS_RE = new RegExp(`^\\|${NAME}\\|$`);
const RATIO_RE = new RegExp(`^${NAME}(?::${NAME})+$`);
const FRAC_RE = new RegExp(String.raw`^\\frac\{(${NAME})\}\{(${NAME})\}$`);
const NOT_NAMES = /^\\(?:pi|infty|emptyset|e|i)$|^(?:sin|cos|tan|log|ln|exp|sqrt)$/;

/**
 * True when `s` is a name given to a value rather than math to compare: a lone variable, a name of
 * up to five letters with a subscript (`PQ`, `S_{MBCN}`), its absolute value (`|AB|`), a ratio of
 * names (`A_1:A_2`) or a fraction of names (`\frac{PM}{MQ}`).
 *
 * @example
 * ```ts
 * isLabel("|PQ|"); // true
 * isLabel("V_{1}:V_{2}"); // true
 * isLabel("2x"); // false
 * ```
 */
export function isLabel(s: string): boolean {
  const t = s.trim();
  if (t === "" || NOT_NAMES.test(t)) return false;
  if (isLoneVariable(t) || NAME_RE.test(t) || ABS_RE.test(t) || RATIO_RE.test(t)) return true;
  return FRAC_RE.test(t);
}

/** What a list of items says once labels are taken off. */
export interface Unlabelled {
  /** The values, in the written order. */
  values: string[];
  /** The labels (null for an unlabelled item). */
  labels: (string | null)[];
  /** True when every item has its own distinct label: order (or the labels) matter. */
  ordered: boolean;
}

/**
 * Take the labels off a list of items when at least one is labelled (`name = value`, a single `=`),
 * else null.
 *
 * @example
 * ```ts
 * unlabel(["PQ=6", "RS=8"]); // { values: ["6", "8"], labels: ["PQ", "RS"], ordered: true }
 * unlabel(["x=1", "x=2"])?.ordered; // false
 * ```
 */
export function unlabel(items: string[]): Unlabelled | null {
  const values: string[] = [];
  const labels: (string | null)[] = [];
  for (const it of items) {
    const r = splitRelations(it);
    if (r.ops.length === 1 && r.ops[0] === "=" && isLabel(r.sides[0]) && r.sides[1].trim() !== "") {
      labels.push(r.sides[0].trim());
      values.push(r.sides[1].trim());
    } else if (r.ops.length === 0) {
      labels.push(null);
      values.push(it.trim());
    } else return null;
  }
  if (labels.every((l) => l === null)) return null;
  const named = labels.filter((l): l is string => l !== null);
  const ordered = named.length === items.length && new Set(named).size === named.length;
  return { values, labels, ordered };
}
