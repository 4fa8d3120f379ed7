/**
 * Tasks with exact ground truth: the synthetic multi-step arithmetic world (generator, evaluation
 * split, training stream, flawed solutions and the step checker).
 *
 * @module
 */
export * from "./synthetic.ts";
