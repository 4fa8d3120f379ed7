/**
 * Chat prompts for the model server: render messages with the model folder's own
 * `chat_template` (the same template and variables the in-process ONNX runner uses), including
 * vLLM's `continue_final_message` (the final assistant message is left open to be continued).
 *
 * @module
 */
import { Template } from "@huggingface/jinja";
import type { ModelFolder } from "../models/onnx/folder.ts";
import type { TextCodec } from "../models/onnx/tokenizer.ts";
import { httpError } from "./errors.ts";
import type { Message } from "./validate.ts";

/** Turns a conversation into prompt token ids. */
export interface ChatPrompter {
  /** Whether the folder has a chat template. */
  readonly hasTemplate: boolean;
  /** Rendered text of `messages` (`addGenerationPrompt`: open an assistant turn). */
  render(messages: readonly Message[], addGenerationPrompt: boolean): string;
  /**
   * Prompt ids of a conversation. With `continueFinal` the final assistant message stays open:
   * the ids are those of the earlier messages with a generation prompt, followed by the ids of
   * the final message's content (exactly how the in-process policy tokenizes `prompt + text`).
   */
  ids(messages: readonly Message[], addGenerationPrompt: boolean, continueFinal: boolean): number[];
}

function templateSource(config: Record<string, unknown>): string | undefined {
  const t = config.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const named = t.find((x) => x && typeof x === "object" && x.name === "default") ?? t[0];
    return typeof named?.template === "string" ? named.template : undefined;
  }
  return undefined;
}

function tokenString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") {
    return (v as { content: string }).content;
  }
  return "";
}

/**
 * Build the {@linkcode ChatPrompter} of a model folder.
 *
 * @example
 * ```ts
 * import { loadModelFolder } from "../models/onnx/folder.ts";
 * import { createTextCodec } from "../models/onnx/tokenizer.ts";
 * const folder = await loadModelFolder("models/embedded");
 * const codec = createTextCodec(folder);
 * const chat = createChatPrompter(folder, codec);
 * chat.render([{ role: "user", content: "2+3?" }], true); // "<s><|user|>2+3?<|assistant|>"
 * ```
 */
export function createChatPrompter(folder: ModelFolder, codec: TextCodec): ChatPrompter {
  const source = templateSource(folder.tokenizerConfig);
  const template = source === undefined ? null : new Template(source);
  const bos = tokenString(folder.tokenizerConfig.bos_token);
  const eos = tokenString(folder.tokenizerConfig.eos_token);
  const render = (messages: readonly Message[], addGenerationPrompt: boolean): string => {
    if (!template) {
      throw httpError(
        400,
        `model ${folder.dir} has no chat_template; use /v1/completions with a prompt`,
        "messages",
      );
    }
    return template.render({
      messages: messages.map((m) => ({ ...m })),
      add_generation_prompt: addGenerationPrompt,
      bos_token: bos,
      eos_token: eos,
    });
  };
  return {
    hasTemplate: template !== null,
    render,
    ids(messages, addGenerationPrompt, continueFinal) {
      if (!continueFinal) return codec.encode(render(messages, addGenerationPrompt));
      const head = render(messages.slice(0, -1), true);
      return [...codec.encode(head), ...codec.encode(messages.at(-1)!.content)];
    },
  };
}
