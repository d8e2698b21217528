#!/usr/bin/python3
"""Exports the trained bindspace-mini image tower as two ONNX graphs (opset 17) and their bundle entries.

  image.onnx  input "image" float32 [-1,3,S,S] (one preprocessed view) -> "embedding" float32 [-1,384], unit rows
  video.onnx  input "video" float32 [-1,3,2,S,S] (the two frames of one clip) -> "embedding" float32 [-1,384]:
              both frames through the same tower, the mean of the two unit embeddings, re-normalised

Writes them into model-mini/src/main/resources/dev/bindspace/models/mini/ and tools/mini-train/image/graphs.json
(the complete graphs.image and graphs.video entries of bundle.json, with sha256; the coordinator merges them).

usage: /usr/bin/python3 export.py [--checkpoint CK [CK ...]] [--out-dir DIR] [--weights float32|float16]
       (default checkpoint <data-dir>/image/run/best.pt)
"""
import argparse
import hashlib
import json
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from train import load_tower  # noqa: E402


class VideoTower(nn.Module):
    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, x):  # [B,3,2,S,S]
        frames = x.permute(0, 2, 1, 3, 4).reshape(-1, 3, common.SIZE, common.SIZE)
        z = self.tower(frames).reshape(-1, 2, common.DIM).mean(dim=1)
        return F.normalize(z, dim=-1)


def sha256(p):
    return hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()


def export(model, example, path, in_name):
    torch.onnx.export(model, example, str(path), opset_version=17, input_names=[in_name], output_names=["embedding"],
                      dynamic_axes={in_name: {0: "batch"}, "embedding": {0: "batch"}}, do_constant_folding=True)
    import onnx
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    inf = onnx.shape_inference.infer_shapes(m)
    dims = lambda vi: [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]  # noqa: E731
    print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, input {dims(inf.graph.input[0])}, "
          f"output {dims(inf.graph.output[0])}, nodes {len(m.graph.node)}")
    want = ["batch", common.DIM]
    if dims(inf.graph.output[0]) != want:
        raise SystemExit(f"{path.name}: expected output shape {want}, found {dims(inf.graph.output[0])}")


def store_weights_fp16(path, min_elements=1024):
    """Rewrites an exported graph so that every float32 initializer of at least min_elements values (the conv and
    linear weights; biases and batch-norm statistics stay float32) is stored as float16 and turned back into
    float32 by a Cast node at the start of the graph. ONNX Runtime folds those Casts when it optimises the session,
    so inference still runs in float32 on weights rounded to float16 (relative error at most 2^-11): the file is
    about half as large. Returns (bytes before, bytes after)."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper
    before = path.stat().st_size
    m = onnx.load(str(path))
    g = m.graph
    keep, casts = [], []
    for init in g.initializer:
        if init.data_type == onnx.TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elements:
            w = numpy_helper.to_array(init)
            if not np.isfinite(w).all() or np.abs(w).max() > np.finfo(np.float16).max:
                raise SystemExit(f"{path.name}: weight {init.name!r} has values outside float16's range "
                                 f"(max |w| {np.abs(w).max():.3g}, expected <= 65504); export with --weights float32")
            half = numpy_helper.from_array(w.astype(np.float16), init.name + "__fp16")
            keep.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=onnx.TensorProto.FLOAT,
                                          name=init.name + "__to_fp32"))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, str(path))
    return before, path.stat().st_size


def bench(tower, video, runs):
    import statistics
    import time
    torch.set_num_threads(1)
    for name, m, x in (("image", tower, torch.randn(1, 3, common.SIZE, common.SIZE)),
                       ("video clip", video, torch.randn(1, 3, 2, common.SIZE, common.SIZE))):
        with torch.no_grad():
            for _ in range(20):
                m(x)
            ts = []
            for _ in range(runs):
                t = time.perf_counter()
                m(x)
                ts.append(time.perf_counter() - t)
        ts.sort()
        print(f"torch CPU 1 thread, {name}, batch 1: median {statistics.median(ts) * 1e3:.2f} ms, "
              f"p10 {ts[len(ts) // 10] * 1e3:.2f} ms, p90 {ts[9 * len(ts) // 10] * 1e3:.2f} ms ({runs} runs)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir")
    ap.add_argument("--checkpoint", nargs="+", help="checkpoint(s) (.pt or .npz); several are exported as one "
                                                     "ensemble graph (mean of the unit embeddings)")
    ap.add_argument("--out-dir", default=str(common.MODEL_DIR))
    ap.add_argument("--weights", choices=["float32", "float16"], default="float32",
                    help="storage type of the conv and linear weights in the graphs (float16: half the size, "
                         "computation still float32; see store_weights_fp16)")
    ap.add_argument("--bench", type=int, default=200, help="torch CPU latency runs (one thread, batch 1); 0: skip")
    a = ap.parse_args()
    cks = a.checkpoint or [common.data_dir(a.data_dir) / "image" / "run" / "best.pt"]
    tower, states = load_tower(cks)
    for ck, state in zip(cks, states):
        print(f"checkpoint {ck}: widths {state['widths']}, step {state['step']}, val top1 {state['val_top1']:.3f}")
    out = pathlib.Path(a.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = common.SIZE
    torch.manual_seed(0)
    x = torch.randn(2, 3, s, s)
    v = torch.randn(2, 3, 2, s, s)
    video = VideoTower(tower).eval()
    with torch.no_grad():
        export(tower, x, out / "image.onnx", "image")
        export(video, v, out / "video.onnx", "video")
        # the video graph on a clip of two identical frames equals the image graph
        d = (video(x[:, :, None].expand(-1, -1, 2, -1, -1)) - tower(x)).abs().max().item()
        print(f"video(two equal frames) vs image: max abs diff {d:.2e}")
    if a.weights == "float16":
        for name in ("image.onnx", "video.onnx"):
            b0, b1 = store_weights_fp16(out / name)
            print(f"{name}: weights stored as float16, {b0 / 1e6:.2f} MB -> {b1 / 1e6:.2f} MB")
    if a.bench:
        bench(tower, video, a.bench)
    mean, std = list(common.MEAN), list(common.STD)
    post = {"applied_in": "graph", "l2_normalize": True, "logit_scale": 1.0}
    graphs = {"graphs": {
        "image": {
            "file": {"path": "image.onnx", "sha256": sha256(out / "image.onnx")},
            "data_files": [],
            "inputs": [{"name": "image", "dtype": "float32", "shape": [-1, 3, s, s]}],
            "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, common.DIM]}],
            "preprocessing": {"kind": "image", "channels": 3, "size": s, "resize": "shorter_side_bicubic_pil",
                              "crop": "center", "mean": mean, "std": std},
            "postprocessing": post,
            "aggregation": {"mode": "none", "views": 1}},
        "video": {
            "file": {"path": "video.onnx", "sha256": sha256(out / "video.onnx")},
            "data_files": [],
            "inputs": [{"name": "video", "dtype": "float32", "shape": [-1, 3, 2, s, s]}],
            "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, common.DIM]}],
            "preprocessing": {"kind": "video", "clip_duration_seconds": 2.0, "clips_per_video": 5,
                              "frames_per_clip": 2, "size": s, "resize": "shorter_side_bicubic_pil",
                              "crop": "center", "crops_per_clip": 1, "mean": mean, "std": std},
            "postprocessing": post,
            "aggregation": {"mode": "mean", "views": 5}}}}
    gj = pathlib.Path(__file__).resolve().parent / "graphs.json"
    gj.write_text(json.dumps(graphs, indent=2) + "\n")
    print(f"wrote {gj}")


if __name__ == "__main__":
    main()
