/**
 * A fake policy for the verifier tests: it only reads (`logprobs`), one token per character, and
 * knows arithmetic except for the claims it is told to believe otherwise. A character of a claimed
 * result (`x op y = z`, in a solution or in a drill's forced step) is its greedy choice when `z`
 * is what it believes; every other character is greedy. Log-probabilities: −0.01 for a greedy
 * token, −2 otherwise. Every request is recorded.
 *
 * @module
 */
import type { LogprobRequest, Policy, TextLogprobs } from "../core/types.ts";
import { parseClaim } from "./recompute.ts";

/** Exact value of `x op y` (integers; remainder steps give `q R r`), or null. */
function compute(x: string, op: string, y: string): string | null {
  const [a, b] = [Number(x), Number(y)];
  if (!Number.isInteger(a) || !Number.isInteger(b)) return null;
  if (op === "+") return `${a + b}`;
  if (op === "-") return `${a - b}`;
  if (op === "*") return `${a * b}`;
  if (b === 0) return null;
  return a % b === 0 ? `${a / b}` : `${Math.floor(a / b)} R ${a % b}`;
}

/** The reader and the requests it was given. */
export interface Reader extends Policy {
  requests: LogprobRequest[];
}

/**
 * A reader that believes `beliefs[x op y]` where given (e.g. `{"12 * 4": "52"}`).
 *
 * @example
 * ```ts
 * const reader = arithmeticReader({ "12 * 4": "52" });
 * ```
 */
export function arithmeticReader(beliefs: Record<string, string> = {}): Reader {
  const requests: LogprobRequest[] = [];
  const read = (r: LogprobRequest): TextLogprobs => {
    requests.push(r);
    const wrong = new Set<number>(); // character offsets of non-greedy characters
    let at = 0;
    for (const step of r.text.split(/(?<=\n\n)/)) {
      const c = parseClaim(step);
      if (c) {
        const key = `${c.x} ${c.op} ${c.y}`;
        const believed = beliefs[key] ?? compute(c.x, c.op, c.y);
        if (believed !== c.z) { for (let i = c.zStart; i < c.zEnd; i++) wrong.add(at + i); }
      }
      at += step.length;
    }
    const out: TextLogprobs = { ends: [], logprobs: [], greedy: [] };
    for (let i = r.from ?? 0; i < r.text.length; i++) {
      out.ends.push(i + 1);
      out.greedy.push(!wrong.has(i));
      out.logprobs.push(wrong.has(i) ? -2 : -0.01);
    }
    return out;
  };
  return {
    name: "arithmetic-reader",
    capabilities: { logits: false, hidden: false },
    requests,
    start: (problem) => ({ problem, text: "" }),
    extend: () => Promise.reject(new Error("the reader does not generate")),
    logprobs: (rs) => Promise.resolve(rs.map(read)),
  };
}
