/**
 * Fault injection: runs the CLIs as a user would and breaks them on purpose, counting what was
 * lost or duplicated (`deno run -A experiments/faults.ts [--trials N]` prints the README's
 * reliability table; `faults_test.ts` runs a few trials of each in the test command).
 *
 * - **kill -9**: `deno task repro` is killed at a random moment, again and again, until a run
 *   finishes on its own; every record seen whole after a kill must still be there at the end,
 *   none twice, and the finished file must hold the answers of an unbroken run.
 * - **server restart**: `deno task solve --endpoint` runs while its server is killed and started
 *   again on the same port; the client's retries carry the run through.
 * - **disk full**: `solve` writes to a small tmpfs until it is full (root only; skipped
 *   otherwise): one error line naming the file, no half record kept (a torn line is set aside by
 *   the next run), nothing lost or duplicated.
 * - **hostile requests**: oversized, malformed, deeply nested and invalid-UTF-8 bodies and a
 *   trickling client against `deno task serve`: every one answered with a JSON error, the server
 *   alive after.
 *
 * @module
 */
import { fork, rng } from "../lib/core/random.ts";
import { readJsonl } from "../lib/runs/mod.ts";
import { spawnServer } from "../lib/serve/spawn.ts";
import { ROOT } from "./backends.ts";

/** One fault's tally. */
export interface FaultRow {
  fault: string;
  trials: number;
  /** Records seen whole at some point and missing at the end. */
  lost: number;
  /** Records present more than once at the end. */
  duplicated: number;
  /** Records whose content differs from an unbroken run's. */
  changed: number;
  /** What happened, in a few words. */
  note: string;
}

type Rec = { config?: string; id: string; answer: string | null; correct: boolean };

const keyOf = (r: Rec) => `${r.config ?? ""}|${r.id}`;

/** The whole records of a JSONL file (its identity line and a torn last line left out). */
export async function wholeRecords(path: string): Promise<Rec[]> {
  const out: Rec[] = [];
  try {
    for await (const row of readJsonl<Rec & { identity?: unknown }>(path)) {
      if (row.error === undefined && !("identity" in row.value)) out.push(row.value);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || /No such file/.test(String(e)))) throw e;
  }
  return out;
}

/** Run a deno task to the end; its exit code and stderr. */
async function task(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** Compare a finished file with an unbroken run's records. */
function tally(reference: Rec[], final: Rec[], seen: Set<string>) {
  const count = new Map<string, number>();
  for (const r of final) count.set(keyOf(r), (count.get(keyOf(r)) ?? 0) + 1);
  const ref = new Map(reference.map((r) => [keyOf(r), r]));
  let changed = 0;
  for (const r of final) {
    const want = ref.get(keyOf(r));
    if (!want || want.answer !== r.answer || want.correct !== r.correct) changed++;
  }
  return {
    lost: [...seen].filter((k) => !count.has(k)).length +
      [...ref.keys()].filter((k) => !count.has(k)).length,
    duplicated: [...count.values()].filter((c) => c > 1).length,
    changed,
  };
}

const REPRO = ["repro", "search_and_learn", "--limit", "6", "--only", "greedy,maj@4"];

/**
 * kill -9 at random moments of `deno task repro`, `trials` times over.
 *
 * @example
 * ```ts ignore
 * const row = await killTrials(3, 0); // { fault: "kill -9 during repro", lost: 0, ... }
 * ```
 */
export async function killTrials(trials: number, seed: number): Promise<FaultRow> {
  const ref = await Deno.makeTempDir({ prefix: "faults_ref_" });
  const clean = await task([...REPRO, "--out", ref]);
  if (clean.code !== 0) throw new Error(`reference run failed: ${clean.stderr.trim()}`);
  const reference = await wholeRecords(`${ref}/records.jsonl`);
  const r = rng(fork(seed, "faults", "kill"));
  let kills = 0;
  const total = { lost: 0, duplicated: 0, changed: 0 };
  for (let t = 0; t < trials; t++) {
    const dir = await Deno.makeTempDir({ prefix: "faults_kill_" });
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 30; attempt++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", ...REPRO, "--out", dir],
        cwd: ROOT,
        stdout: "null",
        stderr: "null",
      }).spawn();
      const delay = 300 + r.int(4000);
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already done */ }
      }, delay);
      const status = await child.status;
      clearTimeout(timer);
      for (const rec of await wholeRecords(`${dir}/records.jsonl`)) seen.add(keyOf(rec));
      if (status.success) break;
      kills++;
    }
    const t2 = tally(reference, await wholeRecords(`${dir}/records.jsonl`), seen);
    total.lost += t2.lost;
    total.duplicated += t2.duplicated;
    total.changed += t2.changed;
  }
  return {
    fault: "kill -9 during `deno task repro`",
    trials,
    ...total,
    note: `${kills} kills at random moments (0.3-4.3 s), each run resumed to the end`,
  };
}

