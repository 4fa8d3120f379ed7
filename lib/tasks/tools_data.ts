/**
 * Dump training and evaluation data for the tool-using policy in the layout
 * `models/train/train.py` reads (`train.jsonl`, `eval.jsonl`, `meta.json`), from
 * {@linkcode toolSolution} / {@linkcode flawedToolSolution}.
 *
 * `meta.json` carries {@linkcode TOOL_CHARSET}, so the trained tokenizer covers code, tags and
 * observations. Evaluation rows hold the gold tool solution (train.py sizes its generation
 * budget from them); the 500-problem evaluation split never appears in training.
 *
 * Usage: `deno run -A lib/tasks/tools_data.ts --out DIR --n 30000 --seed 2 --flaw-rate 0.15`
 *
 * @example
 * ```ts ignore
 * await makeToolData({ out: "/tmp/tools-data", n: 1000, seed: 2, flawRate: 0.15 });
 * ```
 *
 * @module
 */
import { EVAL_SEED, evalSplit, trainStream } from "./synthetic/mod.ts";
import { flawedToolSolution, TOOL_CHARSET, toolSolution } from "./tools.ts";

/** Options of {@linkcode makeToolData}. */
export interface ToolDataOptions {
  /** Output folder. */
  out: string;
  /** Training solutions. */
  n: number;
  /** Seed of the training stream. */
  seed: number;
  /** Fraction of training solutions with one wrong operand. */
  flawRate: number;
  /** Relative weights of levels 1-5 (default equal). */
  levelWeights?: number[];
}

/**
 * Write the three files; returns counts.
 *
 * @example
 * ```ts ignore
 * const { flawed } = await makeToolData({ out: "/tmp/d", n: 100, seed: 2, flawRate: 0.2 });
 * ```
 */
export async function makeToolData(
  opts: ToolDataOptions,
): Promise<{ n: number; flawed: number; maxChars: number }> {
  await Deno.mkdir(opts.out, { recursive: true });
  const evalRows = evalSplit().map((p) =>
    JSON.stringify({
      id: p.id,
      level: p.level,
      form: p.form,
      problem: p.problem,
      answer: p.answer,
      solution: toolSolution(p),
    })
  );
  await Deno.writeTextFile(`${opts.out}/eval.jsonl`, evalRows.join("\n") + "\n");
  const stream = trainStream(opts.seed, { levelWeights: opts.levelWeights ?? [1, 1, 1, 1, 1] });
  let coin = (opts.seed * 2654435761) >>> 0;
  const flip = () => {
    coin = (Math.imul(coin ^ (coin >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return coin / 4294967296;
  };
  const rows: string[] = [];
  let flawed = 0;
  let maxChars = 0;
  for (let i = 0; i < opts.n; i++) {
    const p = stream.next().value;
    let solution = toolSolution(p);
    let firstError = -1;
    if (flip() < opts.flawRate) {
      const f = flawedToolSolution(p, opts.seed);
      if (f) {
        solution = f.solution;
        firstError = f.firstError;
        flawed++;
      }
    }
    maxChars = Math.max(maxChars, p.problem.length + solution.length);
    rows.push(JSON.stringify({
      id: p.id,
      level: p.level,
      form: p.form,
      problem: p.problem,
      solution,
      flawed: firstError >= 0,
      firstError,
    }));
  }
  await Deno.writeTextFile(`${opts.out}/train.jsonl`, rows.join("\n") + "\n");
  const meta = {
    charset: TOOL_CHARSET,
    format: "tools (lib/tasks/tools.ts)",
    evalSeed: EVAL_SEED,
    trainSeed: opts.seed,
    n: opts.n,
    flawRate: opts.flawRate,
    flawed,
    levelWeights: opts.levelWeights ?? [1, 1, 1, 1, 1],
  };
  await Deno.writeTextFile(`${opts.out}/meta.json`, JSON.stringify(meta, null, 2) + "\n");
  return { n: opts.n, flawed, maxChars };
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

if (import.meta.main) {
  const args = Deno.args;
  const r = await makeToolData({
    out: flag(args, "out", "/tmp/embedded-tools-train"),
    n: Number(flag(args, "n", "30000")),
    seed: Number(flag(args, "seed", "2")),
    flawRate: Number(flag(args, "flaw-rate", "0.15")),
    levelWeights: flag(args, "level-weights", "1,1,1,1,1").split(",").map(Number),
  });
  console.log(JSON.stringify(r));
}
