#!/usr/bin/python3
"""Train the bindspace-mini audio tower against the frozen MiniLM caption anchors.

Loss: symmetric InfoNCE between a batch of log-mel crops and one caption drawn per crop from its label's captions,
with LABEL-LEVEL positives (caption j is a positive of crop i when j is one of the captions of i's label, so two
pianos or a bark and "a dog" are not pushed apart) and ignored pairs (labels whose names overlap, e.g.
"acoustic grand piano" vs "bright acoustic piano", or the spoken word "dog" vs "the sound of a dog", are neither
positive nor negative). Plus an audio->caption-bank term over every training caption (same masks), weighted by
--bank-weight. Learnable temperature (CLIP init 1/0.07, capped at 100). Model selection on the validation split
(held-out items of TRAINING sources, never H1-H5), by top-1 over validation label names with the fixed eval
templates.

The learning-rate schedule (warm-up + cosine) follows the wall-clock budget (--minutes) or --max-steps, whichever
ends first, so a loaded machine still finishes a full schedule.

Run:  /usr/bin/python3 tools/mini-train/audio/train.py --data-dir ../mini-data --minutes 30 --out /tmp/aud.pt
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_dataset import default_data_dir, log  # noqa: E402
from model import AudioTower, count_params  # noqa: E402
from prepare import primary_name, prompts  # noqa: E402


def multi_positive_nce(logits: torch.Tensor, pos: torch.Tensor, ign: torch.Tensor) -> torch.Tensor:
    """Rows: -log(sum_pos exp / sum_{not ignored} exp). Rows without a positive are skipped."""
    neg_inf = torch.finfo(logits.dtype).min
    allowed = logits.masked_fill(ign & ~pos, neg_inf)
    num = logits.masked_fill(~pos, neg_inf).logsumexp(dim=1)
    den = allowed.logsumexp(dim=1)
    has = pos.any(dim=1)
    return (den - num)[has].mean()


class Data:
    def __init__(self, data_dir: Path, mel_bins: int, device: str):
        root = data_dir / "audio"
        cache = root / f"cache_m{mel_bins}"
        self.rows = [json.loads(l) for l in open(root / "manifest.jsonl")]
        self.captions = json.loads((cache / "captions.json").read_text())
        self.cap_index = {c: i for i, c in enumerate(self.captions)}
        self.cap_emb = torch.from_numpy(np.load(cache / "captions.npy")).float().to(device)
        self.stats = json.loads((cache / "stats.json").read_text())

        labels = sorted({r["label"] for r in self.rows})
        self.labels = labels
        lab_index = {l: i for i, l in enumerate(labels)}
        lab_caps: list[set[int]] = [set() for _ in labels]
        lab_names: list[set[str]] = [set() for _ in labels]
        for r in self.rows:
            li = lab_index[r["label"]]
            lab_caps[li].update(self.cap_index[c] for c in r["captions"])
            lab_names[li].update(r["names"])
        # captions used for training: only the rows' own captions (eval prompts are in the file for eval only)
        train_caps = sorted(set().union(*lab_caps))
        self.bank_ids = torch.tensor(train_caps, device=device)
        bank_pos = {c: k for k, c in enumerate(train_caps)}
        L, C = len(labels), len(self.captions)
        pos = torch.zeros(L, C, dtype=torch.bool)
        for li, cs in enumerate(lab_caps):
            pos[li, list(cs)] = True
        by_name: dict[str, list[int]] = {}
        for li, ns in enumerate(lab_names):
            for n in ns:
                by_name.setdefault(n, []).append(li)
        ign = torch.zeros(L, C, dtype=torch.bool)
        for li, ns in enumerate(lab_names):
            near = {lj for n in ns for lj in by_name[n]}
            for lj in near:
                ign[li, list(lab_caps[lj])] = True
        self.pos, self.ign = pos.to(device), (ign & ~pos).to(device)
        self.lab_caps = [torch.tensor(sorted(cs)) for cs in lab_caps]
        self.item_label = torch.tensor([lab_index[r["label"]] for r in self.rows])
        self.item_kind = [r["kind"] for r in self.rows]

        crop_item = torch.from_numpy(np.load(cache / "crop_item.npy"))
        self.crop_item = crop_item
        log(f"loading crops ({len(crop_item)}) into memory")
        self.crops = torch.from_numpy(np.load(cache / "crops.npy"))  # float16 [K,1,M,204]
        self.crop_label = self.item_label[crop_item]
        self.val = torch.from_numpy(np.load(cache / "val.npy"))
        self.val_item = torch.from_numpy(np.load(cache / "val_item.npy"))
        log(f"data: {len(self.rows)} items, {L} labels, {C} captions ({len(train_caps)} training), "
            f"{len(crop_item)} crops, {len(self.val_item)} val items; bank_pos {len(bank_pos)}")

        # validation prototypes: fixed eval templates over the val items' label names
        names = sorted({primary_name(self.rows[i]["label"]) for i in self.val_item.tolist()})
        self.val_names = names
        name_index = {n: k for k, n in enumerate(names)}
        protos = []
        for n in names:
            e = self.cap_emb[[self.cap_index[p] for p in prompts(n)]]
            protos.append(F.normalize(F.normalize(e, dim=-1).mean(0), dim=0))
        self.val_protos = torch.stack(protos)
        self.val_target = torch.tensor([name_index[primary_name(self.rows[i]["label"])] for i in self.val_item.tolist()])

    def sampling_weights(self, shares: dict[str, float]) -> torch.Tensor:
        kinds = [self.item_kind[i] for i in self.crop_item.tolist()]
        counts = {k: kinds.count(k) for k in set(kinds)}
        total = sum(shares.get(k, 0.0) for k in counts)
        return torch.tensor([shares.get(k, 0.0) / total / counts[k] for k in kinds], dtype=torch.double)


def spec_augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    B, _, M, T = x.shape
    for b in range(B):
        if torch.rand(1, generator=gen).item() < 0.5:
            f = int(torch.randint(1, M // 8 + 1, (1,), generator=gen))
            f0 = int(torch.randint(0, M - f, (1,), generator=gen))
            x[b, :, f0:f0 + f, :] = 0
        if torch.rand(1, generator=gen).item() < 0.5:
            t = int(torch.randint(1, 25, (1,), generator=gen))
            t0 = int(torch.randint(0, T - t, (1,), generator=gen))
            x[b, :, :, t0:t0 + t] = 0
    return x


@torch.no_grad()
def embed_views(model: torch.nn.Module, views: torch.Tensor, device: str, bs: int = 96) -> torch.Tensor:
    """(N, V, 1, M, T) -> (N, 384): mean of the V unit embeddings (re-normalised for cosine)."""
    model.eval()
    N, V = views.shape[:2]
    flat = views.reshape(N * V, *views.shape[2:])
    out = []
    for s in range(0, flat.size(0), bs):
        out.append(model(flat[s:s + bs].float().to(device)))
    e = torch.cat(out).reshape(N, V, -1).mean(1)
    return F.normalize(e, dim=-1)


@torch.no_grad()
def validate(model, data: Data, device: str) -> dict:
    e = embed_views(model, data.val, device)
    sims = e @ data.val_protos.T
    top = sims.topk(5, dim=1).indices.cpu()
    t = data.val_target
    kinds = [data.item_kind[i] for i in data.val_item.tolist()]
    res = {"top1": float((top[:, 0] == t).float().mean()), "top5": float((top == t[:, None]).any(1).float().mean()),
           "n": len(t), "labels": len(data.val_names)}
    for k in sorted(set(kinds)):
        m = torch.tensor([kk == k for kk in kinds])
        res[f"top1_{k}"] = float((top[m, 0] == t[m]).float().mean())
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=default_data_dir())
    ap.add_argument("--mel-bins", type=int, default=64)
    ap.add_argument("--widths", default="24,48,96,192")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--bank-weight", type=float, default=0.5)
    ap.add_argument("--minutes", type=float, default=30.0, help="wall-clock budget of the training loop")
    ap.add_argument("--max-steps", type=int, default=100000)
    ap.add_argument("--val-every", type=float, default=3.0, help="minutes between validations")
    ap.add_argument("--shares", default="speech=0.35,instrument=0.35,sound=0.30", help="sampling share per kind")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--out", type=Path, required=True, help="checkpoint path (best on validation)")
    ap.add_argument("--init", type=Path, help="start from this checkpoint's weights and temperature (continue a run)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    dev = args.device
    log(f"args {vars(args)}")

    data = Data(args.data_dir.resolve(), args.mel_bins, dev)
    widths = tuple(int(w) for w in args.widths.split(","))
    model = AudioTower(widths).to(dev)
    log(f"model widths {widths}: {count_params(model):,} parameters")
    init_scale = 1 / 0.07
    if args.init:
        ck = torch.load(args.init, map_location="cpu")
        model.load_state_dict(ck["model"])
        init_scale = ck["logit_scale"]
        log(f"continuing from {args.init} (val history {len(ck.get('history', []))} points, scale {init_scale:.1f})")
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(init_scale), device=dev))
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay + [logit_scale], "weight_decay": 0.0}], lr=args.lr)
    shares = {k: float(v) for k, v in (s.split("=") for s in args.shares.split(","))}
    weights = data.sampling_weights(shares)
    bank = data.cap_emb[data.bank_ids]
    bank_pos = data.pos[:, data.bank_ids]
    bank_ign = data.ign[:, data.bank_ids]

    t_start = time.time()
    budget = args.minutes * 60
    best, history, last_val = -1.0, [], time.time()
    step, losses = 0, []
    while True:
        progress = max(step / args.max_steps, (time.time() - t_start) / budget)
        if progress >= 1.0:
            break
        warm = 0.03
        lr = args.lr * (progress / warm if progress < warm else 0.5 * (1 + math.cos(math.pi * (progress - warm) / (1 - warm))))
        for g in opt.param_groups:
            g["lr"] = lr
        model.train()
        idx = torch.multinomial(weights, args.batch, replacement=True, generator=gen)
        x = spec_augment(data.crops[idx].float(), gen).to(dev)
        lab = data.crop_label[idx]
        cap = torch.stack([data.lab_caps[l][torch.randint(len(data.lab_caps[l]), (1,), generator=gen)][0]
                           for l in lab.tolist()]).to(dev)
        lab = lab.to(dev)
        a = model(x)
        t = data.cap_emb[cap]
        s = logit_scale.exp().clamp(max=100)
        logits = s * a @ t.T
        pos = data.pos[lab][:, cap]
        ign = data.ign[lab][:, cap]
        loss = 0.5 * (multi_positive_nce(logits, pos, ign) + multi_positive_nce(logits.T, pos.T, ign.T))
        if args.bank_weight > 0:
            bl = s * a @ bank.T
            loss = loss + args.bank_weight * multi_positive_nce(bl, bank_pos[lab], bank_ign[lab])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            logit_scale.clamp_(max=math.log(100))
        losses.append(float(loss))
        step += 1
        if step % 25 == 0:
            el = time.time() - t_start
            log(f"step {step} loss {np.mean(losses[-25:]):.4f} scale {float(s):.1f} lr {lr:.2e} "
                f"{el / step * 1e3:.0f} ms/step progress {progress:.3f}")
        if time.time() - last_val > args.val_every * 60:
            last_val = time.time()
            v = validate(model, data, dev)
            v.update(step=step, minutes=round((time.time() - t_start) / 60, 2))
            history.append(v)
            log(f"val {v}")
            if v["top1"] > best:
                best = v["top1"]
                save(args, model, logit_scale, widths, data, history)
    v = validate(model, data, dev)
    v.update(step=step, minutes=round((time.time() - t_start) / 60, 2), final=True)
    history.append(v)
    log(f"val (final) {v}")
    if v["top1"] >= best:
        best = v["top1"]
        save(args, model, logit_scale, widths, data, history)
    else:
        ck = torch.load(args.out)
        ck["history"] = history
        torch.save(ck, args.out)
    log(f"done: {step} steps in {(time.time() - t_start) / 60:.1f} min, best val top-1 {best:.4f} -> {args.out}")


def save(args, model, logit_scale, widths, data, history) -> None:
    torch.save({"model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
                "widths": list(widths), "mel_bins": args.mel_bins, "mean": data.stats["mean"], "std": data.stats["std"],
                "logit_scale": float(logit_scale.exp()), "history": history, "args": {k: str(v) for k, v in vars(args).items()}},
               args.out)
    log(f"saved checkpoint {args.out} (val top-1 {history[-1]['top1']:.4f})")


if __name__ == "__main__":
    main()
