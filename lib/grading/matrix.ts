/**
 * Matrix arithmetic on written matrices: a prediction such as `\begin{pmatrix}1&2\\3&4\end{pmatrix}
 * + \begin{pmatrix}5&6\\7&8\end{pmatrix}` or a product of two matrices is worked out to one matrix,
 * whose entries are then compared as usual. Sums and differences of same-sized matrices, products
 * (written side by side, with `\cdot` or `\times`) of matrices whose sizes fit, and scalar
 * multiples (`2A`, `\frac{1}{2} A`) are supported; anything else (a matrix plus a number, a power,
 * an unknown environment) is left alone. Integer entries are folded, others are written as LaTeX
 * (`(a)\cdot(b)+(c)\cdot(d)`) for the scalar stage to evaluate.
 *
 * @module
 */

/** Environments read as matrices (`vmatrix` is a determinant, a number: not one of them). */
const MATRIX_ENVS: ReadonlySet<string> = new Set([
  "matrix",
  "pmatrix",
  "bmatrix",
  "Bmatrix",
  "smallmatrix",
  "array",
]);
/** Largest side of a matrix worked on, and longest entry built. */
const MAX_SIDE = 10;
const MAX_ENTRY = 1000;

type Rows = string[][];
type Factor = { matrix: Rows } | { scalar: string };

/**
 * The one matrix a sum, difference or product of written matrices comes to, or null when `s` is not
 * such an expression (a single matrix, a matrix plus a number, sizes that do not fit).
 *
 * @example
 * ```ts
 * matrixValue("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}+\\begin{pmatrix}5&6\\\\7&8\\end{pmatrix}");
 * // [["6", "8"], ["10", "12"]]
 * matrixValue("2\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}"); // [["2", "0"], ["0", "2"]]
 * matrixValue("\\begin{pmatrix}1&2\\end{pmatrix}+1"); // null
 * ```
 */
export function matrixValue(s: string): Rows | null {
  const terms = tokenize(s);
  if (terms === null) return null;
  if (terms.length === 1 && terms[0].factors.length === 1) return null; // one matrix: no arithmetic
  let total: Rows | null = null;
  for (const t of terms) {
    let m = product(t.factors);
    if (m === null) return null;
    if (t.negative) m = scale(m, "-1");
    if (total === null) total = m;
    else {
      if (m.length !== total.length || m[0].length !== total[0].length) return null;
      const prev: Rows = total;
      total = prev.map((r, i) => r.map((x, j) => add(x, m![i][j])));
    }
  }
  if (total === null || total.some((r) => r.some((x) => x.length > MAX_ENTRY))) return null;
  return total;
}

/** Signed terms of factors, split at top-level `+`/`-`; null when a part is not understood. */
function tokenize(s: string): { negative: boolean; factors: Factor[] }[] | null {
  const terms: { negative: boolean; factors: Factor[] }[] = [];
  let cur: { negative: boolean; factors: Factor[] } = { negative: false, factors: [] };
  let chunk = "";
  let depth = 0;
  let sawMatrix = false;
  const flush = (): boolean => {
    const t = chunk.trim();
    chunk = "";
    if (t === "") return true;
    if (/^[\^_']|[([]$|^[)\]]/.test(t)) return false; // a power, a transpose, a stray bracket
    cur.factors.push({ scalar: t });
    return true;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (depth === 0 && s.startsWith("\\begin{", i)) {
      const m = readMatrix(s, i);
      if (m === null || !flush()) return null;
      cur.factors.push({ matrix: m.rows });
      sawMatrix = true;
      i = m.end - 1;
      continue;
    }
    if (depth === 0 && (c === "+" || c === "-")) {
      if (!flush()) return null;
      if (cur.factors.length > 0) terms.push(cur);
      else if (terms.length > 0 || c === "+") return null; // `A + - B`, a leading `+`
      cur = { negative: c === "-", factors: [] };
      continue;
    }
    const op = depth === 0 ? /^\\(?:cdot|times)(?![a-zA-Z])/.exec(s.slice(i, i + 7)) : null;
    if (op) {
      if (!flush()) return null;
      i += op[0].length - 1;
      continue;
    }
    if (c === "\\") {
      chunk += s.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
    if (depth < 0) return null;
    chunk += c;
  }
  if (!flush() || cur.factors.length === 0) return null;
  terms.push(cur);
  return sawMatrix ? terms : null;
}

/** `\begin{env}..\end{env}` at `at` (same-name environments nested inside are skipped). */
function readMatrix(s: string, at: number): { rows: Rows; end: number } | null {
  const head = /^\\begin\{([a-zA-Z]+)\}/.exec(s.slice(at));
  if (!head || !MATRIX_ENVS.has(head[1])) return null;
  const open = `\\begin{${head[1]}}`;
  const close = `\\end{${head[1]}}`;
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    if (s.startsWith(open, i)) depth++;
    else if (s.startsWith(close, i) && --depth === 0) {
      let body = s.slice(at + open.length, i);
      if (head[1] === "array") body = body.replace(/^\s*\{[^{}]*\}/, "");
      const rows = splitRows(body);
      const width = rows[0]?.length ?? 0;
      if (rows.length === 0 || rows.length > MAX_SIDE || width === 0 || width > MAX_SIDE) {
        return null;
      }
      if (rows.some((r) => r.length !== width || r.some((x) => x === ""))) return null;
      return { rows, end: i + close.length };
    }
  }
  return null;
}

/** Rows (`\\`) and cells (`&`) of a matrix body, outside braces. */
function splitRows(body: string): Rows {
  const rows: Rows = [];
  let row: string[] = [];
  let cell = "";
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (depth === 0 && body.startsWith("\\\\", i)) {
      row.push(cell.trim());
      rows.push(row);
      row = [];
      cell = "";
      i++;
      continue;
    }
    if (c === "\\") {
      cell += body.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") depth--;
    if (depth === 0 && c === "&") {
      row.push(cell.trim());
      cell = "";
      continue;
    }
    cell += c;
  }
  row.push(cell.trim());
  if (row.some((x) => x !== "")) rows.push(row);
  return rows;
}

/** Left-to-right product of the factors of one term; scalars multiply every entry. */
function product(factors: Factor[]): Rows | null {
  let m: Rows | null = null;
  const scalars: string[] = [];
  for (const f of factors) {
    if ("scalar" in f) {
      scalars.push(f.scalar);
      continue;
    }
    if (m === null) m = f.matrix;
    else {
      const a: Rows = m;
      const b = f.matrix;
      if (a[0].length !== b.length) return null;
      m = a.map((r) => b[0].map((_, j) => r.map((x, k) => mul(x, b[k][j])).reduce(add)));
      if (m.some((r) => r.some((x) => x.length > MAX_ENTRY))) return null;
    }
  }
  if (m === null) return null;
  for (const c of scalars) m = scale(m, c);
  return m;
}

function scale(m: Rows, c: string): Rows {
  return m.map((r) => r.map((x) => mul(c, x)));
}

const INT = /^-?\d{1,15}$/;

function add(a: string, b: string): string {
  if (INT.test(a) && INT.test(b)) return String(BigInt(a) + BigInt(b));
  return `(${a})+(${b})`;
}

function mul(a: string, b: string): string {
  if (INT.test(a) && INT.test(b)) return String(BigInt(a) * BigInt(b));
  return `(${a})\\cdot(${b})`;
}
