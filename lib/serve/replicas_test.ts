import assert from "node:assert/strict";
import { pickReplica, promptKey } from "./replicas.ts";

Deno.test("pickReplica keeps the hashed replica unless it is busier than the slack allows", () => {
  assert.equal(pickReplica(1, [0, 2], [true, true], 2), 1);
  assert.equal(pickReplica(1, [0, 3], [true, true], 2), 0);
  assert.equal(pickReplica(0, [5, 1, 1], [true, true, true], 2), 1, "lowest index on ties");
  assert.equal(pickReplica(1, [4, 0], [true, false], 2), 0, "a stopped replica takes nothing");
  assert.throws(() => pickReplica(0, [0], [false], 2), /no replica is alive/);
  // 32 one-row jobs arriving together end within the slack of an even split
  const loads = [0, 0];
  for (let i = 0; i < 32; i++) {
    loads[pickReplica(promptKey([1, 4, i * 7, i]) % 2, loads, [true, true], 2)]++;
  }
  assert.ok(Math.abs(loads[0] - loads[1]) <= 3, `${loads}`);
});

Deno.test("promptKey depends on the opening tokens only", () => {
  assert.equal(promptKey([1, 2, 3, 4], 3), promptKey([1, 2, 3, 9], 3));
  assert.notEqual(promptKey([1, 2, 3]), promptKey([1, 2, 4]));
  assert.equal(promptKey([]), 0x811c9dc5);
});
