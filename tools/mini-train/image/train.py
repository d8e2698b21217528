#!/usr/bin/python3
"""Trains the bindspace-mini IMAGE tower: a small CNN -> 384-d unit vector, aligned to the frozen MiniLM caption
embeddings with a symmetric InfoNCE loss and a learnable temperature.

Inputs (from build_dataset.py and the EmbedCaptions tool):
  <data-dir>/image/manifest.jsonl      items (file, optional alpha mask, label key, captions, split train/val)
  <data-dir>/image/captions.txt/.npy   unique captions and their MiniLM embeddings (float32 [N,384], unit rows)
Outputs: <data-dir>/image/cache_<S>.pt (preprocessed uint8 tensors, built once), <out>/best.pt, <out>/last.pt,
<out>/train_log.txt.

Loss: each step samples one caption per item; a batch pair (image i, caption j) counts as positive when items i
and j share a label key (the same emoji in another style, the same Openclipart title, ...) or the two sampled
captions are the same text, so duplicates are never pushed apart (label-level targets: -log of the summed
softmax probability of all positives, both directions).

Model selection: a validation split of training-source label keys (5 %, never the held-out sets); metric = zero-shot
top-1 over the validation labels with the fixed image templates of EVAL_FORMAT.md.

usage: /usr/bin/python3 train.py [--data-dir DIR | --packed DIR] [--out DIR] [--minutes 30 | --steps N]
                                [--device cpu|cuda] [--seed 1] [--widths 32,48,96,192] [--batch 256] [--lr 2e-3]
"""
import argparse
import json
import math
import pathlib
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402

T0 = time.time()


def log(msg, f=None):
    line = f"[{time.strftime('%H:%M:%S')} +{time.time() - T0:6.0f}s] {msg}"
    print(line, flush=True)
    if f is not None:
        f.write(line + "\n")
        f.flush()


# ---------------------------------------------------------------- model
def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Res(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = conv_bn(c, c)
        self.b = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.b(self.a(x)))


class ImageTower(nn.Module):
    """64x64 RGB (CLIP-normalised) -> unit 384-d vector. Four stride-2 3x3 conv stages (32, 16, 8, 4 px) with one
    residual block after each of the last three, global average pooling, a two-layer projection head.
    About 42 M multiply-adds and 1.4 M parameters."""

    def __init__(self, widths=(32, 48, 96, 192), dim=common.DIM):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.features = nn.Sequential(
            conv_bn(3, w0, 2),
            conv_bn(w0, w1, 2), Res(w1),
            conv_bn(w1, w2, 2), Res(w2),
            conv_bn(w2, w3, 2), Res(w3))
        self.head = nn.Sequential(nn.Linear(w3, 512), nn.ReLU(inplace=True), nn.Linear(512, dim))

    def forward(self, x):
        h = self.features(x).mean(dim=(2, 3))
        return F.normalize(self.head(h), dim=-1)


class EnsembleTower(nn.Module):
    """Several towers as one: the mean of their unit embeddings, re-normalised (what the shipped graphs compute
    when more than one checkpoint is exported)."""

    def __init__(self, towers):
        super().__init__()
        self.towers = nn.ModuleList(towers)

    def forward(self, x):
        return F.normalize(torch.stack([t(x) for t in self.towers]).mean(dim=0), dim=-1)


def load_tower(paths):
    """An eval-mode tower from one checkpoint (.pt or .npz, see ckpt.py), or the ensemble of several."""
    import ckpt
    towers, states = [], []
    for p in paths:
        state = ckpt.load(p)
        tower = ImageTower(tuple(state["widths"]))
        tower.load_state_dict(state["model"])
        towers.append(tower.eval())
        states.append(state)
    model = towers[0] if len(towers) == 1 else EnsembleTower(towers)
    return model.eval(), states


