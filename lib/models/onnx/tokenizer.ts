/**
 * Text side of the runner: a tokenizer built from `tokenizer.json` + `tokenizer_config.json` with
 * `@huggingface/tokenizers`, the prompt built from a problem with the folder's chat template
 * (`@huggingface/jinja`), and an incremental detokenizer for streaming stop-string detection.
 *
 * @module
 */
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";
import type { ModelFolder } from "./folder.ts";

/** Options for building prompts. */
export interface PromptOptions {
  /** A system message put before the problem when the chat template is used. */
  systemPrompt?: string;
  /**
   * Build the prompt text yourself (skips the chat template). Useful for base models without a
   * template or for few-shot prompts.
   */
  promptTemplate?: (problem: string) => string;
}

/** Encoding, decoding and prompt building for one model folder. */
export interface TextCodec {
  /** Token ids of `text`, without special tokens added (the template already has them). */
  encode(text: string): number[];
  /** Text of `ids`, special tokens (EOS, chat markers) skipped. */
  decode(ids: readonly number[]): string;
  /** The prompt text for a problem (chat template with a generation prompt, or `promptTemplate`). */
  promptText(problem: string): string;
  /** Token ids of the prompt for a problem (memoised). */
  promptIds(problem: string): readonly number[];
  /** Vocabulary size as the tokenizer sees it (including added tokens). */
  readonly vocabSize: number;
  /**
   * The most characters one token can spell (its longest vocabulary entry): a text longer than
   * `k × longestTokenChars()` has more than `k` tokens, known without tokenizing it.
   */
  longestTokenChars(): number;
}

function tokenString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "content" in value) {
    const c = (value as { content: unknown }).content;
    return typeof c === "string" ? c : undefined;
  }
  return undefined;
}

function chatTemplate(config: Record<string, unknown>): string | undefined {
  const t = config.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const named = t.find((x) => x && typeof x === "object" && x.name === "default") ?? t[0];
    return typeof named?.template === "string" ? named.template : undefined;
  }
  return undefined;
}

/**
 * Build the {@linkcode TextCodec} of a loaded folder.
 *
 * @example
 * ```ts
 * import { loadModelFolder } from "./folder.ts";
 * const codec = createTextCodec(await loadModelFolder("models/embedded"));
 * const ids = codec.promptIds("What is 2+3?");
 * codec.decode(codec.encode("2+3=5")); // "2+3=5"
 * ```
 */
export function createTextCodec(folder: ModelFolder, options: PromptOptions = {}): TextCodec {
  const tokConfig = { clean_up_tokenization_spaces: false, ...folder.tokenizerConfig };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(folder.tokenizerJson, tokConfig);
  } catch (e) {
    throw new Error(
      `onnx model: cannot build tokenizer from ${folder.dir}/tokenizer.json: ${
        (e as Error).message
      }`,
    );
  }
  const source = chatTemplate(folder.tokenizerConfig);
  let template: Template | undefined;
  if (source !== undefined && options.promptTemplate === undefined) {
    try {
      template = new Template(source);
    } catch (e) {
      throw new Error(
        `onnx model: bad chat_template in ${folder.dir}/tokenizer_config.json: ${
          (e as Error).message
        }`,
      );
    }
  }
  const bos = tokenString(folder.tokenizerConfig.bos_token) ?? "";
  const eos = tokenString(folder.tokenizerConfig.eos_token) ?? "";
  const promptText = (problem: string): string => {
    if (options.promptTemplate) return options.promptTemplate(problem);
    if (!template) return problem;
    const messages = options.systemPrompt === undefined
      ? [{ role: "user", content: problem }]
      : [{ role: "system", content: options.systemPrompt }, { role: "user", content: problem }];
    return template.render({
      messages,
      add_generation_prompt: true,
      bos_token: bos,
      eos_token: eos,
    });
  };
  const promptCache = new Map<string, readonly number[]>();
  let longest: number | undefined;
  const encode = (text: string): number[] =>
    text === "" ? [] : tokenizer.encode(text, { add_special_tokens: false }).ids;
  // The detokenizer decodes windows of a few ids every step for every row; the same short windows
  // recur constantly, and a map lookup is far cheaper than a tokenizer decode.
  const memo = new Map<string, string>();
  const decode = (ids: readonly number[]): string => {
    if (ids.length === 0) return "";
    if (ids.length > 6) return tokenizer.decode(ids as number[], { skip_special_tokens: true });
    const key = ids.join(",");
    let text = memo.get(key);
    if (text === undefined) {
      text = tokenizer.decode(ids as number[], { skip_special_tokens: true });
      if (memo.size >= 200_000) memo.clear();
      memo.set(key, text);
    }
    return text;
  };
  return {
    encode,
    decode,
    promptText,
    promptIds(problem) {
      let hit = promptCache.get(problem);
      if (!hit) {
        hit = Object.freeze(encode(promptText(problem)));
        if (promptCache.size > 4096) promptCache.clear(); // bound memory on huge datasets
        promptCache.set(problem, hit);
      }
      return hit;
    },
    vocabSize: tokenizer.get_vocab(true).size,
    longestTokenChars() {
      longest ??= Math.max(1, ...[...tokenizer.get_vocab(true).keys()].map((k) => k.length));
      return longest;
    },
  };
}

/** Streams text out of token ids, one token at a time. */
export interface Detokenizer {
  /** Add one token; returns the text it completes ("" while a multi-byte character is pending). */
  push(id: number): string;
  /** Text still held back (an incomplete character at the end); call once at the end. */
  flush(): string;
}

/**
 * An incremental detokenizer (the vLLM scheme): decode a small window that starts a few tokens
 * before the unread ones and emit only the text past the window's already-read part. This keeps
 * each step O(window) instead of re-decoding the whole continuation, survives tokens that carry
 * half a UTF-8 character (held back while the text ends in U+FFFD), and keeps decoders that look at
 * the previous token (leading-space rules) right because `context` supplies those tokens.
 *
 * @example
 * ```ts
 * declare const codec: TextCodec;
 * declare const promptIds: readonly number[];
 * declare const generated: number[]; // token ids, as they come
 * const d = createDetokenizer(codec.decode, promptIds.slice(-4));
 * let text = "";
 * for (const id of generated) text += d.push(id);
 * text += d.flush();
 * ```
 */
export function createDetokenizer(
  decode: (ids: readonly number[]) => string,
  context: readonly number[] = [],
): Detokenizer {
  const ids: number[] = context.slice(-4);
  let prefixOffset = 0;
  let readOffset = ids.length;
  let prefixText: string | null = null;
  const take = (force: boolean): string => {
    if (prefixText === null) prefixText = decode(ids.slice(prefixOffset, readOffset));
    const full = decode(ids.slice(prefixOffset));
    if (full.length > prefixText.length && (force || !full.endsWith("\uFFFD"))) {
      const delta = full.slice(prefixText.length);
      // Slide the window: the just-read tokens become the prefix of the next decode.
      prefixOffset = readOffset;
      readOffset = ids.length;
      prefixText = null;
      return delta;
    }
    return "";
  };
  return {
    push(id) {
      ids.push(id);
      return take(false);
    },
    flush: () => (readOffset < ids.length ? take(true) : ""),
  };
}
