#!/usr/bin/python3
"""A real-embedding set for the ANN benchmark: bindspace-mini outputs over its training media.

Base vectors: the embeddings of the training images and sounds (EmbedMedia, the shipped bundle) and
of the training captions (EmbedCaptions, MiniLM), all in bindspace-mini's one 384-d space, shuffled
with a fixed seed so that no modality sits in one block of ordinals; exact duplicate rows are dropped. Queries: the held-out label
prompts (eval_prompts.npy: "a photo of a {label}" etc. over H1-H5's labels, never trained on), as a
user's text query would be. Same files as ann_data.py writes:

  base.f32    n x d float32, little-endian, unit rows
  queries.f32 nq x d float32
  truth.i32   nq x 100 int32: exact inner-product top 100 (faiss.IndexFlatIP)
  meta.json   counts per source, seed, timings

Usage: ann_real_data.py --out DIR --npy NAME=FILE.npy [--npy ...] --queries FILE.npy [--max-queries 1000]
"""
import argparse
import json
import os
import time

import numpy as np


def unit(a):
    a = a.astype(np.float32)
    n = np.linalg.norm(a, axis=1, keepdims=True)
    if (n == 0).any():
        raise ValueError("zero vector in input")
    return a / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--npy", action="append", required=True, help="NAME=FILE.npy, base vectors of one source")
    ap.add_argument("--queries", required=True, help="FILE.npy of query vectors")
    ap.add_argument("--max-queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    parts = []
    counts = {}
    for spec in a.npy:
        name, path = spec.split("=", 1)
        arr = np.load(path)
        if arr.ndim != 2:
            raise ValueError(f"{path}: expected a 2-d array, got shape {arr.shape}")
        counts[name] = int(arr.shape[0])
        parts.append(unit(arr))
    d = parts[0].shape[1]
    for p in parts:
        if p.shape[1] != d:
            raise ValueError(f"dimensions differ: {p.shape[1]} vs {d}")
    base = np.concatenate(parts)
    # identical vectors (the same picture or caption reached twice) would make recall depend on which
    # copy a system returns: keep one of each
    _, first = np.unique(base, axis=0, return_index=True)
    duplicates = len(base) - len(first)
    base = base[np.sort(first)]
    base = base[rng.permutation(len(base))]
    q = unit(np.load(a.queries))
    if len(q) > a.max_queries:
        q = q[np.sort(rng.choice(len(q), a.max_queries, replace=False))]
    os.makedirs(a.out, exist_ok=True)
    base.tofile(os.path.join(a.out, "base.f32"))
    q.tofile(os.path.join(a.out, "queries.f32"))
    import faiss
    t0 = time.time()
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    _, truth = flat.search(q, 100)
    truth.astype(np.int32).tofile(os.path.join(a.out, "truth.i32"))
    meta = dict(n=int(len(base)), d=int(d), queries=int(len(q)), sources=counts, duplicates_dropped=int(duplicates),
                seed=a.seed,
                kind="real: bindspace-mini embeddings", truth_s=round(time.time() - t0, 1))
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
