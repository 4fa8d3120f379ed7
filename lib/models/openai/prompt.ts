/**
 * Prompt text for the `completions` API built exactly as the in-process ONNX runner builds it
 * (the folder's chat template with a generation prompt, or a custom template), so an HTTP run and
 * an in-process run see the same tokens.
 *
 * @module
 */
import { loadModelFolder } from "../onnx/folder.ts";
import { createTextCodec, type PromptOptions } from "../onnx/tokenizer.ts";

/**
 * `promptFor` for {@linkcode createOpenAIPolicy} from a local copy of the model folder (only its
 * tokenizer files are read).
 *
 * @example
 * ```ts
 * const promptFor = await promptFromFolder("models/embedded");
 * promptFor("What is 2+3?"); // "<s><|user|>What is 2+3?<|assistant|>"
 * ```
 */
export async function promptFromFolder(
  dir: string,
  options: PromptOptions = {},
): Promise<(problem: string) => string> {
  const folder = await loadModelFolder(dir);
  const codec = createTextCodec(folder, options);
  return (problem) => codec.promptText(problem);
}
