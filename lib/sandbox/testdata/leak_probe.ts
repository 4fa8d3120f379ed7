/**
 * Run by `pool_test.ts` in a process of its own: 1,000 sandbox runs in a row (one session, and a
 * one-off run every tenth), printing as JSON what the test checks: outputs that were wrong, workers
 * replaced or left, sessions left open, the time taken and the growth of this process's resident
 * memory. The test suite runs test files in parallel in one process, whose RSS then moves with
 * whatever the other files allocate; here it is the sandbox's alone.
 *
 * @module
 */
import { createSandbox, liveSandboxWorkers } from "../pool.ts";

const sandbox = createSandbox({
  workers: 2,
  timeoutMs: 5_000,
  memoryLimitBytes: 96 * 2 ** 20,
  maxOutputChars: 1_000,
});
try {
  await sandbox.warm();
  const s = sandbox.session();
  for (let i = 0; i < 100; i++) await s.run(`v = ${i} * 3\nprint(v)`); // settle
  const rss0 = Deno.memoryUsage().rss;
  const started = sandbox.stats().started;
  const wrong: [number, string][] = [];
  const t0 = performance.now();
  for (let i = 0; i < 1_000; i++) {
    const r =
      await (i % 10 === 0 ? sandbox.run(`print(${i} + 1)`) : s.run(`v = ${i} * 3\nprint(v)`));
    if (r.stdout !== (i % 10 === 0 ? `${i + 1}\n` : `${i * 3}\n`)) wrong.push([i, r.stdout]);
  }
  const ms = performance.now() - t0;
  await s.close();
  const st = sandbox.stats();
  console.log(JSON.stringify({
    wrong: wrong.slice(0, 5),
    replaced: st.started - started,
    liveWorkers: st.liveWorkers,
    liveSandboxWorkers: liveSandboxWorkers(),
    openSessions: st.openSessions,
    ms,
    grownMiB: (Deno.memoryUsage().rss - rss0) / 2 ** 20,
  }));
} finally {
  await sandbox.close();
}
