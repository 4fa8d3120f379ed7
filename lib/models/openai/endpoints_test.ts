import assert from "node:assert/strict";
import { createEndpointPool, normalizeEndpoint } from "./endpoints.ts";

Deno.test("normalizeEndpoint strips /v1 and slashes, rejects non-http URLs", () => {
  assert.equal(normalizeEndpoint("http://127.0.0.1:8000/v1/"), "http://127.0.0.1:8000");
  assert.equal(normalizeEndpoint("https://h.example/proxy/v1"), "https://h.example/proxy");
  assert.throws(() => normalizeEndpoint("127.0.0.1:8000"), /not a URL|http/);
  assert.throws(() => normalizeEndpoint("ftp://h/"), /must be http/);
});

Deno.test("pool: least outstanding first, per-endpoint limit, FIFO waiters", async () => {
  const pool = createEndpointPool(["http://a:1", "http://b:1", "http://c:1"], 2);
  const [a, b, c] = pool.endpoints;
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await pool.acquire());
  // Round robin by load: every endpoint at its limit of 2.
  assert.deepEqual(got.map((e) => e.url).sort(), [a, a, b, b, c, c].map((e) => e.url).sort());
  assert.deepEqual([a, b, c].map((e) => e.outstanding), [2, 2, 2]);
  let seventh: string | null = null;
  const waiting = pool.acquire().then((e) => (seventh = e.url));
  await Promise.resolve();
  assert.equal(seventh, null, "the 7th request waits for a free slot");
  pool.release(b);
  await waiting;
  assert.equal(seventh, b.url, "the freed slot goes to the waiter");
  assert.throws(() => createEndpointPool([], 1), /at least one endpoint/);
  assert.throws(() => createEndpointPool(["http://a:1", "http://a:1/v1"], 1), /given twice/);
});

Deno.test("pool: a retry avoids the endpoint that just failed when another has room", async () => {
  const pool = createEndpointPool(["http://a:1", "http://b:1"], 4);
  const [a, b] = pool.endpoints;
  const first = await pool.acquire();
  pool.release(first);
  assert.equal(first, a);
  const retry = await pool.acquire(a);
  assert.equal(retry, b);
  pool.release(retry);
});
