import assert from "node:assert/strict";
import { rng } from "../core/random.ts";
import { puctScore, selectPuct, selectUct, uctScore } from "./puct.ts";
import { backup, createRoot, qValue, type StepNode, update } from "./step_tree.ts";

function near(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}

/** A hand-built node with given statistics under `parent`. */
function child(
  parent: StepNode,
  id: number,
  stats: { visits: number; valueSum: number; prior: number; terminal?: boolean },
): StepNode {
  const node: StepNode = {
    ...createRoot({ problem: "p", text: "" }),
    id,
    parent,
    depth: parent.depth + 1,
    text: `s${id}`,
    prior: stats.prior,
    visits: stats.visits,
    valueSum: stats.valueSum,
    value: stats.visits > 0 ? stats.valueSum / stats.visits : null,
    terminal: stats.terminal ?? false,
    status: stats.terminal ? "final" : "open",
  };
  parent.children.push(node);
  return node;
}

function handTree() {
  const root = createRoot({ problem: "p", text: "" });
  root.visits = 3;
  root.valueSum = 0.2;
  root.value = 0.1;
  const a = child(root, 1, { visits: 1, valueSum: 0.6, prior: 0.5 });
  const b = child(root, 2, { visits: 2, valueSum: -0.4, prior: 0.3 });
  const c = child(root, 3, { visits: 0, valueSum: 0, prior: 0.2 });
  const d = child(root, 4, { visits: 0, valueSum: 0, prior: 0.9, terminal: true });
  return { root, a, b, c, d };
}

Deno.test("puctScore is Q + c·prior·sqrt(N_parent)/(1+N_child), Q = 0 when unvisited", () => {
  const { a, b, c } = handTree();
  const s3 = Math.sqrt(3);
  near(puctScore(a, 3, 1.25), 0.6 + 1.25 * 0.5 * s3 / 2, 1e-12); // 1.14127
  near(puctScore(b, 3, 1.25), -0.2 + 1.25 * 0.3 * s3 / 3, 1e-12); // 0.01651
  near(puctScore(c, 3, 1.25), 1.25 * 0.2 * s3, 1e-12); // 0.43301
  near(puctScore(a, 3, 1.25), 1.1412658773652741, 1e-12);
});

Deno.test("selectPuct picks the hand-computed child and skips terminal children", () => {
  const { root, a, c, d } = handTree();
  // d would score 0 + 1.25·0.9·sqrt(3) = 1.95 > a's 1.14, but terminal children are skipped.
  assert.equal(selectPuct(root, 1.25, rng(0)), a);
  // Raise c's prior: c = 1.25·0.6·sqrt(3) = 1.299 > a = 1.141.
  c.prior = 0.6;
  assert.equal(selectPuct(root, 1.25, rng(0)), c);
  // Every child terminal: nothing to select.
  for (const ch of root.children) ch.terminal = true;
  assert.equal(selectPuct(root, 1.25, rng(0)), null);
  assert.equal(d.terminal, true);
});

Deno.test("backup adds v to N and W of the node and every ancestor; value is the first update", () => {
  const { root, a, b, c } = handTree();
  backup(c, 0.4);
  assert.deepEqual([c.visits, c.valueSum, c.value], [1, 0.4, 0.4]);
  assert.equal(root.visits, 4);
  near(root.valueSum, 0.6, 1e-12);
  near(qValue(root), 0.15, 1e-12);
  assert.equal(root.value, 0.1); // unchanged: not the first update
  assert.deepEqual([a.visits, b.visits], [1, 2]); // siblings untouched
  // After the backup the parent count is 4: a = 0.6 + 1.25·0.5·2/2 = 1.225,
  // b = −0.2 + 1.25·0.3·2/3 = 0.05, c = 0.4 + 1.25·0.2·2/2 = 0.65 → a.
  near(puctScore(a, root.visits, 1.25), 1.225, 1e-12);
  near(puctScore(c, root.visits, 1.25), 0.65, 1e-12);
  assert.equal(selectPuct(root, 1.25, rng(0)), a);
  // A −1 backup from a (an invalid final under a, say) flips the choice to c:
  // a = (0.6 − 1)/2 + 1.25·0.5·sqrt(5)/3 = 0.26585, c = 0.4 + 1.25·0.2·sqrt(5)/2 = 0.67951.
  backup(a, -1);
  assert.deepEqual([a.visits, root.visits], [2, 5]);
  near(qValue(a), -0.2, 1e-12);
  near(puctScore(a, 5, 1.25), -0.2 + 1.25 * 0.5 * Math.sqrt(5) / 3, 1e-12);
  assert.equal(selectPuct(root, 1.25, rng(0)), c);
});

