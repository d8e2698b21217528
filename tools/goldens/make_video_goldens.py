#!/usr/bin/python3
"""Regenerates the video fixtures and goldens of bindspace-encoders-vision.

Run from the repository root with Debian's python3 (it needs python3-torch, python3-numpy,
python3-onnx and the ffmpeg CLI):

    /usr/bin/python3 tools/goldens/make_video_goldens.py

Writes encoders-vision/src/test/resources/video/:

  clips/<name>.<ext>        tiny test clips made by the ffmpeg CLI from lavfi sources
                            (testsrc, testsrc2, mandelbrot, smptebars) with different codecs,
                            containers, frame rates (incl. 30000/1001) and sizes (incl. odd and
                            portrait sizes)
  goldens/<name>.json       per clip: packet count and avg_frame_rate (ffprobe), the SHA-256 of
                            every frame the ffmpeg CLI decodes to rgb24, the sampled clip bounds
                            and frame indices of both profiles, seeded samples of the ImageBind
                            tensor (15, 3, 2, 224, 224), and the expected raw embeddings of both
                            test bundles
  goldens/<name>.frames.gz  the rgb24 bytes of the frames the ImageBind profile samples, in
                            ascending frame order (for a max-abs-diff report if a hash differs)
  goldens/<name>.mini.f32.gz the full "mini" profile tensor, float32 little-endian
  goldens/<name>.bicubic.f32.gz the full tensor of a shorter_side_bicubic_pil profile (frames through
                            torchvision's image pipeline: Resize(BICUBIC) on PIL, CenterCrop)
  bundles/imagebind-video/  a bundle with a trivial video graph over [-1, 3, 2, 224, 224]
  bundles/mini-video/       a bundle with a trivial video graph over [-1, 3, 4, 16, 16]

The reference pipeline below is written from the fact sheet (pytorchvideo's
ConstantClipsPerVideoSampler, decord's frame count and fps, UniformTemporalSubsample,
ShortSideScale = torch.nn.functional.interpolate(bilinear, align_corners=False), SpatialCrop);
it does not import ImageBind or pytorchvideo.

Pixel-format conversion: the CLI decode uses -sws_flags SWS_FLAGS below. The Java decoder
passes the same flags to sws_getContext (VideoDecodeOptions documents this).
"""
import gzip
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "encoders-vision", "src", "test", "resources", "video")
SWS_FLAGS = "bicubic+accurate_rnd+full_chroma_int+bitexact"
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
SEED = 20261128
SAMPLES_224 = 1500

# name, extension, lavfi source, encoder arguments
CLIPS = [
    ("h264_64x48_25", "mp4", "testsrc=size=64x48:rate=25:duration=2.6",
     ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", "-bf", "2", "-preset", "medium"]),
    ("h264_96x72_2997", "mp4", "mandelbrot=size=96x72:rate=30000/1001,trim=duration=3.1",
     ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "15", "-bf", "3", "-crf", "28"]),
    ("h264_80x60_15", "mkv", "testsrc2=size=80x60:rate=15:duration=3",
     ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "8", "-crf", "30"]),
    ("vp8_64x48_24", "webm", "testsrc2=size=64x48:rate=24:duration=1.5",
     ["-c:v", "libvpx", "-b:v", "200k", "-auto-alt-ref", "0"]),
    ("vp9_48x64_30", "webm", "testsrc=size=48x64:rate=30:duration=2.2",
     ["-c:v", "libvpx-vp9", "-b:v", "200k", "-row-mt", "0", "-deadline", "good", "-cpu-used", "4"]),
    ("vp9_65x49_20", "webm", "smptebars=size=65x49:rate=20:duration=2.5",
     ["-c:v", "libvpx-vp9", "-b:v", "150k", "-pix_fmt", "yuv420p", "-deadline", "good", "-cpu-used", "4"]),
    ("mpeg4_64x48_25", "avi", "testsrc=size=64x48:rate=25:duration=2",
     ["-c:v", "mpeg4", "-q:v", "6", "-g", "12"]),
    ("mjpeg_64x48_20", "mov", "testsrc2=size=64x48:rate=20:duration=2.4",
     ["-c:v", "mjpeg", "-q:v", "8", "-pix_fmt", "yuvj420p"]),
    ("gif_48x48_10", "gif", "testsrc=size=48x48:rate=10:duration=2.5",
     ["-c:v", "gif"]),
]

