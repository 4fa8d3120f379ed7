/**
 * Dump the data the embedded policy is trained and evaluated on, from the TypeScript generator.
 *
 * Writes into `--out` (default `/tmp/embedded-policy-train`):
 * - `train.jsonl`: `{id, level, form, problem, solution, flawed, firstError}` per line, from
 *   `trainStream(--seed)`; a fraction `--flaw-rate` of solutions carry one realistic mistake
 *   (see `flawedSolution`) and end in a wrong boxed answer.
 * - `eval.jsonl`: the 500-problem evaluation split `{id, level, form, problem, answer, solution}`.
 * - `meta.json`: the character set and the options used.
 *
 * Usage: `deno run -A models/train/make_data.ts --out DIR --n 150000 --seed 1 --flaw-rate 0.25 --drill 0.3`
 *
 * @module
 */

import { CHARSET, EVAL_SEED, evalSplit, flawedSolution, trainStream } from "../../lib/tasks/mod.ts";

/** Options of {@linkcode makeData}. */
export interface MakeDataOptions {
  /** Output folder. */
  out: string;
  /** Number of training solutions. */
  n: number;
  /** Seed of the training stream (and of the mistakes). */
  seed: number;
  /** Fraction of training solutions with one mistake. */
  flawRate: number;
  /** Relative weights of levels 1-5 in the training stream. */
  levelWeights: number[];
  /** Fraction of one-operation drill problems (level 0) in the training stream. */
  drill: number;
}

/**
 * Write `train.jsonl`, `eval.jsonl` and `meta.json` into `opts.out`.
 *
 * @example
 * ```ts
 * await makeData({ out: "/tmp/d", n: 1000, seed: 1, flawRate: 0.25, levelWeights: [1, 1, 1, 1, 1], drill: 0.3 });
 * ```
 */
export async function makeData(opts: MakeDataOptions): Promise<void> {
  await Deno.mkdir(opts.out, { recursive: true });
  const enc = new TextEncoder();

  const evalFile = await Deno.open(`${opts.out}/eval.jsonl`, {
    write: true,
    create: true,
    truncate: true,
  });
  for (const p of evalSplit()) {
    const { id, level, form, problem, answer, solution } = p;
    await evalFile.write(
      enc.encode(JSON.stringify({ id, level, form, problem, answer, solution }) + "\n"),
    );
  }
  evalFile.close();

  const trainFile = await Deno.open(`${opts.out}/train.jsonl`, {
    write: true,
    create: true,
    truncate: true,
  });
  // a separate deterministic coin for "flawed or not", so the problems do not depend on the rate
  let coin = (opts.seed * 2654435761) >>> 0;
  const flip = () => {
    coin = (Math.imul(coin ^ (coin >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return coin / 4294967296;
  };
  const stream = trainStream(opts.seed, {
    levelWeights: opts.levelWeights,
    drillFraction: opts.drill,
  });
  let chunk: string[] = [];
  let flawed = 0;
  for (let i = 0; i < opts.n; i++) {
    const p = stream.next().value;
    let solution = p.solution;
    let firstError = -1;
    if (flip() < opts.flawRate) {
      const f = flawedSolution(p, opts.seed);
      if (f) {
        solution = f.solution;
        firstError = f.firstError;
        flawed++;
      }
    }
    chunk.push(JSON.stringify({
      id: p.id,
      level: p.level,
      form: p.form,
      problem: p.problem,
      solution,
      flawed: firstError >= 0,
      firstError,
    }));
    if (chunk.length >= 5000) {
      await trainFile.write(enc.encode(chunk.join("\n") + "\n"));
      chunk = [];
    }
  }
  if (chunk.length) await trainFile.write(enc.encode(chunk.join("\n") + "\n"));
  trainFile.close();

  const meta = {
    charset: CHARSET,
    evalSeed: EVAL_SEED,
    trainSeed: opts.seed,
    n: opts.n,
    flawRate: opts.flawRate,
    flawed,
    levelWeights: opts.levelWeights,
    drill: opts.drill,
  };
  await Deno.writeTextFile(`${opts.out}/meta.json`, JSON.stringify(meta, null, 2) + "\n");
  console.log(`wrote ${opts.n} training solutions (${flawed} flawed) and 500 eval problems`);
}

/** Read `--name value` flags. */
function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

if (import.meta.main) {
  const args = Deno.args;
  await makeData({
    out: flag(args, "out", "/tmp/embedded-policy-train"),
    n: Number(flag(args, "n", "150000")),
    seed: Number(flag(args, "seed", "1")),
    flawRate: Number(flag(args, "flaw-rate", "0.25")),
    levelWeights: flag(args, "level-weights", "1,1,1,1,1").split(",").map(Number),
    drill: Number(flag(args, "drill", "0")),
  });
}
