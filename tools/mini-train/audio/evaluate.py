#!/usr/bin/python3
"""Python-side held-out evaluation of the audio tower: audio -> text over each set's labels (H1, H3, H4), with the
FIXED `audio` templates of <data-dir>/eval/<H>/eval-audio.json. A label's text embedding is the mean of its
templates' unit MiniLM embeddings (from the Java EmbedCaptions tool, cached by prepare.py), re-normalised; an audio
file's embedding is the mean of its 3 clip embeddings (melspec.file_clips, ImageBind's recipe). Reports top-1/top-5,
chance (k/|labels|) and the label-prior baseline, overall and per group.

Run:  /usr/bin/python3 tools/mini-train/audio/evaluate.py --checkpoint ../mini-data/audio/audio_tower.pt
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import melspec  # noqa: E402
from build_dataset import default_data_dir  # noqa: E402
from model import AudioTower  # noqa: E402


def metrics(top: torch.Tensor, target: torch.Tensor, n_labels: int, prior: list[int]) -> dict:
    r = {"n": int(len(target))}
    for k in (1, 5):
        r[f"top{k}"] = round(float((top[:, :k] == target[:, None]).any(1).float().mean()), 4)
        r[f"chance{k}"] = round(min(k, n_labels) / n_labels, 4)
        r[f"prior{k}"] = round(float(sum(int(t) in prior[:k] for t in target.tolist()) / len(target)), 4)
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=default_data_dir())
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--sets", default="H1,H3,H4")
    ap.add_argument("--out", type=Path, help="write the results as JSON")
    args = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(args.checkpoint, map_location="cpu")
    M = int(ck["mel_bins"])
    model = AudioTower(tuple(ck["widths"]))
    model.load_state_dict(ck["model"])
    model.eval()
    cache = args.data_dir / "audio" / f"cache_m{M}"
    caps = json.loads((cache / "captions.json").read_text())
    index = {c: i for i, c in enumerate(caps)}
    emb = torch.from_numpy(np.load(cache / "captions.npy")).float()
    results = {}
    for h in args.sets.split(","):
        folder = args.data_dir / "eval" / h
        doc = json.loads((folder / "eval-audio.json").read_text())
        labels = doc["labels"]
        protos = torch.stack([F.normalize(F.normalize(emb[[index[t.format(l)] for t in doc["templates"]["audio"]]],
                                                      dim=-1).mean(0), dim=0) for l in labels])
        items = [it for it in doc["items"] if it["modality"] == "audio"]
        with torch.no_grad():
            e = torch.stack([F.normalize(model(melspec.file_clips(str(folder / it["file"]), M, ck["mean"], ck["std"]))
                                         .mean(0), dim=0) for it in items])
        top = (e @ protos.T).topk(5, dim=1).indices
        target = torch.tensor([labels.index(it["label"]) for it in items])
        prior = [labels.index(l) for l, _ in Counter(it["label"] for it in items).most_common()]
        res = {"all": metrics(top, target, len(labels), prior), "labels": len(labels)}
        for g in sorted({it["group"] for it in items}):
            m = torch.tensor([it["group"] == g for it in items])
            res[g] = metrics(top[m], target[m], len(labels), prior)
        results[h] = res
        print(f"{h} ({len(items)} items, {len(labels)} labels): {json.dumps(res)}")
        if h == "H1":
            for it, t5 in zip(items, top.tolist()):
                print(f"   {it['label']:>16} -> {', '.join(labels[j] for j in t5[:3])}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
