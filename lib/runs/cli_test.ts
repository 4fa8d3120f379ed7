import assert from "node:assert/strict";
import { type Flags, numberFlag, parseCli, usage, UsageError } from "./cli.ts";

const FLAGS = {
  limit: { type: "string", value: "N", help: "problems to run", default: "500" },
  endpoint: { type: "string", value: "URL", multiple: true, help: "a server" },
  soft: { type: "boolean", help: "soft labels" },
  "max-tokens": { type: "string", value: "N", help: "length cap" },
} satisfies Flags;

/** The `--flag`s a usage text lists, in order. */
const listed = (text: string) =>
  text.split("\n").flatMap((line) => line.match(/^ {2}(--[\w-]+)/)?.[1] ?? []);

Deno.test("usage lists every flag of the table, and --help, and nothing else", () => {
  const text = usage("demo", FLAGS, { positionals: "NAME", notes: "a note" });
  assert.deepEqual(listed(text), [...Object.keys(FLAGS), "help"].map((name) => `--${name}`));
  assert.deepEqual(text.split("\n"), [
    "usage: deno task demo NAME [flags]",
    "  --limit N           problems to run (default 500)",
    "  --endpoint URL ...  a server",
    "  --soft              soft labels",
    "  --max-tokens N      length cap",
    "  --help, -h          show this help",
    "a note",
  ]);
  assert.deepEqual(listed(usage("bench", {})), ["--help"]);
});

Deno.test("parseCli accepts every flag usage lists, -h too, and names an unlisted one", () => {
  for (const flag of listed(usage("demo", FLAGS))) {
    const { values } = parseCli([flag, "1"], FLAGS); // a boolean leaves "1" as a positional
    assert.notEqual((values as Record<string, unknown>)[flag.slice(2)], undefined, flag);
  }
  assert.equal(parseCli(["-h"], FLAGS).values.help, true);
  assert.deepEqual(parseCli(["--limit", "-1"], FLAGS).values.limit, "-1");
  for (const args of [["--limt", "3"], ["--bogus"]]) {
    assert.throws(
      () => parseCli(args, FLAGS),
      (e) => e instanceof UsageError && e.message.includes(args[0]) && !e.message.includes("\n"),
    );
  }
});

Deno.test("numberFlag parses, defaults and names a bad value", () => {
  assert.equal(numberFlag("limit", "12", { integer: true }), 12);
  assert.equal(numberFlag("limit", undefined, { fallback: 5 }), 5);
  assert.throws(() => numberFlag("limit", "1.5", { integer: true }), /--limit must be an integer/);
  assert.throws(() => numberFlag("n", "x"), /--n must be a number, got "x"/);
  assert.throws(() => numberFlag("n", "0", { min: 1 }), /--n must be a number >= 1/);
  assert.throws(() => numberFlag("n", undefined), /missing required flag --n/);
});

Deno.test("every deno task CLI answers --help at once with its usage", async () => {
  const root = new URL("../../", import.meta.url);
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const clis = Object.entries(tasks as Record<string, string>).flatMap(([name, command]) => {
    const file = command.match(/^deno run -A (\S+\.ts)$/)?.[1];
    return file ? [[name, file]] : [];
  });
  assert.ok(clis.length >= 11, `found ${clis.length} deno run tasks in deno.json`);
  for (const [name, file] of clis) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", file, "--help"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, `${file}: ${new TextDecoder().decode(out.stderr)}`);
    assert.ok(stdout.startsWith(`usage: deno task ${name} `), `${file}: ${stdout}`);
    assert.ok(listed(stdout).includes("--help"), `${file}: ${stdout}`);
  }
});
