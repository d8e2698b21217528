#!/usr/bin/python3
"""Python-side zero-shot evaluation of the image tower on the held-out image sets (never used for training or
model selection): image -> text top-1 / top-5 over each set's `labels`, with the FIXED image templates of its
eval.json (label embedding = mean of the templates' unit MiniLM embeddings, re-normalised), per group, against
chance (k / |labels|) and the label-prior baseline (always answer the k labels most frequent among the items).

Label prompts are embedded with the Java EmbedCaptions tool (the path users query with); images go through the
bundle's preprocessing (common.preprocess: PIL bicubic shorter side, centre crop, CLIP normalisation).

usage: /usr/bin/python3 evaluate.py [--data-dir DIR] [--checkpoint CK] [--sets H1/eval-image.json,H2/eval.json,...]
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from train import load_tower  # noqa: E402


def embed_captions(lines, txt, npy):
    if txt.exists() and npy.exists() and txt.read_text(encoding="utf-8") == "\n".join(lines) + "\n":
        return np.load(npy)
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(["./mvnw", "-q", "-o", "-pl", "model-mini", "exec:java", "-Dexec.classpathScope=test",
                    "-Dexec.mainClass=dev.bindspace.mini.tools.EmbedCaptions", f"-Dexec.args={txt} {npy}"],
                   cwd=common.REPO, check=True)
    return np.load(npy)


def video_embeddings(model, files, tmp):
    """Approximates the bundle's video path in Python: 5 clips of 2.0 s with evenly spaced starts over the video,
    2 frames per clip (first and last frame of the clip), each frame through the image tower's preprocessing;
    per clip the mean of the two unit embeddings re-normalised (= video.onnx), then the mean over the 5 clips."""
    tmp.mkdir(parents=True, exist_ok=True)
    out = []
    for f in files:
        dur = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                                    "default=nw=1:nk=1", str(f)], capture_output=True, text=True).stdout)
        clips = []
        for start in np.linspace(0, max(0.0, dur - 2.0), 5):
            frames = []
            for t in (start, start + 2.0 - 1 / 25):
                png = tmp / "frame.png"
                subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-ss", f"{min(t, dur - 0.05):.3f}",
                                "-i", str(f), "-frames:v", "1", str(png)], check=True)
                frames.append(common.preprocess(png))
            with torch.no_grad():
                z = model(common.normalize(torch.stack(frames)))
            clips.append(F.normalize(z.mean(0), dim=0))
        out.append(F.normalize(torch.stack(clips).mean(0), dim=0))
    return torch.stack(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir")
    ap.add_argument("--checkpoint", nargs="+", help="checkpoint(s); several are evaluated as their ensemble")
    ap.add_argument("--sets", default="H1/eval-image.json,H2/eval.json,H4/eval-image.json,H5/eval.json")
    a = ap.parse_args()
    torch.set_num_threads(1)
    dd = common.data_dir(a.data_dir)
    ck = a.checkpoint or [dd / "image" / "run" / "best.pt"]
    model, states = load_tower(ck)
    sets = [(dd / "eval" / s) for s in a.sets.split(",") if (dd / "eval" / s).exists()]
    evs = [json.load(open(p)) for p in sets]
    mods = [("video" if any(it["modality"] == "video" for it in ev["items"]) else "image") for ev in evs]
    prompts = list(dict.fromkeys(t.format(l) for ev, m in zip(evs, mods) for l in ev["labels"]
                                 for t in ev["templates"][m]))
    emb = embed_captions(prompts, dd / "image" / "eval_prompts.txt", dd / "image" / "eval_prompts.npy")
    idx = {p: i for i, p in enumerate(prompts)}
    emb = torch.from_numpy(emb).float()
    for c, state in zip(ck, states):
        print(f"checkpoint {c} (step {state['step']}, val top1 {state['val_top1']:.3f})")
    for p, ev, mod in zip(sets, evs, mods):
        labels = ev["labels"]
        lab = F.normalize(torch.stack([F.normalize(torch.stack([emb[idx[t.format(l)]] for t in
                                                                ev["templates"][mod]]).mean(0), dim=0)
                                       for l in labels]), dim=1)
        items = [it for it in ev["items"] if it["modality"] == mod]
        if mod == "video":
            z = video_embeddings(model, [p.parent / it["file"] for it in items], dd / "image" / "tmp_frames")
        else:
            x = torch.stack([common.preprocess(p.parent / it["file"]) for it in items])
            with torch.no_grad():
                z = torch.cat([model(common.normalize(x[i:i + 256])) for i in range(0, len(x), 256)])
        y = torch.tensor([labels.index(it["label"]) for it in items])
        top = (z @ lab.T).topk(5, dim=1).indices
        hit1 = top[:, 0] == y
        hit5 = (top == y[:, None]).any(1)
        freq = collections.Counter(it["label"] for it in items).most_common(5)
        prior1 = freq[0][1] / len(items)
        prior5 = sum(c for _, c in freq) / len(items)
        n = len(labels)
        print(f"{ev['set']} ({p.name}): {len(items)} {mod}s, {n} labels: top1 {hit1.float().mean():.3f} "
              f"top5 {hit5.float().mean():.3f} | chance {1 / n:.3f} / {min(1, 5 / n):.3f} | "
              f"label prior {prior1:.3f} / {prior5:.3f}")
        groups = sorted({it["group"] for it in items})
        for g in groups:
            m = torch.tensor([it["group"] == g for it in items])
            print(f"    {g:12s} n={int(m.sum()):4d} top1 {hit1[m].float().mean():.3f} top5 {hit5[m].float().mean():.3f}")
        if len(items) <= 80:
            wrong = [f"{it['file'].split('/')[-1]}->{labels[int(t)]}" for it, t, h in zip(items, top[:, 0], hit1)
                     if not h]
            print("    misses: " + ", ".join(wrong[:40]))


if __name__ == "__main__":
    main()
