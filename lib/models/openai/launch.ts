/**
 * The local GPU in one command: start one `vllm serve` per GPU (and a process reward model on
 * `/pooling` when asked), wait until each answers `/health`, hand back their URLs, and stop them
 * all on exit, on Ctrl-C (SIGINT), SIGTERM or error, so no server outlives the run.
 *
 * Each server gets `CUDA_VISIBLE_DEVICES=<gpu>`, its own port and the flags the README gives
 * (`--enable-prefix-caching --seed S` for the policy, `--runner pooling` for a PRM), and writes
 * its output to a log file; a missing `vllm`, or a server that exits or never becomes healthy, is
 * a one-line error naming the command and its log. Servers run in their own process group
 * (`setsid`), so stopping one also stops the workers vLLM forks.
 *
 * @example
 * ```ts ignore
 * const servers = await launchVllm({ model: "Qwen/Qwen2.5-Math-7B-Instruct", gpus: ["0", "1"], logDir: "results/tmp/vllm" });
 * try {
 *   // ... createOpenAIPolicy({ endpoints: servers.urls })
 * } finally {
 *   await servers.stop();
 * }
 * ```
 *
 * @module
 */

/** What {@linkcode launchVllm} starts. */
export interface LaunchOptions {
  /** The model to serve (a Hugging Face id or a folder). */
  model: string;
  /** One server per GPU id (default `["0"]`). */
  gpus?: readonly string[];
  /** Serve a process reward model on `/pooling` instead of a policy. */
  pooling?: boolean;
  /** Port of the first server; the next ones count up (default 8000, or 8100 for a PRM). */
  basePort?: number;
  /** `--seed` of the servers (default 0). */
  seed?: number;
  /** The executable (default `vllm`, found on PATH). */
  command?: string;
  /** Where the logs go (`vllm-<port>.log`). */
  logDir: string;
  /** More arguments for every server. */
  extraArgs?: readonly string[];
  /** How long a server may take to answer `/health`, ms (default 900,000: large models load slowly). */
  healthTimeoutMs?: number;
}

/** Running servers. */
export interface LaunchedServers {
  /** Their base URLs (`http://127.0.0.1:<port>`), in GPU order. */
  readonly urls: string[];
  /** Their log files. */
  readonly logs: string[];
  /** Stop them all (SIGTERM to each process group, SIGKILL after 10 s); idempotent. */
  stop(): Promise<void>;
}

/** Every launched set still running in this process, stopped by the signal handlers. */
const running = new Set<LaunchedServers>();
/** Process group ids still alive, killed if the process exits without stopping them. */
const groups = new Set<number>();
let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      console.error(`\n${sig}: stopping ${running.size ? "the vLLM servers and " : ""}exiting`);
      Promise.all([...running].map((s) => s.stop())).finally(() =>
        Deno.exit(sig === "SIGINT" ? 130 : 143)
      );
    });
  }
  globalThis.addEventListener("unload", () => {
    for (const pid of groups) {
      try {
        Deno.kill(-pid, "SIGKILL");
      } catch { /* gone */ }
    }
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Start the servers and wait until every one is healthy; on any failure the started ones are
 * stopped before the one-line error is thrown.
 *
 * @example
 * ```ts ignore
 * const prm = await launchVllm({ model: "Qwen/Qwen2.5-Math-PRM-7B", pooling: true, logDir: "/tmp" });
 * ```
 */
export async function launchVllm(options: LaunchOptions): Promise<LaunchedServers> {
  const command = options.command ?? "vllm";
  const gpus = options.gpus?.length ? options.gpus : ["0"];
  const base = options.basePort ?? (options.pooling ? 8100 : 8000);
  await Deno.mkdir(options.logDir, { recursive: true });
  const children: Deno.ChildProcess[] = [];
  const pids: number[] = [];
  const urls: string[] = [];
  const logs: string[] = [];
  let stopped = false;
  const set: LaunchedServers = {
    urls,
    logs,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(set);
      const signal = (pid: number, sig: Deno.Signal) => {
        try {
          Deno.kill(-pid, sig); // the whole process group: vLLM forks workers
        } catch {
          try {
            Deno.kill(pid, sig);
          } catch { /* already gone */ }
        }
      };
      pids.forEach((pid) => signal(pid, "SIGTERM"));
      const done = Promise.all(children.map((c) => c.status.catch(() => null)));
      const late = setTimeout(() => pids.forEach((pid) => signal(pid, "SIGKILL")), 10_000);
      await done;
      clearTimeout(late);
      pids.forEach((pid) => groups.delete(pid));
    },
  };
  installHandlers();
  running.add(set);
  const what = (port: number) =>
    `${command} serve ${options.model} --port ${port}` + (options.pooling ? " (PRM)" : "");
  try {
    gpus.forEach((gpu, i) => {
      const port = base + i;
      const log = `${options.logDir}/vllm-${port}.log`;
      const args = [
        command,
        "serve",
        options.model,
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--seed",
        String(options.seed ?? 0),
        ...(options.pooling ? ["--runner", "pooling"] : ["--enable-prefix-caching"]),
        ...(options.extraArgs ?? []),
      ];
      const file = Deno.openSync(log, { write: true, create: true, truncate: true });
      let child: Deno.ChildProcess;
      try {
        child = new Deno.Command("setsid", {
          args,
          env: { CUDA_VISIBLE_DEVICES: gpu },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
      } catch (e) {
        file.close();
        throw new Error(`${what(port)}: cannot start (${e instanceof Error ? e.message : e})`);
      }
      child.stdout.pipeTo(file.writable).catch(() => {});
      child.stderr.pipeTo(Deno.openSync(log, { append: true }).writable).catch(() => {});
      children.push(child);
      pids.push(child.pid);
      groups.add(child.pid);
      urls.push(`http://127.0.0.1:${port}`);
      logs.push(log);
    });
    const deadline = Date.now() + (options.healthTimeoutMs ?? 900_000);
    await Promise.all(children.map(async (child, i) => {
      let exited: Deno.CommandStatus | null = null;
      child.status.then((s) => (exited = s), () => {});
      for (;;) {
        if (exited) {
          const tail = (await Deno.readTextFile(logs[i]).catch(() => "")).trim().split("\n").at(-1);
          const missing = /not found|No such file/i.test(tail ?? "");
          throw new Error(
            `${what(base + i)}: ${
              missing ? `${command} not found (install vLLM, or pass --endpoint)` : "exited"
            } (log: ${logs[i]}${tail ? `: ${tail.slice(0, 120)}` : ""})`,
          );
        }
        if (await healthy(urls[i])) return;
        if (Date.now() > deadline) {
          throw new Error(`${what(base + i)}: not healthy in time (log: ${logs[i]})`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }));
    return set;
  } catch (e) {
    await set.stop();
    throw e;
  }
}
