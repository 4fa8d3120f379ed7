import assert from "node:assert/strict";
import { childState, EXTEND_DEFAULTS, resolveExtendOptions } from "./extend.ts";
import type { SeqState } from "./types.ts";

Deno.test("childState: steps always an array, empty text adds no step, join gives the text", () => {
  const root: SeqState = { problem: "p", text: "", steps: [] };
  const a = childState(root, "a\n\n");
  assert.deepEqual(a, { problem: "p", text: "a\n\n", steps: ["a\n\n"] });
  const b = childState(a, "b");
  assert.deepEqual(b, { problem: "p", text: "a\n\nb", steps: ["a\n\n", "b"] });
  assert.deepEqual(childState(b, ""), { problem: "p", text: "a\n\nb", steps: ["a\n\n", "b"] });
  // a parent without steps counts its text as one step (none when empty)
  assert.deepEqual(childState({ problem: "p", text: "x" }, "y").steps, ["x", "y"]);
  assert.deepEqual(childState({ problem: "p", text: "" }, "y").steps, ["y"]);
  assert.deepEqual(childState({ problem: "p", text: "" }, "").steps, []);
  for (const s of [a, b, childState({ problem: "p", text: "x" }, "y")]) {
    assert.equal(s.steps!.join(""), s.text);
  }
});

Deno.test("childState: the handle is the backend's, never the parent's; parents are not changed", () => {
  const parent: SeqState = { problem: "p", text: "a", steps: ["a"], handle: { node: 1 } };
  const child = childState(parent, "b");
  assert.equal("handle" in child, false);
  assert.deepEqual(childState(parent, "b", 42).handle, 42);
  assert.deepEqual(parent.steps, ["a"]);
  assert.notEqual(child.steps, parent.steps);
});

Deno.test("resolveExtendOptions: shared defaults, the backend's maxTokens, the call's seed", () => {
  const o = resolveExtendOptions(undefined);
  assert.deepEqual(o, { ...EXTEND_DEFAULTS, stop: ["\n\n"] });
  assert.equal("seed" in o, false);
  assert.equal(resolveExtendOptions({}, { maxTokens: 64 }).maxTokens, 64);
  assert.equal(resolveExtendOptions({ maxTokens: 8 }, { maxTokens: 64 }).maxTokens, 8);
  assert.equal(resolveExtendOptions({}, { maxTokens: Infinity }).maxTokens, Infinity);
  const hook = () => {};
  const full = resolveExtendOptions({
    n: 3,
    stop: [],
    includeStop: false,
    temperature: 0,
    topP: 0.9,
    topK: 5,
    minP: 0.1,
    seed: 7,
    logitsHook: hook,
  });
  assert.deepEqual(full, {
    n: 3,
    stop: [],
    includeStop: false,
    maxTokens: 512,
    temperature: 0,
    topP: 0.9,
    topK: 5,
    minP: 0.1,
    seed: 7,
    logitsHook: hook,
  });
  // the stop list is a copy: a backend may keep it
  const stop = ["\n"];
  assert.notEqual(resolveExtendOptions({ stop }).stop, stop);
});

Deno.test("resolveExtendOptions: one-line RangeErrors naming the option and the backend", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ n: -1 }, /^onnx policy: n must be a non-negative integer \(got -1\)$/],
    [{ n: 1.5 }, /^onnx policy: n must be/],
    [{ temperature: -0.1 }, /^onnx policy: temperature must be >= 0/],
    [{ topP: 0 }, /^onnx policy: topP must be in \(0, 1\] \(got 0\)$/],
    [{ topP: 1.5 }, /topP/],
    [{ topK: 2.5 }, /^onnx policy: topK must be a non-negative integer/],
    [{ minP: 1 }, /^onnx policy: minP must be in \[0, 1\)/],
    [{ maxTokens: 0 }, /^onnx policy: maxTokens must be a positive integer \(got 0\)$/],
    [{ maxTokens: Infinity }, /maxTokens/],
    [{ stop: "\n\n" }, /^onnx policy: stop must be an array of strings$/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => resolveExtendOptions(options, { label: "onnx policy" }),
      (e: Error) => e instanceof RangeError && message.test(e.message) && !e.message.includes("\n"),
      JSON.stringify(options),
    );
  }
  assert.throws(
    () =>
      resolveExtendOptions({ logitsHook: () => {} }, { label: "openai policy", logitsHook: false }),
    /^RangeError: openai policy: logitsHook needs raw logits/,
  );
  assert.throws(() => resolveExtendOptions({ topP: 0 }), /^RangeError: extend: topP/);
});
