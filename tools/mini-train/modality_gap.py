#!/usr/bin/python3
"""Measures emergent audio->image retrieval of bindspace-mini on TRAINING-source data (never the held-out sets):
every training-manifest sound whose label or names equal an image's primary label is a query, the images with
that label are its relevant items. Prints R@1 / R@5 (and the exact chance level of R@5) with the raw cosine and
with each modality's embeddings centred on its own mean (the usual fix for a modality gap), per audio kind.

Embeddings come from the Java tool EmbedMedia (model-mini test scope), i.e. exactly the shipped bundle:

  java -cp "$CP" dev.bindspace.mini.tools.EmbedMedia image DATA DATA/image/manifest.jsonl OUT/images.npy
  java -cp "$CP" dev.bindspace.mini.tools.EmbedMedia audio DATA/audio DATA/audio/manifest.jsonl OUT/audio.npy
  /usr/bin/python3 tools/mini-train/modality_gap.py OUT/images.npy OUT/audio.npy [--data-dir DATA]
"""
import argparse
import json
import os
import pathlib
from collections import defaultdict

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("images")
    ap.add_argument("audio")
    ap.add_argument("--data-dir", default=os.environ.get("BINDSPACE_MINI_DATA",
                                                         str(pathlib.Path(__file__).resolve().parents[3] / "mini-data")))
    a = ap.parse_args()
    dd = pathlib.Path(a.data_dir)
    img, aud = np.load(a.images), np.load(a.audio)
    ir = [json.loads(line) for line in open(dd / "image" / "manifest.jsonl")]
    ar = [json.loads(line) for line in open(dd / "audio" / "manifest.jsonl")]
    if len(ir) != len(img) or len(ar) != len(aud):
        raise SystemExit(f"expected one embedding per manifest row: images {len(img)} vs {len(ir)}, "
                         f"audio {len(aud)} vs {len(ar)}")
    by_label = defaultdict(list)
    for i, r in enumerate(ir):
        by_label[r["captions"][0].lower()].append(i)
    queries, relevant, kinds = [], [], []
    for j, r in enumerate(ar):
        names = {r["label"].lower(), *[n.lower() for n in r["names"]]}
        hits = {i for n in names for i in by_label.get(n, [])}
        if hits:
            queries.append(j)
            relevant.append(hits)
            kinds.append(r["kind"])
    print(f"{len(queries)} training-source sounds with same-label training images, of {len(ar)}; "
          f"{len(img)} images searched")

    def unit(x):
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    def report(name, audio, images):
        top = np.argsort(-(audio[queries] @ images.T), axis=1)[:, :5]
        r1 = np.array([t[0] in rel for t, rel in zip(top, relevant)])
        r5 = np.array([len(set(t) & rel) > 0 for t, rel in zip(top, relevant)])
        n = len(images)
        chance = np.mean([1 - np.prod([(n - len(rel) - k) / (n - k) for k in range(5)]) for rel in relevant])
        line = f"{name:20s} R@1 {r1.mean():.3f} R@5 {r5.mean():.3f} (chance R@5 {chance:.3f})"
        for k in sorted(set(kinds)):
            m = np.array([x == k for x in kinds])
            line += f" | {k} R@5 {r5[m].mean():.3f} (n={m.sum()})"
        print(line)

    report("raw cosine", aud, img)
    report("centred per modality", unit(aud - aud.mean(0)), unit(img - img.mean(0)))


if __name__ == "__main__":
    main()
