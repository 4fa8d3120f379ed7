/**
 * Every experiment module, imported for its side effect `register(...)`, so that
 * `deno task repro --list` and the notebooks see them all. One line per experiment.
 *
 * @example
 * ```ts
 * import "./all.ts";
 * import { experiments } from "./registry.ts";
 * Object.keys(experiments); // ["search_and_learn", "alphamath", "particle_filter", ...]
 * ```
 *
 * @module
 */
import "./search_and_learn.ts";
import "./alphamath.ts";
import "./particle_filter.ts";
import "./tsmc.ts";
import "./qsharp.ts";
import "./rstar.ts";
import "./prm_labels.ts";
import "./verifier_sweep.ts";
import "./tool_search.ts";
