/**
 * PRM input building for the three step-tag formats of docs/algorithms.md §1.3 (search-and-learn
 * `src/sal/models/reward_models.py` and the Qwen PRM model card). Pure functions: text in, text
 * (or chat messages) out; the tests compare them byte for byte with hand-written strings.
 *
 * - **Math-Shepherd** (`peiyi9979/math-shepherd-mistral-7b-prm`):
 *   `system + "\n" + question + "\n" + " " + answer.replace("\n\n", " ки\n\n")`, plus `" ки"` when
 *   the answer does not end with `"\n\n"`; score = P(+) at every `ки` token.
 * - **Qwen2.5-Math-PRM**: chat `[system, user question, assistant steps.join("<extra_0>") +
 *   "<extra_0>"]`, rendered without generation prompt; score = softmax(2-class logits)[1] at each
 *   `<extra_0>`.
 * - **RLHFlow** (`RLHFlow/Llama3.1-8B-PRM-Deepseek-Data`): answer split on `"\n\n"`; user turn 1 =
 *   `question + " " + step1`, user turn k = `step_k`, each followed by assistant `"+"`; score =
 *   P("+") over {"+","-"} at the position predicting each assistant `+`.
 *
 * A model folder's own `chat_template` (rendered with `@huggingface/jinja`, {@linkcode renderChat})
 * is the authority for the chat formats; {@linkcode chatMlText} / {@linkcode llama3Text} are the
 * standard Qwen2.5 and Llama-3 renderings for folders without one.
 *
 * @example
 * ```ts
 * mathShepherdInput("Q?", ["a\n\n", "b"], "SYS"); // "SYS\nQ?\n a ки\n\nb ки"
 * ```
 *
 * @module
 */
import { Template } from "@huggingface/jinja";

/** One chat message. */
export interface ChatMessage {
  /** `system`, `user` or `assistant`. */
  role: "system" | "user" | "assistant";
  /** Text. */
  content: string;
}

/** The PRM formats. */
export type PrmFormat = "math-shepherd" | "qwen-prm" | "rlhflow";

/** Every PRM format. */
export const PRM_FORMATS: readonly PrmFormat[] = ["math-shepherd", "qwen-prm", "rlhflow"];

/** search-and-learn's default `system_prompt` (`src/sal/config.py`), used by Math-Shepherd input. */
export const SAL_SYSTEM_PROMPT = "Solve the following math problem efficiently and clearly:\n\n" +
  "- For simple problems (2 steps or fewer):\nProvide a concise solution with minimal explanation.\n\n" +
  "- For complex problems (3 steps or more):\nUse this step-by-step format:\n\n" +
  "## Step 1: [Concise description]\n[Brief explanation and calculations]\n\n" +
  "## Step 2: [Concise description]\n[Brief explanation and calculations]\n\n...\n\n" +
  "Regardless of the approach, always conclude with:\n\n" +
  "Therefore, the final answer is: $\\boxed{answer}$. I hope it is correct.\n\n" +
  "Where [answer] is just the final number or expression that solves the problem.";

/** The Qwen2.5-Math-PRM system message (model card; §1.3). */
export const QWEN_PRM_SYSTEM =
  "Please reason step by step, and put your final answer within \\boxed{}.";

/** The Math-Shepherd step tag. */
export const MATH_SHEPHERD_TAG = "ки";

/** The Qwen2.5-Math-PRM step separator token. */
export const QWEN_PRM_TAG = "<extra_0>";

/**
 * Math-Shepherd PRM input for a solution given as steps (joined with `""`, so steps that keep
 * their `"\n\n"` give the solution text).
 *
 * @example
 * ```ts
 * mathShepherdInput("Q?", ["a\n\n", "b"], "SYS"); // "SYS\nQ?\n a ки\n\nb ки"
 * ```
 */
export function mathShepherdInput(
  question: string,
  steps: readonly string[],
  systemPrompt: string = SAL_SYSTEM_PROMPT,
): string {
  let answer = steps.join("").replaceAll("\n\n", ` ${MATH_SHEPHERD_TAG}\n\n`);
  if (answer.slice(-2) !== "\n\n") answer += ` ${MATH_SHEPHERD_TAG}`;
  return `${systemPrompt}\n${question}\n ${answer}`;
}

