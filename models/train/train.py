"""Train the embedded policy: a tiny Llama-style, character-level decoder for the synthetic task.

Reads the JSONL written by models/train/make_data.ts, trains with PyTorch on the CPU (or on a GPU
with `--device cuda`), evaluates greedy accuracy and pass@16 on the 500-problem evaluation split
(exact match of the last \\boxed{} content against the gold answer), exports the model in the
Hugging Face / transformers.js ONNX layout (always on the CPU) and writes parity fixtures and a
model card.

Run through models/train/train.sh (CPU: sets the thread counts and makes the data) or
models/train/train_v2.sh (data here, training on a GPU machine, export here). Plain
`/usr/bin/python3` with Debian's torch 1.13 and onnx 1.12 (a GPU machine's torch 2.x trains too);
no other dependencies.
"""

import argparse
import json
import math
import os
import random
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------------
# Tokenizer: special tokens first, then one token per character of the task's character set.
# ---------------------------------------------------------------------------------------------

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>", "<|user|>", "<|assistant|>"]
PAD, BOS, EOS, UNK, USER, ASSISTANT = range(len(SPECIALS))

# The chat template (Jinja): the generation prompt ends right where the solution starts, and an
# assistant turn ends with the EOS token right after the final "\boxed{...}." step.
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'user' %}{{ '<|user|>' + message['content'] }}"
    "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + message['content'] + eos_token }}"
    "{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)


class CharTokenizer:
    """Maps text to ids one character at a time (the same mapping as the exported tokenizer.json)."""

    def __init__(self, charset):
        self.charset = charset
        self.vocab = SPECIALS + list(charset)
        self.char_to_id = {c: i + len(SPECIALS) for i, c in enumerate(charset)}

    def encode(self, text):
        return [self.char_to_id.get(c, UNK) for c in text]

    def decode(self, ids):
        out = []
        for i in ids:
            if i == EOS:
                break
            if i >= len(SPECIALS):
                out.append(self.vocab[i])
        return "".join(out)

    def prompt_ids(self, problem):
        # what the chat template renders for [user: problem] with add_generation_prompt=True
        return [BOS, USER] + self.encode(problem) + [ASSISTANT]


def tokenizer_json(tok):
    """tokenizer.json for @huggingface/tokenizers: char-level BPE without merges, Fuse decoder."""
    added = [
        {
            "id": i,
            "content": s,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for i, s in enumerate(SPECIALS)
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": {s: i for i, s in enumerate(tok.vocab)},
            "merges": [],
        },
    }


def tokenizer_config():
    decoder = {
        str(i): {
            "content": s,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
        for i, s in enumerate(SPECIALS)
    }
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "unk_token": "<unk>",
        "add_bos_token": False,
        "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 1024,
        "padding_side": "left",
        "added_tokens_decoder": decoder,
        "chat_template": CHAT_TEMPLATE,
    }


# ---------------------------------------------------------------------------------------------
# Model: Llama architecture (RMSNorm, rotary positions, SwiGLU MLP, grouped-query attention).
# One forward serves training, cached generation and the ONNX export.
# ---------------------------------------------------------------------------------------------


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg["num_attention_heads"]
        self.kv = cfg["num_key_value_heads"]
        self.hd = cfg["head_dim"]
        d = cfg["hidden_size"]
        self.q_proj = nn.Linear(d, self.h * self.hd, bias=False)
        self.k_proj = nn.Linear(d, self.kv * self.hd, bias=False)
        self.v_proj = nn.Linear(d, self.kv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.h * self.hd, d, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v, write_at=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.h, self.hd).transpose(1, 2)  # [b, h, s, hd]
        k = self.k_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)  # [b, kv, s, hd]
        v = self.v_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if write_at is not None:
            # preallocated cache (fast generation in train.py only): write in place, no copies
            past_k[:, :, write_at:write_at + s] = k
            past_v[:, :, write_at:write_at + s] = v
            k = past_k[:, :, :write_at + s]
            v = past_v[:, :, :write_at + s]
        elif past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        # grouped-query attention without copying K/V per query head: the `rep` query heads that
        # share a KV head (head h uses KV head h // rep, as in HF) are stacked along the rows
        rep = self.h // self.kv
        total = k.shape[2]
        qg = (q * (1.0 / math.sqrt(self.hd))).reshape(b, self.kv, rep * s, self.hd)
        scores = torch.matmul(qg, k.transpose(-1, -2))  # [b, kv, rep*s, T]
        scores = scores.reshape(b, self.kv, rep, s, total) + mask  # mask: [b|1, 1, 1, s, T]
        probs = torch.softmax(scores, dim=-1).reshape(b, self.kv, rep * s, total)
        out = torch.matmul(probs, v)  # [b, kv, rep*s, hd]
        out = out.reshape(b, self.h, s, self.hd).transpose(1, 2).reshape(b, s, self.h * self.hd)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, m = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(d, m, bias=False)
        self.up_proj = nn.Linear(d, m, bias=False)
        self.down_proj = nn.Linear(m, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past_k, past_v, write_at=None):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v, write_at)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, k, v


