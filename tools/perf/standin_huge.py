#!/usr/bin/python3
"""A random-weight stand-in with ImageBind-Huge's shapes (our own PyTorch code, not ImageBind's).

Used to measure inference speed (issue 10) without the CC BY-NC-SA checkpoint: the towers have
ImageBind-Huge's exact widths, depths, heads, MLP sizes, token counts, stems, heads and post-processing
(../shared/docs/imagebind-facts.md sections 2 and 10), and the model keeps ImageBind's four
nn.ModuleDicts and calling convention, so tools/imagebind-export/export.py ``export_bundle`` exports it
unchanged, through the same path as the real model.

    /usr/bin/python3 tools/perf/standin_huge.py --out ../perf/standin-huge \
        [--state ../perf/standin-huge.pt] [--modalities vision,text,audio] [--seed 20261128]

Block (every trunk): pre-norm ``x + Attn(LN1(x))``, ``x + MLP(LN2(x))``; LayerNorm eps 1e-6;
``nn.MultiheadAttention`` with qkv bias, sequence-first layout (tokens are rearranged to (L, B, D) before
the blocks, like ImageBind's trunks); MLP ratio 4 with exact GELU. Attribute names follow ImageBind's
module layout as described in the facts sheet (``rgbt_stem``, ``pos_embedding_helper``, ``blocks.N.attn``,
``norm_1``, ``mlp.fc1`` ...), so the state-dict keys look alike; that has not been checked against the real
checkpoint and nothing here depends on it.

Weights: every tower is initialised from its own ``torch.Generator`` seeded with ``seed + index`` (vision 0,
text 1, audio 2, depth 3, thermal 4), so a model built with fewer modalities has the same weights for the
ones it has. Linear/conv weights, CLS tokens, position and token embeddings: truncated normal std 0.02
(two-sigma cut); biases 0; LayerNorm weight 1, bias 0; add_bias_kv vectors normal 0.02; the text logit
scale is ImageBind's initial value ln(1/0.07). The residual stream stays of order 1 over 32 blocks.
"""

import argparse
import json
import os
import sys
import time

import torch
from torch import nn

# ImageBind's post-processing (L2 normalisation, fixed or learnable logit scale) is the fixture
# stand-in's: one definition for both stand-ins.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures"))
from standin_imagebind import LogitScaling, Normalize  # noqa: E402

DEFAULT_SEED = 20261128
TOWER_ORDER = ("vision", "text", "audio", "depth", "thermal")

# ImageBind-Huge's shapes (facts sheet section 2); the keyword arguments of StandInHuge override them for tests.
HUGE = {
    "vision": {"width": 1280, "depth": 32, "heads": 16},
    "text": {"width": 1024, "depth": 24, "heads": 16, "vocab": 49408, "context": 77},
    "audio": {"width": 768, "depth": 12, "heads": 12},
    "depth": {"width": 384, "depth": 12, "heads": 8},
    "thermal": {"width": 768, "depth": 12, "heads": 12},
}
# Parameter counts the facts sheet derives from ImageBind's code (section 8).
FACTS_PARAMS = {"vision": 632_829_440, "text": 354_032_641, "audio": 86_235_648, "depth": 21_871_872,
                "thermal": 86_211_072}
OUT_DIM = 1024


class PadIm2Video(nn.Module):
    """A still image (B, C, H, W) becomes a clip (B, C, T, H, W) by repeating it T times; clips pass."""

    def __init__(self, ntimes):
        super().__init__()
        self.ntimes = ntimes

    def forward(self, x):
        if x.ndim == 4:
            x = x.unsqueeze(2).repeat(1, 1, self.ntimes, 1, 1)
        return x


class PatchStem(nn.Module):
    """Strided convolution -> (B, N, D) patch tokens, optionally LayerNorm'd (eps 1e-5, PyTorch's default)."""

    def __init__(self, layers, norm=None):
        super().__init__()
        self.proj = nn.Sequential(*layers)
        self.norm_layer = norm

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        return self.norm_layer(x) if self.norm_layer is not None else x


class PosEmbedding(nn.Module):
    def __init__(self, tokens, width):
        super().__init__()
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, width))


