import assert from "node:assert/strict";
import { encodeHead, f32ToBase64, loadHead, parseHead, saveHead } from "./head_file.ts";
import { type Head, headProbability } from "./head.ts";

const featureModel = { name: "toy", dim: 3, output: "last_hidden_state", position: "step end" };

function toyHead(): Head {
  return {
    kind: "value",
    dim: 3,
    hidden: 0,
    mean: new Float32Array([0, 0, 0]),
    std: new Float32Array([1, 1, 1]),
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    w2: new Float32Array([0.5, -0.25, 1]),
    b2: 0.125,
    vocab: 0,
    wa: new Float32Array(0),
    ba: new Float32Array(0),
    card: { kind: "value", seed: 1, data: {}, metrics: {}, featureModel, training: {} },
  };
}

Deno.test("a head survives a save/load round trip exactly", async () => {
  const path = `${await Deno.makeTempDir()}/h/value.json`;
  const head = toyHead();
  await saveHead(path, head);
  const back = await loadHead(path, { kind: "value", dim: 3 });
  assert.deepEqual(back.w2, head.w2);
  assert.equal(back.b2, head.b2);
  assert.equal(headProbability(back, [1, 2, 3]), headProbability(head, [1, 2, 3]));
});

Deno.test("corrupt or mismatched head files fail with one line naming the file and the problem", async () => {
  const good = JSON.parse(encodeHead(toyHead()));
  const cases: [string, string, RegExp][] = [
    ["trunc.json", encodeHead(toyHead()).slice(0, 40), /trunc\.json: not valid JSON/],
    ["fmt.json", JSON.stringify({ ...good, format: "other" }), /fmt\.json: format is "other"/],
    ["kind.json", JSON.stringify({ ...good, kind: "orm" }), /kind\.json: kind "orm" is not one of/],
    [
      "short.json",
      JSON.stringify({ ...good, params: { ...good.params, w2: f32ToBase64([1, 2]) } }),
      /short\.json: params\.w2 has \d values, expected 3/,
    ],
    [
      "b64.json",
      JSON.stringify({ ...good, params: { ...good.params, std: "!!!" } }),
      /b64\.json: params\.std is not base64 float32/,
    ],
  ];
  const dir = await Deno.makeTempDir();
  for (const [name, text, re] of cases) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    await assert.rejects(loadHead(`${dir}/${name}`), (e: Error) => {
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  }
  assert.throws(
    () => parseHead(JSON.stringify(good), "v.json", { dim: 64 }),
    /v\.json: head expects hidden size 3 but the policy has 64/,
  );
  assert.throws(
    () => parseHead(JSON.stringify(good), "v.json", { kind: "prm" }),
    /v\.json: is a value head, expected prm/,
  );
  await assert.rejects(loadHead(`${dir}/missing.json`), /missing\.json: cannot read head file/);
});
