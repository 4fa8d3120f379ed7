/**
 * Routing shared by the model servers: a table of paths, each with its method and handler; JSON
 * bodies parsed once; every failure an OpenAI-shaped JSON error (`errors.ts`), never a crash.
 *
 * Limits, so that no request can take the server down ({@linkcode ServerLimits}): a body larger
 * than `maxBodyBytes` is refused with 413 before more of it is read (a `Content-Length` over the
 * limit is refused unread); at most `maxInFlight` POST requests are admitted at once, the next
 * ones get 429 with `Retry-After`; a request that takes longer than `timeoutMs` (reading its body
 * included, so a trickling client cannot hold a slot) gets 504 and its queued work is withdrawn
 * (`signal`). GET routes (`/health`, `/v1/models`) are never queued or limited.
 *
 * @module
 */
import { errorResponse, httpError } from "./errors.ts";

/** One route: its HTTP method and what answers it (with the parsed JSON body for POST). */
export interface Route {
  method: "GET" | "POST";
  /** `signal` aborts when the request's time is up: queued work should be withdrawn. */
  run: (body: unknown, signal: AbortSignal) => Promise<Response>;
}

/** The limits of {@linkcode routeHandler}. */
export interface ServerLimits {
  /** Largest request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** POST requests admitted at once; more get 429 (default 256). */
  maxInFlight?: number;
  /** Time for one request, body reading included, in ms; then 504 (default 300,000). */
  timeoutMs?: number;
}

/** Defaults of {@linkcode ServerLimits}. */
export const SERVER_LIMITS: Required<ServerLimits> = {
  maxBodyBytes: 1 << 20,
  maxInFlight: 256,
  timeoutMs: 300_000,
};

/**
 * Read a request body as text, refusing with 413 as soon as it passes `max` bytes and with 504 if
 * `signal` aborts first.
 *
 * @example
 * ```ts
 * const text = await readBody(new Request("http://x", { method: "POST", body: "{}" }), 1024);
 * ```
 */
export async function readBody(req: Request, max: number, signal?: AbortSignal): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  const tooLarge = () =>
    httpError(413, `request body exceeds ${max} bytes (the server's --max-body-bytes)`);
  if (declared > max) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(httpError(504, "request timed out while its body was being read"));
    if (signal?.aborted) fail();
    signal?.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > max) throw tooLarge();
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * A request handler over `routes` that never throws (404 unknown path, 405 wrong method, 400
 * invalid JSON, 413 body too large, 429 too many requests, 504 too slow; unexpected errors are
 * logged and answered 500).
 *
 * @example
 * ```ts
 * const handler = routeHandler({
 *   "/health": { method: "GET", run: () => Promise.resolve(Response.json({ status: "ok" })) },
 * });
 * const res = await handler(new Request("http://x/health"));
 * ```
 */
export function routeHandler(
  routes: Record<string, Route>,
  limits: ServerLimits = {},
): (req: Request) => Promise<Response> {
  const l = { ...SERVER_LIMITS, ...limits };
  let inFlight = 0;
  return async (req) => {
    let admitted = false;
    const timeout = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const path = new URL(req.url).pathname.replace(/\/+$/, "") || "/";
      const route = routes[path];
      if (!route) throw httpError(404, `no route ${req.method} ${path}`);
      if (req.method !== route.method) {
        throw httpError(405, `${path} takes ${route.method}, not ${req.method}`);
      }
      if (route.method === "GET") return await route.run(undefined, timeout.signal);
      if (inFlight >= l.maxInFlight) {
        await req.body?.cancel().catch(() => {});
        const res = errorResponse(
          httpError(429, `the server has ${inFlight} requests in flight (its limit); retry later`),
        );
        res.headers.set("retry-after", "1");
        return res;
      }
      inFlight++;
      admitted = true;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timeout.abort();
          reject(httpError(504, `request took longer than ${l.timeoutMs / 1000} s; withdrawn`));
        }, l.timeoutMs);
      });
      expired.catch(() => {});
      const text = await readBody(req, l.maxBodyBytes, timeout.signal);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw httpError(400, "request body is not valid JSON");
      }
      return await Promise.race([route.run(body, timeout.signal), expired]);
    } catch (e) {
      const res = errorResponse(e);
      if (res.status >= 500 && res.status !== 503 && res.status !== 504) {
        console.error(`serve: ${req.method} ${req.url}: ${(e as Error).stack ?? e}`);
      }
      return res;
    } finally {
      clearTimeout(timer);
      if (admitted) inFlight--;
    }
  };
}
