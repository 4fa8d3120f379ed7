/**
 * Run by `pool_test.ts` in a process of its own: 1,000 sandbox runs in a row (one session, and a
 * one-off run every tenth), printing the growth of this process's resident memory as JSON. The
 * test suite runs test files in parallel in one process, whose RSS then moves with whatever the
 * other files allocate; here it is the sandbox's alone.
 *
 * @module
 */
import { createSandbox } from "../pool.ts";

const sandbox = createSandbox({ workers: 2, timeoutMs: 5_000, memoryLimitBytes: 96 * 2 ** 20 });
try {
  await sandbox.warm();
  const s = sandbox.session();
  for (let i = 0; i < 100; i++) await s.run(`v = ${i} * 3\nprint(v)`); // settle
  const rss0 = Deno.memoryUsage().rss;
  const started = sandbox.stats().started;
  let wrong = 0;
  for (let i = 0; i < 1_000; i++) {
    const r =
      await (i % 10 === 0 ? sandbox.run(`print(${i} + 1)`) : s.run(`v = ${i} * 3\nprint(v)`));
    if (r.stdout !== (i % 10 === 0 ? `${i + 1}\n` : `${i * 3}\n`)) wrong++;
  }
  await s.close();
  const st = sandbox.stats();
  console.log(JSON.stringify({
    grownMiB: (Deno.memoryUsage().rss - rss0) / 2 ** 20,
    wrong,
    replaced: st.started - started,
    liveWorkers: st.liveWorkers,
    openSessions: st.openSessions,
  }));
} finally {
  await sandbox.close();
}
