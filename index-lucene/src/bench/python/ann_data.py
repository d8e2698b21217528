#!/usr/bin/python3
"""Clustered synthetic embedding sets for the ANN benchmark, and their exact ground truth.

Run with Debian's /usr/bin/python3 (numpy and python3-faiss from apt).

Generator (documented in docs/benchmarks-ann.md): `clusters` unit centres drawn uniformly on the
sphere; each cluster has its own random `rank`-dimensional subspace; a point is
    normalise(centre + spread * U_c z + noise * g)
with z ~ N(0, I_rank)/sqrt(rank) and g ~ N(0, I_d)/sqrt(d). Real embeddings also concentrate near
low-dimensional structure around topics; the set is a stand-in until model outputs exist.
Queries come from the same distribution (fresh points, not in the base set).

Files (little-endian, no header): base.f32 (n x d float32), queries.f32 (nq x d float32),
truth.i32 (nq x 100 int32: exact inner-product top 100 by faiss.IndexFlatIP, ties by lower row).
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def generate(rng, n, d, clusters, rank, spread, noise, out):
    centres = rng.standard_normal((clusters, d)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    label = rng.integers(0, clusters, size=n)
    order = np.argsort(label, kind="stable")
    counts = np.bincount(label, minlength=clusters)
    start = 0
    for c in range(clusters):
        rows = order[start:start + counts[c]]
        start += counts[c]
        basis = rng.standard_normal((rank, d)).astype(np.float32)
        basis /= np.linalg.norm(basis, axis=1, keepdims=True)
        z = rng.standard_normal((len(rows), rank)).astype(np.float32) / np.sqrt(rank)
        x = centres[c] + spread * (z @ basis)
        x += noise * rng.standard_normal((len(rows), d)).astype(np.float32) / np.sqrt(d)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[rows] = x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--d", type=int, required=True)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--clusters", type=int, default=1000)
    ap.add_argument("--rank", type=int, default=24)
    ap.add_argument("--spread", type=float, default=0.6)
    ap.add_argument("--noise", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    # one generator call for base + queries so both share centres and subspaces
    both = np.empty((a.n + a.queries, a.d), dtype=np.float32)
    generate(rng, a.n + a.queries, a.d, a.clusters, a.rank, a.spread, a.noise, both)
    perm = rng.permutation(a.n + a.queries)
    base_arr = both[perm[: a.n]]
    queries = np.ascontiguousarray(both[perm[a.n:]])
    del both
    base_arr.tofile(os.path.join(a.out, "base.f32"))
    queries.tofile(os.path.join(a.out, "queries.f32"))
    gen_s = time.time() - t0

    import faiss
    faiss.omp_set_num_threads(os.cpu_count())
    t0 = time.time()
    flat = faiss.IndexFlatIP(a.d)
    flat.add(base_arr)
    _, truth = flat.search(queries, 100)
    truth_s = time.time() - t0
    truth.astype(np.int32).tofile(os.path.join(a.out, "truth.i32"))
    del base_arr, flat
    meta = dict(n=a.n, d=a.d, queries=a.queries, clusters=a.clusters, rank=a.rank, spread=a.spread,
                noise=a.noise, seed=a.seed, generate_s=round(gen_s, 1), truth_s=round(truth_s, 1))
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta), file=sys.stderr)


if __name__ == "__main__":
    main()
