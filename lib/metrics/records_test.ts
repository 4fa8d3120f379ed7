import assert from "node:assert/strict";
import type { Problem, SearchResult } from "../core/types.ts";
import { recordFromSearch, sampleCorrectness } from "./records.ts";

Deno.test("sampleCorrectness: flag first, else the judge; null answers are wrong", () => {
  const record = {
    id: "1",
    gold: "2",
    samples: [{ answer: "2" }, { answer: "3", correct: true }, { answer: null }, {
      answer: "2",
      correct: false,
    }],
  };
  assert.deepEqual(sampleCorrectness(record, (a, b) => a === b), [true, true, false, false]);
});

Deno.test("recordFromSearch: candidates become samples with answer, score and tokens", () => {
  const problem: Problem = { id: "p1", problem: "What is 2+3?", answer: "5" };
  const result: SearchResult = {
    answer: "5",
    candidates: [
      { text: "... \\boxed{5}", answer: "5", score: 0.9, tokens: 12 },
      { text: "...", answer: null },
    ],
    cost: { tokens: 20, policyCalls: 2, scorerCalls: 2, wallMs: 5 },
    trace: { kind: "samples", nodes: [] },
  };
  assert.deepEqual(recordFromSearch(problem, result), {
    id: "p1",
    gold: "5",
    samples: [{ answer: "5", score: 0.9, tokens: 12 }, { answer: null }],
  });
});
