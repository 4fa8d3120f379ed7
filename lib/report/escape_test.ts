import assert from "node:assert/strict";
import { escapeHtml, inlineScriptSource, scriptJson } from "./escape.ts";

Deno.test("escapeHtml escapes the five HTML metacharacters", () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
  assert.equal(escapeHtml(42), "42");
});

Deno.test("scriptJson cannot close a script element and round-trips", () => {
  const value = { t: "</script><!-- \u2028 & >" };
  const json = scriptJson(value);
  assert.ok(!/[<>]/.test(json));
  assert.ok(!json.includes("\u2028"));
  assert.deepEqual(JSON.parse(json), value);
});

Deno.test("inlineScriptSource breaks every closing script tag", () => {
  assert.equal(
    inlineScriptSource('a="</script>";b="</SCRIPT "'),
    'a="<\\/script>";b="<\\/SCRIPT "',
  );
});
