import assert from "node:assert/strict";
import { createEndpointPool } from "./endpoints.ts";
import { requestJson } from "./http.ts";

/** A fake server on a free loopback port; `answer(k)` answers its k-th request. */
function fake(answer: (k: number, req: Request) => Response | Promise<Response>) {
  let hits = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => answer(hits++, req),
  );
  return { url: `http://127.0.0.1:${server.addr.port}`, hits: () => hits, server };
}

Deno.test("retries 429 and 503 with back-off, then succeeds", async () => {
  const f = fake((k) =>
    k === 0
      ? new Response(JSON.stringify({ error: { message: "slow down" } }), {
        status: 429,
        headers: { "retry-after": "0" },
      })
      : k === 1
      ? new Response("overloaded", { status: 503 })
      : Response.json({ ok: k })
  );
  try {
    const pool = createEndpointPool([f.url], 4);
    const t0 = performance.now();
    const { data } = await requestJson(pool, "/v1/x", { a: 1 }, { attempts: 4, backoffMs: 40 });
    assert.deepEqual(data, { ok: 2 });
    assert.equal(f.hits(), 3);
    // Two back-offs: >= 20 ms (half of 40, jittered) + >= 40 ms.
    assert.ok(performance.now() - t0 >= 60, "back-off waited");
    assert.equal(pool.endpoints[0].failures, 2);
    assert.equal(pool.endpoints[0].outstanding, 0);
  } finally {
    await f.server.shutdown();
  }
});

Deno.test("a 400 fails at once with the server's message and the URL", async () => {
  const f = fake(() =>
    Response.json({ error: { message: `"n" must be in [1, 256], got 0`, param: "n" } }, {
      status: 400,
    })
  );
  try {
    const pool = createEndpointPool([f.url], 4);
    await assert.rejects(
      requestJson(pool, "/v1/completions", {}, { attempts: 5, backoffMs: 1 }),
      (e: Error) => {
        assert.match(e.message, new RegExp(`${f.url}/v1/completions: HTTP 400: "n" must be`));
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
    assert.equal(f.hits(), 1, "no retry on 400");
  } finally {
    await f.server.shutdown();
  }
});

Deno.test("a server that never answers gives a timeout error naming the URL", async () => {
  let release!: () => void;
  const hang = new Promise<void>((r) => (release = r));
  const f = fake(async () => {
    await hang;
    return new Response("late");
  });
  try {
    const pool = createEndpointPool([f.url], 4);
    const t0 = performance.now();
    await assert.rejects(
      requestJson(pool, "/v1/completions", {}, { attempts: 2, timeoutMs: 150, backoffMs: 10 }),
      (e: Error) => {
        assert.equal(
          e.message,
          `openai client: POST ${f.url}/v1/completions failed after 2 attempts: timed out after 150 ms`,
        );
        return true;
      },
    );
    assert.ok(performance.now() - t0 >= 300);
    assert.equal(f.hits(), 2);
  } finally {
    release();
    await f.server.shutdown();
  }
});

Deno.test("an unreachable server is a one-line error naming the URL", async () => {
  const f = fake(() => new Response("x"));
  await f.server.shutdown(); // the port is now closed
  const pool = createEndpointPool([f.url], 4);
  await assert.rejects(
    requestJson(pool, "/v1/models", undefined, { attempts: 2, backoffMs: 5 }),
    (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`^openai client: GET ${f.url}/v1/models failed after 2 attempts: `),
      );
      assert.match(e.message, /refused/i);
      assert.ok(!e.message.includes("\n"));
      return true;
    },
  );
});
