/**
 * Every backend builds the same child state for the same parent and continuation text
 * (`childState`, lib/core/extend.ts): the simulated policies, the in-process ONNX policy on the
 * embedded model, and the HTTP policy against this repo's server (`startModelServer`, the app of
 * `deno task serve`) on the same model.
 */
import assert from "node:assert/strict";
import { childState } from "../core/extend.ts";
import type { Continuation, Policy, SeqState } from "../core/types.ts";
import { createOnnxPolicy } from "../models/onnx/mod.ts";
import { createOpenAIPolicy } from "../models/openai/policy.ts";
import { promptFromFolder } from "../models/openai/prompt.ts";
import { simProblem, simulatedPolicy, simulatedTokenPolicy } from "../models/simulated/mod.ts";
import { evalSplit } from "../tasks/mod.ts";
import { startModelServer } from "./server.ts";

const MODEL = "models/embedded";

/** A state without its backend handle. */
const plain = (s: SeqState) => ({ problem: s.problem, text: s.text, steps: s.steps });

interface Extension {
  case: string;
  parent: SeqState;
  c: Continuation;
}

/**
 * Greedy extensions of three parents (the start state, a child, the child's text written by hand
 * without steps), each by one step and by an empty continuation (the stop string is the first
 * character greedy writes, dropped).
 */
async function extensions(policy: Policy, problem: string): Promise<Extension[]> {
  const root = policy.start(problem);
  const [[first]] = await policy.extend([root], { temperature: 0, maxTokens: 24 });
  const parents: [string, SeqState][] = [
    ["start", root],
    ["child", first.state],
    ["hand-written, no steps", { problem, text: first.state.text }],
  ];
  const out: Extension[] = [];
  for (const [name, parent] of parents) {
    const [[c]] = await policy.extend([parent], { temperature: 0, maxTokens: 24 });
    out.push({ case: `${name}: one step`, parent, c });
    assert.ok(c.text.length > 0, `${policy.name} ${name}: greedy wrote nothing`);
    const [[e]] = await policy.extend([parent], {
      temperature: 0,
      maxTokens: 24,
      stop: [c.text[0]],
      includeStop: false,
    });
    out.push({ case: `${name}: empty`, parent, c: e });
  }
  policy.release?.(out.flatMap((x) => [x.parent, x.c.state]));
  return out;
}

/** The rule, checked on one backend's extensions. */
function checkRule(backend: string, xs: Extension[]): void {
  for (const { case: name, parent, c } of xs) {
    const at = `${backend}, ${name}`;
    assert.deepEqual(plain(c.state), plain(childState(parent, c.text)), at);
    assert.ok(Array.isArray(c.state.steps), at);
    assert.equal(c.state.steps!.join(""), c.state.text, at);
    assert.ok(c.state.steps!.every((s) => s !== ""), at);
    if (name.endsWith("empty")) {
      assert.equal(c.text, "", at);
      assert.deepEqual(c.state.steps, childState(parent, "").steps, `${at}: no empty step`);
    }
  }
  const hand = xs.find((x) => x.case === "hand-written, no steps: one step")!;
  assert.deepEqual(hand.c.state.steps, [hand.parent.text, hand.c.text], backend);
}

Deno.test({
  name: "childState: simulated, ONNX and HTTP policies build the same child states",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const sim = simProblem({ id: "child", steps: 3, pRight: 0.7, answer: "4" }).problem;
    for (const policy of [simulatedPolicy({ seed: 1 }), simulatedTokenPolicy({ seed: 1 })]) {
      checkRule(policy.name, await extensions(policy, sim));
    }
    const problem = evalSplit()[0].problem;
    const onnx = await createOnnxPolicy(MODEL, { intraOpNumThreads: 1 });
    const server = await startModelServer({ model: MODEL, port: 0, intraOpNumThreads: 1 });
    try {
      const local = await extensions(onnx, problem);
      checkRule("onnx", local);
      const http = await createOpenAIPolicy({
        endpoints: [server.url],
        promptFor: await promptFromFolder(MODEL),
      });
      const remote = await extensions(http, problem);
      checkRule("http", remote);
      // the same model, greedy, the same prompt: the same texts and so the same states
      assert.deepEqual(
        remote.map((x) => [x.case, x.c.text, plain(x.parent), plain(x.c.state)]),
        local.map((x) => [x.case, x.c.text, plain(x.parent), plain(x.c.state)]),
      );
    } finally {
      await server.shutdown();
      await onnx.dispose();
    }
  },
});