class PatchPreprocessor(nn.Module):
    """Patch stem, prepend one CLS token, add learned positions (after the CLS token, as ImageBind does)."""

    def __init__(self, key, stem, view_shape, width):
        super().__init__()
        self.key = key
        self.view_shape = list(view_shape)
        self.rgbt_stem = stem
        with torch.no_grad():
            tokens = stem(torch.zeros([1] + self.view_shape)).shape[1] + 1
        self.num_tokens = tokens
        self.cls_token = nn.Parameter(torch.zeros(1, 1, width))
        self.pos_embedding_helper = PosEmbedding(tokens, width)

    def forward(self, **kw):
        x = kw[self.key]
        t = self.rgbt_stem(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], dim=1)
        return {"trunk": {"tokens": t + self.pos_embedding_helper.pos_embed}, "head": {}}


class TextPreprocessor(nn.Module):
    """Token + position embedding; the causal mask goes to the trunk, the EOT position (argmax of the ids:
    EOT 49407 is the largest id) to the head."""

    def __init__(self, vocab, context_length, width):
        super().__init__()
        self.context_length = context_length  # export.py reads the text input length from here
        self.token_embedding = nn.Embedding(vocab, width)
        self.pos_embed = nn.Parameter(torch.zeros(1, context_length, width))
        self.causal_masking = True  # ImageBind's TextPreprocessor attributes (export.py checks them)
        self.num_cls_tokens = 0
        self.supply_seq_len_to_head = True
        mask = torch.full((context_length, context_length), float("-inf")).triu_(1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, text):
        t = self.token_embedding(text) + self.pos_embed
        return {"trunk": {"tokens": t, "attn_mask": self.mask}, "head": {"seq_len": text.argmax(dim=-1)}}


