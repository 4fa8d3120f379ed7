/**
 * Result storage and CLI plumbing: JSONL streaming, append-only resumable records, progress bars,
 * flag parsing.
 *
 * @module
 */
export * from "./jsonl.ts";
export * from "./records.ts";
export * from "./lock.ts";
export * from "./progress.ts";
export * from "./cli.ts";
