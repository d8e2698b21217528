#!/usr/bin/python3
"""Cache everything the audio training loop needs, so it never decodes audio or runs the text model:

1. captions: every training caption, the eval-template prompts of the validation labels and of the held-out
   label lists (H1, H3, H4; prompts only, never media) -> captions.txt -> MiniLM embeddings via the Java
   EmbedCaptions tool (the exact path users query with) -> captions.npy [N, 384].
2. training crops: per training item several random 2 s crops with augmentation (gain, noise, time shift,
   mixing with another item at low level; sox speed/pitch variants were already made by build_dataset.py),
   each through melspec.clip_fbank (ImageBind's recipe) -> crops.f16 (float16 memmap [K, 1, M, 204]).
3. validation: the exact eval representation of each validation item (melspec.file_clips: 3 clips) -> val.npy.

Run:  /usr/bin/python3 tools/mini-train/audio/prepare.py --data-dir ../mini-data --mel-bins 64
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchaudio

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import melspec  # noqa: E402
import vocab  # noqa: E402
from build_dataset import default_data_dir, log  # noqa: E402

REPO = HERE.parents[2]


def prompts(name: str) -> list[str]:
    return [t.format(name) for t in vocab.EVAL_TEMPLATES["audio"]]


def primary_name(label: str) -> str:
    return label.split(":", 1)[1] if label.startswith("speech:") else label


def embed_captions(captions: list[str], out_npy: Path, work: Path) -> None:
    txt = work / "captions.txt"
    txt.write_text("\n".join(captions) + "\n", encoding="utf-8")
    cmd = [str(REPO / "mvnw"), "-q", "-o", "-pl", "model-mini", "exec:java", "-Dexec.classpathScope=test",
           "-Dexec.mainClass=dev.bindspace.mini.tools.EmbedCaptions", f"-Dexec.args={txt} {out_npy}"]
    log(f"EmbedCaptions: {len(captions)} captions")
    subprocess.run(cmd, cwd=REPO, check=True)
    e = np.load(out_npy)
    assert e.shape == (len(captions), 384), e.shape
    log(f"EmbedCaptions done: {e.shape}, row norms {np.linalg.norm(e, axis=1).min():.4f}..{np.linalg.norm(e, axis=1).max():.4f}")


def load16k(path: Path) -> torch.Tensor:
    w, sr = torchaudio.load(str(path))
    assert sr == 16000 and w.size(0) == 1, (path, sr, w.shape)
    return w


def random_crop(w: torch.Tensor, rng: np.random.Generator, others: list[torch.Tensor]) -> torch.Tensor:
    n = 32000
    x = w[0]
    if x.numel() > n:
        s = int(rng.integers(0, x.numel() - n + 1))
        x = x[s:s + n].clone()
    else:
        shift = int(rng.integers(0, 4000)) if rng.random() < 0.5 else 0
        x = torch.cat([torch.zeros(shift), x])[:n].clone()
    if rng.random() < 0.3 and others:  # mix another sound at -20..-10 dB
        o = others[int(rng.integers(0, len(others)))][0]
        if o.numel() > x.numel():
            s = int(rng.integers(0, o.numel() - x.numel() + 1))
            o = o[s:s + x.numel()]
        o = torch.nn.functional.pad(o, (0, x.numel() - o.numel()))
        rx, ro = x.pow(2).mean().sqrt(), o.pow(2).mean().sqrt()
        if ro > 0 and rx > 0:
            x = x + o * (rx / ro) * 10 ** (rng.uniform(-20, -10) / 20)
    x = x * 10 ** (rng.uniform(-10, 6) / 20)  # gain
    if rng.random() < 0.5:  # white noise at 15..45 dB SNR
        rx = x.pow(2).mean().sqrt()
        x = x + torch.randn(x.numel(), generator=None) * rx * 10 ** (-rng.uniform(15, 45) / 20)
    x = x.clamp(-1, 1)
    if x.numel() < 400:
        x = torch.nn.functional.pad(x, (0, 400 - x.numel()))
    return x.unsqueeze(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=default_data_dir())
    ap.add_argument("--mel-bins", type=int, default=64)
    ap.add_argument("--mean", type=float, default=melspec.IMAGEBIND_MEAN)
    ap.add_argument("--std", type=float, default=melspec.IMAGEBIND_STD)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--speech-crops", type=int, default=3, help="crops per speech item")
    ap.add_argument("--max-crops", type=int, default=6, help="crops per non-speech item (1 per second, 3..max)")
    ap.add_argument("--skip-captions", action="store_true", help="reuse captions.npy")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    root = args.data_dir.resolve() / "audio"
    cache = root / f"cache_m{args.mel_bins}"
    cache.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(l) for l in open(root / "manifest.jsonl")]

    # ---- captions
    caps: list[str] = []
    for r in rows:
        caps += r["captions"]
        caps += prompts(primary_name(r["label"]))
    for h in ("H1", "H3", "H4"):
        doc = json.loads((args.data_dir / "eval" / h / "eval-audio.json").read_text())
        for lab in doc["labels"]:
            caps += [t.format(lab) for t in doc["templates"]["audio"]]
    caps = list(dict.fromkeys(c.strip() for c in caps))
    assert all(caps)
    if args.skip_captions and (cache / "captions.npy").exists():
        old = json.loads((cache / "captions.json").read_text())
        assert old == caps, "caption list changed since captions.npy was made: run without --skip-captions"
        log(f"reusing {cache / 'captions.npy'} ({len(caps)} captions)")
    else:
        embed_captions(caps, cache / "captions.npy", cache)
    (cache / "captions.json").write_text(json.dumps(caps))

    # ---- training crops
    train = [r for r in rows if r["split"] == "train"]
    val = [r for r in rows if r["split"] == "val"]
    plan = []
    for r in train:
        k = args.speech_crops if r["kind"] == "speech" else min(args.max_crops, max(3, math.ceil(r["seconds"])))
        plan += [r["id"]] * k
    log(f"crops: {len(plan)} from {len(train)} training items; val items {len(val)}")
    M = args.mel_bins
    mm = np.lib.format.open_memmap(cache / "crops.npy", mode="w+", dtype=np.float16, shape=(len(plan), 1, M, 204))
    by_id = {r["id"]: r for r in rows}
    mix_pool_ids = [r["id"] for r in train if r["kind"] != "speech"]
    mix_pool = [load16k(root / by_id[i]["file"]) for i in rng.choice(mix_pool_ids, 300, replace=False)]
    cur_id, cur = None, None
    t0 = time.time()
    for k, i in enumerate(plan):
        if i != cur_id:
            cur_id, cur = i, load16k(root / by_id[i]["file"])
        x = random_crop(cur, rng, mix_pool)
        mm[k] = melspec.clip_fbank(x, M, args.mean, args.std).numpy().astype(np.float16)
        if (k + 1) % 5000 == 0:
            log(f"  {k + 1}/{len(plan)} crops ({(time.time() - t0) / (k + 1) * 1e3:.1f} ms each)")
    mm.flush()
    np.save(cache / "crop_item.npy", np.array(plan, dtype=np.int64))

    # ---- validation: the exact eval representation
    v = np.zeros((len(val), 3, 1, M, 204), dtype=np.float16)
    for k, r in enumerate(val):
        v[k] = melspec.file_clips(str(root / r["file"]), M, args.mean, args.std).numpy()
    np.save(cache / "val.npy", v)
    np.save(cache / "val_item.npy", np.array([r["id"] for r in val], dtype=np.int64))
    stats = {"mel_bins": M, "mean": args.mean, "std": args.std, "crops": len(plan), "val": len(val),
             "crop_mean": float(np.asarray(mm[:2000], dtype=np.float32).mean()),
             "crop_std": float(np.asarray(mm[:2000], dtype=np.float32).std())}
    (cache / "stats.json").write_text(json.dumps(stats, indent=1))
    log(f"done: {stats}")


if __name__ == "__main__":
    main()
