/**
 * The sandbox worker: one pyodide interpreter in a Deno Worker that the host (`pool.ts`) starts
 * with no permission but reading pyodide's own files.
 *
 * The first worker of a process loads pyodide from scratch (~15 s on a busy 2-core machine) and
 * sends back a memory snapshot of the fresh interpreter, taken before any guard or program ran;
 * later workers start from that snapshot (~1.5 s).
 *
 * Before pyodide loads, `WebAssembly.Memory.prototype.grow` is wrapped so that the
 * interpreter's linear memory cannot grow past the limit sent in `init`: emscripten's
 * `emscripten_resize_heap` then fails, `malloc` returns NULL and Python raises `MemoryError`
 * (the program gets a clean observation, the worker lives on). Python sees an empty `js` module
 * (`jsglobals: {}`), stdin is at end of file, and pyodide's own fd-level stdout / stderr go to
 * a bounded buffer merged into the run's output. The Python guards and the `_sandbox_run` entry
 * point come from `guard.ts`.
 *
 * Not meant to be imported: `pool.ts` starts it with `new Worker(new URL("./worker.ts", ...))`.
 *
 * @example
 * ```ts ignore
 * const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 * w.postMessage({ type: "init", indexURL, memoryLimitBytes: 256 * 2 ** 20 });
 * ```
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { loadPyodide, type PyodideAPI } from "pyodide";
import { GUARD_PY } from "./guard.ts";
import type { HostMessage, WorkerMessage } from "./protocol.ts";

const post = (m: WorkerMessage) => self.postMessage(m);

let limit = Infinity;
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  if (this.buffer.byteLength + pages * 65536 > limit) {
    throw new RangeError("sandbox memory limit reached");
  }
  return grow.call(this, pages);
};

/** Bytes written at the file-descriptor level (C code, pyodide itself): first `max` kept. */
const fdOut = { text: "", max: 0 };
const decoder = new TextDecoder();
const fdWrite = (buf: Uint8Array): number => {
  const room = fdOut.max - fdOut.text.length;
  if (room > 0) fdOut.text += decoder.decode(buf.subarray(0, room));
  return buf.length;
};

let py: PyodideAPI | null = null;
let runFn: ((code: string, session: number, quiet: boolean, max: number) => string) | null = null;
let closeFn: ((session: number) => void) | null = null;
let heap: () => number = () => 0;

async function init(m: Extract<HostMessage, { type: "init" }>): Promise<void> {
  const t0 = performance.now();
  limit = m.memoryLimitBytes;
  py = await loadPyodide({
    indexURL: m.indexURL,
    jsglobals: {},
    env: { HOME: "/tmp/sandbox", _: "python" },
    stdout: () => {},
    stderr: () => {},
    ...(m.snapshot ? { _loadSnapshot: m.snapshot } : {}),
    ...(m.makeSnapshot ? { _makeSnapshot: true } : {}),
  });
  let snapshot: Uint8Array | undefined;
  if (m.makeSnapshot) {
    try {
      // deno-lint-ignore no-explicit-any
      snapshot = (py as any).makeMemorySnapshot();
    } catch {
      snapshot = undefined;
    }
  }
  py.setStdin({ stdin: () => null });
  py.setStdout({ write: fdWrite });
  py.setStderr({ write: fdWrite });
  py.runPython(GUARD_PY);
  runFn = py.globals.get("_sandbox_run");
  closeFn = py.globals.get("_sandbox_close");
  // deno-lint-ignore no-explicit-any
  const mod = (py as any)._module;
  heap = () => mod.HEAPU8.length;
  const ready: WorkerMessage = { type: "ready", loadMs: performance.now() - t0, heapBytes: heap() };
  if (snapshot) self.postMessage({ ...ready, snapshot }, [snapshot.buffer as ArrayBuffer]);
  else post(ready);
}

function run(m: Extract<HostMessage, { type: "run" }>): void {
  const t0 = performance.now();
  fdOut.text = "";
  fdOut.max = m.quiet ? 0 : m.maxChars;
  let r: Omit<Extract<WorkerMessage, { type: "result" }>, "type" | "id" | "ms" | "heapBytes">;
  try {
    r = JSON.parse(runFn!(m.code, m.session, m.quiet, m.maxChars));
  } catch (e) {
    // the interpreter itself failed (not the program): report, the host replaces the worker
    post({ type: "fatal", message: e instanceof Error ? e.message : String(e) });
    return;
  }
  if (fdOut.text) {
    r.stdout = (fdOut.text + r.stdout).slice(0, m.maxChars);
    r.stdoutChars += fdOut.text.length;
  }
  post({ type: "result", id: m.id, ...r, ms: performance.now() - t0, heapBytes: heap() });
}

self.onmessage = async (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  try {
    if (m.type === "init") await init(m);
    else if (m.type === "run") run(m);
    else if (m.type === "close") {
      closeFn?.(m.session);
      post({ type: "closed", id: m.id });
    }
  } catch (err) {
    post({ type: "fatal", message: err instanceof Error ? err.message : String(err) });
  }
};
