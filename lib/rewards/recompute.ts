/**
 * Verification by re-computation: the policy re-derives what each step claims and the scorer
 * counts where it disagrees. A step that writes `x op y = z` is read three ways, each a
 * teacher-forced pass (no sampling, so it is cheap and deterministic):
 *
 * - **in context**: the policy's own log-probabilities of the result tokens given the solution so
 *   far, and whether each is its greedy choice (what greedy re-derivation would write);
 * - **forward drill**: `Calculate x op y.` in a fresh context, with the step `Step 1: x op y = `
 *   forced and the claimed `z` read (and `y op x` for `+` and `*`, the **commuted drill**);
 * - **inverse drill**: the claim undone, e.g. `z - y` must give `x` for an addition.
 *
 * Fresh contexts make the checks' errors less correlated with the solution's own (a model that
 * slipped on `12 * 4` mid-solution rarely slips the same way on the drill and the inverse).
 * The features of every step ({@linkcode RECOMPUTE_FEATURES}) feed two scorers:
 * {@linkcode recomputeScorer} without a head counts disagreements (each halves the step's
 * probability); with a trained head (`models/verifiers/recompute.json`) the head turns them into
 * P(step right). Either way the score of step k is the product over steps 1..k: the probability
 * that no step so far is wrong, so the last step's score ranks whole solutions. A given step that
 * holds several `"\n\n"` steps (particle filtering scores a whole prefix as one) is read step by
 * step and scored through its last.
 *
 * The drill prompts are the embedded world's (`lib/tasks/synthetic/` trains the policy on
 * one-operation drills); other policies can pass their own through `prompts`.
 *
 * @example
 * ```ts
 * import { createOnnxPolicy } from "../models/onnx/mod.ts";
 * import { recomputeScorer } from "./recompute.ts";
 * const policy = await createOnnxPolicy("models/embedded");
 * const scorer = recomputeScorer(policy);
 * const [[p1, p2]] = await scorer.score([{
 *   problem: "Calculate 12 * 4 - 5.",
 *   steps: ["Step 1: 12 * 4 = 48\nNow: 48 - 5\n\n", "Step 2: 48 - 5 = 43\n\n"],
 * }]);
 * ```
 *
 * @module
 */
import type { Policy, Scorer, ScoreRequest, TextLogprobs } from "../core/types.ts";
import { type Head, headProbability } from "./head.ts";

/** An arithmetic claim `x op y = z` read from a step (`z` may be `q R r`). */
export interface Claim {
  x: string;
  op: "+" | "-" | "*" | "/";
  y: string;
  /** The claimed result as written (`q R r` for a division with remainder). */
  z: string;
  /** Character span of `z` in the step. */
  zStart: number;
  zEnd: number;
}

const CLAIM_RE =
  /(\d{1,9}(?:\/\d{1,9})?) ([-+*/]) (\d{1,9}(?:\/\d{1,9})?) = (\d{1,9}(?:\/\d{1,9})?(?: R \d{1,9})?)/;

/**
 * The first `x op y = z` of a step, or null.
 *
 * @example
 * ```ts
 * parseClaim("Step 2: (She buys 4 more.) 12 + 4 = 16\n\n")?.z; // "16"
 * ```
 */
export function parseClaim(step: string): Claim | null {
  const m = CLAIM_RE.exec(step);
  if (!m) return null;
  const zStart = m.index + m[0].length - m[4].length;
  return {
    x: m[1],
    op: m[2] as Claim["op"],
    y: m[3],
    z: m[4],
    zStart,
    zEnd: zStart + m[4].length,
  };
}

/** The kinds of fresh-context check. */
export type CheckKind = "forward" | "commuted" | "inverse";

/** Every check kind, in feature order. */
export const CHECK_KINDS: readonly CheckKind[] = ["forward", "commuted", "inverse"];

/** One fresh-context check: a problem, a forced solution prefix, and the text that must follow. */
export interface CheckPrompt {
  kind: CheckKind;
  problem: string;
  prefix: string;
  target: string;
}

const int = (s: string) => /^\d+$/.test(s) ? Number(s) : null;

