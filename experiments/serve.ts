/**
 * Serve an ONNX model folder (the embedded model by default) as an OpenAI-compatible API.
 *
 * ```sh
 * deno task serve --model models/embedded --port 8000 [--host 127.0.0.1] [--head FILE]
 * ```
 *
 * `--replicas R` runs R copies of the engine on their own threads (`lib/serve/replicas.ts`), so
 * concurrent requests use R cores; give each `--threads 1` when R equals the core count.
 *
 * The first line on stdout is `listening on http://HOST:PORT` (use `--port 0` for a free port).
 * SIGINT / SIGTERM stop accepting, finish in-flight requests, then exit 0.
 *
 * @module
 */
import { type Flags, numberFlag, parseCli, runMain, usage, UsageError } from "../lib/runs/cli.ts";
import { startModelServer } from "../lib/serve/server.ts";
import { SERVER_LIMITS } from "../lib/serve/routes.ts";

const FLAGS = {
  model: { type: "string", value: "DIR", help: "ONNX model folder", default: "models/embedded" },
  port: { type: "string", value: "PORT", help: "0 for a free port (default 8000)" },
  host: { type: "string", value: "HOST", help: "address to listen on", default: "127.0.0.1" },
  head: { type: "string", value: "FILE", help: "a trained head that /pooling scores with" },
  "served-model-name": { type: "string", value: "NAME", help: "the model's name in the API" },
  "max-batch": { type: "string", value: "N", help: "requests per batch (default 32)" },
  "window-ms": { type: "string", value: "MS", help: "batching window (default 5)" },
  threads: { type: "string", value: "N", help: "onnxruntime intra-op threads per replica" },
  replicas: { type: "string", value: "R", help: "engine copies on their own threads (default 1)" },
  device: { type: "string", value: "cpu|cuda", help: "execution provider", default: "cpu" },
  "max-body-bytes": {
    type: "string",
    value: "N",
    help: `a larger body gets 413 unread (default ${SERVER_LIMITS.maxBodyBytes})`,
  },
  "max-in-flight": {
    type: "string",
    value: "N",
    help: `more in flight get 429, Retry-After (default ${SERVER_LIMITS.maxInFlight})`,
  },
  "timeout-s": {
    type: "string",
    value: "S",
    help: `a slower request gets 504 (default ${SERVER_LIMITS.timeoutMs / 1000})`,
  },
  "max-prompt-tokens": {
    type: "string",
    value: "N",
    help: "a longer prompt gets 400 (default: the model's context)",
  },
} satisfies Flags;

async function main(): Promise<number> {
  const { values } = parseCli(Deno.args, FLAGS, false);
  if (values.help) {
    console.log(usage("serve", FLAGS));
    return 0;
  }
  if (values.device !== "cpu" && values.device !== "cuda") {
    throw new UsageError(`--device must be cpu or cuda, got "${values.device}"`);
  }
  const threads = values.threads === undefined
    ? undefined
    : numberFlag("threads", values.threads, { integer: true, min: 1 });
  const server = await startModelServer({
    model: values.model!,
    host: values.host,
    port: numberFlag("port", values.port, { integer: true, min: 0, fallback: 8000 }),
    ...(values.head === undefined ? {} : { head: values.head }),
    ...(values["served-model-name"] === undefined
      ? {}
      : { servedModelName: values["served-model-name"] }),
    maxBatch: numberFlag("max-batch", values["max-batch"], { integer: true, min: 1, fallback: 32 }),
    windowMs: numberFlag("window-ms", values["window-ms"], { min: 0, fallback: 5 }),
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    replicas: numberFlag("replicas", values.replicas, { integer: true, min: 1, fallback: 1 }),
    device: values.device,
    limits: {
      maxBodyBytes: numberFlag("max-body-bytes", values["max-body-bytes"], {
        integer: true,
        min: 1024,
        fallback: SERVER_LIMITS.maxBodyBytes,
      }),
      maxInFlight: numberFlag("max-in-flight", values["max-in-flight"], {
        integer: true,
        min: 1,
        fallback: SERVER_LIMITS.maxInFlight,
      }),
      timeoutMs: 1000 * numberFlag("timeout-s", values["timeout-s"], {
        min: 0.001,
        fallback: SERVER_LIMITS.timeoutMs / 1000,
      }),
    },
    ...(values["max-prompt-tokens"] === undefined ? {} : {
      maxPromptTokens: numberFlag("max-prompt-tokens", values["max-prompt-tokens"], {
        integer: true,
        min: 1,
      }),
    }),
  });
  console.log(`listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) Deno.exit(1);
    stopping = true;
    console.error(`serve: ${signal}: finishing in-flight requests`);
    server.shutdown().then(() => Deno.exit(0), (e) => {
      console.error(`serve: shutdown failed: ${e instanceof Error ? e.message : e}`);
      Deno.exit(1);
    });
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  await server.finished;
  return 0;
}

if (import.meta.main) await runMain(main);
