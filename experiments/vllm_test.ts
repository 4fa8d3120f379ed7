/**
 * `--vllm MODEL` end to end with a stand-in `vllm` on PATH: a shell script that answers
 * `vllm serve MODEL --port P ...` by starting the project's own `deno task serve` (the PRM folder
 * for `--runner pooling`) and records its PID. The run must start the servers, use them, and leave
 * none alive: after a normal end, after SIGINT, and when `vllm` is missing (one error line).
 */
import assert from "node:assert/strict";
import { readRecords } from "../lib/runs/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** A folder with the stand-in `vllm`; its servers append their PIDs to `pids`. */
async function standIn(): Promise<{ dir: string; pids: string }> {
  const dir = await Deno.makeTempDir({ prefix: "vllm_standin_" });
  const pids = `${dir}/pids`;
  const script = `#!/bin/sh
# stand-in for vLLM: "vllm serve MODEL --port P [--runner pooling] ..." -> deno task serve
[ "$1" = serve ] || exit 2
model=$2; shift 2
port=8000; folder=models/embedded
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift ;;
    --runner) [ "$2" = pooling ] && folder=models/prm; shift ;;
  esac
  shift
done
echo $$ >> "${pids}"
cd "${ROOT}"
exec "${Deno.execPath()}" run -A experiments/serve.ts --model "$folder" --port "$port" \\
  --served-model-name "$model" --threads 1
`;
  await Deno.writeTextFile(`${dir}/vllm`, script, { mode: 0o755 });
  return { dir, pids };
}

const alive = (pid: number) => {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
};

async function pidsOf(file: string): Promise<number[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.split("\n").filter(Boolean).map(Number);
}

function repro(dir: string, out: string, extra: string[] = [], limit = 3) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}experiments/repro.ts`,
      "search_and_learn",
      "--limit",
      String(limit),
      "--only",
      "greedy,maj@4",
      "--vllm",
      "stand-in-model",
      "--out",
      out,
      ...extra,
    ],
    cwd: ROOT,
    env: { PATH: `${dir}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test({
  name: "--vllm: repro starts the stand-in servers, runs on them, and leaves none alive",
  sanitizeResources: false,
  async fn() {
    const { dir, pids } = await standIn();
    try {
      const out = await repro(dir, `${dir}/out`, ["--vllm-prm", "stand-in-prm", "--gpus", "0,1"])
        .output();
      const err = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, err);
      const started = await pidsOf(pids);
      assert.equal(started.length, 3, "one policy server per GPU and one PRM server");
      const records = await readRecords(`${dir}/out/records.jsonl`);
      assert.equal(records.length, 6, "2 arms × 3 problems");
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/out/summary.json`));
      assert.equal(summary.model, "stand-in-model ×2", "the policy on both GPUs");
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(started.filter(alive), [], "no server outlives the run");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "--vllm: SIGINT mid-run stops the servers too",
  sanitizeResources: false,
  async fn() {
    const { dir, pids } = await standIn();
    try {
      // a long run (200 problems), interrupted once its server is up and records are coming
      const child = repro(dir, `${dir}/out`, [], 200).spawn();
      const records = `${dir}/out/records.jsonl`;
      for (let i = 0; i < 600; i++) {
        const written = await Deno.readTextFile(records).catch(() => "");
        if (written.split("\n").length > 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal((await pidsOf(pids)).length, 1, "the server was started");
      child.kill("SIGINT");
      const status = await child.status;
      await child.stdout.cancel();
      await child.stderr.cancel();
      assert.equal(status.success, false);
      const started = await pidsOf(pids);
      assert.equal(started.length, 1);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(started.filter(alive), [], "SIGINT left no server behind");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "--vllm without vllm installed: one error line naming the command and its log",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "vllm_missing_" });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          `${ROOT}experiments/solve.ts`,
          "--method",
          "greedy",
          "--limit",
          "1",
          "--vllm",
          "some/model",
          "--out",
          `${dir}/r.jsonl`,
        ],
        cwd: ROOT,
        env: { PATH: "/usr/bin:/bin" },
        stdout: "null",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) =>
        l.startsWith("error:")
      );
      assert.notEqual(out.code, 0);
      assert.equal(err.length, 1, err.join("\n"));
      assert.match(
        err[0],
        /vllm serve some\/model --port 8000: vllm not found .*log: .*vllm-8000\.log/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
