/**
 * Named datasets: a registry from names (`"math500"`, `"gsm8k"`, ...) to loaders, so CLIs and
 * notebooks can take a dataset name. Other modules add theirs with {@linkcode registerDataset}.
 *
 * @module
 */
import type { Problem } from "../core/types.ts";
import { GSM8K_PATH, readGsm8k } from "./gsm8k.ts";
import { readMath500 } from "./math.ts";
import type { LoadOptions } from "./source.ts";
import { readSynthetic } from "./synthetic.ts";

/** Streams the problems of one dataset, honouring `limit`. */
export type DatasetLoader = (options: LoadOptions) => AsyncIterable<Problem>;

const loaders = new Map<string, DatasetLoader>([
  ["math500", readMath500],
  ["gsm8k", (options) => readGsm8k(GSM8K_PATH, options)],
  ["synthetic", readSynthetic],
]);

/**
 * Add a named dataset. Names are case-sensitive; registering a taken name throws, so two modules
 * cannot silently replace each other's data. The loader must honour `limit`.
 *
 * @example
 * ```ts
 * registerDataset("tiny", async function* ({ limit = Infinity }) {
 *   if (limit > 0) yield { id: "0", problem: "What is 2+3?", answer: "5" };
 * });
 * ```
 */
export function registerDataset(name: string, loader: DatasetLoader): void {
  if (loaders.has(name)) throw new Error(`dataset "${name}" is already registered`);
  loaders.set(name, loader);
}

/**
 * Names of the registered datasets, sorted.
 *
 * @example
 * ```ts
 * datasetNames(); // ["gsm8k", "math500", ...]
 * ```
 */
export function datasetNames(): string[] {
  return [...loaders.keys()].sort();
}

/**
 * Stream a registered dataset; an unknown name throws, listing the known ones.
 *
 * @example
 * ```ts
 * for await (const p of streamDataset("gsm8k", { limit: 5 })) console.log(p.id, p.answer);
 * ```
 */
export function streamDataset(name: string, options: LoadOptions = {}): AsyncIterable<Problem> {
  const loader = loaders.get(name);
  if (loader === undefined) {
    throw new Error(`unknown dataset "${name}" (known: ${datasetNames().join(", ")})`);
  }
  return loader(options);
}

/**
 * Load a registered dataset into memory.
 *
 * @example
 * ```ts
 * const problems = await loadDataset("math500", { limit: 50 });
 * ```
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<Problem[]> {
  const out: Problem[] = [];
  for await (const p of streamDataset(name, options)) out.push(p);
  return out;
}
