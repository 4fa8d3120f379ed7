import assert from "node:assert/strict";
import { viridis } from "./color_scale.ts";

Deno.test("viridis spans the scale, clamps, and greys NaN", () => {
  assert.equal(viridis(0), "#440154");
  assert.equal(viridis(1), "#fde725");
  assert.equal(viridis(-3), viridis(0));
  assert.equal(viridis(7), viridis(1));
  assert.equal(viridis(NaN), "#bbbbbb");
  assert.match(viridis(0.37), /^#[0-9a-f]{6}$/);
});
