/**
 * Routing shared by the model servers: a table of paths, each with its method and handler; JSON
 * bodies parsed once; every failure an OpenAI-shaped JSON error (`errors.ts`), never a crash.
 *
 * @module
 */
import { errorResponse, httpError } from "./errors.ts";

/** One route: its HTTP method and what answers it (with the parsed JSON body for POST). */
export interface Route {
  method: "GET" | "POST";
  run: (body: unknown) => Promise<Response>;
}

/**
 * A request handler over `routes` that never throws (404 unknown path, 405 wrong method, 400
 * invalid JSON; unexpected errors are logged and answered 500).
 *
 * @example
 * ```ts
 * const handler = routeHandler({
 *   "/health": { method: "GET", run: () => Promise.resolve(Response.json({ status: "ok" })) },
 * });
 * const res = await handler(new Request("http://x/health"));
 * ```
 */
export function routeHandler(routes: Record<string, Route>): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      const path = new URL(req.url).pathname.replace(/\/+$/, "") || "/";
      const route = routes[path];
      if (!route) throw httpError(404, `no route ${req.method} ${path}`);
      if (req.method !== route.method) {
        throw httpError(405, `${path} takes ${route.method}, not ${req.method}`);
      }
      let body: unknown = undefined;
      if (route.method === "POST") {
        const text = await req.text();
        try {
          body = JSON.parse(text);
        } catch {
          throw httpError(400, "request body is not valid JSON");
        }
      }
      return await route.run(body);
    } catch (e) {
      const res = errorResponse(e);
      if (res.status >= 500) {
        console.error(`serve: ${req.method} ${req.url}: ${(e as Error).stack ?? e}`);
      }
      return res;
    }
  };
}
