/**
 * One writer per result file: `<path>.lock` holds the writer's PID. A second writer gets a
 * one-line error naming the file and the PID; a lock left by a killed run (its PID no longer
 * alive) is taken over.
 *
 * @module
 */

/** A held lock. */
export interface FileLock {
  /** The lock file. */
  readonly path: string;
  /** Give the lock up (idempotent). */
  release(): Promise<void>;
}

/** Whether a process with this PID is alive (Linux `/proc`; elsewhere assumed alive). */
async function alive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === Deno.pid) return true;
  if (Deno.build.os !== "linux") return true;
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z /.test(stat); // a zombie has finished
  } catch {
    return false;
  }
}

/**
 * Take `<target>.lock`, or throw a one-line error when a live process holds it.
 *
 * @example
 * ```ts
 * const lock = await lockFile("results/x/records.jsonl");
 * try {
 *   // write the file
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function lockFile(target: string): Promise<FileLock> {
  const path = `${target}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const f = await Deno.open(path, { write: true, createNew: true });
      await f.write(new TextEncoder().encode(`${Deno.pid}\n`));
      f.close();
      let held = true;
      return {
        path,
        async release() {
          if (!held) return;
          held = false;
          await Deno.remove(path).catch(() => {});
        },
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const pid = Number((await Deno.readTextFile(path).catch(() => "")).trim());
      if (await alive(pid)) {
        throw new Error(
          `${target}: another run (pid ${pid}) is writing it; wait for it, or remove ${path} if ` +
            "that process is gone",
        );
      }
      await Deno.remove(path).catch(() => {}); // stale: its writer was killed
    }
  }
  throw new Error(`${target}: could not take ${path}`);
}
