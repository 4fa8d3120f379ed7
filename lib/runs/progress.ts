/**
 * A progress bar on stderr (cli-progress), so stdout stays clean for JSON output.
 *
 * @module
 */
import cliProgress from "cli-progress";
import process from "node:process";

/** A running progress bar. */
export interface Progress {
  /** Advance by `n` (default 1), optionally updating the text shown after the bar. */
  tick(n?: number, status?: string): void;
  /** Finish the bar and release the line. */
  stop(): void;
}

/**
 * Start a progress bar of `total` units on stderr. When stderr is not a terminal (CI, pipes) it
 * prints a plain line every 10% instead, so logs stay readable.
 *
 * @example
 * ```ts
 * const bar = progress(3, "grading");
 * for (let i = 0; i < 3; i++) bar.tick();
 * bar.stop();
 * ```
 */
export function progress(total: number, label: string, start = 0): Progress {
  if (!process.stderr.isTTY) return plainProgress(total, label, start);
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted} {status}`,
    hideCursor: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, start, { status: "" });
  return {
    tick: (n = 1, status = "") => bar.increment(n, { status }),
    stop: () => bar.stop(),
  };
}

function plainProgress(total: number, label: string, start: number): Progress {
  let value = start;
  let lastDecile = Math.floor((10 * value) / Math.max(total, 1));
  const t0 = performance.now();
  return {
    tick(n = 1, status = "") {
      value += n;
      const decile = Math.floor((10 * value) / Math.max(total, 1));
      if (decile > lastDecile || value === total) {
        lastDecile = decile;
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        console.error(`${label}: ${value}/${total} (${s}s) ${status}`.trimEnd());
      }
    },
    stop() {},
  };
}
