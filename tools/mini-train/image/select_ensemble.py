#!/usr/bin/python3
"""Scores image-tower checkpoints and every ensemble of them on the VALIDATION split only (the 126 unseen
training-source label keys train.py selects on; never the held-out sets), so that the choice of what ships is
made without looking at H1-H5. An ensemble is the mean of its members' unit embeddings, re-normalised -- what
export.py puts in one graph when given several checkpoints.

Prints one line per checkpoint (also with a horizontal-flip test-time average) and per combination: zero-shot
top-1 / top-5 over the validation labels with the fixed image templates.

usage: /usr/bin/python3 select_ensemble.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--data-dir DIR | --packed DIR]
"""
import argparse
import itertools
import pathlib
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from train import embed_images, load_data, load_tower  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoints", nargs="+", metavar="NAME=CHECKPOINT")
    ap.add_argument("--data-dir")
    ap.add_argument("--packed")
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.packed:
        import pack
        d = pack.read(pathlib.Path(a.packed))
    else:
        d = load_data(common.data_dir(a.data_dir))
    named = []
    for spec in a.checkpoints:
        if "=" not in spec:
            raise SystemExit(f"expected NAME=CHECKPOINT, got {spec!r}")
        named.append(spec.split("=", 1))

    def score(z):
        top = (z @ d["lab_emb"].T).topk(5, dim=1).indices
        return (top[:, 0] == d["val_y"]).float().mean().item(), (top == d["val_y"][:, None]).any(1).float().mean().item()

    z = {}
    print(f"validation: {len(d['val_y'])} items, {len(d['lab_emb'])} labels (chance top-1 {1 / len(d['lab_emb']):.4f})")
    for name, path in named:
        model, (state,) = load_tower([path])
        z[name] = embed_images(model, d["val_x"], "cpu")
        flipped = F.normalize(z[name] + embed_images(model, d["val_x"].flip(3), "cpu"), dim=-1)
        print(f"{name:24s} top1 {score(z[name])[0]:.3f} top5 {score(z[name])[1]:.3f}   with flip average "
              f"{score(flipped)[0]:.3f} / {score(flipped)[1]:.3f}   (widths {state['widths']}, step {state['step']})")
    names = [n for n, _ in named]
    for r in range(2, len(names) + 1):
        for combo in itertools.combinations(names, r):
            t1, t5 = score(F.normalize(sum(z[n] for n in combo), dim=-1))
            print(f"{'+'.join(combo):24s} top1 {t1:.3f} top5 {t5:.3f}")


if __name__ == "__main__":
    main()
