/**
 * Every paper reproduction by name (`deno task repro <name>`). One module per paper table.
 *
 * @module
 */
import type { Experiment } from "./experiment.ts";

/** All experiments, by `Experiment.name`. */
export const experiments: Record<string, Experiment> = {};

/** Add an experiment (names are unique). */
export function register(...exps: Experiment[]): void {
  for (const e of exps) {
    if (experiments[e.name]) throw new Error(`experiment ${e.name} registered twice`);
    experiments[e.name] = e;
  }
}
