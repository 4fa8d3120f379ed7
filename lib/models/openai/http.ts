/**
 * JSON requests to an {@linkcode EndpointPool} with a per-attempt timeout and bounded retries:
 * 408, 429 and 5xx answers, refused or reset connections and timeouts are retried with
 * exponential back-off and jitter (honouring `Retry-After`), on the least loaded endpoint other
 * than the one that just failed; other 4xx answers fail at once. Every failure is one line that
 * names the URL.
 *
 * @module
 */
import type { Endpoint, EndpointPool } from "./endpoints.ts";

/** Timeout and retry settings. */
export interface RetryOptions {
  /** Attempts per request, the first included (default 6). */
  attempts?: number;
  /** Milliseconds one attempt may take, body included (default 120000). */
  timeoutMs?: number;
  /** First back-off delay in ms (default 250); doubles per attempt. */
  backoffMs?: number;
  /** Longest back-off delay in ms (default 8000). */
  maxBackoffMs?: number;
  /** Sent as `Authorization: Bearer KEY` (vLLM `--api-key`). */
  apiKey?: string;
}

/** An answer: the parsed JSON and the endpoint that gave it. */
export interface JsonAnswer<T> {
  /** Parsed body. */
  data: T;
  /** Which endpoint answered. */
  endpoint: Endpoint;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim().slice(0, 300);

/** A short reason for a fetch failure: `Connection refused`, `timed out after 500 ms`... */
export function failureReason(e: unknown, timeoutMs: number): string {
  if (e instanceof DOMException && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `timed out after ${timeoutMs} ms`;
  }
  let msg = e instanceof Error ? e.message : String(e);
  for (let c = (e as { cause?: unknown })?.cause; c; c = (c as { cause?: unknown }).cause) {
    msg += ` ${c instanceof Error ? c.message : String(c)}`;
  }
  const known =
    /connection refused|connection reset|broken pipe|connection closed|unexpected eof|dns error|failed to lookup address|network unreachable|no route to host/i
      .exec(msg);
  return known ? known[0].charAt(0).toUpperCase() + known[0].slice(1) : oneLine(msg);
}

/** The `error.message` (OpenAI or vLLM shape) of an error body, else the body's first 300 characters. */
export function errorMessage(text: string): string {
  try {
    const j = JSON.parse(text);
    const m = j?.error?.message ?? j?.message ?? j?.detail;
    if (typeof m === "string") return oneLine(m);
    if (m !== undefined) return oneLine(JSON.stringify(m));
  } catch { /* not JSON */ }
  return oneLine(text) || "(empty body)";
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Send `body` as JSON (or GET when `body` is undefined) to `path` on a pooled endpoint, with
 * retries. `body` may be a function of the endpoint (its model id differs per server); `pin`
 * sends every attempt to one endpoint, outside the pool's limit (startup checks). Resolves with the parsed answer; rejects with a one-line error naming the URL.
 *
 * @example
 * ```ts
 * import { createEndpointPool } from "./endpoints.ts";
 * const pool = createEndpointPool(["http://127.0.0.1:8000"], 8);
 * const { data } = await requestJson(pool, "/v1/models", undefined, { attempts: 3 });
 * ```
 */
export async function requestJson<T = unknown>(
  pool: EndpointPool,
  path: string,
  body: unknown | ((endpoint: Endpoint) => unknown),
  options: RetryOptions = {},
  pin?: Endpoint,
): Promise<JsonAnswer<T>> {
  const attempts = Math.max(1, options.attempts ?? 6);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const base = options.backoffMs ?? 250;
  const cap = options.maxBackoffMs ?? 8000;
  const method = body === undefined ? "GET" : "POST";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let last: Endpoint | undefined;
  let reason = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    let retryAfterMs = 0;
    const endpoint = pin ?? await pool.acquire(last);
    if (pin) {
      pin.outstanding++;
      pin.sent++;
    }
    const url = `${endpoint.url}${path}`;
    const payload = body === undefined
      ? undefined
      : JSON.stringify(typeof body === "function" ? body(endpoint) : body);
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.ok) {
        try {
          return { data: JSON.parse(text) as T, endpoint };
        } catch {
          throw new Error(
            `openai client: ${method} ${url}: answer is not JSON: ${oneLine(text).slice(0, 80)}`,
          );
        }
      }
      if (!retryable(res.status)) {
        throw new Error(
          `openai client: ${method} ${url}: HTTP ${res.status}: ${errorMessage(text)}`,
        );
      }
      reason = `HTTP ${res.status}: ${errorMessage(text)}`;
      const after = Number(res.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) retryAfterMs = Math.min(after * 1000, cap);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("openai client:")) throw e;
      reason = failureReason(e, timeoutMs);
    } finally {
      if (pin) pin.outstanding--;
      else pool.release(endpoint);
    }
    endpoint.failures++;
    last = endpoint;
    if (attempt + 1 < attempts) {
      const d = Math.min(cap, base * 2 ** attempt);
      const wait = Math.max(retryAfterMs, d / 2 + Math.random() * d / 2);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  throw new Error(
    `openai client: ${method} ${last!.url}${path} failed after ${attempts} attempt${
      attempts === 1 ? "" : "s"
    }: ${reason}`,
  );
}
