import assert from "node:assert/strict";
import type { Continuation, ExtendOptions, Policy, SeqState } from "../core/types.ts";
import { createSandbox } from "../sandbox/pool.ts";
import { rStarFormat } from "../sandbox/code_steps.ts";
import { consecutiveCodeErrors, toolPolicy } from "./tool_steps.ts";
import { sbs } from "./sbs.ts";
import { greedySearch } from "./greedy.ts";

/**
 * A stand-in for a code-writing model: it writes `steps` in order (each a statement plus a code
 * block), hallucinating `???` as every output, then `final`; it picks up after however many
 * output blocks the text already holds, and honours stop strings, includeStop and maxTokens
 * (one token per character) like a real backend.
 */
function fakeCoder(steps: string[], final: string, outputTag = "</output>"): Policy {
  const doc = (k: number) =>
    [...steps.slice(k).map((s) => `${s}\n<output>\n???\n</output>`), final].join("\n\n");
  return {
    name: "fake-coder",
    capabilities: { logits: false, hidden: false },
    start: (problem) => ({ problem, text: "", steps: [] }),
    extend(states: readonly SeqState[], o: ExtendOptions = {}): Promise<Continuation[][]> {
      return Promise.resolve(states.map((s) => {
        const k = s.text.split(outputTag).length - 1;
        const raw = (s.text === "" || s.text.endsWith("\n\n") ? "" : "\n\n") + doc(k);
        let cut = raw.length;
        let fired: string | undefined;
        for (const stop of o.stop ?? ["\n\n"]) {
          const i = raw.indexOf(stop);
          if (i >= 0 && i + stop.length <= cut) {
            cut = i + stop.length;
            fired = stop;
          }
        }
        let text = raw.slice(0, cut);
        let finish: Continuation["finishReason"] = fired ? "stop" : "eos";
        if (o.maxTokens !== undefined && text.length > o.maxTokens) {
          text = text.slice(0, o.maxTokens);
          finish = "length";
          fired = undefined;
        }
        if (fired && o.includeStop === false) text = text.slice(0, -fired.length);
        const c: Continuation = {
          text,
          tokens: [...text].map((ch) => ch.charCodeAt(0)),
          logprobs: [...text].map(() => Math.log(0.9)),
          cumulativeLogprob: text.length * Math.log(0.9),
          finishReason: finish,
          ...(fired ? { stopString: fired } : {}),
          state: { problem: s.problem, text: s.text + text },
        };
        return Array.from({ length: o.n ?? 1 }, () => c);
      }));
    },
  };
}

const STEPS = [
  "Step 1: compute 6 * 7\n<code>\nx = 6 * 7\nprint(x)\n</code>",
  "Step 2: compute x + 1\n<code>\nprint(x + 1)\n</code>",
];
const FINAL = "The answer is \\boxed{43}.";

