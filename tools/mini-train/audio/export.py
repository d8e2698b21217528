#!/usr/bin/python3
"""Export the trained audio tower to ONNX (opset 17) and write the `graphs.audio` fragment of bundle.json.

  audio.onnx: input "audio" float32 [-1, 1, M, 204] (one clip = one view) -> output "embedding" float32 [-1, 384],
  unit L2 norm inside the graph. Written to model-mini/src/main/resources/dev/bindspace/models/mini/audio.onnx.
  tools/mini-train/audio/graphs.json: {"graphs": {"audio": {...}}} in the docs/bundle-format.md schema.

Run:  /usr/bin/python3 tools/mini-train/audio/export.py --checkpoint ../mini-data/audio/audio_tower.pt
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import onnx
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import melspec  # noqa: E402
from model import AudioTower  # noqa: E402

REPO = HERE.parents[2]
OUT_DIR = REPO / "model-mini/src/main/resources/dev/bindspace/models/mini"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument("--fragment", type=Path, default=HERE / "graphs.json")
    args = ap.parse_args()
    torch.set_num_threads(1)

    ck = torch.load(args.checkpoint, map_location="cpu")
    M = int(ck["mel_bins"])
    model = AudioTower(tuple(ck["widths"]))
    model.load_state_dict(ck["model"])
    model.eval()
    out = args.out_dir / "audio.onnx"
    out.parent.mkdir(parents=True, exist_ok=True)
    x = torch.randn(2, 1, M, melspec.TARGET_FRAMES)
    torch.onnx.export(model, (x,), str(out), input_names=["audio"], output_names=["embedding"],
                      dynamic_axes={"audio": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=17,
                      do_constant_folding=True)
    g = onnx.load(str(out))
    onnx.checker.check_model(g, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(g, strict_mode=True)

    def dims(vi):
        return [d.dim_value if d.HasField("dim_value") else -1 for d in vi.type.tensor_type.shape.dim]

    in_shape, out_shape = dims(inferred.graph.input[0]), dims(inferred.graph.output[0])
    assert in_shape == [-1, 1, M, 204] and out_shape == [-1, 384], (in_shape, out_shape)
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    size = out.stat().st_size
    entry = {
        "file": {"path": "audio.onnx", "sha256": sha},
        "data_files": [],
        "inputs": [{"name": "audio", "dtype": "float32", "shape": [-1, 1, M, 204]}],
        "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, 384]}],
        "preprocessing": {"kind": "audio", "sample_rate": melspec.SAMPLE_RATE, "mel_bins": M,
                          "target_frames": melspec.TARGET_FRAMES,
                          "clip_duration_seconds": float(melspec.CLIP_SECONDS),
                          "clips_per_file": melspec.CLIPS_PER_FILE, "frame_length_ms": 25.0, "frame_shift_ms": 10.0,
                          "mean": float(ck["mean"]), "std": float(ck["std"])},
        "postprocessing": {"applied_in": "graph", "l2_normalize": True, "logit_scale": 1.0},
        "aggregation": {"mode": "mean", "views": melspec.CLIPS_PER_FILE},
    }
    args.fragment.write_text(json.dumps({"graphs": {"audio": entry}}, indent=2) + "\n")
    # torch reference outputs for the coordinator's Java/ORT parity check
    with torch.no_grad():
        ref = model(x)
    print(f"wrote {out} ({size:,} bytes, sha256 {sha}); opset {g.opset_import[0].version}; "
          f"input {in_shape} output {out_shape}; fragment {args.fragment}; "
          f"torch output norms {ref.norm(dim=1).tolist()}")


if __name__ == "__main__":
    main()