/**
 * The embedded world's drills that re-derive a claim: forward (`Calculate x op y.`, or the
 * remainder drill), commuted (`y op x`, for `+` and `*`) and inverse (integers only: `z - y`
 * for `+` when `z > y`, `z + y` for `-`, `z / y` for `*` when `y` is 2-9 and divides `z`, `z * y`
 * for an exact `/`).
 *
 * @example
 * ```ts
 * drillPrompts(parseClaim("Step 1: 12 * 4 = 48")!).map((c) => c.problem);
 * // ["Calculate 12 * 4.", "Calculate 4 * 12.", "Calculate 48 / 4."]
 * ```
 */
export function drillPrompts(c: Claim): CheckPrompt[] {
  const out: CheckPrompt[] = [];
  const rem = c.z.includes(" R ");
  const step = (a: string, op: string, b: string) => `Step 1: ${a} ${op} ${b} = `;
  out.push({
    kind: "forward",
    problem: rem
      ? `Find the remainder when ${c.x} is divided by ${c.y}.`
      : `Calculate ${c.x} ${c.op} ${c.y}.`,
    prefix: step(c.x, c.op, c.y),
    target: `${c.z}\n\n`,
  });
  if (rem) return out;
  if (c.op === "+" || c.op === "*") {
    out.push({
      kind: "commuted",
      problem: `Calculate ${c.y} ${c.op} ${c.x}.`,
      prefix: step(c.y, c.op, c.x),
      target: `${c.z}\n\n`,
    });
  }
  const [x, y, z] = [int(c.x), int(c.y), int(c.z)];
  if (x === null || y === null || z === null) return out;
  const inverse = c.op === "+"
    ? (z > y ? ["-", z, y] : null)
    : c.op === "-"
    ? ["+", z, y]
    : c.op === "*"
    ? (y >= 2 && y <= 9 && z % y === 0 ? ["/", z, y] : null)
    : ["*", z, y];
  if (inverse) {
    const [op, a, b] = inverse;
    out.push({
      kind: "inverse",
      problem: `Calculate ${a} ${op} ${b}.`,
      prefix: step(`${a}`, `${op}`, `${b}`),
      target: `${c.x}\n\n`,
    });
  }
  return out;
}

/** Names of the per-step features, in order (the head's inputs). */
export const RECOMPUTE_FEATURES: readonly string[] = [
  "context_result_logprob",
  "context_result_min",
  "context_result_nongreedy",
  "context_other_logprob",
  "context_other_min",
  "context_other_nongreedy",
  ...CHECK_KINDS.flatMap((k) => [`${k}_logprob`, `${k}_nongreedy`, `${k}_present`]),
  "has_claim",
  "op_add",
  "op_sub",
  "op_mul",
  "op_div",
  "answer_step",
];

/** Options of {@linkcode recomputeFeatures} and {@linkcode recomputeScorer}. */
export interface RecomputeOptions {
  /** Fresh-context checks of a claim (default {@linkcode drillPrompts}). */
  prompts?: (claim: Claim) => CheckPrompt[];
  /** Cached step features (default 200,000 entries; the oldest go first). */
  cacheSize?: number;
}

/** Extracts recompute features, caching steps and checks across calls. */
export interface RecomputeFeaturizer {
  /** Features of every step of each request (`RECOMPUTE_FEATURES.length` numbers each). */
  features(requests: readonly ScoreRequest[]): Promise<Float32Array[][]>;
}

/** A bounded map that forgets its oldest entries. */
function boundedMap<V>(size: number) {
  const m = new Map<string, V>();
  return {
    get: (k: string) => m.get(k),
    set(k: string, v: V) {
      m.set(k, v);
      if (m.size > size) m.delete(m.keys().next().value!);
    },
  };
}

const checkKey = (p: CheckPrompt) => `${p.problem}\u0000${p.prefix}${p.target}`;

interface CheckResult {
  logprob: number;
  nongreedy: number;
}

