import assert from "node:assert/strict";
import { guardFingerprint } from "./fingerprint.ts";

Deno.test("guardFingerprint: first run writes it, same model resumes, another model is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const verifiers = { prm: "recompute-head", value: "recompute-head", files: { "v.json": "x1" } };
    const a = { model_sha256: "aaa", heads_sha256: { value: "v1" }, verifiers, deno: "2.9.6" };
    await guardFingerprint(`${dir}/run`, a);
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/run/fingerprint.json`));
    assert.deepEqual(saved, { model_sha256: "aaa", heads_sha256: { value: "v1" }, verifiers });
    // same files, another Deno: resumes
    await guardFingerprint(`${dir}/run`, { ...a, deno: "2.9.7" });
    await assert.rejects(
      guardFingerprint(`${dir}/run`, { ...a, model_sha256: "bbb" }),
      /run: its records were made with another model \("aaa" vs now "bbb"\)/,
    );
    await assert.rejects(
      guardFingerprint(`${dir}/run`, { ...a, heads_sha256: { value: "v2" } }),
      /another heads/,
    );
    // another verifier (or a retrained one) is refused too
    await assert.rejects(
      guardFingerprint(`${dir}/run`, { ...a, verifiers: { ...verifiers, prm: "logprob" } }),
      /another verifiers/,
    );
    await assert.rejects(
      guardFingerprint(`${dir}/run`, {
        ...a,
        verifiers: { ...verifiers, files: { "v.json": "x2" } },
      }),
      /another verifiers/,
    );
    // a folder from before fingerprint.json is judged by its summary's extra
    await Deno.mkdir(`${dir}/old`);
    await Deno.writeTextFile(`${dir}/old/summary.json`, JSON.stringify({ extra: a }));
    await assert.rejects(guardFingerprint(`${dir}/old`, { ...a, model_sha256: "ccc" }), /model/);
    await guardFingerprint(`${dir}/old`, a);
    assert.ok((await Deno.stat(`${dir}/old/fingerprint.json`)).isFile);
    // a malformed file names itself
    await Deno.writeTextFile(`${dir}/run/fingerprint.json`, "{");
    await assert.rejects(guardFingerprint(`${dir}/run`, a), /fingerprint\.json: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("guardFingerprint: a policy wrapper is part of the identity when a run has one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = { model_sha256: "aaa", heads_sha256: {}, verifiers: {}, deno: "2.9.6" };
    await guardFingerprint(`${dir}/plain`, a);
    const plain = JSON.parse(await Deno.readTextFile(`${dir}/plain/fingerprint.json`));
    assert.equal("policy" in plain, false, "runs without a wrapper write no policy key");
    await assert.rejects(guardFingerprint(`${dir}/plain`, { ...a, policy: "tools" }), /policy/);
    await guardFingerprint(`${dir}/tools`, { ...a, policy: "tools" });
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/tools/fingerprint.json`));
    assert.equal(saved.policy, "tools");
    await guardFingerprint(`${dir}/tools`, { ...a, policy: "tools" });
    await assert.rejects(
      guardFingerprint(`${dir}/tools`, { ...a, policy: "other" }),
      /another policy \("tools" vs now "other"\)/,
    );
    await assert.rejects(guardFingerprint(`${dir}/tools`, a), /another policy/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("guardFingerprint: --batch-invariant is part of the identity, both ways", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = { model_sha256: "aaa", heads_sha256: {}, verifiers: {}, deno: "2.9.6" };
    const exact = { ...a, batch_invariant: true };
    await guardFingerprint(`${dir}/plain`, a);
    await assert.rejects(guardFingerprint(`${dir}/plain`, exact), /another batch_invariant/);
    await guardFingerprint(`${dir}/exact`, exact);
    await guardFingerprint(`${dir}/exact`, exact);
    await assert.rejects(guardFingerprint(`${dir}/exact`, a), /another batch_invariant/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
