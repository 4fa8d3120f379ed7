/**
 * Code steps of the two tool-integrated papers (docs/algorithms.md §1.2, §5.2, §6): how a
 * sampled step asks for code to run, what code runs, and how the observation is written back.
 *
 * **AlphaMath** (Super_MARIO): a step holds a `<code>` block; generation stops at `</code>`; the
 * tool runs every earlier block of the solution (skipping the ones that timed out), then this
 * block, and the step continues with `\n<output>\n{obs}\n</output>`. A fenced block
 * (three backticks + `python`) inside `<code>` is unwrapped. Super_MARIO's SFT format wraps steps in
 * `<step>…</step>`; pass `after: "\n</step>"` for it.
 *
 * ```text
 * Step 2: compute 17 * 3
 * <code>
 * print(17 * 3)
 * </code>
 * <output>
 * 51
 * </output>
 * ```
 *
 * **rStar-Math**: a program is written over one or more steps (`<end_of_step>`) and closed by
 * `<end_of_code>`; all code since the last `<end_of_output>` (or the start) runs as one program,
 * in a fresh namespace, and `<output>{obs}<end_of_output>` is appended.
 *
 * @example
 * ```ts
 * const f = alphaMathFormat();
 * f.stepCode("", "Step 1: compute 2 + 3\n<code>\nprint(2 + 3)\n</code>"); // "print(2 + 3)"
 * f.formatOutput("5"); // "\n<output>\n5\n</output>"
 * ```
 *
 * @module
 */

/** One code-step convention. */
export interface CodeStepFormat {
  /** `"alphamath"` or `"rstar"`. */
  readonly name: string;
  /** The stop string that ends a code block (generation pauses there for the tool). */
  readonly codeStop: string;
  /**
   * The program this step asks to run, or null when it is not a code step. `stepText` is the
   * sampled step (with or without the stop string); `parentText` the solution before it.
   */
  stepCode(parentText: string, stepText: string): string | null;
  /** The text appended to a code step once it ran. */
  formatOutput(obs: string): string;
  /** Earlier code of the solution to re-run quietly, in order, before this step's program. */
  history(parentText: string): string[];
}

/** One executed code block of a solution. */
export interface CodeBlock {
  /** The code as run (fence removed). */
  code: string;
  /** Its observation, or null when no output block follows. */
  output: string | null;
}

/** Remove a Markdown fence (three backticks, optional language) around code. */
export function unfence(code: string): string {
  const m = /^\s*```[\w-]*[ \t]*\n([\s\S]*?)\n?```\s*$/.exec(code);
  return (m ? m[1] : code).replace(/^\n+|\s+$/g, "");
}

const OUTPUT_RE = /^\s*<output>\n?([\s\S]*?)\n?<\/output>/;

/**
 * Every `<code>…</code>` block of an AlphaMath-format text, each with the `<output>` block that
 * follows it (null when none does).
 *
 * @example
 * ```ts
 * codeBlocks("<code>\nx = 1\n</code>\n<output>\n\n</output>\n\n<code>\nprint(x)\n</code>");
 * // [{ code: "x = 1", output: "" }, { code: "print(x)", output: null }]
 * ```
 */
export function codeBlocks(text: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const re = /<code>([\s\S]*?)<\/code>/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const rest = text.slice(m.index + m[0].length);
    const o = OUTPUT_RE.exec(rest);
    out.push({ code: unfence(m[1]), output: o ? o[1] : null });
  }
  return out;
}

/** Options of {@linkcode alphaMathFormat}. */
export interface AlphaMathFormatOptions {
  /** Text after the output block (Super_MARIO SFT: `"\n</step>"`; default none). */
  after?: string;
}

/**
 * The AlphaMath convention (see the module doc).
 *
 * @example
 * ```ts
 * const f = alphaMathFormat();
 * const parent = "Step 1: compute 2 + 3\n<code>\nx = 2 + 3\nprint(x)\n</code>\n<output>\n5\n</output>\n\n";
 * f.history(parent); // ["x = 2 + 3\nprint(x)"]
 * ```
 */
export function alphaMathFormat(options: AlphaMathFormatOptions = {}): CodeStepFormat {
  const after = options.after ?? "";
  return {
    name: "alphamath",
    codeStop: "</code>",
    stepCode(_parentText, stepText) {
      const open = stepText.lastIndexOf("<code>");
      if (open < 0) return null;
      const body = stepText.slice(open + "<code>".length);
      const close = body.indexOf("</code>");
      // a code step ends with its block (the stop string kept or not)
      if (close >= 0 && body.slice(close + "</code>".length).trim() !== "") return null;
      return unfence(close >= 0 ? body.slice(0, close) : body);
    },
    formatOutput: (obs) => `\n<output>\n${obs}\n</output>${after}`,
    history: (parentText) =>
      codeBlocks(parentText)
        .filter((b) => b.output === null || !b.output.startsWith("TimeoutError"))
        .map((b) => b.code),
  };
}

/** rStar-Math's markers. */
export const RSTAR = {
  step: "<end_of_step>",
  code: "<end_of_code>",
  output: "<output>",
  outputEnd: "<end_of_output>",
  answer: "<end_of_answer>",
} as const;

/**
 * The rStar-Math convention (see the module doc).
 *
 * @example
 * ```ts
 * const f = rStarFormat();
 * f.stepCode("# add\nx = 2 + 3<end_of_step>", "\nprint(x)\n<end_of_code>"); // "# add\nx = 2 + 3\nprint(x)"
 * f.formatOutput("5"); // "<output>5<end_of_output>"
 * ```
 */
export function rStarFormat(): CodeStepFormat {
  return {
    name: "rstar",
    codeStop: RSTAR.code,
    stepCode(parentText, stepText) {
      const end = stepText.indexOf(RSTAR.code);
      if (end < 0) return null;
      if (stepText.slice(end + RSTAR.code.length).trim() !== "") return null;
      const cut = parentText.lastIndexOf(RSTAR.outputEnd);
      const since = cut < 0 ? parentText : parentText.slice(cut + RSTAR.outputEnd.length);
      const program = (since + stepText.slice(0, end)).split(RSTAR.step).join("");
      return unfence(program);
    },
    formatOutput: (obs) => `${RSTAR.output}${obs}${RSTAR.outputEnd}`,
    history: () => [],
  };
}

/**
 * One code step in the AlphaMath layout: a statement line, the code block, the output block.
 *
 * @example
 * ```ts
 * formatCodeStep("Step 2: compute 17 * 3", "print(17 * 3)", "51");
 * // "Step 2: compute 17 * 3\n<code>\nprint(17 * 3)\n</code>\n<output>\n51\n</output>"
 * ```
 */
export function formatCodeStep(statement: string, code: string, output: string): string {
  return `${statement}\n<code>\n${code}\n</code>\n<output>\n${output}\n</output>`;
}
