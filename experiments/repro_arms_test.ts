import assert from "node:assert/strict";
import { methodOptions, methods } from "../lib/search/registry.ts";
import { TSMC_SETTING } from "../lib/search/tsmc.ts";
import "./all.ts";
import { experiments } from "./registry.ts";
import { alphamath, SBS_TEMPERATURE } from "./alphamath.ts";
import { QSHARP_PAPER, qsharpExperiment } from "./qsharp.ts";
import { searchAndLearn } from "./search_and_learn.ts";
import { tsmc, TSMC_PAPER } from "./tsmc.ts";

const EXPERIMENTS = Object.values(experiments);

Deno.test("every experiment module is registered", () => {
  assert.ok(EXPERIMENTS.length >= 8, EXPERIMENTS.map((e) => e.name).join(", "));
});

for (const exp of EXPERIMENTS) {
  Deno.test(`${exp.name}: arms are unique, registered and take only known options`, () => {
    const configs = exp.arms.map((a) => a.config);
    assert.equal(new Set(configs).size, configs.length);
    for (const arm of exp.arms) {
      assert.ok(methods[arm.method], `${arm.config}: unknown method ${arm.method}`);
      // Throws on an option the method does not have or a value of the wrong type.
      methodOptions(arm.method, arm.options ?? {});
      if (methods[arm.method].needsScorer) assert.ok(arm.scorer, `${arm.config} needs a scorer`);
    }
  });

  Deno.test(`${exp.name}: every arm's paperMethod names a paper row`, () => {
    const names = new Set(exp.paperNumbers.map((p) => p.method));
    for (const arm of exp.arms) {
      if (arm.paperMethod) {
        assert.ok(names.has(arm.paperMethod), `${arm.config}: ${arm.paperMethod}`);
      }
    }
    for (const p of exp.paperNumbers) assert.ok(p.source.length > 0 && p.table.length > 0);
  });
}

Deno.test("tsmc: the main table was not recovered, so every paper value is null", () => {
  assert.ok(TSMC_PAPER.length > 0);
  assert.ok(TSMC_PAPER.every((p) => p.value === null));
  assert.ok(TSMC_PAPER.filter((p) => p.method === "TSMC").every((p) => p.unverified));
  assert.ok(tsmc.arms.filter((a) => a.method === "tsmc").every((a) => a.scorer === "twist"));
});

Deno.test("qsharp: Table 1 cells land in the right rows (π_ref has no KL)", () => {
  // 4 settings × (3 methods × 2 accuracy metrics + 2 KL values).
  assert.equal(QSHARP_PAPER.length, 4 * (3 * 2 + 2));
  const cell = (method: string, metric: string, setting: string) =>
    QSHARP_PAPER.find((p) =>
      p.method === method && p.metric === metric && p.setting.startsWith(setting)
    )?.value;
  assert.equal(cell("Q♯", "pass@1 %", "GSM8K, Llama 3 8B"), 78.4);
  assert.equal(cell("CD", "KL", "MATH-500, Llama 3.1 8B"), 26.8);
  assert.equal(cell("π_ref", "maj1@8 %", "MATH-500, Llama 3.1 8B"), 57.0);
  assert.equal(cell("π_ref", "KL", "GSM8K, Llama 3 8B"), undefined);
  const refArm = qsharpExperiment.arms.find((a) => a.config === "pi_ref");
  assert.equal(refArm?.options?.eta, 0);
});

Deno.test("qsharp: arms are labelled by the paper's η; the method runs with its reciprocal", () => {
  const arm = (c: string) => qsharpExperiment.arms.find((a) => a.config === c);
  assert.equal(
    arm("qsharp_eta0.1")?.options?.eta,
    10,
    "the paper's default = eval_ckpt.py --eta 10",
  );
  assert.equal(arm("qsharp_eta10")?.options?.eta, 0.1);
  assert.equal(arm("cd_eta0.1")?.options?.eta, 10);
});

Deno.test("alphamath: SBS samples at the paper's table temperature (T = 1.0)", () => {
  const sbs = alphamath.arms.filter((a) => a.method === "sbs");
  assert.ok(sbs.length > 0);
  for (const a of sbs) assert.equal(a.options?.temperature, SBS_TEMPERATURE);
  assert.equal(SBS_TEMPERATURE, 1);
});

Deno.test("tsmc: one setting in the tsmc and search-and-learn experiments", () => {
  const arms = [...tsmc.arms, ...searchAndLearn.arms].filter((a) => a.method === "tsmc");
  assert.ok(arms.length >= 5);
  for (const a of arms) {
    const o = a.options!;
    assert.deepEqual(
      [o.tau, o.topK, o.temperature, o.warmup, o.m],
      [
        TSMC_SETTING.tau,
        TSMC_SETTING.topK,
        TSMC_SETTING.temperature,
        TSMC_SETTING.warmup,
        Math.max(1, Math.floor(Number(o.n) / TSMC_SETTING.groups)),
      ],
      a.config,
    );
  }
});
