"""Train and export models/prm: a process reward model in the Qwen2.5-Math-PRM contract.

The contract (what vLLM's pooling runner and lib/rewards/step_tag_prm.ts read): a token
classifier taking `input_ids` and `attention_mask` and giving two logits per token; the chat is
[system, user question, assistant steps joined by `<extra_0>` and ending with one], and the score
of step k is softmax(logits)[1] at the k-th `<extra_0>`.

Inside, the graph is a frozen copy of the policy (models/embedded) that reads the solution by
teacher forcing, plus a learned head over what it sees:

1. The `<extra_0>` tags are masked out of the policy's attention and positions, so the policy
   reads exactly the text it generated (`<s><|user|>problem<|assistant|>step\\n\\nstep...`).
2. Per token: log p(token) and whether it is the policy's greedy choice.
3. Per step (the tokens before each tag): sums, minima and non-greedy counts over the step's
   result (after `=` up to the line end) and over its other tokens; whether it has an
   `x op y = z` claim, its operator, whether it is the answer step. These are the in-context
   features of lib/rewards/recompute.ts (the drill checks need generation-free reads of other
   prompts, which one graph over one sequence cannot do).
4. A logistic regression turns a step's features into P(step right), fitted here on the policy's
   own samples of training-stream problems (the step checker's local verdicts as labels; the
   candidates file written by `deno task train-verifier`).
5. The score of tag k is the product over steps 1..k (P(no wrong step so far)), written as the
   two class logits [log(1 - P), log P].

Usage (Debian torch and onnx, /usr/bin/python3):
    /usr/bin/python3 models/train/train_prm.py --policy models/embedded \\
        --data results/tmp/verifier-train/candidates.jsonl --out models/prm
"""

import argparse
import json
import os
import sys
import time

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(__file__))
from train import Llama  # noqa: E402  (the policy's own PyTorch definition)

SEP = "<extra_0>"
# The chat template: the policy's prompt, then the steps with "\n\n" before every tag whether or not
# the caller kept it (Qwen's format drops it, `deno task serve`'s verbatim format keeps it).
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'user' %}{{ '<|user|>' + message['content'] }}"
    "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + (message['content']"
    " | replace('\\n\\n<extra_0>', '<extra_0>') | replace('<extra_0>', '\\n\\n<extra_0>')) }}"
    "{% endif %}{% endfor %}"
)
FEATURES = [
    "context_result_logprob",
    "context_result_min",
    "context_result_nongreedy",
    "context_other_logprob",
    "context_other_min",
    "context_other_nongreedy",
    "has_claim",
    "op_add",
    "op_sub",
    "op_mul",
    "op_div",
    "answer_step",
]


def load_policy(folder):
    """The policy's PyTorch module with the ONNX file's weights (checked against parity.json)."""
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = Llama(cfg)
    graph = onnx.load(os.path.join(folder, "onnx", "model.onnx")).graph
    named = {}
    matmuls = []
    for init in graph.initializer:
        w = torch.from_numpy(numpy_helper.to_array(init).copy())
        if init.name.startswith("model."):
            named[init.name[len("model."):]] = w
        else:
            matmuls.append(w)
    # MatMul weights come out transposed and in module order: q, k, v, o, gate, up, down per
    # layer, then the tied output projection
    per_layer = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                 "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]
    n = cfg["num_hidden_layers"]
    assert len(matmuls) == 7 * n + 1, f"unexpected ONNX layout: {len(matmuls)} MatMul weights"
    for i in range(n):
        for j, name in enumerate(per_layer):
            named[f"layers.{i}.{name}.weight"] = matmuls[7 * i + j].t().contiguous()
    missing, unexpected = model.load_state_dict(named, strict=False)
    assert not unexpected and not [m for m in missing if "inv_freq" not in m], (missing, unexpected)
    model.eval()
    # parity.json: logits after the prompt, then after each of the first greedy tokens
    parity = json.load(open(os.path.join(folder, "parity.json")))
    case = parity["cases"][0]
    want = torch.tensor(case["logits"])
    prompt = case["input_ids"][0]
    greedy = [g[0] for g in case["greedy_ids"]][: want.shape[0] - 1]
    ids = torch.tensor([prompt + greedy])
    with torch.no_grad():
        logits, _, _ = model(ids)
    got = logits[0, len(prompt) - 1:len(prompt) - 1 + want.shape[0]]
    err = (got - want).abs().max().item()
    assert err < 1e-3, f"policy weights do not reproduce parity.json (max |diff| {err})"
    return model, cfg