# ---------------------------------------------------------------- data
def build_cache(dd, rows, path):
    from PIL import Image
    from torchvision import transforms as T
    from torchvision.transforms import InterpolationMode
    n = len(rows)
    xs = torch.zeros(n, 3, common.SIZE, common.SIZE, dtype=torch.uint8)
    xa = torch.zeros(n, 3, common.AUG_SIZE, common.AUG_SIZE, dtype=torch.uint8)
    ma = torch.full((n, 1, common.AUG_SIZE, common.AUG_SIZE), 255, dtype=torch.uint8)
    big = T.Compose([T.Resize(common.AUG_SIZE, InterpolationMode.BICUBIC), T.CenterCrop(common.AUG_SIZE)])
    for i, r in enumerate(rows):
        xs[i] = common.preprocess(dd / r["file"], common.SIZE)
        im = Image.open(dd / r["file"]).convert("RGB")
        xa[i] = torch.from_numpy(np.asarray(big(im)).copy()).permute(2, 0, 1)
        if r.get("mask"):
            m = Image.open(dd / r["mask"]).convert("L")
            ma[i, 0] = torch.from_numpy(np.asarray(big(m)).copy())
        if i % 2000 == 0:
            log(f"  cache {i}/{n}")
    torch.save({"ids": [r["id"] for r in rows], "xs": xs, "xa": xa, "ma": ma}, path)


def uni(gen, shape, lo, hi):
    return lo + (hi - lo) * torch.rand(shape, generator=gen, device=gen.device)


