"""The model card of models/random-qwen2 (README.md), filled with a run's numbers.

Paragraphs are written as one line each; `deno fmt` wraps them (random_qwen2.py's README step).
"""

import os

import torch

from qwen2_bpe import ENDOFTEXT, IM_END, IM_START, QWEN_REGULAR, VOCAB_SIZE

FILES = ("onnx/model.onnx", "tokenizer.json", "tokenizer_config.json", "greedy_fixture.json")


def para(*parts):
    return " ".join(parts)


def model_card(cfg, args, defaults, info, cases, out):
    sizes = {rel: os.path.getsize(os.path.join(out, rel)) for rel in FILES}
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(out) for n in ns
                if n != "README.md")

    def mb(n):
        return f"{n / 1e6:.2f} MB"

    stats = info["stats"]
    nuclei = ", ".join(str(n) for n in sorted(r["nucleus"] for r in stats))
    flags = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
                     if k not in ("out", "probe") and v != defaults[k])
    std = f"{min(r['std'] for r in stats)}-{max(r['std'] for r in stats)}"
    top1 = f"{min(r['top1_t1'] for r in stats)}-{max(r['top1_t1'] for r in stats)}"
    return "\n".join([
        "# random-qwen2: Qwen2's architecture and vocabulary size, random weights",
        "",
        para("A benchmark and test model, not a useful one: it writes random tokens. It has",
             f"Qwen2's real vocabulary size ({cfg['vocab_size']:,}), so everything the ONNX runner",
             "does per vocabulary entry (the logits copy, temperature, top-p, sampling,",
             "log-probabilities, detokenisation) costs what it costs on a real Qwen2, while the",
             "graph is tiny. Written by `models/train/random_qwen2.py` (tokenizer files by",
             "`models/train/qwen2_bpe.py`); do not edit by hand."),
        "",
        "```sh",
        f"/usr/bin/python3 models/train/random_qwen2.py {flags}".rstrip(),
        "```",
        "",
        para(f"(seed {args.seed}; {info['seconds']} s on a 2-core CPU shared with other jobs,",
             f"torch {torch.__version__}, one torch thread.)"),
        "",
        "## Architecture",
        "",
        para(f"Qwen2 (`model_type: qwen2`): {cfg['num_hidden_layers']} layers, hidden",
             f"{cfg['hidden_size']}, {cfg['num_attention_heads']} query heads /",
             f"{cfg['num_key_value_heads']} KV heads (head dim {cfg['head_dim']}), biases on",
             f"q/k/v, SwiGLU {cfg['intermediate_size']}, RMSNorm (eps {cfg['rms_norm_eps']}),",
             f"rotary positions (theta {cfg['rope_theta']:.0f}), tied embeddings.",
             f"**{info['n_params']:,} parameters**, of which",
             f"{cfg['vocab_size'] * cfg['hidden_size']:,} in the embedding."),
        "",
        para(f"Weights: torch seed {args.seed}. The embedding is a normal(0, {args.embed_std})",
             f"rounded to int8 levels of {args.embed_std / 32:g} (clipped at ±127) and stored as",
             "int8 in the ONNX file (`Cast` and `Mul` in the graph, folded by onnxruntime at",
             "load): the graph computes in float32 with exactly PyTorch's weights. Projections:",
             f"normal with std {args.layer_std}/sqrt(fan_in), large, so that the residual stream",
             "is not dominated by the input token's embedding (with tied embeddings that makes",
             "greedy decoding repeat one token); biases normal(0, 0.1); norm weights",
             "1 + normal(0, 0.1)."),
        "",
        para("The next-token distribution after the 5 fixture prompts is shaped like a real",
             f"model's: logits std {std}, top-1 probability {top1} at temperature 1, and a top-p",
             f"0.95 nucleus at temperature 0.8 of {nuclei} tokens."),
        "",
        "## Tokenizer and prompt",
        "",
        para("`tokenizer.json` has exactly 151,936 tokens, in Qwen2's format: NFC normalizer,",
             "Qwen2's split regex then a ByteLevel pre-tokenizer, ByteLevel decoder, byte-level",
             "BPE. Generated deterministically: ids 0-255 are the 256 byte tokens (GPT-2's",
             f"byte-to-unicode order), then {info['n_learned']:,} merges learned on the MATH500",
             "and GSM8K texts in `data/`, then synthetic merges (pairs of byte tokens, then byte +",
             f"two-byte tokens, in a seeded order) up to Qwen2's {QWEN_REGULAR:,} regular tokens",
             f"(ids 0-{QWEN_REGULAR - 1:,}). Qwen2.5's 22 added tokens sit at their real ids",
             f"({QWEN_REGULAR:,}-{QWEN_REGULAR + 21:,}: `<|endoftext|>` {ENDOFTEXT},",
             f"`<|im_start|>` {IM_START}, `<|im_end|>` {IM_END}, ...), and",
             f"`<|reserved_special_token_k|>` fill ids {QWEN_REGULAR + 22:,}-{VOCAB_SIZE - 1:,}."),
        "",
        para("Chat template: Qwen2-Instruct's ChatML with its default system message,",
             "`<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n<|im_start|>user\\n`",
             "problem `<|im_end|>\\n<|im_start|>assistant\\n`. EOS: `<|im_end|>` and",
             f"`<|endoftext|>` ({IM_END}, {ENDOFTEXT}); padding `<|endoftext|>`; no BOS. Our",
             "tokenizer code (`lib/models/onnx/tokenizer.ts`) and transformers.js both give the",
             "fixture's prompt ids."),
        "",
        "## ONNX (`onnx/model.onnx`, transformers.js decoder layout)",
        "",
        para("Inputs: `input_ids` [b, s] int64, `attention_mask` [b, past+s] int64,",
             "`position_ids` [b, s] int64, `past_key_values.{i}.key|value` [b, kv_heads, past,",
             "head_dim] float32. Outputs: `logits` [b, s, vocab], `present.{i}.key|value` [b,",
             "kv_heads, past+s, head_dim], `last_hidden_state` [b, s, hidden]. All axes dynamic;",
             "masking with finfo.min (left padding is safe). Opset 14."),
        "",
        "## Files",
        "",
        "| file | size |",
        "| ---- | ---- |",
        *[f"| `{k}` | {mb(v)} |" for k, v in sizes.items()],
        f"| all but this README | **{mb(total)}** |",
        "",
        "## Greedy fixture",
        "",
        para("`greedy_fixture.json`: PyTorch's greedy token ids",
             f"({args.new_tokens} new tokens, or up to an EOS) after the chat prompts of the first",
             f"{len(cases)} MATH500 problems, one prompt at a time, with the prompt ids, the five",
             "largest logits after each prompt, and the smallest gap between the top two logits",
             f"over the decisions taken ({info['min_gap']}: far above the float32 differences",
             "between onnxruntime and PyTorch). `lib/models/onnx/real_vocab_test.ts` checks that",
             "the runner gives these prompt ids, logits (within 1e-4) and greedy ids, alone and",
             "batched."),
        "",
    ])