class Llama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        hd = cfg["head_dim"]
        inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None, write_at=None):
        """input_ids [b, s]; attention_mask [b, past+s] (1 = real token) or None (all real);
        position_ids [b, s] or None; past: list of (key, value) [b, kv, past, hd] or None.
        Returns logits [b, s, vocab], presents (list of (key, value)), last_hidden_state.
        With write_at, past holds preallocated buffers [b, kv, max_len, hd] whose first write_at
        positions are filled; the new keys/values are written there in place."""
        b, s = input_ids.shape
        dev = input_ids.device
        if write_at is not None:
            past_len = write_at
        else:
            past_len = past[0][0].shape[2] if past is not None else 0
        if position_ids is None:
            position_ids = (torch.arange(s, device=dev) + past_len).unsqueeze(0).expand(b, s)
        # rotary tables from the positions themselves (no cached table sliced by length)
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        cos = emb.cos().unsqueeze(1)  # [b, 1, s, hd]
        sin = emb.sin().unsqueeze(1)
        # causal + padding mask over the total length T = past + s, with finfo.min (not -inf)
        total = attention_mask.shape[1] if attention_mask is not None else s + past_len
        k_idx = torch.arange(total, device=dev)
        q_idx = torch.arange(s, device=dev) + (total - s)
        keep = (k_idx.unsqueeze(0) <= q_idx.unsqueeze(1)).unsqueeze(0).unsqueeze(0)  # [1,1,s,T]
        if attention_mask is not None:
            keep = keep & (attention_mask > 0).unsqueeze(1).unsqueeze(1)  # [b,1,s,T]
        zero = torch.tensor(0.0, dtype=torch.float32, device=dev)
        neg = torch.tensor(torch.finfo(torch.float32).min, dtype=torch.float32, device=dev)
        mask = torch.where(keep, zero, neg).unsqueeze(1)  # [b|1, 1, 1, s, T]
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = layer(x, cos, sin, mask, pk, pv, write_at)
            presents.append((k, v))
        hidden = self.norm(x)
        logits = F.linear(hidden, self.embed_tokens.weight)  # tied embeddings
        return logits, presents, hidden