/** Sum, min and non-greedy count of the tokens at `idx`. */
function tally(lp: TextLogprobs, idx: number[]): [number, number, number] {
  let sum = 0;
  let min = 0;
  let miss = 0;
  for (const i of idx) {
    sum += lp.logprobs[i];
    min = Math.min(min, lp.logprobs[i]);
    if (!lp.greedy[i]) miss++;
  }
  return [sum, min, miss];
}

/**
 * A featurizer over `policy` (which must implement {@linkcode Policy.logprobs}).
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const f = recomputeFeaturizer(policy);
 * const [[step1]] = await f.features([{ problem: "Calculate 2 + 3.", steps: ["Step 1: 2 + 3 = 5\n\n"] }]);
 * step1.length === RECOMPUTE_FEATURES.length; // true
 * ```
 */
export function recomputeFeaturizer(
  policy: Policy,
  options: RecomputeOptions = {},
): RecomputeFeaturizer {
  if (!policy.logprobs) {
    throw new Error(`recompute: policy ${policy.name} cannot read token log-probabilities`);
  }
  const logprobs = policy.logprobs.bind(policy);
  const prompts = options.prompts ?? drillPrompts;
  const stepCache = boundedMap<Float32Array>(options.cacheSize ?? 200_000);
  const checkCache = boundedMap<CheckResult>(options.cacheSize ?? 200_000);
  const K = RECOMPUTE_FEATURES.length;
  const base = 6;

  /** Results of every check of `claims` (cached ones, and the rest read now in one call). */
  const runChecks = async (claims: Claim[]) => {
    const got = new Map<string, CheckResult>();
    const todo = new Map<string, CheckPrompt>();
    for (const c of claims) {
      for (const p of prompts(c)) {
        const key = checkKey(p);
        const hit = checkCache.get(key);
        if (hit) got.set(key, hit);
        else todo.set(key, p);
      }
    }
    const list = [...todo.entries()];
    const rows = list.length === 0 ? [] : await logprobs(list.map(([, p]) => ({
      problem: p.problem,
      text: p.prefix + p.target,
      from: p.prefix.length,
    })));
    rows.forEach((lp, i) => {
      const [sum, , miss] = tally(lp, lp.logprobs.map((_, j) => j));
      const r = { logprob: sum, nongreedy: miss > 0 ? 1 : 0 };
      checkCache.set(list[i][0], r);
      got.set(list[i][0], r);
    });
    return got;
  };

  return {
    async features(requests) {
      // which steps are new: the first uncached step of each request and everything after it
      const keys = requests.map((r) => {
        let text = "";
        return r.steps.map((s) => (text += s, `${r.problem}\u0000${text}`));
      });
      const out = keys.map((ks) => ks.map((key) => stepCache.get(key)));
      const firstNew = out.map((fs) => {
        const k = fs.findIndex((f) => f === undefined);
        return k < 0 ? fs.length : k;
      });
      const claims = requests.map((r) => r.steps.map(parseClaim));
      const checks = await runChecks(
        claims.flatMap((cs, i) => cs.slice(firstNew[i]).filter((c) => c !== null)),
      );
      const jobs = requests.flatMap((r, i) => {
        if (firstNew[i] >= r.steps.length) return [];
        const from = r.steps.slice(0, firstNew[i]).join("").length;
        return [{ i, from, text: r.steps.join("") }];
      });
      const rows = jobs.length === 0 ? [] : await logprobs(
        jobs.map((j) => ({ problem: requests[j.i].problem, text: j.text, from: j.from })),
      );
      jobs.forEach((job, n) => {
        const r = requests[job.i];
        const lp = rows[n];
        let start = job.from;
        for (let k = firstNew[job.i]; k < r.steps.length; k++) {
          const end = start + r.steps[k].length;
          const inStep = lp.ends.flatMap((e, t) => (e > start && e <= end ? [t] : []));
          const c = claims[job.i][k];
          let result: number[] = [];
          if (c) {
            const [a, b] = [start + c.zStart, start + c.zEnd];
            const within = inStep.filter((t) => lp.ends[t] > a && lp.ends[t] <= b);
            const after = inStep.find((t) => lp.ends[t] > b);
            result = after === undefined ? within : [...within, after];
          }
          const other = inStep.filter((t) => !result.includes(t));
          const f = new Float32Array(K);
          f.set([...tally(lp, result), ...tally(lp, other)], 0);
          if (c) {
            for (const p of prompts(c)) {
              const got = checks.get(checkKey(p));
              const at = base + 3 * CHECK_KINDS.indexOf(p.kind);
              if (got) f.set([got.logprob, got.nongreedy, 1], at);
            }
            f[base + 9] = 1;
            f[base + 10 + ["+", "-", "*", "/"].indexOf(c.op)] = 1;
          }
          f[base + 14] = r.steps[k].includes("\\boxed{") ? 1 : 0;
          stepCache.set(keys[job.i][k], f);
          out[job.i][k] = f;
          start = end;
        }
      });
      return out.map((fs) => fs.map((f) => f!));
    },
  };
}

