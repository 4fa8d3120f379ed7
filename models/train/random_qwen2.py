"""Build a random-weight Qwen2 with the real vocabulary size and export it for the ONNX runner.

A benchmark model, not a useful one: Qwen2's architecture (RMSNorm, rotary positions with theta
1e6, grouped-query attention with q/k/v biases, SwiGLU, tied embeddings) at a tiny width, with
Qwen2's exact vocabulary size of 151,936, so that everything the runner does per vocabulary entry
(logits copy, temperature, top-p, sampling, logprobs, detokenisation) costs what it would on a
real Qwen2 while the graph itself stays cheap.

Writes into --out (default models/random-qwen2), in the layout of models/embedded:
  config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
  special_tokens_map.json, onnx/model.onnx (past_key_values.{i}.key|value in, logits,
  present.{i}.key|value and last_hidden_state out), greedy_fixture.json and README.md.

The tokenizer is a byte-level BPE in Qwen2's format (NFC, Qwen2's split regex, ByteLevel pre-
tokenizer and decoder), generated deterministically: the 256 byte tokens, merges learned on the
MATH500 and GSM8K texts in data/ (--learned-merges), then synthetic merges (every pair of byte
tokens, then byte + two-byte token pairs, in a seeded order) up to Qwen2's 151,643 regular
tokens; Qwen2's 22 special tokens at their real ids (151,643-151,664, <|endoftext|>,
<|im_start|>, <|im_end|>, ...) and reserved special tokens up to id 151,935, so the tokenizer
has exactly 151,936 tokens.

The embedding matrix (tied with the output layer) is drawn as int8 levels times one float scale
and stored as int8 in the ONNX file (Cast and Mul in the graph, which onnxruntime folds at load),
so the graph computes in float32 with exactly the weights PyTorch uses, in a quarter of the bytes.

Run (Debian's torch 1.13 and onnx 1.12; one torch thread; a few seconds):
  /usr/bin/python3 models/train/random_qwen2.py
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from qwen2_bpe import (ENDOFTEXT, IM_END, QWEN_REGULAR, VOCAB_SIZE, BpeEncoder, build_vocab,
                       chat_prompt, tokenizer_config, tokenizer_json)
from random_qwen2_card import model_card
from train import MLP, RMSNorm, rotate_half  # the embedded Llama's layers, shared with Qwen2

# ---------------------------------------------------------------------------------------------
# Model: Qwen2 (Llama with q/k/v biases), tied embeddings stored as int8 levels x scale
# ---------------------------------------------------------------------------------------------


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.hd = cfg["head_dim"]
        d = cfg["hidden_size"]
        self.q_proj = nn.Linear(d, self.h * self.hd, bias=True)
        self.k_proj = nn.Linear(d, self.kv * self.hd, bias=True)
        self.v_proj = nn.Linear(d, self.kv * self.hd, bias=True)
        self.o_proj = nn.Linear(self.h * self.hd, d, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        rep = self.h // self.kv  # query head h uses KV head h // rep, as in HF
        total = k.shape[2]
        qg = (q * (1.0 / math.sqrt(self.hd))).reshape(b, self.kv, rep * s, self.hd)
        scores = torch.matmul(qg, k.transpose(-1, -2)).reshape(b, self.kv, rep, s, total) + mask
        probs = torch.softmax(scores, dim=-1).reshape(b, self.kv, rep * s, total)
        out = torch.matmul(probs, v).reshape(b, self.h, s, self.hd).transpose(1, 2)
        return self.o_proj(out.reshape(b, s, self.h * self.hd)), k, v


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


class Qwen2(nn.Module):
    def __init__(self, cfg, gen, embed_std, layer_std):
        super().__init__()
        self.cfg = cfg
        V, d = cfg["vocab_size"], cfg["hidden_size"]
        # int8 levels in [-127, 127] times one scale: a rounded normal(0, embed_std)
        self.embed_scale = embed_std / 32.0
        levels = torch.randn(V, d, generator=gen).mul_(32.0).round_().clamp_(-127, 127)
        self.register_buffer("embed_levels", levels.to(torch.int8))
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(d, cfg["rms_norm_eps"])
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("norm.weight") or name.endswith("layernorm.weight"):
                    p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
                elif name.endswith(".bias"):
                    p.copy_(0.1 * torch.randn(p.shape, generator=gen))
                else:
                    p.copy_(torch.randn(p.shape, generator=gen) * layer_std / math.sqrt(p.shape[1]))
        hd = cfg["head_dim"]
        inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def embedding(self):
        return self.embed_levels.to(torch.float32) * self.embed_scale

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        b, s = input_ids.shape
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)
        total = attention_mask.shape[1]
        k_idx = torch.arange(total)
        q_idx = torch.arange(s) + (total - s)
        keep = (k_idx.unsqueeze(0) <= q_idx.unsqueeze(1)).unsqueeze(0).unsqueeze(0)
        keep = keep & (attention_mask > 0).unsqueeze(1).unsqueeze(1)
        neg = torch.tensor(torch.finfo(torch.float32).min)
        mask = torch.where(keep, torch.tensor(0.0), neg).unsqueeze(1)  # [b, 1, 1, s, T]
        weight = self.embedding()
        x = F.embedding(input_ids, weight)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = layer(x, cos, sin, mask, pk, pv)
            presents.append((k, v))
        hidden = self.norm(x)
        return F.linear(hidden, weight), presents, hidden


class OnnxWrapper(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(len(flat_past) // 2)]
        logits, presents, hidden = self.model(input_ids, attention_mask, position_ids, past)
        return (logits, *[t for kv in presents for t in kv], hidden)


def export_onnx(model, path):
    cfg = model.cfg
    n_layers, kv, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    b, past_len, s = 2, 3, 4  # no axis frozen to 0 or 1
    input_ids = torch.randint(0, 1000, (b, s))
    attention_mask = torch.ones((b, past_len + s), dtype=torch.long)
    attention_mask[0, 0] = 0
    position_ids = (attention_mask.cumsum(1) - 1).clamp(min=0)[:, past_len:]
    past = [torch.randn(b, kv, past_len, hd) for _ in range(2 * n_layers)]
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    dynamic = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
        "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(n_layers):
        for kind in ("key", "value"):
            names_in.append(f"past_key_values.{i}.{kind}")
            dynamic[names_in[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            names_out.append(f"present.{i}.{kind}")
            dynamic[names_out[-1]] = {0: "batch_size", 2: "total_sequence_length"}
    names_out.append("last_hidden_state")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        # no constant folding: the int8 embedding must stay int8 in the file (Cast, Mul)
        torch.onnx.export(OnnxWrapper(model), (input_ids, attention_mask, position_ids, *past),
                          path, input_names=names_in, output_names=names_out, dynamic_axes=dynamic,
                          opset_version=14, do_constant_folding=False)
    import onnx

    onnx.checker.check_model(onnx.load(path))


# ---------------------------------------------------------------------------------------------
# PyTorch greedy fixture
# ---------------------------------------------------------------------------------------------


@torch.no_grad()
def greedy(model, prompt, new_tokens, eos):
    """Greedy ids after `prompt` (a list of ids), one sequence, KV cache; stops after an EOS id.
    Also returns the smallest gap between the top two logits over the decisions taken, and the
    five largest logits after the prompt as [id, value]."""
    ids = torch.tensor([prompt])
    mask = torch.ones_like(ids)
    pos = torch.arange(len(prompt)).unsqueeze(0)
    logits, past, _ = model(ids, mask, pos)
    top = torch.topk(logits[0, -1], 5)
    first = [[int(i), float(v)] for v, i in zip(top.values, top.indices)]
    out, gap = [], math.inf
    for t in range(new_tokens):
        last = logits[0, -1]
        top2 = torch.topk(last, 2).values
        gap = min(gap, float(top2[0] - top2[1]))
        nxt = int(last.argmax())
        out.append(nxt)
        if nxt in eos or t == new_tokens - 1:
            break
        mask = torch.ones((1, mask.shape[1] + 1), dtype=torch.long)
        pos = torch.tensor([[len(prompt) + t]])
        logits, past, _ = model(torch.tensor([[nxt]]), mask, pos, past)
    return out, gap, first


@torch.no_grad()
def logit_stats(model, prompts, temperature=0.8, top_p=0.95):
    """Spread of the next-token distribution after each prompt: logits std, top-1 probability at
    temperature 1 and the size of the top-p nucleus at `temperature`."""
    rows = []
    for p in prompts:
        ids = torch.tensor([p])
        logits, _, _ = model(ids, torch.ones_like(ids), torch.arange(len(p)).unsqueeze(0))
        last = logits[0, -1].double()
        probs = torch.softmax(last / temperature, -1)
        sorted_p = torch.sort(probs, descending=True).values
        nucleus = int((torch.cumsum(sorted_p, 0) < top_p).sum()) + 1
        rows.append({"std": round(float(last.std()), 3),
                     "top1_t1": round(float(torch.softmax(last, -1).max()), 4),
                     "nucleus": nucleus})
    return rows


def write_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


def hf_config(cfg):
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "model_type": "qwen2",
        "hidden_size": cfg["hidden_size"],
        "intermediate_size": cfg["intermediate_size"],
        "num_hidden_layers": cfg["num_hidden_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "num_key_value_heads": cfg["num_key_value_heads"],
        "head_dim": cfg["head_dim"],
        "hidden_act": "silu",
        "rms_norm_eps": cfg["rms_norm_eps"],
        "rope_theta": cfg["rope_theta"],
        "vocab_size": cfg["vocab_size"],
        "max_position_embeddings": cfg["max_position_embeddings"],
        "bos_token_id": ENDOFTEXT,
        "eos_token_id": IM_END,
        "tie_word_embeddings": True,
        "use_sliding_window": False,
        "sliding_window": cfg["max_position_embeddings"],
        "max_window_layers": cfg["num_hidden_layers"],
        "attention_dropout": 0.0,
        "initializer_range": 0.02,
        "use_cache": True,
        "torch_dtype": "float32",
    }


def read_problems(path, n):
    with open(path) as f:
        return [json.loads(line)["problem"] for line in f][:n]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="models/random-qwen2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--intermediate", type=int, default=128)
    ap.add_argument("--embed-std", type=float, default=0.8,
                    help="std of the embedding entries (sets how peaked the logits are)")
    ap.add_argument("--layer-std", type=float, default=6.0,
                    help="std of the projection weights times sqrt(fan_in)")
    ap.add_argument("--learned-merges", type=int, default=8000)
    ap.add_argument("--new-tokens", type=int, default=24)
    ap.add_argument("--prompts", type=int, default=5, help="first MATH500 problems in the fixture")
    ap.add_argument("--probe", action="store_true", help="print logit statistics, write nothing")
    defaults = {a.dest: a.default for a in ap._actions}
    args = ap.parse_args()
    torch.set_num_threads(1)
    t0 = time.time()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    data = [os.path.join(root, "data", n) for n in ("math500_test.jsonl", "gsm8k_test.jsonl")]

    cfg = {
        "vocab_size": VOCAB_SIZE,
        "hidden_size": args.hidden,
        "intermediate_size": args.intermediate,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "num_key_value_heads": args.kv_heads,
        "head_dim": args.hidden // args.heads,
        "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0,
        "max_position_embeddings": 32768,
    }
    gen = torch.Generator().manual_seed(args.seed)
    model = Qwen2(cfg, gen, args.embed_std, args.layer_std).eval()
    n_params = sum(p.numel() for p in model.parameters()) + model.embed_levels.numel()

    vocab, merges, n_learned = build_vocab(data, args.learned_merges, args.seed)
    assert len(vocab) == QWEN_REGULAR and len(merges) == QWEN_REGULAR - 256
    enc = BpeEncoder(vocab, merges)
    problems = read_problems(data[0], args.prompts)
    prompts = [enc.encode(chat_prompt(p)) for p in problems]
    if args.probe:
        for row in logit_stats(model, prompts):
            print(row)
        for p in prompts[:3]:
            print(greedy(model, p, args.new_tokens, {IM_END, ENDOFTEXT})[:2])
        return

    out = args.out
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    export_onnx(model, os.path.join(out, "onnx", "model.onnx"))
    write_json(os.path.join(out, "config.json"), hf_config(cfg))
    write_json(os.path.join(out, "generation_config.json"), {
        "bos_token_id": ENDOFTEXT,
        "eos_token_id": [IM_END, ENDOFTEXT],
        "pad_token_id": ENDOFTEXT,
        "do_sample": False,
    })
    write_json(os.path.join(out, "tokenizer.json"), tokenizer_json(vocab, merges), compact=True)
    write_json(os.path.join(out, "tokenizer_config.json"), tokenizer_config())
    write_json(os.path.join(out, "special_tokens_map.json"), {
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
    })
    eos = {IM_END, ENDOFTEXT}
    cases = []
    for problem, ids in zip(problems, prompts):
        new, gap, first = greedy(model, ids, args.new_tokens, eos)
        cases.append({"problem": problem, "input_ids": ids, "greedy_ids": new,
                      "min_top2_gap": round(gap, 6), "top_logits": first})
    write_json(os.path.join(out, "greedy_fixture.json"), {
        "note": "PyTorch greedy decoding (argmax, stop after an EOS id or new_tokens), one "
                "prompt at a time; input_ids are the chat-template prompt ids; top_logits the "
                "five largest logits after the prompt, [id, value]",
        "new_tokens": args.new_tokens,
        "eos_token_ids": sorted(eos),
        "torch": torch.__version__,
        "cases": cases,
    })
    stats = logit_stats(model, prompts)
    info = {
        "n_params": n_params,
        "n_learned": n_learned,
        "seconds": round(time.time() - t0, 1),
        "stats": stats,
        "min_gap": min(c["min_top2_gap"] for c in cases),
    }
    readme = os.path.join(out, "README.md")
    with open(readme, "w") as f:
        f.write(model_card(cfg, args, defaults, info, cases, out))
    if shutil.which("deno"):  # wrap the card's one-line paragraphs as the repository does
        subprocess.run(["deno", "fmt", "--quiet", readme], check=True)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
