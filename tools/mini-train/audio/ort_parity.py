#!/usr/bin/python3
"""Parity and latency of the exported audio.onnx in ONNX Runtime (Java, the runtime bindspace uses), without a
Python onnxruntime: writes the 3 clips of a few H1 files plus random tensors, runs OrtCheck.java (single-file
java launch with the onnxruntime jar from ~/.m2, put there by the Maven build), compares with the torch tower.

Run:  /usr/bin/python3 tools/mini-train/audio/ort_parity.py --checkpoint ../mini-data/audio/audio_tower.pt
"""
from __future__ import annotations

import argparse
import glob
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import melspec  # noqa: E402
from build_dataset import default_data_dir  # noqa: E402
from export import OUT_DIR  # noqa: E402
from model import AudioTower  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=default_data_dir())
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--onnx", type=Path, default=OUT_DIR / "audio.onnx")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    ck = torch.load(args.checkpoint, map_location="cpu")
    M = int(ck["mel_bins"])
    model = AudioTower(tuple(ck["widths"]))
    model.load_state_dict(ck["model"])
    model.eval()
    files = [args.data_dir / "eval" / "H1" / "audio" / f"{n}.wav" for n in ("dog", "piano", "cow")]
    x = torch.cat([melspec.file_clips(str(f), M, ck["mean"], ck["std"]) for f in files] + [torch.randn(2, 1, M, 204)])
    with torch.no_grad():
        ref = model(x).numpy()
    jar = sorted(glob.glob(str(Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar")))
    if not jar:
        sys.exit("no onnxruntime jar in ~/.m2: run ./mvnw -pl onnx -am install -DskipTests first")
    with tempfile.TemporaryDirectory() as td:
        x.numpy().astype("<f4").tofile(Path(td) / "in.bin")
        subprocess.run(["java", "-cp", jar[-1], str(HERE / "OrtCheck.java"), str(args.onnx), str(Path(td) / "in.bin"),
                        str(x.shape[0]), str(M), str(Path(td) / "out.bin")], check=True)
        got = np.fromfile(Path(td) / "out.bin", "<f4").reshape(ref.shape)
    print(f"{x.shape[0]} clips: max abs diff ORT vs torch {np.abs(got - ref).max():.3g}; "
          f"ORT row norms {np.linalg.norm(got, axis=1).min():.7f}..{np.linalg.norm(got, axis=1).max():.7f}")


if __name__ == "__main__":
    main()