# Profiles as bundle.json spells them.
IMAGEBIND = {"kind": "video", "clip_duration_seconds": 2.0, "clips_per_video": 5, "frames_per_clip": 2,
             "size": 224, "resize": "shorter_side_bilinear", "crop": "three_crops", "crops_per_clip": 3,
             "mean": list(MEAN), "std": list(STD)}
# Frames preprocessed like still images (torchvision Resize(size, BICUBIC) on the PIL frame, CenterCrop,
# ToTensor, Normalize): what a "shorter_side_bicubic_pil" video profile means in bindspace.
BICUBIC = {"kind": "video", "clip_duration_seconds": 1.5, "clips_per_video": 2, "frames_per_clip": 2,
           "size": 20, "resize": "shorter_side_bicubic_pil", "crop": "center", "crops_per_clip": 1,
           "mean": list(MEAN), "std": list(STD)}
MINI = {"kind": "video", "clip_duration_seconds": 1.0, "clips_per_video": 3, "frames_per_clip": 4,
        "size": 16, "resize": "shorter_side_bilinear", "crop": "center", "crops_per_clip": 1,
        "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw).stdout


def make_clip(path, source, args):
    run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-an", "-map_metadata", "-1",
         "-fflags", "+bitexact", "-flags:v", "+bitexact", *args, path])


def probe(path):
    out = json.loads(run(["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries",
                          "stream=avg_frame_rate,r_frame_rate,nb_read_packets,width,height", "-of", "json", path]))
    s = out["streams"][0]
    num, den = (int(x) for x in s["avg_frame_rate"].split("/"))
    if num == 0 or den == 0:
        num, den = (int(x) for x in s["r_frame_rate"].split("/"))
    return int(s["nb_read_packets"]), num, den, int(s["width"]), int(s["height"])


def decode(path, w, h):
    raw = run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough",
               "-sws_flags", SWS_FLAGS, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, h, w, 3)


def clip_bounds(duration, clip_duration, clips):
    """pytorchvideo ConstantClipsPerVideoSampler driven to its last clip: exact Fractions."""
    d = Fraction(clip_duration)
    max_start = Fraction(max(duration - float(clip_duration), 0))
    uniform = Fraction(max_start, max(clips - 1, 1))
    out = []
    for i in range(clips):
        start = uniform * i
        out.append((start, start + d))
        if uniform * (i + 1) > max_start:
            break
    return out


def linspace_indices(t, n):
    """UniformTemporalSubsample: torch.linspace(0, t-1, n) (float32), clamped, truncated."""
    idx = torch.linspace(0, t - 1, n)
    return torch.clamp(idx, 0, t - 1).long().tolist()


def sample(frame_count, fps, profile):
    """Per clip: (start, end, [absolute frame indices of the subsampled frames])."""
    duration = float(frame_count) / float(fps)
    clips = []
    for start, end in clip_bounds(duration, profile["clip_duration_seconds"], profile["clips_per_video"]):
        s = math.ceil(fps * float(start))
        e = min(math.ceil(fps * float(end)), frame_count)
        window = list(range(s, e))
        picked = [window[i] for i in linspace_indices(len(window), profile["frames_per_clip"])]
        clips.append((start, end, picked))
    return clips


