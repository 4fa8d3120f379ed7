/**
 * Tasks with exact ground truth: the synthetic multi-step arithmetic world (generator, evaluation
 * split, training stream, flawed solutions and the step checker), one module per concept under
 * `synthetic/`.
 *
 * @module
 */
export * from "./synthetic/mod.ts";
