/**
 * Test double for the labelling methods: a toy world with exact per-step truth.
 *
 * A toy problem has `n` steps. Step i is written `s<i>:ok\n\n` or `s<i>:bad\n\n`; the policy
 * writes each remaining step ok with probability `pOk`, then the answer `\boxed{A}` with A the
 * gold answer iff every step (prefix included) is ok. So a rollout from a wrong prefix never
 * succeeds, and a step's truth is "no bad step so far".
 *
 * @module
 */
import type { Continuation, ExtendOptions, Policy, SeqState } from "../core/types.ts";
import { childState } from "../core/extend.ts";
import { fork, rng } from "../core/random.ts";
import type { LabelItem } from "./rollout.ts";

/** A toy problem with `n` steps. */
export function toyItem(id: string, n: number): LabelItem {
  return { id, problem: `toy ${id} n=${n}`, answer: "GOLD" };
}

/** The judge of the toy world. */
export function toyJudge(item: LabelItem, text: string): boolean {
  const m = [...text.matchAll(/\\boxed\{([^}]*)\}/g)].at(-1);
  return m !== undefined && m[1] === item.answer;
}

/** Truth per step of a toy path: 1 while no bad step has appeared, then 0. */
export function toyTruth(steps: readonly string[]): number[] {
  let ok = true;
  return steps.map((s) => {
    if (s.includes(":bad")) ok = false;
    if (s.includes("\\boxed") && !s.includes("{GOLD}")) ok = false;
    return ok ? 1 : 0;
  });
}

/** A toy policy; `pOk` may depend on the step index. */
export function toyPolicy(pOk: number | ((i: number) => number)): Policy & { calls: number } {
  const p = typeof pOk === "number" ? () => pOk : pOk;
  const self = {
    name: "toy",
    capabilities: { logits: false, hidden: false },
    calls: 0,
    start: (problem: string): SeqState => ({ problem, text: "" }),
    extend(states: readonly SeqState[], options: ExtendOptions = {}): Promise<Continuation[][]> {
      self.calls++;
      const n = options.n ?? 1;
      return Promise.resolve(states.map((state, si) => {
        const total = Number(/n=(\d+)/.exec(state.problem)![1]);
        const done = state.text.split("\n\n").filter((s) => s.startsWith("s")).length;
        const prefixOk = !state.text.includes(":bad");
        const finished = state.text.includes("\\boxed");
        return Array.from({ length: n }, (_, j) => {
          const r = rng(fork(options.seed ?? 0, si, j));
          let text = "", lp = 0, ok = prefixOk;
          if (!finished) {
            for (let i = done; i < total; i++) {
              const good = r.uniform() < p(i);
              lp += Math.log(good ? p(i) : 1 - p(i));
              ok &&= good;
              text += `s${i}:${good ? "ok" : "bad"}\n\n`;
            }
            text += `\\boxed{${ok ? "GOLD" : "WRONG"}}`;
          }
          return {
            text,
            tokens: [],
            logprobs: [lp],
            cumulativeLogprob: lp,
            finishReason: "eos" as const,
            state: childState(state, text),
          };
        });
      }));
    },
  };
  return self;
}
