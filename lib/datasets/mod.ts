/**
 * Benchmark datasets as {@linkcode Problem} records: streaming loaders for MATH-format files
 * (MATH500 bundled), GSM8K (bundled test split), any JSONL through a field mapping, the synthetic
 * evaluation split of `lib/tasks`, and a registry of named datasets.
 *
 * @example
 * ```ts
 * import { loadDataset, readJsonlProblems } from "./mod.ts";
 * const math = await loadDataset("math500", { limit: 10 });
 * for await (const p of readJsonlProblems("my.jsonl", { problem: "question", answer: "final" })) {
 *   console.log(p.id, p.answer);
 * }
 * ```
 *
 * @module
 */
export type { Problem } from "../core/types.ts";
export type { DataPath, LoadOptions } from "./source.ts";
export * from "./math.ts";
export * from "./gsm8k.ts";
export * from "./jsonl_problems.ts";
export * from "./synthetic.ts";
export * from "./registry.ts";