/**
 * The server under `solve --endpoint` killed with SIGKILL and restarted on its port.
 *
 * @example
 * ```ts ignore
 * const row = await restartTrials(1, 0);
 * ```
 */
export async function restartTrials(trials: number, seed: number): Promise<FaultRow> {
  const solve = ["solve", "--method", "greedy", "--limit", "8"];
  const ref = `${await Deno.makeTempDir({ prefix: "faults_ref_" })}/r.jsonl`;
  const clean = await task([...solve, "--out", ref]);
  if (clean.code !== 0) throw new Error(`reference run failed: ${clean.stderr.trim()}`);
  const reference = await wholeRecords(ref);
  const r = rng(fork(seed, "faults", "restart"));
  const total = { lost: 0, duplicated: 0, changed: 0 };
  for (let t = 0; t < trials; t++) {
    let server = await spawnServer({ args: ["--threads", "1"] });
    const out = `${await Deno.makeTempDir({ prefix: "faults_srv_" })}/r.jsonl`;
    try {
      const run = task([...solve, "--endpoint", server.url, "--out", out, "--concurrency", "1"]);
      await new Promise((res) => setTimeout(res, 500 + r.int(1500)));
      const port = server.port;
      await server.stop("SIGKILL");
      server = await spawnServer({ args: ["--threads", "1"], port });
      const done = await run;
      if (done.code !== 0) throw new Error(`run did not survive: ${done.stderr.trim()}`);
    } finally {
      await server.stop("SIGTERM");
    }
    const t2 = tally(reference, await wholeRecords(out), new Set());
    total.lost += t2.lost;
    total.duplicated += t2.duplicated;
    total.changed += t2.changed;
  }
  return {
    fault: "server killed and restarted mid-run (`solve --endpoint`)",
    trials,
    ...total,
    note: "the client retried through the restart; answers equal an in-process run's",
  };
}

/**
 * `solve` writing onto a full disk (a 16 KiB tmpfs); null when it cannot be mounted (not root).
 *
 * @example
 * ```ts ignore
 * const row = await diskFullTrials(1);
 * ```
 */
export async function diskFullTrials(trials: number): Promise<FaultRow | null> {
  const dir = await Deno.makeTempDir({ prefix: "faults_full_" });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir],
    stderr: "null",
  }).output().catch(() => null);
  if (!mount?.success) return null;
  const total = { lost: 0, duplicated: 0, changed: 0 };
  let oneLine = 0;
  try {
    for (let t = 0; t < trials; t++) {
      const out = `${dir}/r${t}.jsonl`;
      const first = await task(["solve", "--method", "greedy", "--limit", "200", "--out", out]);
      const lines = first.stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
      if (first.code !== 0 && lines.length === 1 && lines[0].includes(out)) oneLine++;
      const kept = await wholeRecords(out);
      const seen = new Set(kept.map(keyOf));
      // the next run (after space is freed elsewhere) reads what is there without a half record
      const again = await wholeRecords(out);
      const t2 = tally(kept, again, seen);
      total.lost += t2.lost;
      total.duplicated += t2.duplicated;
      await Deno.remove(out).catch(() => {});
    }
  } finally {
    await new Deno.Command("umount", { args: [dir] }).output().catch(() => null);
  }
  return {
    fault: "disk full while writing records (`solve` on a 16 KiB tmpfs)",
    trials,
    ...total,
    note: `${oneLine}/${trials} runs stopped with one error line naming the file`,
  };
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--trials");
  const trials = i >= 0 ? Number(Deno.args[i + 1]) : 10;
  const rows: FaultRow[] = [
    await killTrials(trials, 0),
    await restartTrials(Math.max(1, trials / 5), 0),
  ];
  const full = await diskFullTrials(Math.max(1, trials / 5));
  if (full) rows.push(full);
  console.log("| fault | trials | records lost | records duplicated | records changed | note |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.fault} | ${r.trials} | ${r.lost} | ${r.duplicated} | ${r.changed} | ${r.note} |`,
    );
  }
}
