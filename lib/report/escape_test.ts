import assert from "node:assert/strict";
import {
  escapeHtml,
  escapeMarkdown,
  inlineScriptSource,
  markdownProse,
  scriptJson,
} from "./escape.ts";

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

Deno.test("escapeMarkdown escapes what Markdown would read, not intraword underscores", () => {
  assert.equal(escapeMarkdown("orm_bon@16"), "orm_bon@16");
  assert.equal(escapeMarkdown("_x_ a|b"), "\\_x\\_ a\\|b");
  assert.equal(
    escapeMarkdown("[1] <b> $5 & `c` ~s~ \\"),
    "\\[1\\] \\<b\\> \\$5 \\& \\`c\\` \\~s\\~ \\\\",
  );
  assert.equal(escapeMarkdown("a\nb"), "a<br>b");
});

Deno.test("markdownProse keeps code spans and escapes the rest", () => {
  assert.equal(markdownProse("run `a|b` for *all*"), "run `a\\|b` for \\*all\\*");
  assert.equal(markdownProse("no `code"), "no \\`code");
});
