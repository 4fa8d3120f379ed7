"""Qwen2-format byte-level BPE tokenizer files, generated deterministically (random_qwen2.py).

The 256 byte tokens, merges learned on a text corpus, then synthetic merges up to Qwen2's 151,643
regular tokens; Qwen2.5's 22 added tokens at their real ids and reserved special tokens up to
151,935, so the tokenizer has exactly Qwen2's 151,936 embedding rows. Also a small encoder (ASCII
text only) so that PyTorch fixtures can be written from prompt text.
"""

import heapq
import json
import math
import random
import re
import unicodedata

QWEN_REGULAR = 151_643  # Qwen2's regular (BPE) tokens: ids 0 .. 151,642
VOCAB_SIZE = 151_936  # Qwen2's embedding rows (config vocab_size)
# Qwen2.5's added tokens at their real ids, from 151,643; (content, special)
QWEN_SPECIALS = [
    ("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True),
    ("<|object_ref_start|>", True), ("<|object_ref_end|>", True), ("<|box_start|>", True),
    ("<|box_end|>", True), ("<|quad_start|>", True), ("<|quad_end|>", True),
    ("<|vision_start|>", True), ("<|vision_end|>", True), ("<|vision_pad|>", True),
    ("<|image_pad|>", True), ("<|video_pad|>", True), ("<tool_call>", False),
    ("</tool_call>", False), ("<|fim_prefix|>", False), ("<|fim_middle|>", False),
    ("<|fim_suffix|>", False), ("<|fim_pad|>", False), ("<|repo_name|>", False),
    ("<|file_sep|>", False),
]
ENDOFTEXT, IM_START, IM_END = QWEN_REGULAR, QWEN_REGULAR + 1, QWEN_REGULAR + 2

# Qwen2's pre-tokenizer split pattern (Rust regex syntax, as in its tokenizer.json)
QWEN_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# The same pattern for Python's `re` on ASCII text (\p{L} = letters, \p{N} = digits there);
# used to encode the fixture prompts, which must be ASCII.
ASCII_PATTERN = re.compile(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\nA-Za-z0-9]?[A-Za-z]+|[0-9]| ?[^\sA-Za-z0-9]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# An approximation for any text (training corpus only: merges just have to be valid)
LOOSE_PATTERN = re.compile(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|(?:[^\r\n\w]|_)?[^\W\d_]+|\d| ?(?:[^\s\w]|_)+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Qwen2-Instruct's chat template (ChatML with a default system message)
CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def chat_prompt(problem):
    """What CHAT_TEMPLATE renders for [user: problem] with add_generation_prompt=True."""
    return ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            f"<|im_start|>user\n{problem}<|im_end|>\n<|im_start|>assistant\n")


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters (byte-level BPE)."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


BYTE_CHARS = bytes_to_unicode()


def byte_level(word):
    return "".join(BYTE_CHARS[b] for b in word.encode("utf-8"))


def corpus_words(paths):
    counts = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                for key in ("problem", "solution", "question", "answer"):
                    text = row.get(key)
                    if not isinstance(text, str):
                        continue
                    for w in LOOSE_PATTERN.findall(unicodedata.normalize("NFC", text)):
                        bw = byte_level(w)
                        counts[bw] = counts.get(bw, 0) + 1
    return counts


def learn_merges(word_counts, n_merges):
    """Plain BPE training (most frequent adjacent pair first, ties by the pair's text), with
    incremental pair counts and a lazy max-heap."""
    words = [list(w) for w in sorted(word_counts)]
    freq = [word_counts[w] for w in sorted(word_counts)]
    pair_count = {}
    where = {}

    def add_pairs(i, sign):
        syms = words[i]
        for a, b in zip(syms, syms[1:]):
            p = (a, b)
            pair_count[p] = pair_count.get(p, 0) + sign * freq[i]
            if sign > 0:
                where.setdefault(p, set()).add(i)

    for i in range(len(words)):
        add_pairs(i, 1)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < n_merges and heap:
        c, p = heapq.heappop(heap)
        if pair_count.get(p, 0) != -c or -c <= 0:
            continue
        merges.append(p)
        a, b = p
        for i in sorted(where.pop(p, ())):
            syms = words[i]
            if len(syms) < 2:
                continue
            add_pairs(i, -1)
            out = []
            j = 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            words[i] = out
            before = {q: pair_count.get(q, 0) for q in zip(out, out[1:])}
            add_pairs(i, 1)
            for q in set(zip(out, out[1:])):
                if pair_count[q] != before[q]:
                    heapq.heappush(heap, (-pair_count[q], q))
        pair_count.pop(p, None)
    return merges


def build_vocab(corpus, n_learned, seed):
    """Byte tokens, learned merges, then synthetic merges up to QWEN_REGULAR regular tokens."""
    vocab = {}
    # byte tokens in GPT-2's order (the printable ones first), as in Qwen2's first 256 ids
    for ch in BYTE_CHARS.values():
        vocab[ch] = len(vocab)
    merges = []

    def add(a, b):
        s = a + b
        if s in vocab or a not in vocab or b not in vocab:
            return False
        vocab[s] = len(vocab)
        merges.append((a, b))
        return True

    for a, b in learn_merges(corpus_words(corpus), n_learned):
        add(a, b)
    n_learned = len(merges)
    rng = random.Random(seed)
    byte_syms = list(BYTE_CHARS.values())
    pairs = [(a, b) for a in byte_syms for b in byte_syms]
    rng.shuffle(pairs)
    for a, b in pairs:
        if len(vocab) >= QWEN_REGULAR:
            break
        add(a, b)
    two = [s for s in vocab if len(s) == 2]
    while len(vocab) < QWEN_REGULAR:
        add(rng.choice(byte_syms), rng.choice(two))
    return vocab, merges, n_learned


def added_tokens():
    out = []
    for k, (content, special) in enumerate(QWEN_SPECIALS):
        out.append((QWEN_REGULAR + k, content, special))
    for i in range(QWEN_REGULAR + len(QWEN_SPECIALS), VOCAB_SIZE):
        out.append((i, f"<|reserved_special_token_{i - QWEN_REGULAR - len(QWEN_SPECIALS)}|>", True))
    return out


def tokenizer_json(vocab, merges):
    byte_level_cfg = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False,
                      "use_regex": False}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": s}
            for i, c, s in added_tokens()
        ],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": QWEN_PATTERN}, "behavior": "Isolated",
                 "invert": False},
                byte_level_cfg,
            ],
        },
        "post_processor": byte_level_cfg,
        "decoder": byte_level_cfg,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }


def tokenizer_config():
    return {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(i): {"content": c, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": s}
            for i, c, s in added_tokens()
        },
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "errors": "replace",
        "model_max_length": 32768,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer",
        "unk_token": None,
    }


class BpeEncoder:
    """Byte-level BPE encoding (lowest merge rank first) of ASCII text with special tokens."""

    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.specials = {c: i for i, c, _ in added_tokens()}
        self.split = re.compile("(" + "|".join(re.escape(c) for c in self.specials) + ")")

    def word(self, w):
        syms = list(byte_level(w))
        while len(syms) > 1:
            ranked = [(self.ranks.get(p, math.inf), k) for k, p in enumerate(zip(syms, syms[1:]))]
            rank, k = min(ranked)
            if rank == math.inf:
                break
            syms[k:k + 2] = [syms[k] + syms[k + 1]]
        return [self.vocab[s] for s in syms]

    def encode(self, text):
        if any(ord(c) > 127 for c in text):
            raise ValueError("BpeEncoder handles ASCII text only")
        ids = []
        for part in self.split.split(text):
            if part in self.specials:
                ids.append(self.specials[part])
            elif part:
                for w in ASCII_PATTERN.findall(part):
                    ids += self.word(w)
        return ids


# ---------------------------------------------------------------------------------------------
# Model: Qwen2 (Llama with q/k/v biases), tied embeddings stored as int8 levels x scale