def augment(xa, ma, gen, out=common.SIZE):
    """uint8 [B,3,A,A] + alpha [B,1,A,A] (A = AUG_SIZE) -> augmented float [B,3,out,out] in [0,1]."""
    b = xa.shape[0]
    x = xa.float() / 255
    a = ma.float() / 255
    # random background behind transparent renders: white 50 %, solid colour 25 %, smooth noise 25 %
    kind = torch.rand(b, 1, 1, 1, generator=gen, device=gen.device)
    solid = torch.rand(b, 3, 1, 1, generator=gen, device=gen.device).expand(b, 3, x.shape[2], x.shape[3])
    noise = F.interpolate(torch.rand(b, 3, 4, 4, generator=gen, device=gen.device), size=x.shape[2:], mode="bilinear",
                          align_corners=False)
    bg = torch.where(kind < 0.5, torch.ones_like(x), torch.where(kind < 0.75, solid, noise))
    # the stored RGB is the render on white: recover the colour under the alpha (x = a*c + (1-a)*1)
    c = torch.where(a > 0.02, (x - (1 - a)) / a.clamp(min=0.02), x).clamp(0, 1)
    x = a * c + (1 - a) * bg
    # random resized crop + flip + small rotation as one affine grid
    scale = uni(gen, (b,), 0.55, 1.0).sqrt()
    ratio = torch.exp(uni(gen, (b,), math.log(3 / 4), math.log(4 / 3)))
    sx, sy = scale * ratio.sqrt(), scale / ratio.sqrt()
    sx, sy = sx.clamp(max=1.0), sy.clamp(max=1.0)
    tx = (torch.rand(b, generator=gen, device=gen.device) * 2 - 1) * (1 - sx)
    ty = (torch.rand(b, generator=gen, device=gen.device) * 2 - 1) * (1 - sy)
    flip = torch.where(torch.rand(b, generator=gen, device=gen.device) < 0.5, -1.0, 1.0)
    ang = (torch.rand(b, generator=gen, device=gen.device) * 2 - 1) * math.radians(12)
    cos, sin = torch.cos(ang), torch.sin(ang)
    theta = torch.stack([torch.stack([sx * cos * flip, -sy * sin, tx], 1),
                         torch.stack([sx * sin * flip, sy * cos, ty], 1)], 1)
    grid = F.affine_grid(theta, (b, 3, out, out), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    # colour jitter: brightness, contrast, saturation; greyscale 15 %
    br = uni(gen, (b, 1, 1, 1), 0.7, 1.3)
    ct = uni(gen, (b, 1, 1, 1), 0.7, 1.3)
    st = uni(gen, (b, 1, 1, 1), 0.6, 1.4)
    x = x * br
    grey = (0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = (x - grey.mean(dim=(2, 3), keepdim=True)) * ct + grey.mean(dim=(2, 3), keepdim=True)
    grey = (0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = grey + (x - grey) * st
    g = torch.rand(b, 1, 1, 1, generator=gen, device=gen.device) < 0.15
    x = torch.where(g, grey.expand_as(x), x)
    return x.clamp(0, 1)


def norm01(x):
    m = torch.tensor(common.MEAN, device=x.device).view(1, 3, 1, 1)
    s = torch.tensor(common.STD, device=x.device).view(1, 3, 1, 1)
    return (x - m) / s


def multi_pos_loss(logits, pos):
    """-log sum of softmax over the positives, averaged over rows."""
    lse_all = torch.logsumexp(logits, dim=1)
    lse_pos = torch.logsumexp(logits.masked_fill(~pos, float("-inf")), dim=1)
    return (lse_all - lse_pos).mean()


@torch.no_grad()
def embed_images(model, xs_uint8, device, bs=256):
    model.eval()
    out = []
    for i in range(0, len(xs_uint8), bs):
        out.append(model(norm01(xs_uint8[i:i + bs].to(device).float() / 255)).cpu())
    return torch.cat(out)


def ensure_cache(dd):
    """The manifest rows and the path of their preprocessed tensor cache, built first if missing."""
    rows = [json.loads(l) for l in open(dd / "image" / "manifest.jsonl")]
    cache = dd / "image" / f"cache_{common.SIZE}.pt"
    if not cache.exists():
        log(f"building {cache}")
        build_cache(dd, rows, cache)
    return rows, cache


def parse_source_weights(spec):
    """'icons=0.5,gcompris=2' -> {'icons': 0.5, 'gcompris': 2.0}; a source not named keeps weight 1."""
    out = {}
    for part in filter(None, (spec or "").split(",")):
        name, _, val = part.partition("=")
        try:
            out[name.strip()] = float(val)
        except ValueError:
            raise SystemExit(f"--source-weight: expected SOURCE=NUMBER, got {part!r}") from None
        if out[name.strip()] < 0:
            raise SystemExit(f"--source-weight: expected a weight >= 0, got {part!r}")
    return out


def load_data(dd, source_weights=None):
    """The training tensors from the data directory (manifest, cache, caption anchors): a dict of
    xa uint8 [N,3,A,A] and ma uint8 [N,1,A,A] (training items only), key int64 [N] (label key of each item),
    caps int64 [N,C] / ncaps int64 [N] (each item's caption indices, padded with 0, and their count),
    w float32 [N] (sampling weight: each top-level source gets a total weight of sqrt(its size), times its factor
    in source_weights, a dict such as {"icons": 0.5}; a source with factor 0 is left out), val_x uint8 [V,3,S,S]
    (exact profile), val_y int64 [V], lab_emb float32 [L,384] (validation label prompts), cap_emb float32 [K,384]
    (caption anchors), summary str."""
    rows, cache = ensure_cache(dd)
    caps = (dd / "image" / "captions.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    cap_emb = torch.from_numpy(np.load(dd / "image" / "captions.npy")).float()
    assert len(caps) == len(cap_emb), f"captions.txt has {len(caps)} lines but captions.npy {len(cap_emb)} rows"
    cap_idx = {c: i for i, c in enumerate(caps)}
    c = torch.load(cache)
    assert c["ids"] == [r["id"] for r in rows], "cache does not match the manifest: delete it and rerun"
    f = source_weights or {}
    # a source with factor 0 is left out altogether (e.g. icons=0 gives the training set of bindspace-mini 0.1/0.2)
    tr = [i for i, r in enumerate(rows) if r["split"] == "train" and f.get(r["source"].split("/")[0], 1.0) > 0]
    va = [i for i, r in enumerate(rows) if r["split"] == "val"]
    keys = {k: j for j, k in enumerate(sorted({r["key"] for r in rows}))}
    item_caps = [[cap_idx[x] for x in rows[i]["captions"]] for i in tr]
    width = max(len(x) for x in item_caps)
    padded = torch.tensor([x + [0] * (width - len(x)) for x in item_caps], dtype=torch.int64)
    # sampling weight: emoji styles and other sources balanced so that no single source dominates
    src = [rows[i]["source"].split("/")[0] for i in tr]
    n_src = {s: src.count(s) for s in sorted(set(src))}
    unknown = set(f) - {r["source"].split("/")[0] for r in rows}
    if unknown:
        raise SystemExit(f"--source-weight: unknown source(s) {sorted(unknown)}, expected one of {sorted(n_src)}")
    w = torch.tensor([f.get(s, 1.0) / math.sqrt(n_src[s]) for s in src])
    # validation: zero-shot over the val items' primary labels with the fixed image templates
    val_labels = sorted({rows[i]["captions"][0] for i in va})
    lab_emb = []
    for lab in val_labels:
        e = torch.stack([cap_emb[cap_idx[t.format(lab)]] for t in common.EVAL_TEMPLATES["image"]]).mean(0)
        lab_emb.append(F.normalize(e, dim=0))
    return {"xa": c["xa"][tr], "ma": c["ma"][tr], "key": torch.tensor([keys[rows[i]["key"]] for i in tr]),
            "caps": padded, "ncaps": torch.tensor([len(x) for x in item_caps]), "w": w.float(),
            "val_x": c["xs"][va], "val_y": torch.tensor([val_labels.index(rows[i]["captions"][0]) for i in va]),
            "lab_emb": torch.stack(lab_emb), "cap_emb": cap_emb,
            "summary": f"{len(tr)} train / {len(va)} val items, {len(keys)} keys, {len(caps)} captions, "
                       f"{len(val_labels)} val labels, sources {n_src}"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir")
    ap.add_argument("--packed", help="read the training tensors from a pack written by pack.py instead of the data "
                                     "directory (for a GPU machine that has no data directory)")
    ap.add_argument("--out", default=None, help="checkpoint folder (default <data-dir>/image/run)")
    ap.add_argument("--minutes", type=float, default=30.0, help="wall-clock training budget")
    ap.add_argument("--steps", type=int, default=0, help="train this many steps instead, the schedule following the "
                                                      "step count (reproducible on any machine); 0: use --minutes")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--widths", default="32,48,96,192", help="channels of the four conv stages")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", help="start from this checkpoint (model and temperature), e.g. to continue a run")
    ap.add_argument("--cache-only", action="store_true", help="only build the preprocessed tensor cache")
    ap.add_argument("--source-weight", default="", help="sampling factors per top-level source, e.g. icons=0.5 "
                                                         "(default: every source 1)")
    ap.add_argument("--eval-every", type=int, default=150, help="steps between validation runs")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    widths = tuple(int(x) for x in a.widths.split(","))
    if len(widths) != 4:
        raise SystemExit(f"--widths: expected 4 comma-separated channel counts, got {a.widths!r}")
    if a.packed and (a.cache_only or a.data_dir):
        raise SystemExit("--packed reads a pack instead of the data directory: expected no --data-dir or --cache-only "
                         "with it")
    if a.steps < 0:
        raise SystemExit(f"--steps: expected 0 (use --minutes) or a positive step count, got {a.steps}")
    if a.packed:
        import pack
        out = pathlib.Path(a.out or "run")
    else:
        dd = common.data_dir(a.data_dir)
        out = pathlib.Path(a.out) if a.out else dd / "image" / "run"
    out.mkdir(parents=True, exist_ok=True)
    lf = open(out / "train_log.txt", "a")
    log(f"args {vars(a)}", lf)
    if a.cache_only:
        ensure_cache(dd)
        return
    if a.packed and a.source_weight:
        raise SystemExit("--source-weight: a pack holds its sampling weights already (pack.py --source-weight)")
    data = pack.read(pathlib.Path(a.packed)) if a.packed else load_data(dd, parse_source_weights(a.source_weight))
    log(data["summary"], lf)

    dev = torch.device(a.device)
    if dev.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    # every training tensor lives on the training device: augmentation and sampling run there too
    xa, ma = data["xa"].to(dev), data["ma"].to(dev)
    key_of, caps, ncaps, w = (data[k].to(dev) for k in ("key", "caps", "ncaps", "w"))
    cap_emb_d = data["cap_emb"].float().to(dev)
    lab_emb, val_x, val_y = data["lab_emb"].float(), data["val_x"], data["val_y"]

    model = ImageTower(widths).to(dev)
    nparam = sum(p.numel() for p in model.parameters())
    log(f"model ImageTower{widths}, {nparam:,} parameters", lf)
    logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07), device=dev))
    if a.init:
        init = torch.load(a.init, map_location="cpu", weights_only=False)
        model.load_state_dict(init["model"])
        with torch.no_grad():
            logit_scale.copy_(init["logit_scale"])
        log(f"initialised from {a.init} (step {init['step']}, val top1 {init['val_top1']:.3f})", lf)
    opt = torch.optim.AdamW([{"params": model.parameters(), "weight_decay": 0.05},
                             {"params": [logit_scale], "weight_decay": 0.0}], lr=a.lr)
    gen = torch.Generator(device=dev).manual_seed(a.seed)
    budget = a.minutes * 60
    t_start = time.time()
    step, best = 0, -1.0

    def validate():
        z = embed_images(model, val_x, dev).float()
        sims = z @ lab_emb.T
        top = sims.topk(5, dim=1).indices
        t1 = (top[:, 0] == val_y).float().mean().item()
        t5 = (top == val_y[:, None]).any(1).float().mean().item()
        model.train()
        return t1, t5

    def checkpoint(t1, t5):
        return {"model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
                "logit_scale": logit_scale.detach().cpu(), "step": step, "val_top1": t1, "val_top5": t5,
                "widths": list(widths), "args": {k: str(v) for k, v in vars(a).items()}}

    model.train()
    run_loss = torch.zeros((), device=dev)
    while True:
        # the schedule follows wall-clock progress (the machine is shared, so step times vary) or, with --steps, the
        # step count: linear warm-up over the first 30 steps, then cosine decay to zero at the end of the budget
        progress = step / a.steps if a.steps else (time.time() - t_start) / budget
        if progress >= 1.0:
            break
        lr_now = a.lr * min(1.0, (step + 1) / 30) * 0.5 * (1 + math.cos(math.pi * progress))
        for g in opt.param_groups:
            g["lr"] = lr_now
        bi = torch.multinomial(w, a.batch, replacement=False, generator=gen)
        x = augment(xa[bi], ma[bi], gen)
        pick = (torch.rand(a.batch, generator=gen, device=dev) * ncaps[bi]).long().clamp(max=caps.shape[1] - 1)
        ci = caps[bi, pick]
        t = cap_emb_d[ci]
        k = key_of[bi]
        pos = (k[:, None] == k[None, :]) | (ci[:, None] == ci[None, :])
        z = model(norm01(x))
        scale = logit_scale.clamp(max=math.log(100)).exp()
        logits = scale * z @ t.T
        loss = 0.5 * (multi_pos_loss(logits, pos) + multi_pos_loss(logits.T, pos.T))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        run_loss += loss.detach()
        step += 1
        if step % 25 == 0:
            log(f"step {step} loss {run_loss.item() / 25:.4f} scale {scale.item():.1f} lr {lr_now:.2e}", lf)
            run_loss.zero_()
        if step % a.eval_every == 0:
            t1, t5 = validate()
            log(f"step {step} VAL zero-shot top1 {t1:.3f} top5 {t5:.3f} over {len(lab_emb)} labels "
                f"(chance {1 / len(lab_emb):.4f})", lf)
            ck = checkpoint(t1, t5)
            torch.save(ck, out / "last.pt")
            if t1 > best:
                best = t1
                torch.save(ck, out / "best.pt")
    t1, t5 = validate()
    log(f"final step {step} VAL top1 {t1:.3f} top5 {t5:.3f}; wall {time.time() - t_start:.0f} s", lf)
    ck = checkpoint(t1, t5)
    torch.save(ck, out / "last.pt")
    if t1 > best:
        best = t1
        torch.save(ck, out / "best.pt")
    log(f"best VAL top1 {best:.3f}", lf)


if __name__ == "__main__":
    main()
