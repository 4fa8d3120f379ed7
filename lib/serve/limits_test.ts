/**
 * The server under hostile and heavy traffic, on loopback: oversized bodies, oversized prompts,
 * too many requests at once, slow clients, malformed JSON, deep nesting, invalid UTF-8, and a soak
 * of bounded request loops. Every answer is a well-formed response and `/health` stays fast.
 */
import assert from "node:assert/strict";
import { startModelServer } from "./server.ts";

const MODEL = "models/embedded";

async function health(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/health`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
  return performance.now() - t;
}

/** A streamed body of `bytes` bytes of JSON-ish text, in 1 MiB chunks. */
function bigBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("x".repeat(1 << 20));
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= bytes) return c.close();
      c.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

Deno.test({
  name:
    "server limits: 50 MB body → 413 in under 5 s, long prompt → 400 untokenized, /health stays up",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startModelServer({
      model: MODEL,
      port: 0,
      intraOpNumThreads: 1,
      limits: { maxBodyBytes: 4 << 20 },
    });
    try {
      const url = server.url;
      // streamed without Content-Length: refused once 4 MiB have arrived
      let t = performance.now();
      let res = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: bigBody(50 << 20),
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.status, 413);
      assert.match((await res.json()).error.message, /exceeds 4194304 bytes/);
      assert.ok(performance.now() - t < 5000, `413 after ${performance.now() - t} ms`);
      assert.ok(await health(url) < 1000);
      // with a Content-Length over the limit: refused before reading
      t = performance.now();
      res = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: new Uint8Array(50 << 20),
      });
      assert.equal(res.status, 413);
      await res.body?.cancel();
      assert.ok(performance.now() - t < 5000);
      // a 3 MB prompt fits the body limit but not the context: 400 without tokenizing it
      t = performance.now();
      const long = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ prompt: "7".repeat(3_000_000), max_tokens: 1 }),
      });
      const slow = performance.now() - t;
      assert.equal(long.status, 400);
      assert.match((await long.json()).error.message, /"prompt" is too long/);
      assert.ok(slow < 2000, `400 after ${slow} ms`);
      assert.ok(await health(url) < 1000);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "server limits: 429 with Retry-After past the admitted requests; 504 for a slow client",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startModelServer({
      model: MODEL,
      port: 0,
      intraOpNumThreads: 1,
      limits: { maxInFlight: 2, timeoutMs: 1500 },
    });
    try {
      const url = server.url;
      // two slowloris clients hold both slots: their bodies take 3 s, the limit is 1.5 s
      const hang = () => {
        let pulls = 0;
        return fetch(`${url}/v1/completions`, {
          method: "POST",
          body: new ReadableStream({
            async pull(c) {
              if (pulls++ === 0) return c.enqueue(new TextEncoder().encode('{"prompt": "'));
              await new Promise((r) => setTimeout(r, 3000));
              c.enqueue(new TextEncoder().encode('2"}'));
              c.close();
            },
          }),
        }).then(async (r) => {
          await r.body?.cancel();
          return r.status;
        }, () => 0);
      };
      const held = [hang(), hang()];
      await new Promise((r) => setTimeout(r, 300));
      const refused = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ prompt: "Calculate 2 + 3.", max_tokens: 4 }),
      });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get("retry-after"), "1");
      await refused.body?.cancel();
      assert.ok(await health(url) < 1000, "GET is never queued");
      assert.deepEqual(await Promise.all(held), [504, 504]);
      // the slots are free again
      const ok = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ prompt: "Calculate 2 + 3.", max_tokens: 4, temperature: 0 }),
      });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "server soak: 40 clients × 10 mixed requests (valid, malformed, hostile); all answered, none lost",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startModelServer({ model: MODEL, port: 0, intraOpNumThreads: 1 });
    try {
      const url = server.url;
      const bodies: [string | Uint8Array<ArrayBuffer>, number][] = [
        [JSON.stringify({ prompt: "Calculate 4 + 5.", max_tokens: 8, temperature: 0 }), 200],
        ["{not json", 400],
        ["[".repeat(100_000) + "]".repeat(100_000), 400],
        [JSON.stringify({ prompt: "x", n: 10_000 }), 400],
        [JSON.stringify({ prompt: [1, 2, 3, 1e9] }), 400],
        [new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400],
        [JSON.stringify({ prompt: Array(5000).fill("Calculate 2 + 2."), max_tokens: 1 }), 400],
        [JSON.stringify({ messages: [{ role: "user", content: "Calculate 7 - 2." }] }), 200],
      ];
      const counts = new Map<number, number>();
      let slowest = 0;
      await Promise.all(Array.from({ length: 40 }, async (_, c) => {
        for (let k = 0; k < 10; k++) {
          const [body, want] = bodies[(c + k) % bodies.length];
          const path = typeof body === "string" && body.includes("messages")
            ? "/v1/chat/completions"
            : "/v1/completions";
          const res = await fetch(`${url}${path}`, { method: "POST", body });
          const json = await res.json();
          assert.equal(
            res.status,
            want,
            `${path} ${String(body).slice(0, 40)}: ${JSON.stringify(json)}`,
          );
          if (want !== 200) assert.ok(json.error?.message, "an OpenAI-shaped error");
          counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        }
        slowest = Math.max(slowest, await health(url));
      }));
      assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 400);
      assert.ok(slowest < 3000, `/health took ${slowest} ms under load`);
      assert.ok(await health(url) < 1000);
    } finally {
      await server.shutdown();
    }
  },
});
