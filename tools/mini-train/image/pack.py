#!/usr/bin/python3
"""Packs the image tower's training tensors small enough to travel to a GPU machine that has no data directory
(the `device` tool carries at most 64 MiB with the working tree), and reads such a pack back for
`train.py --packed DIR`.

A pack is a folder of five files (N training items, A = AUG_SIZE, V validation items, S = SIZE, L validation
labels, K captions, C the most captions of one item):

  meta.json   {"format": "bindspace-mini-image-pack/1", "n": N, "aug_size": A, "v": V, "size": S,
               "summary": str, "sha256": {file name: hex digest of the file}}
  xa.xz       XZ (LZMA2) stream of N*A*A*3 bytes: the cached augmentation renders, uint8, item-major, then row,
              column, channel (R, G, B) -- HWC order compresses about 7 % better than CHW
  ma.xz       XZ stream of N*A*A bytes: their alpha masks, uint8, item-major, row, column (255 = opaque)
  val_x.xz    XZ stream of V*3*S*S bytes: validation images in the exact bundle profile, uint8, item, channel,
              row, column
  small.npz   NumPy .npz (uncompressed) holding: key int64 [N] (label key index of each item), caps int64 [N,C]
              (caption indices, padded with 0), ncaps int64 [N] (valid entries of each caps row), w float32 [N]
              (sampling weight), val_y int64 [V], lab_emb float32 [L,384] (validation label prompts, unit rows),
              cap_emb float16 [K,384] (the MiniLM anchors of the K captions some training item uses, caps
              indexing them, rounded to half precision, relative error
              below 2^-11 per component, which is what makes the pack fit)

usage: /usr/bin/python3 pack.py OUT_DIR [--data-dir DIR]      (writes the pack; about 2 minutes)
"""
import argparse
import hashlib
import json
import lzma
import pathlib
import sys

import numpy as np

FORMAT = "bindspace-mini-image-pack/1"


def _sha(p):
    return hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()


def write(data, out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    xa = data["xa"].numpy()
    n, _, a, _ = xa.shape
    (out / "xa.xz").write_bytes(lzma.compress(np.ascontiguousarray(xa.transpose(0, 2, 3, 1)).tobytes(), preset=6))
    (out / "ma.xz").write_bytes(lzma.compress(np.ascontiguousarray(data["ma"].numpy()[:, 0]).tobytes(), preset=6))
    vx = data["val_x"].numpy()
    (out / "val_x.xz").write_bytes(lzma.compress(np.ascontiguousarray(vx).tobytes(), preset=6))
    # only the captions some training item uses travel; caps is renumbered to index them
    caps, ncaps = data["caps"].numpy(), data["ncaps"].numpy()
    valid = np.arange(caps.shape[1])[None, :] < ncaps[:, None]
    used = np.unique(caps[valid])
    caps = np.where(valid, np.searchsorted(used, caps), 0)
    np.savez(out / "small.npz", key=data["key"].numpy().astype(np.int64), caps=caps.astype(np.int64),
             ncaps=ncaps.astype(np.int64), w=data["w"].numpy().astype(np.float32),
             val_y=data["val_y"].numpy().astype(np.int64), lab_emb=data["lab_emb"].numpy().astype(np.float32),
             cap_emb=data["cap_emb"].numpy()[used].astype(np.float16))
    files = ["xa.xz", "ma.xz", "val_x.xz", "small.npz"]
    meta = {"format": FORMAT, "n": int(n), "aug_size": int(a), "v": int(vx.shape[0]), "size": int(vx.shape[2]),
            "summary": data["summary"], "sha256": {f: _sha(out / f) for f in files}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return sum((out / f).stat().st_size for f in files)


def read(folder):
    import torch
    folder = pathlib.Path(folder)
    meta = json.loads((folder / "meta.json").read_text())
    if meta.get("format") != FORMAT:
        raise SystemExit(f"{folder}: expected pack format {FORMAT}, got {meta.get('format')!r}")
    for f, h in meta["sha256"].items():
        if _sha(folder / f) != h:
            raise SystemExit(f"{folder / f}: SHA-256 does not match meta.json (expected {h}): the pack is damaged")
    n, a, v, s = meta["n"], meta["aug_size"], meta["v"], meta["size"]

    def arr(name, shape):
        raw = lzma.decompress((folder / name).read_bytes())
        want = int(np.prod(shape))
        if len(raw) != want:
            raise SystemExit(f"{folder / name}: expected {want} bytes for shape {shape}, got {len(raw)}")
        return np.frombuffer(raw, dtype=np.uint8).reshape(shape)

    xa = torch.from_numpy(arr("xa.xz", (n, a, a, 3)).transpose(0, 3, 1, 2).copy())
    ma = torch.from_numpy(arr("ma.xz", (n, 1, a, a)).copy())
    val_x = torch.from_numpy(arr("val_x.xz", (v, 3, s, s)).copy())
    z = np.load(folder / "small.npz")
    out = {k: torch.from_numpy(np.array(z[k])) for k in ("key", "caps", "ncaps", "w", "val_y", "lab_emb")}
    out["cap_emb"] = torch.from_numpy(z["cap_emb"].astype(np.float32))
    out.update(xa=xa, ma=ma, val_x=val_x, summary=meta["summary"] + " (packed; caption anchors in float16)")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--data-dir")
    ap.add_argument("--source-weight", default="", help="sampling factors per source, as train.py's")
    a = ap.parse_args()
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import common
    import torch
    import train
    data = train.load_data(common.data_dir(a.data_dir), train.parse_source_weights(a.source_weight))
    size = write(data, a.out)
    print(f"{data['summary']}\nwrote {a.out}: {size / 2 ** 20:.1f} MiB")
    back = read(a.out)
    for k in ("xa", "ma", "val_x", "key", "ncaps", "w", "val_y", "lab_emb"):
        if not (back[k] == data[k]).all():
            raise SystemExit(f"pack round trip differs in {k}")
    valid = torch.arange(data["caps"].shape[1])[None, :] < data["ncaps"][:, None]
    a_emb, b_emb = data["cap_emb"][data["caps"][valid]], back["cap_emb"][back["caps"][valid]]
    err = (a_emb - b_emb).abs().max().item()
    print(f"round trip exact; caption anchors max abs error {err:.2e} (float16)")


if __name__ == "__main__":
    main()