class Tok:
    """The policy's character tokenizer plus the step tag."""

    def __init__(self, folder):
        tj = json.load(open(os.path.join(folder, "tokenizer.json")))
        self.vocab = dict(tj["model"]["vocab"])
        self.tokenizer_json = tj
        self.sep = max(self.vocab.values()) + 1
        self.bos, self.user, self.assistant = (self.vocab[t] for t in ("<s>", "<|user|>", "<|assistant|>"))

    def enc(self, text):
        return [self.vocab[c] for c in text]

    def render(self, problem, steps):
        """Token ids of the chat for a problem and steps (each may keep its trailing "\\n\\n")."""
        ids = [self.bos, self.user] + self.enc(problem) + [self.assistant]
        for s in steps:
            body = s[:-2] if s.endswith("\n\n") else s
            ids += self.enc(body + "\n\n") + [self.sep]
        return ids


class PRM(nn.Module):
    """input_ids, attention_mask -> logits [b, s, 2]; see the module docstring."""

    def __init__(self, policy, tok, weights=None, bias=None):
        super().__init__()
        self.policy = policy
        for p in self.policy.parameters():
            p.requires_grad_(False)
        v = tok.vocab
        self.sep = tok.sep
        self.pad = v["<pad>"]
        self.assistant = tok.assistant
        self.ids = {k: v[c] for k, c in
                    [("eq", "="), ("nl", "\n"), ("sp", " "), ("bs", "\\"),
                     ("add", "+"), ("sub", "-"), ("mul", "*"), ("div", "/")]}
        k = len(FEATURES)
        self.mean = nn.Parameter(torch.zeros(k), requires_grad=False)
        self.std = nn.Parameter(torch.ones(k), requires_grad=False)
        self.w = nn.Parameter(torch.zeros(k) if weights is None else weights)
        self.b = nn.Parameter(torch.zeros(()) if bias is None else bias)

    def features(self, input_ids, attention_mask):
        """Per position: the features of the step that ends at that position (meaningful at tags)."""
        b, s = input_ids.shape
        ids = input_ids
        is_tag = ids == self.sep
        lm_mask = attention_mask * (~is_tag).long()
        pos = torch.clamp(torch.cumsum(lm_mask, 1) - 1, min=0)
        lm_ids = torch.where(is_tag, torch.full_like(ids, self.pad), ids)
        logits, _, _ = self.policy(lm_ids, lm_mask, pos)
        logp = F.log_softmax(logits, -1)
        # predictor of token u: position u-1, or u-2 when u-1 is a tag
        zero_row = torch.zeros_like(logp[:, :1])
        prev1 = torch.cat([zero_row, logp[:, :-1]], 1)
        prev2 = torch.cat([zero_row, zero_row, logp[:, :-2]], 1)
        tag_before = torch.cat([torch.zeros_like(is_tag[:, :1]), is_tag[:, :-1]], 1)
        prev = torch.where(tag_before.unsqueeze(-1), prev2, prev1)
        lp = torch.gather(prev, 2, ids.clamp(max=logp.shape[-1] - 1).unsqueeze(-1)).squeeze(-1)
        greedy = (torch.argmax(prev, -1) == ids)
        # solution tokens: after <|assistant|>, real, not tags
        after = torch.cumsum((ids == self.assistant).long(), 1) - (ids == self.assistant).long()
        sol = (after > 0) & (attention_mask > 0) & ~is_tag
        solf = sol.float()
        # steps: tokens with the same count of tags before them; M[t, u] = u in t's step, u < t
        seg = torch.cumsum(is_tag.long(), 1) - is_tag.long()
        same = seg.unsqueeze(2) == seg.unsqueeze(1)
        tri = torch.tril(torch.ones(s, s, dtype=torch.bool), -1).unsqueeze(0)
        m = (same & tri).float() * solf.unsqueeze(1)  # [b, t, u]
        def count_before(mask):  # per u: tokens of u's step before u with the mask
            return torch.bmm(m, mask.float().unsqueeze(-1)).squeeze(-1)
        eq = ids == self.ids["eq"]
        nl = ids == self.ids["nl"]
        result = (count_before(eq) > 0) & (count_before(nl) == 0) & sol
        other = sol & ~result
        big = torch.tensor(1e4)
        def agg(mask):
            mf = mask.float().unsqueeze(1) * m  # [b, t, u]
            total = torch.bmm(mf, lp.unsqueeze(-1)).squeeze(-1)
            low = torch.where(mf > 0, lp.unsqueeze(1), big).min(-1).values
            low = torch.where(low > 1e3, torch.zeros_like(low), low)
            miss = torch.bmm(mf, (~greedy).float().unsqueeze(-1)).squeeze(-1)
            return [total, low, miss]
        sp = ids == self.ids["sp"]
        sp_prev = torch.cat([torch.zeros_like(sp[:, :1]), sp[:, :-1]], 1)
        sp_next = torch.cat([sp[:, 1:], torch.zeros_like(sp[:, :1])], 1)
        before_eq = count_before(eq) == 0
        def has(mask):
            return (torch.bmm(m, mask.float().unsqueeze(-1)).squeeze(-1) > 0).float()
        ops = [has((ids == self.ids[o]) & sp_prev & sp_next & before_eq & sol)
               for o in ("add", "sub", "mul", "div")]
        feats = agg(result) + agg(other) + [has(eq & sol)] + ops + [has((ids == self.ids["bs"]) & sol)]
        return torch.stack(feats, -1), is_tag  # [b, s, k]

    def forward(self, input_ids, attention_mask):
        f, is_tag = self.features(input_ids, attention_mask)
        z = ((f - self.mean) / self.std) @ self.w + self.b  # per-step logit
        # log sigmoid(z) at tags, 0 elsewhere, written out so the export stays finite (the ONNX
        # export of logsigmoid is log(sigmoid(z)), -inf for large -z, and -inf * 0 is NaN)
        zt = torch.where(is_tag, z, torch.zeros_like(z))
        step_logp = torch.where(
            is_tag, torch.clamp(zt, max=0.0) - torch.log(1 + torch.exp(-torch.abs(zt))),
            torch.zeros_like(zt))
        cum = torch.cumsum(step_logp, 1)  # log P(no wrong step so far)
        no = torch.log(torch.clamp(1 - torch.exp(cum), min=1e-7))
        return torch.stack([no, cum], -1)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def batched_features(prm, tok, seqs, batch=32):
    """Step features and (row, step) indices of every tag, in order."""
    rows = []
    with torch.no_grad():
        for i in range(0, len(seqs), batch):
            chunk = seqs[i:i + batch]
            L = max(len(x) for x in chunk)
            ids = torch.tensor([x + [tok.vocab["<pad>"]] * (L - len(x)) for x in chunk])
            mask = torch.tensor([[1] * len(x) + [0] * (L - len(x)) for x in chunk])
            f, is_tag = prm.features(ids, mask)
            for r in range(len(chunk)):
                rows.append(f[r][is_tag[r]])
    return rows


