import assert from "node:assert/strict";
import { perfectScorer, simProblem, simulatedPolicy } from "../models/simulated/mod.ts";
import { meter } from "./cost.ts";
import { traceBuilder } from "./trace.ts";

Deno.test("meter counts tokens, policy and scorer calls", async () => {
  const p = simProblem({ id: "c", steps: 2, pRight: 0.5 });
  const m = meter(simulatedPolicy(), perfectScorer());
  const s = m.policy.start(p.problem);
  const out = await m.policy.extend([s, s], { n: 3 });
  await m.scorer!.score([{ problem: p.problem, steps: [out[0][0].text] }]);
  const c = m.cost();
  assert.equal(c.policyCalls, 1);
  assert.equal(c.scorerCalls, 1);
  assert.equal(c.tokens, out.flat().reduce((a, x) => a + x.tokens.length, 0));
  assert.ok(c.wallMs >= 0);
  assert.equal(m.policy.capabilities.logits, false);
});

Deno.test("trace builder: ids in order, parents must exist, select marks the path", () => {
  const t = traceBuilder("tree");
  const r = t.add({ parent: null, text: "", depth: 0 });
  const a = t.add({ parent: r, text: "a", depth: 1 });
  t.add({ parent: r, text: "b", depth: 1 });
  t.select(a);
  assert.deepEqual(t.trace().nodes.map((x) => !!x.selected), [true, true, false]);
  assert.throws(() => t.add({ parent: 9, text: "", depth: 1 }), RangeError);
});
