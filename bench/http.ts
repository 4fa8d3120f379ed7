/**
 * HTTP serving throughput: start `experiments/serve.ts` on loopback with the embedded model, then
 * send the same 32 completion requests (32 different problems, 64 new tokens each, EOS ignored so
 * every request does the same work) one after another and all at once. The server batches
 * concurrent requests into shared engine calls; the ratio of the two throughputs is what that
 * buys (target ≥ 3×). Each mode runs four times, alternating, and keeps its best time (a shared
 * machine's load comes and goes). Also runs the 32 through the client ({@linkcode createOpenAIPolicy}) to
 * show its overhead is small.
 *
 * Three server settings are measured in the same run: one engine (`--replicas 1`, onnxruntime's
 * default threads), one engine with one thread (`--threads 1`; on this tiny model often the
 * fastest for a single stream) and one engine replica per core (`--replicas C --threads 1`, C =
 * `navigator.hardwareConcurrency`, at least 2; see `lib/serve/replicas.ts`). `speedup` is the
 * replicas' concurrent ÷ their own sequential; `bestConcurrentVsBestSequential` divides the
 * fastest concurrent setting by the fastest sequential one, so no setting's slow sequential path
 * can inflate the ratio (`concurrentVsOneEngineSequential`: replicas ÷ the default engine).
 *
 * `deno run -A bench/http.ts` prints one JSON line.
 *
 * @module
 */
import { createOpenAIPolicy, promptFromFolder } from "../lib/models/openai/mod.ts";
import { spawnServer } from "../lib/serve/spawn.ts";
import { evalSplit } from "../lib/tasks/mod.ts";

const MODEL = "models/embedded";
const REQUESTS = 32;
const TOKENS = 64;
const ROUNDS = 4;

/** Measure one server setting (extra `deno task serve` flags). */
async function measure(flags: string[]): Promise<Record<string, unknown>> {
  const server = await spawnServer({ model: MODEL, args: flags });
  try {
    const promptFor = await promptFromFolder(MODEL);
    const problems = evalSplit().slice(0, REQUESTS).map((p) => p.problem);
    const body = (problem: string, i: number) =>
      JSON.stringify({
        prompt: promptFor(problem),
        max_tokens: TOKENS,
        ignore_eos: true,
        temperature: 0.8,
        seed: i,
      });
    const send = async (problem: string, i: number) => {
      const res = await fetch(`${server.url}/v1/completions`, {
        method: "POST",
        body: body(problem, i),
      });
      const j = await res.json();
      if (!res.ok) throw new Error(`bench http: ${j.error?.message ?? res.status}`);
      return j.usage.completion_tokens as number;
    };
    // Warm-up: first session runs and code paths.
    await Promise.all(problems.slice(0, 4).map(send));
    await send(problems[0], 0);

    // Alternate the two modes and keep each one's best round: the machine may be shared.
    let seqMs = Infinity;
    let concMs = Infinity;
    let seqTokens = 0;
    let concTokens = 0;
    let engineCalls = 0;
    const stats = () => fetch(`${server.url}/stats`).then((r) => r.json());
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now();
      seqTokens = 0;
      for (const [i, p] of problems.entries()) seqTokens += await send(p, i);
      seqMs = Math.min(seqMs, performance.now() - t0);
      const before = await stats();
      t0 = performance.now();
      const conc = await Promise.all(problems.map(send));
      concMs = Math.min(concMs, performance.now() - t0);
      concTokens = conc.reduce((a, b) => a + b, 0);
      const after = await stats();
      engineCalls = after.batcher.calls - before.batcher.calls;
    }

    const policy = await createOpenAIPolicy({
      endpoints: [server.url],
      promptFor,
      extraBody: { ignore_eos: true },
    });
    const t0 = performance.now();
    const out = await policy.extend(problems.map((p) => policy.start(p)), {
      temperature: 0.8,
      seed: 1,
      maxTokens: TOKENS,
      stop: [],
    });
    const clientMs = performance.now() - t0;
    const clientTokens = out.reduce((a, r) => a + r[0].tokens.length, 0);

    const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
    const seqTps = seqTokens / (seqMs / 1000);
    const concTps = concTokens / (concMs / 1000);
    return {
      flags: flags.join(" "),
      sequential: {
        ms: round(seqMs),
        tokensPerSecond: round(seqTps),
        requestsPerSecond: round(REQUESTS / (seqMs / 1000), 2),
      },
      concurrent: {
        ms: round(concMs),
        tokensPerSecond: round(concTps),
        requestsPerSecond: round(REQUESTS / (concMs / 1000), 2),
      },
      client: { ms: round(clientMs), tokensPerSecond: round(clientTokens / (clientMs / 1000)) },
      engineCallsFor32Concurrent: engineCalls,
      speedup: round(concTps / seqTps, 2),
    };
  } finally {
    await server.stop("SIGTERM");
  }
}

/** Run the benchmark; resolves with the figures (also what the CLI prints). */
export async function benchHttp(): Promise<Record<string, unknown>> {
  const cores = Math.max(2, navigator.hardwareConcurrency);
  const one = await measure([]);
  const perCore = await measure(["--replicas", String(cores), "--threads", "1"]);
  const oneThread = await measure(["--threads", "1"]);
  const settings = { oneEngine: one, oneEngineOneThread: oneThread, replicaPerCore: perCore };
  const tps = (r: Record<string, unknown>, mode: string) =>
    (r[mode] as { tokensPerSecond: number }).tokensPerSecond;
  const best = (mode: string) =>
    Object.entries(settings).reduce((a, b) => tps(b[1], mode) > tps(a[1], mode) ? b : a);
  const [bestConcName, bestConc] = best("concurrent");
  const [bestSeqName, bestSeq] = best("sequential");
  return {
    model: MODEL,
    requests: REQUESTS,
    rounds: ROUNDS,
    maxTokens: TOKENS,
    cores,
    ...settings,
    speedup: perCore.speedup,
    concurrentVsOneEngineSequential: Math.round(
      (tps(perCore, "concurrent") / tps(one, "sequential")) * 100,
    ) / 100,
    // the fairest single figure: the fastest concurrent setting against the fastest sequential one
    bestConcurrentVsBestSequential: {
      ratio: Math.round((tps(bestConc, "concurrent") / tps(bestSeq, "sequential")) * 100) / 100,
      concurrent: bestConcName,
      sequential: bestSeqName,
    },
    target: 3,
  };
}

if (import.meta.main) console.log(JSON.stringify(await benchHttp()));
