/**
 * Start the model server (`experiments/serve.ts`) as a child process and wait for its
 * `listening on URL` line: for tests, benchmarks and notebooks that need a real server process.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Options of {@linkcode spawnServer}. */
export interface SpawnOptions {
  /** Model folder (default `models/embedded`, relative to `cwd`). */
  model?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** More flags for `serve.ts` (`--head`, `--max-batch`...). */
  args?: string[];
  /** Flags for `deno run` itself, before the script (`--v8-flags=...`, `--import-map=...`). */
  denoArgs?: string[];
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Give up waiting for the listening line after this many ms (default 60000). */
  timeoutMs?: number;
}

/** A running server process. */
export interface SpawnedServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The process. */
  readonly child: Deno.ChildProcess;
  /** The last few kilobytes the process wrote to stderr. */
  stderr(): string;
  /** Send a signal and wait for the exit status (SIGTERM: graceful shutdown). */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Spawn `deno run -A experiments/serve.ts --model M --port P` and resolve once it listens.
 *
 * @example
 * ```ts
 * const server = await spawnServer({ model: "models/embedded" });
 * const models = await (await fetch(`${server.url}/v1/models`)).json();
 * await server.stop("SIGTERM");
 * ```
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const args = [
    "run",
    "-A",
    ...(options.denoArgs ?? []),
    "experiments/serve.ts",
    "--model",
    options.model ?? "models/embedded",
    "--port",
    String(options.port ?? 0),
    ...(options.args ?? []),
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let errTail = "";
  const errDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        errTail = (errTail + chunk).slice(-4096);
      },
    }),
  ).catch(() => {});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`serve: no "listening on" line within ${options.timeoutMs ?? 60000} ms`)),
      options.timeoutMs ?? 60000,
    );
  });
  const readLine = async (): Promise<string> => {
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) {
        await errDone;
        throw new Error(
          `serve exited before listening: ${errTail.trim().split("\n").at(-1) ?? ""}`,
        );
      }
      out += value;
    }
    return out.slice(0, out.indexOf("\n"));
  };
  let line: string;
  try {
    line = await Promise.race([readLine(), timeout]);
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    throw e;
  } finally {
    clearTimeout(timer);
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* discard */ }
    } catch { /* closed */ }
  })();
  const m = /listening on (http:\/\/\S+:(\d+))/.exec(line);
  if (!m) throw new Error(`serve: unexpected first line: ${line}`);
  return {
    url: m[1],
    port: Number(m[2]),
    child,
    stderr: () => errTail,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
      const status = await child.status;
      await errDone;
      return status;
    },
  };
}
