"""A minimal OpenAI-CLIP byte-level BPE tokenizer (bindspace's own code), for the PyTorch reference benchmark.

Follows ../shared/docs/imagebind-facts.md section 1.2: vocabulary = 256 byte symbols + 256 ``</w>`` variants +
the first 48,894 merges of ``bpe_simple_vocab_16e6.txt.gz`` + ``<|startoftext|>`` (49406) + ``<|endoftext|>``
(49407); cleanup = (ftfy when installed) -> html.unescape twice -> strip -> collapse whitespace -> lowercase;
pre-tokenizer regex with ``\\p{L}``/``\\p{N}`` classes (the ``regex`` module: Debian python3-regex); framing
``[SOT] + tokens`` truncated to 76, then EOT, zero-padded to 77.
"""

import gzip
import html

_SPECIAL = r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|"
try:
    import regex as re  # \p{L} and \p{N} need the regex module
    _PATTERN = _SPECIAL + r"[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"
except ImportError:  # approximation with the re module: "_" is split off from neighbouring symbols
    import re
    _PATTERN = _SPECIAL + r"[^\W\d_]+|\d|[^\s\w]+|_+"

try:
    import ftfy
except ImportError:  # not packaged in Debian 12; only matters for mojibake input
    ftfy = None

SOT, EOT = 49406, 49407
CONTEXT = 77
MERGES = 49152 - 256 - 2  # 48,894


def bytes_to_unicode():
    """CLIP's reversible byte -> printable unicode table (printable Latin-1 bytes map to themselves)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + \
        list(range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


class ClipBpe:
    def __init__(self, vocab_path):
        with gzip.open(vocab_path, "rt", encoding="utf-8") as f:
            lines = f.read().split("\n")
        merges = [tuple(line.split()) for line in lines[1:MERGES + 1]]  # line 0 is a version header
        self.byte_encoder = bytes_to_unicode()
        symbols = list(self.byte_encoder.values())
        vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges]
        vocab += ["<|startoftext|>", "<|endoftext|>"]
        self.encoder = {t: i for i, t in enumerate(vocab)}
        assert self.encoder["<|startoftext|>"] == SOT and self.encoder["<|endoftext|>"] == EOT, len(vocab)
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.pattern = re.compile(_PATTERN, re.IGNORECASE)

    def _bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        out = " ".join(word)
        self.cache[token] = out
        return out

    @staticmethod
    def clean(text):
        if ftfy is not None:
            text = ftfy.fix_text(text)
        text = html.unescape(html.unescape(text)).strip()
        return re.sub(r"\s+", " ", text).strip().lower()

    def encode(self, text):
        ids = []
        for piece in self.pattern.findall(self.clean(text)):
            piece = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self._bpe(piece).split(" "))
        return ids

    def __call__(self, text, context=CONTEXT):
        """One text -> ``context`` ids: [SOT] + tokens truncated to context - 1, then EOT, zero padding."""
        ids = ([SOT] + self.encode(text))[:context - 1] + [EOT]
        return ids + [0] * (context - len(ids))