def crops(x, size, n):
    """SpatialCrop on (C, T, H, W): offsets ceil((dim - size) / 2); 3 crops along the longer side."""
    h, w = x.shape[2], x.shape[3]
    y0 = int(math.ceil((h - size) / 2))
    x0 = int(math.ceil((w - size) / 2))
    out = []
    for idx in ([0, 1, 2] if n == 3 else [1]):
        yo, xo = y0, x0
        if h > w:
            yo = 0 if idx == 0 else (h - size if idx == 2 else y0)
        else:
            xo = 0 if idx == 0 else (w - size if idx == 2 else x0)
        out.append(x[:, :, yo:yo + size, xo:xo + size])
    return out


def tensor_bicubic(frames, clips, profile):
    """Each sampled frame through torchvision's image pipeline: (views, 3, T, size, size)."""
    from PIL import Image
    from torchvision import transforms as T
    size = profile["size"]
    tf = T.Compose([T.Resize(size, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(size), T.ToTensor(),
                    T.Normalize(profile["mean"], profile["std"])])
    views = []
    for _, _, picked in clips:
        views.append(torch.stack([tf(Image.fromarray(frames[min(i, len(frames) - 1)])) for i in picked], dim=1))
    return torch.stack(views).contiguous()


def tensor(frames, clips, profile):
    """(views, 3, T, size, size) float32, views clip-major then crop."""
    size = profile["size"]
    mean = torch.tensor(profile["mean"], dtype=torch.float32)[:, None, None, None]
    std = torch.tensor(profile["std"], dtype=torch.float32)[:, None, None, None]
    views = []
    for _, _, picked in clips:
        x = torch.from_numpy(np.stack([frames[min(i, len(frames) - 1)] for i in picked])).float()  # T,H,W,C
        x = x.permute(3, 0, 1, 2) / 255.0  # C,T,H,W
        c, t, h, w = x.shape
        if w < h:
            nh, nw = int(math.floor((float(h) / w) * size)), size
        else:
            nh, nw = size, int(math.floor((float(w) / h) * size))
        x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False)
        x = (x - mean) / std
        views.extend(crops(x, size, profile["crops_per_clip"]))
    return torch.stack(views).contiguous()