def fit_lr(x, y, l2=1e-3, steps=300):
    """Logistic regression by L-BFGS on standardised features."""
    mean, std = x.mean(0), x.std(0).clamp(min=1e-6)
    xs = (x - mean) / std
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=steps, line_search_fn="strong_wolfe")
    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(xs @ w + b, y) + l2 * (w * w).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return w.detach(), b.detach(), mean, std


def export(prm, tok, out, example):
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    ids = torch.tensor([example, example[:len(example) - 3] + [tok.vocab["<pad>"]] * 3])
    mask = torch.tensor([[1] * len(example), [1] * (len(example) - 3) + [0] * 3])
    torch.onnx.export(
        prm, (ids, mask), os.path.join(out, "onnx", "model.onnx"),
        input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                      "attention_mask": {0: "batch", 1: "sequence"},
                      "logits": {0: "batch", 1: "sequence"}},
        opset_version=14)
    with torch.no_grad():
        logits = prm(ids[:1], mask[:1])
    return {"input_ids": ids[:1].tolist(), "logits": [[round(v, 6) for v in row] for row in logits[0].tolist()]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--policy", default="models/embedded")
    ap.add_argument("--data", default="results/tmp/verifier-train/candidates.jsonl")
    ap.add_argument("--out", default="models/prm")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--export-only", action="store_true",
                    help="re-export --out with the head already in its config.json (no training)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    t0 = time.time()
    policy, cfg = load_policy(args.policy)
    tok = Tok(args.policy)
    prm = PRM(policy, tok)
    if args.export_only:
        c = json.load(open(os.path.join(args.out, "config.json")))["ttsearch_prm"]
        for name in ("w", "b", "mean", "std"):
            key = {"w": "weights", "b": "bias"}.get(name, name)
            getattr(prm, name).data = torch.tensor(c[key])
        example = tok.render("Calculate 12 * 4 - 5.", ["Step 1: 12 * 4 = 48\nNow: 48 - 5\n\n",
                                                      "Step 2: 48 - 5 = 43\n\n",
                                                      "The answer is \\boxed{43}."])
        parity = export(prm, tok, args.out, example)
        json.dump(parity, open(os.path.join(args.out, "parity.json"), "w"))
        print(json.dumps({"out": args.out, "exported": True}))
        return
    sets = read_jsonl(args.data)
    seqs, labels, groups = [], [], []
    for g, s in enumerate(sets):
        for c in s["candidates"]:
            if not c.get("local") or len(c["local"]) != len(c["steps"]):
                continue
            seqs.append(tok.render(s["problem"], c["steps"]))
            labels.append(c["local"])
            groups.append(g)
    print(f"prm: {len(seqs)} solutions of {len(sets)} problems", file=sys.stderr)
    feats = batched_features(prm, tok, seqs)
    x = torch.cat(feats)
    y = torch.tensor([float(v) for ls in labels for v in ls])
    assert x.shape[0] == y.shape[0], (x.shape, y.shape)
    w, b, mean, std = fit_lr(x, y, args.l2)
    prm.w.data, prm.b.data, prm.mean.data, prm.std.data = w, b, mean, std
    with torch.no_grad():
        z = ((x - mean) / std) @ w + b
        acc = ((z > 0).float() == y).float().mean().item()
    print(f"prm: {x.shape[0]} steps, training accuracy {acc:.3f}", file=sys.stderr)
    parity = export(prm, tok, args.out, seqs[0])
    write_folder(args, tok, cfg, prm, {
        "solutions": len(seqs), "problems": len(sets), "steps": int(x.shape[0]),
        "positives": int(y.sum().item()), "train_accuracy": round(acc, 4),
        "seconds": round(time.time() - t0, 1)}, parity)
    print(json.dumps({"out": args.out, "steps": int(x.shape[0]), "train_accuracy": acc,
                      "weights": dict(zip(FEATURES, [round(v, 4) for v in w.tolist()]))}))


def write_folder(args, tok, cfg, prm, info, parity):
    out = args.out
    tj = json.loads(json.dumps(tok.tokenizer_json))
    tj["model"]["vocab"][SEP] = tok.sep
    tj.setdefault("added_tokens", []).append({
        "id": tok.sep, "content": SEP, "single_word": False, "lstrip": False, "rstrip": False,
        "normalized": False, "special": True})
    json.dump(tj, open(os.path.join(out, "tokenizer.json"), "w"), ensure_ascii=False, indent=1)
    specials = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}
    json.dump({**specials, "additional_special_tokens": ["<|user|>", "<|assistant|>", SEP],
               "chat_template": CHAT_TEMPLATE, "clean_up_tokenization_spaces": False,
               "model_max_length": cfg["max_position_embeddings"],
               "tokenizer_class": "PreTrainedTokenizerFast"},
              open(os.path.join(out, "tokenizer_config.json"), "w"), indent=1)
    json.dump({**specials, "additional_special_tokens": ["<|user|>", "<|assistant|>", SEP]},
              open(os.path.join(out, "special_tokens_map.json"), "w"), indent=1)
    config = {k: cfg[k] for k in cfg if k not in ("architectures",)}
    config.update({
        "architectures": ["LlamaForProcessRewardModel"],
        "num_labels": 2,
        "vocab_size": tok.sep + 1,
        "step_separator": SEP,
        "step_separator_id": tok.sep,
        "policy_vocab_size": cfg["vocab_size"],
        "ttsearch_prm": {
            "features": FEATURES,
            "weights": [round(v, 6) for v in prm.w.tolist()],
            "bias": round(prm.b.item(), 6),
            "mean": [round(v, 6) for v in prm.mean.tolist()],
            "std": [round(v, 6) for v in prm.std.tolist()],
            "training": {**info, "data": args.data, "policy": args.policy, "l2": args.l2},
        },
    })
    json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=1)
    json.dump(parity, open(os.path.join(out, "parity.json"), "w"))


if __name__ == "__main__":
    main()