/** The step texts of a solution without their `"\n\n"` delimiters (split as sal does). */
export function stepTexts(steps: readonly string[]): string[] {
  const parts = steps.join("").split("\n\n");
  // A solution ending with the delimiter leaves an empty last piece: sal scores it too, we do not.
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/**
 * Qwen2.5-Math-PRM chat messages.
 *
 * @example
 * ```ts
 * qwenPrmMessages("Q?", ["a\n\n", "b"])[2].content; // "a<extra_0>b<extra_0>"
 * ```
 */
export function qwenPrmMessages(
  question: string,
  steps: readonly string[],
  system: string = QWEN_PRM_SYSTEM,
  split: (steps: readonly string[]) => string[] = stepTexts,
): ChatMessage[] {
  return [
    { role: "system", content: system },
    { role: "user", content: question },
    { role: "assistant", content: split(steps).join(QWEN_PRM_TAG) + QWEN_PRM_TAG },
  ];
}

/**
 * One text per given step, without its trailing `"\n\n"`: what a scorer that owes one score
 * per step sends (a step holding `"\n\n"` inside stays one step, unlike {@linkcode stepTexts}).
 *
 * @example
 * ```ts
 * ownStepTexts(["a\n\nb\n\n", "c"]); // ["a\n\nb", "c"]
 * ```
 */
export function ownStepTexts(steps: readonly string[]): string[] {
  return steps.map((s) => (s.endsWith("\n\n") ? s.slice(0, -2) : s));
}

/**
 * RLHFlow PRM chat messages: one user turn per step (the first prefixed by the question and a
 * space), each answered by an assistant `"+"`.
 *
 * @example
 * ```ts
 * rlhflowMessages("Q?", ["a\n\n", "b"]).map((m) => m.content); // ["Q? a", "+", "b", "+"]
 * ```
 */
export function rlhflowMessages(
  question: string,
  steps: readonly string[],
  split: (steps: readonly string[]) => string[] = stepTexts,
): ChatMessage[] {
  return split(steps).flatMap((s, k): ChatMessage[] => [
    { role: "user", content: k === 0 ? `${question} ${s}` : s },
    { role: "assistant", content: "+" },
  ]);
}

/**
 * The Qwen2.5 (ChatML) rendering without generation prompt:
 * `<|im_start|>{role}\n{content}<|im_end|>\n` per message.
 *
 * @example
 * ```ts
 * chatMlText([{ role: "user", content: "hi" }]); // "<|im_start|>user\nhi<|im_end|>\n"
 * ```
 */
export function chatMlText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join("");
}

/**
 * The Llama-3 rendering without generation prompt: `<|begin_of_text|>` then
 * `<|start_header_id|>{role}<|end_header_id|>\n\n{content, trimmed}<|eot_id|>` per message.
 *
 * @example
 * ```ts
 * llama3Text([{ role: "assistant", content: "+" }]);
 * // "<|begin_of_text|><|start_header_id|>assistant<|end_header_id|>\n\n+<|eot_id|>"
 * ```
 */
export function llama3Text(messages: readonly ChatMessage[]): string {
  return "<|begin_of_text|>" +
    messages.map((m) =>
      `<|start_header_id|>${m.role}<|end_header_id|>\n\n${m.content.trim()}<|eot_id|>`
    ).join("");
}

/**
 * Render messages with a Hugging Face `chat_template` (Jinja), as `apply_chat_template(...,
 * tokenize=False, add_generation_prompt=False)` does.
 *
 * @example
 * ```ts
 * renderChat("{% for m in messages %}{{ m.content }};{% endfor %}", [{ role: "user", content: "x" }]);
 * // "x;"
 * ```
 */
export function renderChat(
  template: string,
  messages: readonly ChatMessage[],
  specials: { bos_token?: string; eos_token?: string } = {},
): string {
  return new Template(template).render({
    messages: messages.map((m) => ({ ...m })),
    add_generation_prompt: false,
    bos_token: specials.bos_token ?? "",
    eos_token: specials.eos_token ?? "",
  });
}

/**
 * The full PRM input text of one solution in `format`; `template` (a folder's chat template)
 * overrides the standard rendering of the chat formats.
 *
 * @example
 * ```ts
 * prmInputText("qwen-prm", "Q?", ["a\n\n", "b"]);
 * ```
 */
export function prmInputText(
  format: PrmFormat,
  question: string,
  steps: readonly string[],
  options: {
    systemPrompt?: string;
    template?: string;
    bos_token?: string;
    eos_token?: string;
    /** One tag per given step ({@linkcode ownStepTexts}) instead of sal's re-split. */
    stepwise?: boolean;
  } = {},
): string {
  if (format === "math-shepherd") return mathShepherdInput(question, steps, options.systemPrompt);
  const split = options.stepwise ? ownStepTexts : stepTexts;
  const messages = format === "qwen-prm"
    ? qwenPrmMessages(question, steps, options.systemPrompt, split)
    : rlhflowMessages(question, steps, split);
  if (options.template) return renderChat(options.template, messages, options);
  return format === "qwen-prm" ? chatMlText(messages) : llama3Text(messages);
}