class Mlp(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.act = nn.GELU()  # exact (erf) GELU
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm transformer block on sequence-first tokens (L, B, D)."""

    def __init__(self, width, heads, add_bias_kv):
        super().__init__()
        self.norm_1 = nn.LayerNorm(width, eps=1e-6)
        self.attn = nn.MultiheadAttention(width, heads, bias=True, add_bias_kv=add_bias_kv)
        self.norm_2 = nn.LayerNorm(width, eps=1e-6)
        self.mlp = Mlp(width, 4 * width)

    def forward(self, x, attn_mask=None):
        y = self.norm_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=attn_mask)[0]
        return x + self.mlp(self.norm_2(x))


class SequenceFirst(nn.Module):
    """(B, L, D) <-> (L, B, D), ImageBind's "b l d -> l b d" rearrangement around the blocks."""

    def forward(self, x):
        return x.transpose(0, 1)


class Trunk(nn.Module):
    def __init__(self, width, depth, heads, add_bias_kv, pre_ln):
        super().__init__()
        self.pre_transformer_layer = nn.Sequential(
            nn.LayerNorm(width, eps=1e-6) if pre_ln else nn.Identity(), SequenceFirst())
        self.blocks = nn.ModuleList([Block(width, heads, add_bias_kv) for _ in range(depth)])
        self.post_transformer_layer = SequenceFirst()

    def forward(self, tokens, attn_mask=None):
        x = self.pre_transformer_layer(tokens)
        for blk in self.blocks:
            x = blk(x, attn_mask=attn_mask)
        return self.post_transformer_layer(x)


class SelectElement(nn.Module):
    def __init__(self, index):
        super().__init__()
        self.index = index

    def forward(self, x):
        return x[:, self.index, ...]


class SelectEOSAndProject(nn.Module):
    def __init__(self, width, dim):
        super().__init__()
        self.proj = nn.Sequential(nn.LayerNorm(width, eps=1e-6), nn.Linear(width, dim, bias=False))

    def forward(self, x, seq_len):
        return self.proj(x[torch.arange(x.shape[0]), seq_len])


def _cls_head(width, dim):
    return nn.Sequential(nn.LayerNorm(width, eps=1e-6), SelectElement(0), nn.Linear(width, dim, bias=False))


class StandInHuge(nn.Module):
    """ImageBind-Huge's shapes with random weights. ``sizes`` overrides per tower
    {"width", "depth", "heads"} (and "vocab" for text) -- used by the tests to build a reduced copy."""

    def __init__(self, modalities=("vision", "text", "audio"), seed=DEFAULT_SEED, sizes=None, out_dim=OUT_DIM,
                 init=True):
        super().__init__()
        for m in modalities:
            if m not in HUGE:
                raise ValueError(f"unknown modality {m!r}; expected some of {list(HUGE)}")
        self.seed = seed
        cfg = {m: dict(HUGE[m], **((sizes or {}).get(m, {}))) for m in modalities}
        pre, trunks, heads, post = {}, {}, {}, {}
        for m in modalities:
            c = cfg[m]
            w = c["width"]
            if m == "vision":
                stem = PatchStem([PadIm2Video(2), nn.Conv3d(3, w, kernel_size=(2, 14, 14), stride=(2, 14, 14),
                                                            bias=False)])
                pre[m] = PatchPreprocessor(m, stem, [3, 2, 224, 224], w)
            elif m == "text":
                pre[m] = TextPreprocessor(c["vocab"], c["context"], w)
            elif m == "audio":
                stem = PatchStem([nn.Conv2d(1, w, kernel_size=16, stride=10, bias=False)], nn.LayerNorm(w))
                pre[m] = PatchPreprocessor(m, stem, [1, 128, 204], w)
            else:  # depth, thermal
                stem = PatchStem([nn.Conv2d(1, w, kernel_size=16, stride=16, bias=False)], nn.LayerNorm(w))
                pre[m] = PatchPreprocessor(m, stem, [1, 224, 224], w)
            trunks[m] = Trunk(w, c["depth"], c["heads"], add_bias_kv=m not in ("vision", "text"),
                              pre_ln=(m == "vision"))
            heads[m] = SelectEOSAndProject(w, out_dim) if m == "text" else _cls_head(w, out_dim)
            if m == "vision":
                post[m] = Normalize()
            else:
                scale = {"text": 1 / 0.07, "audio": 20.0, "depth": 5.0, "thermal": 10.0}[m]
                post[m] = nn.Sequential(Normalize(), LogitScaling(scale, learnable=(m == "text")))
        self.modality_preprocessors = nn.ModuleDict(pre)
        self.modality_trunks = nn.ModuleDict(trunks)
        self.modality_heads = nn.ModuleDict(heads)
        self.modality_postprocessors = nn.ModuleDict(post)
        if init:
            for m in modalities:
                g = torch.Generator().manual_seed(seed + TOWER_ORDER.index(m))
                for part in (pre[m], trunks[m], heads[m]):
                    _init_module(part, g)

    def forward(self, inputs):
        """ImageBind's top-level forward: ndim >= 5 inputs are (B, S, ...), run per view, averaged over S."""
        out = {}
        for key, x in inputs.items():
            reduce = x.ndim >= 5
            if reduce:
                b, s = x.shape[:2]
                x = x.reshape((b * s,) + tuple(x.shape[2:]))
            pre = self.modality_preprocessors[key](**{key: x})
            y = self.modality_trunks[key](**pre["trunk"])
            y = self.modality_heads[key](y, **pre["head"])
            y = self.modality_postprocessors[key](y)
            if reduce:
                y = y.reshape(b, s, -1).mean(dim=1)
            out[key] = y
        return out


def _trunc_normal(t, g, std=0.02):
    # truncated at two standard deviations by redrawing the (~4.6 %) outliers
    with torch.no_grad():
        t.normal_(0.0, std, generator=g)
        bad = t.abs() > 2 * std
        while bool(bad.any()):
            t[bad] = torch.empty(int(bad.sum()), dtype=t.dtype).normal_(0.0, std, generator=g)
            bad = t.abs() > 2 * std


def _init_module(module, g):
    """Deterministic init in a fixed (registration) order of the named parameters."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            owner = module.get_submodule(name.rsplit(".", 1)[0]) if "." in name else module
            if isinstance(owner, nn.LayerNorm):
                p.fill_(1.0 if leaf == "weight" else 0.0)
            elif leaf in ("bias", "in_proj_bias"):
                p.zero_()
            elif leaf in ("bias_k", "bias_v"):
                p.normal_(0.0, 0.02, generator=g)
            else:  # weights, in_proj_weight, cls tokens, position and token embeddings
                _trunc_normal(p, g)


def count_params(model):
    """Parameters per tower (preprocessor + trunk + head + postprocessor)."""
    out = {}
    for m in model.modality_trunks.keys():
        n = 0
        for d in (model.modality_preprocessors, model.modality_trunks, model.modality_heads,
                  model.modality_postprocessors):
            n += sum(p.numel() for p in d[m].parameters())
        out[m] = n
    return out


def load_standin(state, modalities=("vision", "text", "audio")):
    """Builds the towers without initialising them (the saved weights overwrite every parameter) and loads
    ``state`` (a path to standin_huge.py's .pt file, or its already loaded dict) for those towers."""
    with _no_init():
        model = StandInHuge(modalities, init=False)
    if isinstance(state, str):
        state = torch.load(state, map_location="cpu")
    keep = {k: v for k, v in state["model"].items() if k.split(".")[1] in modalities}
    model.load_state_dict(keep, strict=True)
    return model.eval()


class _no_init:
    """Turns torch.nn.init's in-place initialisers into no-ops while a model is built only to be loaded."""

    NAMES = ("uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "kaiming_uniform_",
             "kaiming_normal_", "xavier_uniform_", "xavier_normal_")

    def __enter__(self):
        self.saved = {n: getattr(nn.init, n) for n in self.NAMES}
        for n in self.NAMES:
            setattr(nn.init, n, lambda t, *a, **k: t)

    def __exit__(self, *exc):
        for n, f in self.saved.items():
            setattr(nn.init, n, f)


def _load_export_module():
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "imagebind-export", "export.py")
    spec = importlib.util.spec_from_file_location("bindspace_ib_export", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _dir_bytes(path):
    return {f: os.path.getsize(os.path.join(path, f)) for f in sorted(os.listdir(path))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="bundle directory to write (keep it outside the repository)")
    ap.add_argument("--state", default=None, help="where to save the state_dict (default: OUT.pt)")
    ap.add_argument("--modalities", default="vision,text,audio", help="of vision,text,audio,depth,thermal")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--vocab", default=None, help="CLIP BPE vocabulary copied into the bundle "
                    "(default: ../shared/data/clip-bpe/bpe_simple_vocab_16e6.txt.gz relative to the repository)")
    ap.add_argument("--ready", default=None, help="file to write (with the export time) when done")
    args = ap.parse_args(argv)
    modalities = [m.strip() for m in args.modalities.split(",") if m.strip()]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    vocab = args.vocab or os.path.join(root, "..", "shared", "data", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz")
    if "text" in modalities and not os.path.isfile(vocab):
        raise SystemExit(f"CLIP BPE vocabulary not found at {vocab}; pass --vocab")
    state_path = args.state or args.out.rstrip("/") + ".pt"
    export = _load_export_module()

    t0 = time.time()
    model = StandInHuge(modalities, seed=args.seed).eval()
    t_build = time.time() - t0
    counts = count_params(model)
    print(f"built in {t_build:.1f} s, seed {args.seed}")
    for m, n in counts.items():
        f = FACTS_PARAMS[m]
        print(f"  {m:8s} {n:>13,d} parameters; facts sheet {f:>13,d}; difference {n - f:+,d}")
    torch.save({"seed": args.seed, "modalities": modalities, "model": model.state_dict()}, state_path)
    print(f"wrote {state_path} ({os.path.getsize(state_path):,d} bytes)")

    t1 = time.time()
    export.export_bundle(model, args.out, modalities=modalities, model_name="standin-huge",
                         model_version=f"seed-{args.seed}",
                         license={"id": "Apache-2.0", "name": "Apache License 2.0",
                                  "attribution": "bindspace stand-in with ImageBind-Huge's shapes and random weights "
                                                 f"(seed {args.seed}); no ImageBind weights."},
                         license_text="Random weights generated by bindspace tools/perf/standin_huge.py; "
                                      "Apache License 2.0, like bindspace.\n",
                         vocab_path=vocab)
    t_export = time.time() - t1
    sizes = _dir_bytes(args.out)
    total = sum(sizes.values())
    report = {"seed": args.seed, "modalities": modalities, "parameters": counts, "facts_parameters":
              {m: FACTS_PARAMS[m] for m in modalities}, "build_seconds": round(t_build, 1),
              "export_seconds": round(t_export, 1), "bundle_bytes": total, "files": sizes}
    report_path = args.out.rstrip("/") + ".report.json"  # beside the bundle, not in it
    with open(report_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(json.dumps(report, indent=2))
    print(f"export took {t_export:.0f} s; bundle {total / 1e9:.2f} GB in {args.out}")
    if args.ready:
        with open(args.ready, "w") as f:
            f.write(f"export_seconds {t_export:.0f}\nbundle {args.out}\nstate {state_path}\nbytes {total}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