class Trivial(torch.nn.Module):
    """A fixed random projection of the frame-averaged, 4×4-pooled clip, L2-normalised."""

    def __init__(self, frames, dim, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.proj = torch.nn.Linear(3 * 16, dim, bias=True)
        with torch.no_grad():
            self.proj.weight.copy_(torch.randn(dim, 3 * 16, generator=g))
            self.proj.bias.copy_(torch.randn(dim, generator=g) * 0.1)
        self.frames = frames

    def forward(self, video):
        x = video.mean(dim=2)
        x = F.adaptive_avg_pool2d(x, 4).flatten(1)
        y = self.proj(x)
        return y / y.norm(dim=1, keepdim=True)


def write_gz(path, data):
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(data)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_bundle(name, profile, frames, dim, seed):
    d = os.path.join(OUT, "bundles", name)
    os.makedirs(d, exist_ok=True)
    model = Trivial(frames, dim, seed).eval()
    size = profile["size"]
    onnx_path = os.path.join(d, "video.onnx")
    torch.onnx.export(model, torch.zeros(2, 3, frames, size, size), onnx_path, input_names=["video"],
                      output_names=["embedding"], dynamic_axes={"video": {0: "batch"}, "embedding": {0: "batch"}},
                      opset_version=17)
    with open(os.path.join(d, "LICENSE"), "w") as f:
        f.write("Apache-2.0 test fixture of bindspace\n")
    views = profile["clips_per_video"] * profile["crops_per_clip"]
    manifest = {
        "format_version": 1,
        "model": {"name": name, "version": "1"},
        "space": "bindspace-test-" + name,
        "dimension": dim,
        "license": {"id": "Apache-2.0", "name": "Apache License 2.0", "attribution": "bindspace test fixture",
                    "file": {"path": "LICENSE", "sha256": sha256(os.path.join(d, "LICENSE"))}},
        "graphs": {"video": {
            "file": {"path": "video.onnx", "sha256": sha256(onnx_path)},
            "data_files": [],
            "inputs": [{"name": "video", "dtype": "float32", "shape": [-1, 3, frames, size, size]}],
            "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, dim]}],
            "preprocessing": profile,
            "postprocessing": {"applied_in": "graph", "l2_normalize": True, "logit_scale": 1.0},
            "aggregation": {"mode": "mean", "views": views},
        }},
    }
    with open(os.path.join(d, "bundle.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return model


def main():
    for sub in ("clips", "goldens", "bundles"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
        os.makedirs(os.path.join(OUT, sub))
    torch.manual_seed(0)
    ib_model = make_bundle("imagebind-video", IMAGEBIND, 2, 8, 11)
    mini_model = make_bundle("mini-video", MINI, 4, 8, 12)
    rng = np.random.default_rng(SEED)
    index = []
    for name, ext, source, args in CLIPS:
        path = os.path.join(OUT, "clips", name + "." + ext)
        make_clip(path, source, args)
        packets, num, den, w, h = probe(path)
        frames = decode(path, w, h)
        fps = num / den
        ib = sample(packets, fps, IMAGEBIND)
        mini = sample(packets, fps, MINI)
        ib_tensor = tensor(frames, ib, IMAGEBIND)
        mini_tensor = tensor(frames, mini, MINI)
        bicubic_tensor = tensor_bicubic(frames, sample(packets, fps, BICUBIC), BICUBIC)
        write_gz(os.path.join(OUT, "goldens", name + ".bicubic.f32.gz"),
                 bicubic_tensor.numpy().astype("<f4").tobytes())
        with torch.no_grad():
            ib_raw = ib_model(ib_tensor).double().mean(dim=0).tolist()
            mini_raw = mini_model(mini_tensor).double().mean(dim=0).tolist()
        flat = ib_tensor.flatten().numpy()
        positions = np.sort(rng.choice(flat.size, size=SAMPLES_224, replace=False))
        sampled = sorted({min(i, len(frames) - 1) for _, _, p in ib for i in p})
        write_gz(os.path.join(OUT, "goldens", name + ".frames.gz"), b"".join(frames[i].tobytes() for i in sampled))
        write_gz(os.path.join(OUT, "goldens", name + ".mini.f32.gz"), mini_tensor.numpy().astype("<f4").tobytes())
        golden = {
            "clip": "clips/" + name + "." + ext,
            "sws_flags": SWS_FLAGS,
            "width": w, "height": h,
            "packets": packets, "fps_num": num, "fps_den": den,
            "decoded_frames": int(len(frames)),
            "frame_sha256": [hashlib.sha256(fr.tobytes()).hexdigest() for fr in frames],
            "sampled_frames": sampled,
            "imagebind": {
                "clips": [{"start": [s.numerator, s.denominator], "end": [e.numerator, e.denominator],
                           "frames": p} for s, e, p in ib],
                "shape": list(ib_tensor.shape),
                "positions": positions.tolist(),
                "values": [float(v) for v in flat[positions]],
                "view_sums": [float(v) for v in ib_tensor.double().flatten(1).sum(dim=1)],
                "raw_embedding": ib_raw,
            },
            "mini": {
                "clips": [{"start": [s.numerator, s.denominator], "end": [e.numerator, e.denominator],
                           "frames": p} for s, e, p in mini],
                "shape": list(mini_tensor.shape),
                "raw_embedding": mini_raw,
            },
        }
        with open(os.path.join(OUT, "goldens", name + ".json"), "w") as f:
            json.dump(golden, f)
            f.write("\n")
        index.append(name)
        print(f"{name}: {w}x{h}, {packets} packets, {len(frames)} frames, fps {num}/{den}, "
              f"imagebind frames {[p for _, _, p in ib]}", file=sys.stderr)
    with open(os.path.join(OUT, "goldens", "index.txt"), "w") as f:
        f.write("\n".join(index) + "\n")


if __name__ == "__main__":
    main()