class OnnxWrapper(nn.Module):
    """Flat inputs and outputs in the transformers.js decoder order for torch.onnx.export."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(len(flat_past) // 2)]
        logits, presents, hidden = self.model(input_ids, attention_mask, position_ids, past)
        flat = [t for kv in presents for t in kv]
        return (logits, *flat, hidden)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def encode_examples(rows, tok, max_len):
    """Each example: ids = prompt + solution + EOS; the loss covers solution + EOS only."""
    out = []
    for r in rows:
        p = tok.prompt_ids(r["problem"])
        c = tok.encode(r["solution"]) + [EOS]
        ids = p + c
        if len(ids) <= max_len:
            out.append((ids, len(p)))
    return out


def batches(examples, batch_size, rng):
    """Endless batches: shuffle, sort chunks of 64 batches by length (less padding), shuffle."""
    while True:
        order = list(range(len(examples)))
        rng.shuffle(order)
        chunk = batch_size * 64
        for c in range(0, len(order) - chunk + 1, chunk):
            idx = sorted(order[c:c + chunk], key=lambda i: len(examples[i][0]))
            group = [idx[j:j + batch_size] for j in range(0, chunk, batch_size)]
            rng.shuffle(group)
            for g in group:
                yield collate([examples[i] for i in g])


def collate(exs):
    """Right-padded input ids and next-token targets (-100 where no loss)."""
    n = max(len(ids) for ids, _ in exs)
    x = torch.full((len(exs), n - 1), PAD, dtype=torch.long)
    y = torch.full((len(exs), n - 1), -100, dtype=torch.long)
    for i, (ids, plen) in enumerate(exs):
        t = torch.tensor(ids)
        x[i, : len(ids) - 1] = t[:-1]
        y[i, plen - 1 : len(ids) - 1] = t[plen:]
    return x, y


# ---------------------------------------------------------------------------------------------
# Generation (batched, KV cache, left padding) and evaluation
# ---------------------------------------------------------------------------------------------


def left_pad(prompts):
    n = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), n), PAD, dtype=torch.long)
    mask = torch.zeros((len(prompts), n), dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, n - len(p):] = torch.tensor(p)
        mask[i, n - len(p):] = 1
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    return ids, mask, pos


@torch.no_grad()
def generate(model, prompts, max_new, temperature=0.0, gen=None, repeat=1):
    """Generate `repeat` continuations of each prompt until EOS or max_new tokens; returns lists of
    new token ids (ending with EOS when it was generated), prompt-major. Left padding, one prefill
    per distinct prompt, a preallocated KV cache, finished rows dropped as they accumulate."""
    cfg = model.cfg
    dev = model.embed_tokens.weight.device
    ids, mask, pos = (t.to(dev) for t in left_pad(prompts))
    b, plen = ids.shape
    total = plen + max_new
    kv, hd = cfg["num_key_value_heads"], cfg["head_dim"]
    bufs = [(torch.zeros(b, kv, total, hd, device=dev), torch.zeros(b, kv, total, hd, device=dev))
            for _ in range(cfg["num_hidden_layers"])]
    logits, _, _ = model(ids, mask, pos, bufs, write_at=0)
    last = logits[:, -1]
    pos = pos[:, -1:]
    if repeat > 1:
        # copy each prompt's cache to its `repeat` sample rows
        last = last.repeat_interleave(repeat, dim=0)
        pos = pos.repeat_interleave(repeat, dim=0)
        mask = mask.repeat_interleave(repeat, dim=0)
        bufs = [(k.repeat_interleave(repeat, dim=0), v.repeat_interleave(repeat, dim=0))
                for k, v in bufs]
        b = b * repeat
    mask_buf = torch.zeros((b, total), dtype=torch.long, device=dev)
    mask_buf[:, :plen] = mask
    rows = torch.arange(b)  # original index of each row still in the batch (on the CPU)
    fin = [False] * b  # per original row: EOS generated
    out = [[] for _ in range(b)]
    t = plen
    for step in range(max_new):
        if temperature <= 0:
            tok = last.argmax(-1)
        else:
            probs = torch.softmax(last / temperature, dim=-1)
            tok = torch.multinomial(probs, 1, generator=gen).squeeze(1)
        alive_list = []
        for r, x in zip(rows.tolist(), tok.tolist()):
            if not fin[r]:
                out[r].append(x)
                fin[r] = x == EOS
            alive_list.append(not fin[r])
        alive = torch.tensor(alive_list)
        n_alive = sum(alive_list)
        if n_alive == 0 or step == max_new - 1:
            break
        if (len(rows) - n_alive) * 4 >= len(rows):
            # drop finished rows once a quarter of the batch is done (each drop copies the cache)
            rows = rows[alive.nonzero().squeeze(1)]
            keep = alive.to(dev).nonzero().squeeze(1)
            tok, pos, mask_buf = tok[keep], pos[keep], mask_buf[keep]
            bufs = [(k[keep], v[keep]) for k, v in bufs]
        mask_buf[:, t] = 1
        pos = pos + 1
        logits, _, _ = model(tok.unsqueeze(1), mask_buf[:, : t + 1], pos, bufs, write_at=t)
        last = logits[:, -1]
        t += 1
    result = []
    for s in out:
        if EOS in s:
            s = s[: s.index(EOS) + 1]
        result.append(s)
    return result


BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


def boxed(text):
    found = BOXED.findall(text)
    return found[-1].strip() if found else None


def evaluate(model, tok, eval_rows, samples, temperature, seed, batch_rows, max_new, log):
    """Greedy accuracy and pass@k (k = samples) with exact match of the last \\boxed{} content."""
    model.eval()
    prompts = [tok.prompt_ids(r["problem"]) for r in eval_rows]
    # greedy, in batches of similar prompt length
    order = sorted(range(len(eval_rows)), key=lambda i: len(prompts[i]))
    greedy = [None] * len(eval_rows)
    for c in range(0, len(order), batch_rows):
        idx = order[c:c + batch_rows]
        for i, s in zip(idx, generate(model, [prompts[i] for i in idx], max_new)):
            greedy[i] = tok.decode(s)
    # sampling: `samples` rows per problem
    gen = torch.Generator(device=model.embed_tokens.weight.device).manual_seed(seed)
    per = max(1, batch_rows // samples)
    sampled = [[] for _ in eval_rows]
    t0 = time.time()
    for c in range(0, len(order), per):
        idx = order[c:c + per]
        outs = generate(model, [prompts[i] for i in idx], max_new, temperature, gen, samples)
        for j, s in enumerate(outs):
            sampled[idx[j // samples]].append(tok.decode(s))
        if c == 0:
            log(f"  sampling: first batch of {len(outs)} rows in {time.time() - t0:.1f}s")
    records = []
    for r, g, ss in zip(eval_rows, greedy, sampled):
        records.append({
            "id": r["id"],
            "level": r["level"],
            "form": r["form"],
            "answer": r["answer"],
            "greedy": g,
            "greedy_correct": boxed(g) == r["answer"],
            "samples": ss,
            "sample_correct": [boxed(s) == r["answer"] for s in ss],
        })
    n = len(records)
    metrics = {
        "n": n,
        "greedy_accuracy": sum(x["greedy_correct"] for x in records) / n,
        f"pass@{samples}": sum(any(x["sample_correct"]) for x in records) / n,
        "sample_accuracy": sum(sum(x["sample_correct"]) for x in records) / (n * samples),
        "samples": samples,
        "temperature": temperature,
        "by_level": {},
    }
    for lv in sorted({x["level"] for x in records}):
        sub = [x for x in records if x["level"] == lv]
        metrics["by_level"][str(lv)] = {
            "n": len(sub),
            "greedy_accuracy": sum(x["greedy_correct"] for x in sub) / len(sub),
            f"pass@{samples}": sum(any(x["sample_correct"]) for x in sub) / len(sub),
            "sample_accuracy": sum(sum(x["sample_correct"]) for x in sub) / (len(sub) * samples),
        }
    model.train()
    return metrics, records


# ---------------------------------------------------------------------------------------------
# Export: ONNX, config files, tokenizer files, parity fixtures
# ---------------------------------------------------------------------------------------------


def export_onnx(model, path, opset=14):
    cfg = model.cfg
    n_layers, kv, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    model.eval()
    wrapper = OnnxWrapper(model)
    # trace with batch 2, past 3, new 4 so no axis is frozen to 0 or 1
    b, past_len, s = 2, 3, 4
    input_ids = torch.randint(6, cfg["vocab_size"], (b, s))
    attention_mask = torch.ones((b, past_len + s), dtype=torch.long)
    attention_mask[0, 0] = 0
    position_ids = (attention_mask.cumsum(1) - 1).clamp(min=0)[:, past_len:]
    past = []
    for _ in range(n_layers):
        past += [torch.randn(b, kv, past_len, hd), torch.randn(b, kv, past_len, hd)]
    input_names = ["input_ids", "attention_mask", "position_ids"]
    output_names = ["logits"]
    dynamic = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
        "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(n_layers):
        for kind in ("key", "value"):
            name = f"past_key_values.{i}.{kind}"
            input_names.append(name)
            dynamic[name] = {0: "batch_size", 2: "past_sequence_length"}
            out = f"present.{i}.{kind}"
            output_names.append(out)
            dynamic[out] = {0: "batch_size", 2: "total_sequence_length"}
    output_names.append("last_hidden_state")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (input_ids, attention_mask, position_ids, *past),
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic,
            opset_version=opset,
            do_constant_folding=True,
        )
    import onnx

    onnx.checker.check_model(onnx.load(path))
    model.train()


def hf_config(cfg):
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
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
        "bos_token_id": BOS,
        "eos_token_id": EOS,
        "pad_token_id": PAD,
        "tie_word_embeddings": True,
        "attention_bias": False,
        "mlp_bias": False,
        "initializer_range": 0.02,
        "use_cache": True,
        "torch_dtype": "float32",
    }


def round_list(t, digits=7):
    return [float(f"{v:.{digits}g}") for v in t.flatten().tolist()]


@torch.no_grad()
def parity_fixtures(model, tok, eval_rows, decode_steps=10, greedy_steps=32):
    """PyTorch logits for prefill and greedy decode steps, and greedy ids, for the Deno test."""
    model.eval()
    picks = [eval_rows[0], eval_rows[4]]
    cases = []
    # one case per prompt alone, then both prompts as one left-padded batch
    groups = [[picks[0]], [picks[1]], picks]
    for group in groups:
        prompts = [tok.prompt_ids(r["problem"]) for r in group]
        ids, mask, pos = left_pad(prompts)
        logits, past, _ = model(ids, mask, pos, None)
        last = logits[:, -1]
        steps = [round_list(last)]
        tokens = []
        for t in range(greedy_steps):
            nxt = last.argmax(-1)
            tokens.append(nxt.tolist())
            mask = torch.cat([mask, torch.ones((len(group), 1), dtype=torch.long)], dim=1)
            pos = pos[:, -1:] + 1
            logits, past, _ = model(nxt.unsqueeze(1), mask, pos, past)
            last = logits[:, -1]
            if t < decode_steps:
                steps.append(round_list(last))
        cases.append({
            "ids": [r["id"] for r in group],
            "problems": [r["problem"] for r in group],
            "input_ids": ids.tolist(),
            "attention_mask": mask[:, : ids.shape[1]].tolist(),
            "position_ids": (mask[:, : ids.shape[1]].cumsum(1) - 1).clamp(min=0).tolist(),
            # logits[k][row * vocab + j]: step 0 = prefill last position, step k = decode step k
            "logits": steps,
            # greedy token ids, [step][row]
            "greedy_ids": tokens,
        })
    model.train()
    return {
        "vocab_size": model.cfg["vocab_size"],
        "num_hidden_layers": model.cfg["num_hidden_layers"],
        "num_key_value_heads": model.cfg["num_key_value_heads"],
        "head_dim": model.cfg["head_dim"],
        "decode_steps": decode_steps,
        "greedy_steps": greedy_steps,
        "tolerance": 1e-4,
        "cases": cases,
    }


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


def export_all(model, tok, out_dir, eval_rows, card):
    """Write everything the runner needs into out_dir (HF layout)."""
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    export_onnx(model, os.path.join(out_dir, "onnx", "model.onnx"))
    write_json(os.path.join(out_dir, "config.json"), hf_config(model.cfg))
    write_json(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": BOS,
        "eos_token_id": EOS,
        "pad_token_id": PAD,
        "max_length": model.cfg["max_position_embeddings"],
    })
    write_json(os.path.join(out_dir, "tokenizer.json"), tokenizer_json(tok))
    write_json(os.path.join(out_dir, "tokenizer_config.json"), tokenizer_config())
    write_json(os.path.join(out_dir, "special_tokens_map.json"), {
        "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
    })
    with open(os.path.join(out_dir, "parity.json"), "w") as f:
        json.dump(parity_fixtures(model, tok, eval_rows), f, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(card)


def model_card(cfg, n_params, args, meta, metrics, train_info):
    """The model card (models/embedded/README.md), filled with this run's numbers."""
    s = metrics.get(f"pass@{args.samples}") if metrics else None
    tools = args.config == "tools"
    fmt_lines = [
        "The solution starts right after `<|assistant|>`: steps joined by `\\n\\n`, one operation per",
        "step in AlphaMath's code-step layout (`lib/tasks/tools.ts`):",
        "`Step k: [context ]compute x op y\\n<code>\\nprint(x op y)\\n</code>\\n<output>\\nz\\n</output>`,",
        "where the context is the quoted sentence of a word step, `(She buys 4 boxes of 7.)`, or the",
        "expression left to compute in brackets, `[19 + 5 + 1]`; division with remainder prints",
        "`divmod(x, y)`. Then `The answer is \\boxed{N}.` directly followed by `</s>`. At inference",
        "the search runs each block in the pyodide sandbox (`lib/search/tool_steps.ts`) and the",
        "output comes from Python, not from the model.",
    ] if tools else [
        "The solution starts right after `<|assistant|>`: steps joined by `\\n\\n`, one operation per",
        "step (`Step k: x op y = z`; word problems quote the step's sentence first, as in",
        "`Step 2: (She finds 8 more.) 15 + 8 = 23`; expression problems add a line",
        "`Now: <the expression with the computed part replaced>` until one number is left), then",
        "`The answer is \\boxed{N}.` directly followed by `</s>`.",
    ]
    lines = [
        "# Embedded tool-using policy: tiny Llama writing Python steps" if tools else
        "# Embedded policy: tiny Llama for the synthetic arithmetic task",
        "",
        "A character-level decoder-only LM trained on `lib/tasks/synthetic/` problems, the",
        "default world for test-time search. Written by `models/train/train.py`; do not edit by hand.",
        "",
        "## Architecture",
        "",
        f"Llama (`model_type: llama`): {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, "
        f"{cfg['num_attention_heads']} query heads / {cfg['num_key_value_heads']} KV heads (head dim "
        f"{cfg['head_dim']}), SwiGLU {cfg['intermediate_size']}, RMSNorm (eps {cfg['rms_norm_eps']}), "
        f"rotary positions (theta {cfg['rope_theta']}), tied embeddings, no biases. "
        f"**{n_params:,} parameters**, float32.",
        "",
        "## Tokenizer and prompt",
        "",
        f"One token per character. Ids: `<pad>`=0, `<s>`=1 (BOS), `</s>`=2 (EOS), `<unk>`=3, "
        f"`<|user|>`=4, `<|assistant|>`=5, then the {len(meta['charset'])} characters of "
        f"`{'TOOL_CHARSET` (lib/tasks/tools.ts' if tools else 'CHARSET` (lib/tasks/synthetic/steps.ts'}) in order; vocabulary size "
        f"{cfg['vocab_size']}. `tokenizer.json` is a merge-free BPE with a Fuse decoder.",
        "",
        "Prompt (chat template with `add_generation_prompt`): `<s><|user|>{problem}<|assistant|>`.",
        *fmt_lines,
        "",
        "## ONNX (`onnx/model.onnx`, transformers.js decoder layout)",
        "",
        "Inputs: `input_ids` [b, s] int64, `attention_mask` [b, past+s] int64, `position_ids` [b, s] int64,",
        "`past_key_values.{i}.key|value` [b, kv_heads, past, head_dim] float32 (i < num_hidden_layers).",
        "Outputs: `logits` [b, s, vocab], `present.{i}.key|value` [b, kv_heads, past+s, head_dim],",
        "`last_hidden_state` [b, s, hidden] (after the final RMSNorm). All axes dynamic; the first step",
        "takes empty past tensors (past = 0). Masking uses finfo.min, so left padding is safe with",
        "`position_ids = cumsum(attention_mask) - 1` (clamped at 0).",
        "",
        "## Data",
        "",
        f"{meta['n']:,} training solutions"
        f"{' in the tool format (`lib/tasks/tools_data.ts`)' if tools else ''} from "
        f"`trainStream({meta['trainSeed']})` (level weights "
        f"{meta['levelWeights']}"
        + ("), " if tools else
           f"; {meta.get('drill', 0):.0%} of the problems are one-operation drills, "
           "level 0, such as `Calculate 47 + 8.`, so that the small model sees more arithmetic per token), ")
        + f"of which {meta['flawed']:,} ({meta['flawRate']:.0%} target) carry one "
        + ("realistic mistake (a wrong operand: the program computes what was written, carried on to a "
           "wrong boxed" if tools else
           "realistic mistake (arithmetic slip or wrong operand, carried on consistently to a wrong boxed"),
        "answer), so the model is imperfect and search has headroom. The 500-problem evaluation split",
        f"(`evalSplit()`, seed {meta['evalSeed']}) never appears in training.",
        "",
        "## Training",
        "",
        f"AdamW (lr {args.lr}, betas 0.9/0.98, weight decay 0.01), {train_info['steps']} steps of "
        f"{args.batch} sequences, warmup {args.warmup}, cosine decay to 10%; loss on solution tokens only. "
        f"torch seed {args.seed}. {train_info['tokens']:,} tokens seen, training wall time "
        f"{train_info['train_seconds'] / 60:.1f} min on {train_info.get('hardware') or hardware('cpu')} "
        f"(the schedule ends at {args.steps} steps or {args.max_minutes:g} minutes, whichever comes "
        f"first), evaluation {(metrics or {}).get('eval_seconds', 0) / 60:.1f} min"
        + (f" on {metrics['hardware']}" if (metrics or {}).get("hardware") else "")
        + (f", {'this phase' if tools else 'whole `train.sh`'} run "
           f"{train_info['total_seconds'] / 60:.1f} min" if "total_seconds" in train_info else "")
        + ".",
        "",
        *([
            f"Warm start from `{args.init}`"
            + ("; `train_tools.sh` trains in three phases: phase 1 starts from the plain policy's "
               "checkpoint (`models/train/train.sh` leaves it in its WORK folder; the characters "
               "the plain policy lacks start with random embeddings) and trains 24 min at lr 1.5e-3; "
               "phases 2 and 3 (20 and 25 min at lr 1e-3) each start from the checkpoint before; "
               "the figures below are those of the last phase's run."
               if tools else "."),
            "",
        ] if args.init else []),
        *([args.command] if args.command else
          ["Command: `bash models/train/train_tools.sh` (`deno task train-tools`)."] if tools else
          ["Command (data, training, evaluation, export, fixtures): `bash models/train/train.sh`",
           "(`deno task train-policy-v1`)."]),
        "",
        "## Evaluation (measured by train.py in PyTorch)",
        "",
    ]
    if metrics:
        lines += [
            f"On the {metrics['n']} evaluation problems, answers graded by exact match of the last",
            "`\\boxed{}` content against the gold answer; generation stops at `</s>` or "
            f"{train_info['max_new']} new tokens. Greedy: argmax decoding. pass@{args.samples}: "
            f"{args.samples} samples per problem from the plain softmax at temperature {args.temperature} "
            f"(no top-k/top-p; torch generator seed {args.seed}); a problem counts when any sample is right.",
            "",
            f"| level | greedy accuracy | pass@{args.samples} (T={args.temperature}) | mean sample accuracy |",
            "|---|---|---|---|",
        ]
        for lv, m in metrics["by_level"].items():
            lines.append(
                f"| {lv} | {m['greedy_accuracy']:.1%} | {m[f'pass@{args.samples}']:.1%} | "
                f"{m['sample_accuracy']:.1%} |"
            )
        lines.append(
            f"| all | **{metrics['greedy_accuracy']:.1%}** | **{s:.1%}** | {metrics['sample_accuracy']:.1%} |"
        )
        lines.append("")
    else:
        lines += ["Not evaluated (early export).", ""]
    lines += [
        "`parity.json` holds PyTorch logits (prefill and greedy decode steps) and greedy ids for two",
        "evaluation prompts and their left-padded batch; `models/embedded_test.ts` checks the ONNX",
        "model against them in onnxruntime-node.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def hardware(device):
    """Where training ran, for the model card."""
    if device.startswith("cuda"):
        return f"one {torch.cuda.get_device_name(0)} GPU (torch {torch.__version__})"
    return (f"a 2-core CPU shared with other jobs (torch {torch.__version__}, 1 torch thread, "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')})")


def warm_start(model, state, log):
    """Copy a checkpoint's weights into `model`. The checkpoint's vocabulary must be a prefix of
    the model's (same specials, then a character set the new one extends), so its embedding rows
    keep their ids and the new characters' rows keep their random initialisation."""
    src = state["model"]
    dst = model.state_dict()
    for name, w in src.items():
        if name not in dst:
            raise SystemExit(f"--init: {name} is not a parameter of this model")
        if name == "embed_tokens.weight" and w.shape[0] <= dst[name].shape[0] \
                and w.shape[1:] == dst[name].shape[1:]:
            dst[name][: w.shape[0]] = w
        elif w.shape != dst[name].shape:
            raise SystemExit(f"--init: {name} has shape {tuple(w.shape)}, the model "
                             f"{tuple(dst[name].shape)} (use the same --hidden/--layers/...)")
        else:
            dst[name] = w
    model.load_state_dict(dst)
    log(f"warm start from a checkpoint with {src['embed_tokens.weight'].shape[0]} token ids "
        f"(model: {dst['embed_tokens.weight'].shape[0]}), "
        f"{state.get('train_info', {}).get('steps', '?')} steps trained")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="/tmp/embedded-policy-train", help="make_data.ts output")
    ap.add_argument("--out", default="models/embedded", help="export folder (HF layout)")
    ap.add_argument("--work", default=None, help="checkpoint + eval samples (default: --data)")
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--inter", type=int, default=512)
    ap.add_argument("--max-len", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-minutes", type=float, default=25.0,
                    help="training wall-time budget: the schedule is compressed to end by then")
    ap.add_argument("--early-export-step", type=int, default=0,
                    help="also export after this many steps (0 = off)")
    ap.add_argument("--eval-n", type=int, default=500, help="evaluate on the first N problems")
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--temperature", type=float, default=1.0)
    ap.add_argument("--eval-batch", type=int, default=512)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--resume", default=None, help="skip training: load this checkpoint")
    ap.add_argument("--config", choices=["plain", "tools"], default="plain",
                    help="solution format the model card describes (tools: lib/tasks/tools.ts)")
    ap.add_argument("--init", default=None,
                    help="start from this checkpoint (e.g. the plain policy's model.pt); its "
                         "vocabulary must be a prefix of this data's (TOOL_CHARSET extends CHARSET)")
    ap.add_argument("--interpolate", default=None,
                    help="with --resume: average its weights with this checkpoint's (same shapes)")
    ap.add_argument("--weight", type=float, default=0.5,
                    help="--interpolate's share: (1 - weight) * resumed + weight * interpolated")
    ap.add_argument("--command", default=None,
                    help="the model card's line on how to reproduce the run (default: train.sh)")
    ap.add_argument("--device", default="cpu",
                    help="cpu, cuda or auto (cuda when there is one); export always runs on the CPU")
    ap.add_argument("--reuse-metrics", action="store_true",
                    help="with --resume: take metrics.json from --work instead of evaluating")
    args = ap.parse_args()
    work = args.work or args.data
    os.makedirs(work, exist_ok=True)

    t_start = time.time()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    log_path = os.path.join(work, "train_log.txt")

    def log(msg):
        line = f"[{time.time() - t_start:7.1f}s] {msg}"
        print(line, flush=True)
        with open(log_path, "a") as f:
            f.write(line + "\n")

    meta = json.load(open(os.path.join(args.data, "meta.json")))
    tok = CharTokenizer(meta["charset"])
    eval_rows = read_jsonl(os.path.join(args.data, "eval.jsonl"))
    cfg = {
        "vocab_size": len(tok.vocab),
        "hidden_size": args.hidden,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "num_key_value_heads": args.kv_heads,
        "head_dim": args.hidden // args.heads,
        "intermediate_size": args.inter,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "max_position_embeddings": args.max_len,
    }
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    model = Llama(cfg).to(device)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: {n_params:,} parameters, config {cfg}")
    max_new = max(len(r["solution"]) for r in eval_rows) + 64

    train_info = {"steps": 0, "tokens": 0, "train_seconds": 0.0, "max_new": max_new,
                  "hardware": hardware(device)}
    ckpt = os.path.join(work, "model.pt")
    if args.resume:
        state = torch.load(args.resume, map_location=device)
        weights = state["model"]
        train_info.update(state.get("train_info", {}))
        if args.interpolate:
            # linear interpolation of two checkpoints' weights (WiSE-FT, arXiv 2109.01903)
            other = torch.load(args.interpolate, map_location=device)["model"]
            w = args.weight
            weights = {k: (1 - w) * v + w * other[k] for k, v in weights.items()}
            train_info["interpolated"] = {"with": args.interpolate, "weight": w}
            log(f"interpolating: {1 - w:g} x {args.resume} + {w:g} x {args.interpolate}")
        model.load_state_dict(weights)
        log(f"loaded {args.resume}")
    else:
        if args.init:
            warm_start(model, torch.load(args.init, map_location=device), log)
        rows = read_jsonl(os.path.join(args.data, "train.jsonl"))
        examples = encode_examples(rows, tok, args.max_len)
        del rows
        log(f"{len(examples):,} training examples")
        rng = random.Random(args.seed)
        it = batches(examples, args.batch, rng)
        decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
        no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
            lr=args.lr, betas=(0.9, 0.98), eps=1e-8,
        )

        budget = args.max_minutes * 60

        def progress(step, elapsed):
            # fraction of the run done: by steps, or by wall time when the machine is slow, so
            # that a run cut short by --max-minutes still ends with a fully decayed learning rate
            return max(step / args.steps, elapsed / budget)

        def lr_at(step, elapsed):
            if step < args.warmup:
                return args.lr * (step + 1) / args.warmup
            p = min(1.0, progress(step, elapsed))
            return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))

        model.train()
        t_train = time.time()
        tokens = 0
        loss_avg = None
        step = 0
        while True:
            lr = lr_at(step, time.time() - t_train)
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = (t.to(device, non_blocking=True) for t in next(it))
            logits, _, _ = model(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tokens += x.numel()
            loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
            elapsed = time.time() - t_train
            if step % 50 == 0 or step == args.steps - 1:
                log(f"step {step:5d} loss {loss_avg:.4f} lr {lr:.2e} "
                    f"tok/s {tokens / max(elapsed, 1e-9):,.0f} elapsed {elapsed / 60:.1f} min")
            if args.early_export_step and step + 1 == args.early_export_step and not args.no_export:
                info = dict(train_info, steps=step + 1, tokens=tokens, train_seconds=elapsed,
                            total_seconds=time.time() - t_start)
                export_all(model, tok, args.out, eval_rows,
                           model_card(cfg, n_params, args, meta, None, info))
                log(f"early export to {args.out} after {step + 1} steps")
            step += 1
            if step >= args.steps:
                break
            if elapsed >= budget:
                log(f"time budget reached: stopping after {step} of {args.steps} steps")
                break
        train_info.update(steps=step, tokens=tokens, train_seconds=time.time() - t_train)
        cpu_state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        torch.save({"model": cpu_state, "cfg": cfg, "train_info": train_info}, ckpt)
        log(f"saved {ckpt}")

    metrics = None
    if args.reuse_metrics:
        metrics = json.load(open(os.path.join(work, "metrics.json")))
    elif args.eval_n > 0:
        t_eval = time.time()
        rows = eval_rows[: args.eval_n]
        metrics, records = evaluate(model, tok, rows, args.samples, args.temperature, args.seed,
                                    args.eval_batch, max_new, log)
        metrics["eval_seconds"] = time.time() - t_eval
        metrics["hardware"] = hardware(device)
        log(f"eval: {json.dumps(metrics)}")
        with open(os.path.join(work, "eval_samples.jsonl"), "w") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")
        write_json(os.path.join(work, "metrics.json"), metrics)

    # whole-run time: since train.sh started (it exports TRAIN_SH_START), else since this script
    started = float(os.environ.get("TRAIN_SH_START", t_start))
    if not args.resume:
        train_info["total_seconds"] = time.time() - started
    if not args.no_export:
        model = model.cpu()
        export_all(model, tok, args.out, eval_rows,
                   model_card(cfg, n_params, args, meta, metrics, train_info))
        log(f"exported to {args.out}")
    log(f"done in {(time.time() - t_start) / 60:.1f} min")


if __name__ == "__main__":
    sys.exit(main())
