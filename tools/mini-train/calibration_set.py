#!/usr/bin/python3
"""bindspace-mini's int8 calibration set: a fixed random sample of TRAINING items only (never the held-out H1-H5
under DATA/eval, never the validation split), written as media lists for the Java tool PreprocessMedia
(tools/imagebind-export/calibrate_int8.py then measures per-node int8 sensitivities on them).

    /usr/bin/python3 tools/mini-train/calibration_set.py --data ../mini-data --out ../perf/calib-mini \
        [--images 300] [--audio 150] [--seed 20261128]

Writes OUT/image.txt and OUT/audio.txt (absolute paths, one per line) and OUT/calibration.json (the items with
their source, for the record). Items are drawn from DATA/image/manifest.jsonl and DATA/audio/manifest.jsonl rows
with "split": "train"; a file under DATA/eval is refused even if a manifest listed it.
"""
import argparse
import collections
import json
import os
import random


def training_items(manifest, root):
    with open(manifest, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    items = [r for r in rows if r.get("split") == "train"]
    for r in items:
        r["path"] = os.path.realpath(os.path.join(root, r["file"]))
    return items


def sample(items, n, rng):
    items = sorted(items, key=lambda r: r["path"])
    return sorted(rng.sample(items, min(n, len(items))), key=lambda r: r["path"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="the bindspace-mini data folder (holds image/, audio/, eval/)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--audio", type=int, default=150, help="audio files (3 clips each)")
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args(argv)
    data = os.path.realpath(args.data)
    eval_dir = os.path.join(data, "eval") + os.sep
    rng = random.Random(args.seed)
    picked = {
        "image": sample(training_items(os.path.join(data, "image", "manifest.jsonl"), data), args.images, rng),
        "audio": sample(training_items(os.path.join(data, "audio", "manifest.jsonl"), os.path.join(data, "audio")),
                        args.audio, rng),
    }
    os.makedirs(args.out, exist_ok=True)
    record = {"seed": args.seed, "data": data, "rule": "split == train; nothing under eval/"}
    for key, items in picked.items():
        for r in items:
            if r["path"].startswith(eval_dir):
                raise SystemExit(f"{r['path']}: a held-out file in the training manifest; refusing it")
            if not os.path.isfile(r["path"]):
                raise SystemExit(f"{r['path']}: listed in the {key} manifest but missing")
        with open(os.path.join(args.out, f"{key}.txt"), "w", encoding="utf-8") as f:
            f.writelines(r["path"] + "\n" for r in items)
        sources = collections.Counter(r.get("source", "?") for r in items)
        record[key] = {"files": len(items), "sources": dict(sorted(sources.items())),
                       "items": [os.path.relpath(r["path"], data) for r in items]}
        print(f"{key}: {len(items)} training files from {len(sources)} sources -> {args.out}/{key}.txt")
    with open(os.path.join(args.out, "calibration.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
