/**
 * The synthetic world is frozen: the embedded models were trained on its problems, so every
 * problem, the evaluation split and the training streams must stay byte-identical. The hashes
 * below were computed from the single-file `lib/tasks/synthetic.ts` before it was split into this
 * folder; a change to any random draw, generator, solution text or checker verdict changes them.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  checkSteps,
  evalSplit,
  flawedSolution,
  generateProblem,
  hashSeed,
  mulberry32,
  trainStream,
} from "../mod.ts";

/** SHA-256 (hex) of the JSON text of a value. */
async function sha256(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().value);
  return out;
}

Deno.test("determinism: the evaluation split is byte-identical", async () => {
  assert.equal(
    await sha256(evalSplit()),
    "62388d271ee01c187499d303c52e22585e3d46d76b709a9d90fdfd9c20656953",
  );
});

Deno.test("determinism: the first 1,000 problems of trainStream(1) and (2) are byte-identical", async () => {
  assert.equal(
    await sha256(take(trainStream(1), 1000)),
    "d68bb80a3bd0483b78f645eb31af313e51f520cf61744543b60662c0f4b4e0e7",
  );
  assert.equal(
    await sha256(take(trainStream(2), 1000)),
    "2f87277b4c56eaf840a620649273c118f5e741ff4501208d2e7bca21e45d8a2e",
  );
});

Deno.test("determinism: weighted levels with drills, as the policy's training data uses", async () => {
  const opts = { drillFraction: 0.2, levelWeights: [1, 1, 2, 2, 3] };
  assert.equal(
    await sha256(take(trainStream(2, opts), 1000)),
    "0e1a1520602990d42eaa00037aabc090a5dc013fd01beec6d28cd8b930bfe73c",
  );
});

Deno.test("determinism: generated problems, flawed solutions, checker verdicts, seeds", async () => {
  const gens = [];
  for (let level = 0; level <= 5; level++) {
    for (const form of ["word", "expr"] as const) {
      for (let i = 0; i < 20; i++) gens.push(generateProblem(9, i, level, form));
    }
  }
  assert.equal(
    await sha256(gens),
    "36b1b1a96e54c8bcddffc09922a70972b9542c16a3537382635b762796895d39",
  );
  const split = evalSplit();
  const flawed = split.map((p) => flawedSolution(p, 3));
  assert.equal(
    await sha256(flawed),
    "be3c62efadbadcdce2f0ad4505536c42de9f8cb1afbf0f2f0eeb3091735f9b99",
  );
  assert.equal(
    await sha256(flawed.map((f, i) => f && checkSteps(split[i], f.solution))),
    "75ed03ba05db5ff17a5f6ee5beced93ec007064761deede839d50ef99dd7a640",
  );
  assert.equal(
    await sha256(Array.from({ length: 10 }, (_, i) => mulberry32(hashSeed("x", i, 7))())),
    "780726b887486224adad6a8a9a4787321007ff651fd800f77f91cc962a990e6e",
  );
});
