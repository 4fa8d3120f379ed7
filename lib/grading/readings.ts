/**
 * Second readings of an answer that a first parse gets wrong: a decimal comma (`2500,75` is
 * 2500.75, tried only against a single number, so that lists and thousands separators keep their
 * meaning) and clock times (`14:05` = `14:05:00`, `20:34` = `08:34 P.M.`).
 *
 * @module
 */

const DECIMAL_COMMA_RE = /^(-?\d+),(\d+)$/;

/**
 * `a,b` read with a decimal comma, or null. A group of exactly three digits after a nonzero integer
 * part is a thousands separator, not a decimal comma (`1,234`), so it is left alone; `0,111` is a
 * decimal.
 *
 * @example
 * ```ts
 * decimalComma("2500,75"); // "2500.75"
 * decimalComma("1,234"); // null
 * ```
 */
export function decimalComma(s: string): string | null {
  const m = DECIMAL_COMMA_RE.exec(s.replace(/\s+/g, ""));
  if (!m || s.includes(" ")) return null;
  if (m[2].length === 3 && !/^-?0$/.test(m[1])) return null;
  return `${m[1]}.${m[2]}`;
}

const TIME_RE =
  /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:\\text\{\s*)?(?:([AaPp])\.?\s*[Mm]\.?)?\s*\}?$/;

/**
 * Seconds since midnight of a clock time `h:mm`, `h:mm:ss`, optionally `AM`/`P.M.`, or null.
 *
 * @example
 * ```ts
 * clockSeconds("08:34 \\text{P.M.}"); // 74040
 * clockSeconds("20:34:00"); // 74040
 * ```
 */
export function clockSeconds(s: string): number | null {
  const m = TIME_RE.exec(s.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const sec = Number(m[3] ?? 0);
  if (min > 59 || sec > 59) return null;
  if (m[4]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (/p/i.test(m[4]) ? 12 : 0);
  } else if (h > 23) return null;
  return h * 3600 + min * 60 + sec;
}
