/**
 * A pool of OpenAI-compatible endpoints (one server per GPU, on any number of machines): each
 * request goes to the endpoint with the fewest requests in flight, and no endpoint ever has more
 * than `concurrency` at once (further requests wait, first come first served).
 *
 * @module
 */

/** One server. */
export interface Endpoint {
  /** Base URL without a trailing `/` or `/v1` (`http://10.0.0.5:8000`). */
  readonly url: string;
  /** Model id to send (from the options, else the server's first `/v1/models` entry). */
  model: string;
  /** `owned_by` of that model in `/v1/models` (`"ttsearch"` for `deno task serve`). */
  ownedBy: string;
  /** Requests in flight now. */
  outstanding: number;
  /** Requests sent so far (attempts included). */
  sent: number;
  /** Attempts that failed (network, timeout, 429/5xx). */
  failures: number;
}

/** The pool. */
export interface EndpointPool {
  /** The endpoints, in the order given. */
  readonly endpoints: readonly Endpoint[];
  /**
   * Wait for a free slot and take it on the least loaded endpoint (fewest in flight, then fewest
   * sent). `avoid` is skipped when another endpoint has room (a retry goes elsewhere).
   */
  acquire(avoid?: Endpoint): Promise<Endpoint>;
  /** Give a slot back. */
  release(endpoint: Endpoint): void;
}

/**
 * Normalise an endpoint URL: `http(s)://host:port[/prefix]`, without a trailing `/` or `/v1`.
 * Throws a one-line error for anything else.
 *
 * @example
 * ```ts
 * normalizeEndpoint("http://127.0.0.1:8000/v1/"); // "http://127.0.0.1:8000"
 * ```
 */
export function normalizeEndpoint(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`openai client: endpoint "${url}" is not a URL (expected http://host:port)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new Error(`openai client: endpoint "${url}" must be http:// or https://`);
  }
  const path = u.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${u.protocol}//${u.host}${path}`;
}

/**
 * Create a pool over `urls` with at most `concurrency` requests in flight per endpoint.
 *
 * @example
 * ```ts
 * const pool = createEndpointPool(["http://gpu0:8000", "http://gpu1:8000"], 8);
 * const e = await pool.acquire();
 * try { await fetch(`${e.url}/health`); } finally { pool.release(e); }
 * ```
 */
export function createEndpointPool(urls: readonly string[], concurrency: number): EndpointPool {
  if (urls.length === 0) throw new Error("openai client: give at least one endpoint");
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new Error(`openai client: concurrency must be an integer >= 1, got ${concurrency}`);
  }
  const seen = new Set<string>();
  const endpoints: Endpoint[] = urls.map((u) => {
    const url = normalizeEndpoint(u);
    if (seen.has(url)) throw new Error(`openai client: endpoint ${url} given twice`);
    seen.add(url);
    return { url, model: "", ownedBy: "", outstanding: 0, sent: 0, failures: 0 };
  });
  const waiters: { avoid?: Endpoint; resolve: (e: Endpoint) => void }[] = [];

  const pick = (avoid?: Endpoint): Endpoint | null => {
    let best: Endpoint | null = null;
    for (const e of endpoints) {
      if (e.outstanding >= concurrency) continue;
      if (
        !best || e.outstanding < best.outstanding ||
        (e.outstanding === best.outstanding && e.sent < best.sent)
      ) best = e;
    }
    if (best === avoid && avoid) {
      const other = endpoints.find((e) => e !== avoid && e.outstanding < concurrency);
      if (other) {
        let alt = other;
        for (const e of endpoints) {
          if (e !== avoid && e.outstanding < concurrency && e.outstanding < alt.outstanding) {
            alt = e;
          }
        }
        return alt;
      }
    }
    return best;
  };
  const take = (e: Endpoint) => {
    e.outstanding++;
    e.sent++;
    return e;
  };

  return {
    endpoints,
    acquire(avoid) {
      const e = waiters.length === 0 ? pick(avoid) : null;
      if (e) return Promise.resolve(take(e));
      return new Promise((resolve) => waiters.push({ avoid, resolve }));
    },
    release(endpoint) {
      endpoint.outstanding--;
      while (waiters.length > 0) {
        const e = pick(waiters[0].avoid);
        if (!e) break;
        waiters.shift()!.resolve(take(e));
      }
    },
  };
}