Deno.test("selectPuct breaks exact ties with the seeded generator", () => {
  const root = createRoot({ problem: "p", text: "" });
  root.visits = 1;
  const x = child(root, 1, { visits: 0, valueSum: 0, prior: 0.5 });
  const y = child(root, 2, { visits: 0, valueSum: 0, prior: 0.5 });
  const picks = Array.from({ length: 64 }, (_, s) => selectPuct(root, 1.25, rng(s)));
  assert.deepEqual(new Set(picks), new Set([x, y])); // both tied children get picked
  const again = Array.from({ length: 64 }, (_, s) => selectPuct(root, 1.25, rng(s)));
  assert.deepEqual(again, picks); // same seeds, same picks
});

Deno.test("uctScore is Q + c·sqrt(ln N_parent / N_child), bonus 0 when a count is 0", () => {
  const leaf = (visits: number, valueSum: number) => ({ visits, valueSum, prior: 0.99 });
  const l3 = Math.log(3);
  near(uctScore(leaf(1, 0.5), 3, 2), 0.5 + 2 * Math.sqrt(l3), 1e-12); // 2.59629
  near(uctScore(leaf(2, 1.6), 3, 2), 0.8 + 2 * Math.sqrt(l3 / 2), 1e-12); // 2.28230
  assert.equal(uctScore(leaf(0, 0), 3, 2), 0);
  assert.equal(uctScore(leaf(2, 1.6), 0, 2), 0.8);
  assert.equal(uctScore(leaf(2, 1.6), 1, 2), 0.8); // ln 1 = 0
});

Deno.test("selectUct picks the hand-computed child, ignores priors, takes the first on ties", () => {
  const root = createRoot({ problem: "p", text: "" });
  root.visits = 3;
  const a = child(root, 1, { visits: 1, valueSum: 0.5, prior: 0.01 });
  const b = child(root, 2, { visits: 2, valueSum: 1.6, prior: 0.99 });
  child(root, 3, { visits: 0, valueSum: 0, prior: 1 }); // UCT 0
  child(root, 4, { visits: 1, valueSum: 1, prior: 1, terminal: true }); // 3.09 but terminal
  assert.equal(selectUct(root, 2), a); // 2.596 > 2.282 > 0
  // With N(parent) = 0 the bonus vanishes and the highest Q wins (b: 0.8).
  root.visits = 0;
  assert.equal(selectUct(root, 2), b);
  // Ties go to the first child in order.
  const r2 = createRoot({ problem: "p", text: "" });
  r2.visits = 2;
  const first = child(r2, 1, { visits: 1, valueSum: 0.3, prior: 0.1 });
  child(r2, 2, { visits: 1, valueSum: 0.3, prior: 0.9 });
  assert.equal(selectUct(r2, 2), first);
});

Deno.test("update touches only the node (rStar intermediate / invalid-final rule)", () => {
  const { root, c } = handTree();
  update(c, -1);
  assert.deepEqual([c.visits, c.valueSum, c.value], [1, -1, -1]);
  assert.deepEqual([root.visits, root.valueSum], [3, 0.2]);
});