/**
 * Disagreements of one step's features: a non-greedy result token in context, and each fresh
 * check whose claimed value is not the policy's greedy choice (a step without a claim counts a
 * non-greedy token anywhere in it).
 *
 * @example
 * ```ts
 * disagreements(new Float32Array(RECOMPUTE_FEATURES.length)); // 0
 * ```
 */
export function disagreements(f: Float32Array): number {
  const hasClaim = f[RECOMPUTE_FEATURES.indexOf("has_claim")] > 0;
  if (!hasClaim) return f[5] > 0 ? 1 : 0;
  let d = f[2] > 0 ? 1 : 0;
  for (let k = 0; k < CHECK_KINDS.length; k++) d += f[6 + 3 * k + 1];
  return d;
}

/**
 * Verification by re-computation as a {@linkcode Scorer}. Without a head, step k scores
 * `Π_{j ≤ k} 2^(−disagreements_j)`; with a `prm` head trained on the features
 * (`deno task train-verifier`), `Π_{j ≤ k} P_head(step j right)`.
 *
 * @example
 * ```ts
 * import type { Policy } from "../core/types.ts";
 * declare const policy: Policy;
 * const plain = recomputeScorer(policy); // "recompute"
 * ```
 */
export function recomputeScorer(
  policy: Policy,
  options: RecomputeOptions & {
    head?: Head;
    name?: string;
    /** A featurizer to share (its cache) with other scorers over the same policy. */
    featurizer?: RecomputeFeaturizer;
  } = {},
): Scorer {
  const featurizer = options.featurizer ?? recomputeFeaturizer(policy, options);
  const head = options.head;
  if (head && head.dim !== RECOMPUTE_FEATURES.length) {
    throw new Error(
      `recompute: head has ${head.dim} inputs, the features are ${RECOMPUTE_FEATURES.length}`,
    );
  }
  const local = head
    ? (f: Float32Array) => headProbability(head, f)
    : (f: Float32Array) => 2 ** -disagreements(f);
  return {
    name: options.name ?? (head ? "recompute-head" : "recompute"),
    async score(requests, opts) {
      // a given step may hold several "\n\n" steps (particle filtering scores a whole prefix as
      // one): score the world's steps and report, for each given step, the product through its last
      const parts = requests.map((r) => r.steps.map(subSteps));
      const feats = await featurizer.features(
        requests.map((r, i) => ({ problem: r.problem, steps: parts[i].flat() })),
      );
      return feats.map((steps, i) => {
        let p = 1;
        const through = steps.map((f) => (p *= local(f)));
        let at = 0;
        const out = parts[i].map((sub) => {
          at += sub.length;
          return at > 0 ? through[at - 1] : 1;
        });
        return opts?.lastOnly ? (out.length ? [out[out.length - 1]] : [1]) : out;
      });
    },
  };
}

/** A step cut after each `"\n\n"` (delimiters kept; a step without one is itself). */
function subSteps(step: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let at = step.indexOf("\n\n"); at >= 0; at = step.indexOf("\n\n", from)) {
    out.push(step.slice(from, at + 2));
    from = at + 2;
  }
  if (from < step.length || out.length === 0) out.push(step.slice(from));
  return out;
}