Deno.test("toolPolicy: code steps run in the sandbox", async (t) => {
  const sandbox = createSandbox({ workers: 1, timeoutMs: 5_000 });
  try {
    await sandbox.warm();
    const policy = toolPolicy(fakeCoder(STEPS, FINAL), { sandbox });

    await t.step("step mode: the output is appended and the step closes", async () => {
      const root = policy.start("p");
      const [[c1]] = await policy.extend([root], { temperature: 0 });
      assert.equal(c1.text, `${STEPS[0]}\n<output>\n42\n</output>\n\n`);
      assert.equal(c1.finishReason, "stop");
      assert.equal(c1.stopString, "</code>");
      assert.equal(c1.tokens.length, STEPS[0].length, "tokens cover the sampled text only");
      assert.deepEqual(c1.state.steps, [c1.text]);
      // step 2 uses x from step 1: the ancestors' code is re-executed
      const [[c2]] = await policy.extend([c1.state], { temperature: 0 });
      assert.equal(c2.text, `${STEPS[1]}\n<output>\n43\n</output>\n\n`);
      const [[c3]] = await policy.extend([c2.state], { temperature: 0 });
      assert.equal(c3.text, FINAL);
      assert.equal(c3.finishReason, "eos");
    });

    await t.step("the code stop is restored when the caller drops stop strings", async () => {
      const [[c]] = await policy.extend([policy.start("p")], { includeStop: false });
      assert.equal(c.text, `${STEPS[0]}\n<output>\n42\n</output>`);
    });

    await t.step("to-the-end mode runs every block and keeps generating", async () => {
      const [[c]] = await policy.extend([policy.start("p")], { stop: [], temperature: 0 });
      assert.equal(
        c.text,
        `${STEPS[0]}\n<output>\n42\n</output>\n\n${STEPS[1]}\n<output>\n43\n</output>\n\n${FINAL}`,
      );
      assert.equal(c.finishReason, "eos");
      assert.doesNotMatch(c.text, /\?\?\?/);
      const short = await policy.extend([policy.start("p")], { stop: [], maxTokens: 60 });
      assert.equal(short[0][0].finishReason, "length");
      assert.ok(short[0][0].tokens.length <= 60);
    });

    await t.step("greedy and SBS run unchanged on the wrapped policy", async () => {
      const g = await greedySearch("p", policy, undefined, { maxTokens: 400 });
      assert.equal(g.answer, "43");
      assert.match(g.candidates[0].text, /<output>\n43\n<\/output>/);
      const r = await sbs("p", policy, undefined, { samplesPerNode: 2, maxDepth: 5, seed: 1 });
      assert.equal(r.answer, "43");
      assert.match(r.candidates[0].text, /<output>\n42\n<\/output>[\s\S]*<output>\n43\n/);
    });

    await t.step("errors and timeouts become observations; the cache answers repeats", async () => {
      const bad = toolPolicy(
        fakeCoder([
          "Step 1: oops\n<code>\nprint(y)\n</code>",
          "Step 2: spin\n<code>\nwhile True: pass\n</code>",
          "Step 3: after\n<code>\nprint('ok')\n</code>",
        ], FINAL),
        { sandbox, timeoutMs: 1_000 },
      );
      const [[c]] = await bad.extend([bad.start("q")], { stop: [] });
      assert.match(c.text, /<output>\nNameError: name 'y' is not defined\n<\/output>/);
      assert.match(
        c.text,
        /<output>\nTimeoutError: execution exceeded the time limit of 1000 ms\n/,
      );
      assert.match(c.text, /<output>\nok\n<\/output>/, "the timed-out block is not replayed");
      assert.equal(consecutiveCodeErrors(c.text), 0);
      assert.equal(consecutiveCodeErrors(c.text.slice(0, c.text.indexOf("Step 3"))), 2);
      const s = bad.stats();
      assert.equal(s.executions, 3);
      assert.equal(s.errors, 2);
      assert.equal(s.timeouts, 1);
      await bad.extend([bad.start("q")], { n: 3 });
      assert.equal(bad.stats().executions, 3);
      assert.equal(bad.stats().cacheHits, 3);
    });

    await t.step(
      "rStar format: a program over steps, output appended at <end_of_code>",
      async () => {
        const coder = toolPolicy(
          {
            ...fakeCoder([], ""),
            extend: (states, o = {}) =>
              Promise.resolve(states.map((s) => {
                const text = s.text === ""
                  ? "# six times seven\nx = 6 * 7<end_of_step>"
                  : "\nprint(x)\n<end_of_code>";
                const fired = text.endsWith("<end_of_code>") ? "<end_of_code>" : "<end_of_step>";
                assert.ok(o.stop?.includes("<end_of_code>"));
                return [{
                  text,
                  tokens: [1],
                  logprobs: [0],
                  cumulativeLogprob: 0,
                  finishReason: "stop" as const,
                  stopString: fired,
                  state: { problem: s.problem, text: s.text + text },
                }];
              })),
          },
          { sandbox, format: rStarFormat() },
        );
        const stop = ["<end_of_step>", "<end_of_code>", "<end_of_answer>"];
        const [[a]] = await coder.extend([coder.start("r")], { stop });
        assert.equal(a.text, "# six times seven\nx = 6 * 7<end_of_step>");
        const [[b]] = await coder.extend([a.state], { stop });
        assert.equal(b.text, "\nprint(x)\n<end_of_code><output>42<end_of_output>");
      },
    );
  } finally {
    await sandbox.close();
  }
});
