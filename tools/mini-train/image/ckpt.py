"""Version-proof checkpoint files for the image tower: a checkpoint written by train.py (torch.save of a dict) as a
NumPy .npz, so that a run made with another torch version (a GPU machine's) loads with Debian's torch 1.13.

.npz layout: one float32/int64 array per state-dict entry under "model/<name>", "logit_scale" (float32 scalar),
and "meta" (a 0-d unicode array holding JSON: step, val_top1, val_top5, widths, args).

usage: python3 ckpt.py CHECKPOINT.pt OUT.npz
"""
import json
import sys

import numpy as np


def to_npz(pt, npz):
    import torch
    ck = torch.load(pt, map_location="cpu", weights_only=False)
    arrays = {f"model/{k}": v.numpy() for k, v in ck["model"].items()}
    meta = {k: ck.get(k) for k in ("step", "val_top1", "val_top5", "widths", "args")}
    np.savez(npz, logit_scale=np.float32(ck["logit_scale"].item()), meta=np.array(json.dumps(meta)), **arrays)


def load(path):
    """A checkpoint dict (model, logit_scale, step, val_top1, val_top5, widths, args) from a .pt or .npz file."""
    import torch
    if str(path).endswith(".npz"):
        z = np.load(path)
        ck = json.loads(str(z["meta"]))
        ck["model"] = {k[len("model/"):]: torch.from_numpy(np.array(z[k])) for k in z.files if k.startswith("model/")}
        ck["logit_scale"] = torch.tensor(float(z["logit_scale"]))
        return ck
    ck = torch.load(path, map_location="cpu", weights_only=False)
    ck.setdefault("widths", [32, 48, 96, 192])
    return ck


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0)
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    to_npz(sys.argv[1], sys.argv[2])
