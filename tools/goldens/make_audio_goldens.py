#!/usr/bin/python3
"""Regenerates encoders-audio's committed audio fixtures and their references.

Run with Debian's Python (python3-torch, python3-torchaudio, python3-numpy) and the ffmpeg CLI:
    /usr/bin/python3 tools/goldens/make_audio_goldens.py

Writes encoders-audio/src/test/resources/audio/:
  fixtures (all synthetic, generated here):
    edge_400.wav, edge_399.wav      16 kHz mono 16-bit, exactly one fbank window / one sample short
    short_1p5s.wav                  16 kHz mono 16-bit, 1.5 s (every clip shorter than 2 s)
    mel64_22k05_2p6s.wav            22.05 kHz mono 16-bit, 2.6 s, for the 64-mel profile
    fmt_src.wav                     22.05 kHz stereo 16-bit, 1.0 s: the source of the compressed files
    fmt.mp3, fmt.ogg (Vorbis), fmt.opus, fmt.flac, fmt.m4a (AAC), fmt.mp4 (MPEG-4 video + AAC track)
  references (.npy, float32):
    <name>.input.npy                the model input of our pipeline for that file and profile; for the
                                    ImageBind-profile files shorter than 2 s (three identical clips) only
                                    clip 0, (1, 1, 128, 204), and for edge_400/edge_399 (one real frame) only
                                    that frame's 128 values (the test checks the padding itself)
    fmt.<ext>.decoded.npy           ffmpeg CLI's float decode (native rate and channels), channel 0,
                                    first 4096 samples
  profiles.json                     the profile used for each reference
  mel64.onnx                        a tiny audio graph for the 64-mel profile: float [-1, 1, 64, 100] ->
                                    mean over frames -> [-1, 64] x W + b -> [-1, 8], with
                                    W[i][j] = sin(i*8 + j + 1) / 4 and b[j] = (j - 3.5) / 10 (the test recomputes it)

The reference pipeline below is written for bindspace from the documented behaviour of ImageBind's
load_and_transform_audio_data (it is not ImageBind code): torchaudio.functional.resample with its
defaults, pytorchvideo's clip rule with fractions.Fraction, the clip mean subtracted in place on a
view of the waveform, torchaudio.compliance.kaldi.fbank with ImageBind's arguments on the clip,
zero pad / crop to target_frames, (x - mean) / std in float32. A clip shorter than one fbank window
is zero-padded to one window after the mean subtraction: bindspace's documented short-input choice
(ImageBind itself fails there). For compressed files the waveform is what the ffmpeg CLI decodes
to float ("-f f32le"), at the file's own rate and channel count.
"""
import json
import math
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

torch.set_num_threads(1)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "encoders-audio", "src", "test", "resources", "audio")

IMAGEBIND = dict(sample_rate=16000, mel_bins=128, target_frames=204, clip_duration_seconds=2.0,
                 clips_per_file=3, frame_length_ms=25.0, frame_shift_ms=10.0, mean=-4.268, std=9.138)
MEL64 = dict(sample_rate=16000, mel_bins=64, target_frames=100, clip_duration_seconds=1.0,
             clips_per_file=4, frame_length_ms=25.0, frame_shift_ms=10.0, mean=-5.0, std=4.5)
FORMAT = dict(sample_rate=16000, mel_bins=64, target_frames=100, clip_duration_seconds=1.0,
              clips_per_file=1, frame_length_ms=25.0, frame_shift_ms=10.0, mean=-4.268, std=9.138)


def write_wav16(path, x, rate):
    """x: (channels, n) float in [-1, 1] -> PCM 16-bit, plain RIFF/WAVE."""
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2").T.copy()
    ch = x.shape[0]
    data = pcm.tobytes()
    fmt = (1).to_bytes(2, "little") + ch.to_bytes(2, "little") + rate.to_bytes(4, "little") + \
        (rate * ch * 2).to_bytes(4, "little") + (ch * 2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    body = b"WAVE" + b"fmt " + len(fmt).to_bytes(4, "little") + fmt + b"data" + len(data).to_bytes(4, "little") + data
    with open(path, "wb") as f:
        f.write(b"RIFF" + len(body).to_bytes(4, "little") + body)


def signal(n, rate, seed, channels=1):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate
    out = []
    for c in range(channels):
        f0 = 180 + 60 * c
        x = 0.3 * np.sin(2 * np.pi * f0 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
        x += 0.15 * np.sin(2 * np.pi * (400 + 2500 * t / max(t[-1], 1e-9)) * t)  # chirp
        x += 0.03 * rng.standard_normal(n) + 0.05 * (c + 1)  # noise and a DC offset
        out.append(x)
    return np.array(out)


def pipeline(w, sr, p):
    """Our reference of the model input; w: float32 tensor (channels, n)."""
    rate = p["sample_rate"]
    if sr != rate:
        w = torchaudio.functional.resample(w, sr, rate)
    w = w.clone()
    dur = w.shape[1] / rate
    clip = Fraction(p["clip_duration_seconds"])
    k = p["clips_per_file"]
    max_start = Fraction(max(dur - float(clip), 0))
    step = max_start / max(k - 1, 1)
    win = int(rate * p["frame_length_ms"] * 0.001)
    out = []
    for i in range(k):
        a = int(step * i * rate)
        b = int((step * i + clip) * rate)
        v = w[:, a:b]
        v -= v.mean()
        x = v
        if x.shape[1] < win:
            x = torch.nn.functional.pad(x, (0, win - x.shape[1]))
        fb = kaldi.fbank(x, htk_compat=True, sample_frequency=rate, use_energy=False, window_type="hanning",
                         num_mel_bins=p["mel_bins"], dither=0.0, frame_length=p["frame_length_ms"],
                         frame_shift=p["frame_shift_ms"]).transpose(0, 1)
        gap = p["target_frames"] - fb.shape[1]
        fb = torch.nn.functional.pad(fb, (0, gap)) if gap > 0 else fb[:, :p["target_frames"]]
        fb = (fb - torch.tensor(p["mean"], dtype=torch.float32)) / torch.tensor(p["std"], dtype=torch.float32)
        out.append(fb[None])
    return torch.stack(out).numpy().astype(np.float32)


def ffmpeg_decode(path):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                            "stream=sample_rate,channels", "-of", "json", path], check=True, capture_output=True)
    s = json.loads(probe.stdout)["streams"][0]
    rate, ch = int(s["sample_rate"]), int(s["channels"])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "f32le", "-acodec", "pcm_f32le", "-"],
                         check=True, capture_output=True).stdout
    x = np.frombuffer(raw, dtype="<f4").reshape(-1, ch).T.copy()
    return x, rate


def write_mel64_graph(path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    w = np.array([[math.sin(i * 8 + j + 1) / 4 for j in range(8)] for i in range(64)], dtype=np.float32)
    b = np.array([(j - 3.5) / 10 for j in range(8)], dtype=np.float32)
    nodes = [helper.make_node("ReduceMean", ["audio"], ["m"], axes=[3], keepdims=0),
             helper.make_node("Flatten", ["m"], ["f"], axis=1),
             helper.make_node("MatMul", ["f", "W"], ["p"]),
             helper.make_node("Add", ["p", "b"], ["embedding"])]
    graph = helper.make_graph(nodes, "mel64", [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", 1, 64, 100])],
                              [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", 8])],
                              [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="bindspace-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    profiles = {}

    def ref(name, w, sr, prof, pname, keep=None):
        x = pipeline(torch.from_numpy(w.astype(np.float32)), sr, prof)
        np.save(os.path.join(OUT, name + ".input.npy"), x if keep is None else keep(x))
        profiles[name] = pname

    def load16(path):
        w, sr = torchaudio.load(path)  # 16-bit PCM: s / 32768 exactly, as our WAV reader
        return w.numpy(), sr

    for name, n in (("edge_400", 400), ("edge_399", 399), ("short_1p5s", 24000)):
        write_wav16(os.path.join(OUT, name + ".wav"), signal(n, 16000, n), 16000)
        w, sr = load16(os.path.join(OUT, name + ".wav"))
        if n == 24000:
            ref(name, w, sr, IMAGEBIND, "imagebind", lambda x: x[:1])
        else:
            ref(name, w, sr, IMAGEBIND, "imagebind", lambda x: np.ascontiguousarray(x[0, 0, :, 0]))
    write_wav16(os.path.join(OUT, "mel64_22k05_2p6s.wav"), signal(int(2.6 * 22050), 22050, 64), 22050)
    w, sr = load16(os.path.join(OUT, "mel64_22k05_2p6s.wav"))
    ref("mel64_22k05_2p6s", w, sr, MEL64, "mel64")

    src = os.path.join(OUT, "fmt_src.wav")
    write_wav16(src, signal(22050, 22050, 7, channels=2) * 0.8, 22050)
    encodes = {
        "fmt.mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
        "fmt.ogg": ["-c:a", "libvorbis", "-q:a", "2"],
        "fmt.opus": ["-c:a", "libopus", "-b:a", "48k"],
        "fmt.flac": ["-c:a", "flac", "-sample_fmt", "s16"],
        "fmt.m4a": ["-c:a", "aac", "-b:a", "64k"],
    }
    for out, args in encodes.items():
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", src] + args + ["-map_metadata", "-1", "-fflags", "+bitexact",
                        os.path.join(OUT, out)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=32x32:d=1:r=10", "-i", src,
                    "-c:v", "mpeg4", "-q:v", "31", "-c:a", "aac", "-b:a", "48k", "-shortest", "-map_metadata", "-1",
                    os.path.join(OUT, "fmt.mp4")], check=True)
    for out in list(encodes) + ["fmt.mp4"]:
        x, rate = ffmpeg_decode(os.path.join(OUT, out))
        np.save(os.path.join(OUT, out + ".decoded.npy"), x[0, :4096].astype(np.float32))
        ref(out, x, rate, FORMAT, "format")
        print(out, "decoded", x.shape, rate, "Hz")
    write_mel64_graph(os.path.join(OUT, "mel64.onnx"))
    with open(os.path.join(OUT, "profiles.json"), "w") as f:
        json.dump({"profiles": {"imagebind": IMAGEBIND, "mel64": MEL64, "format": FORMAT}, "files": profiles,
                   "versions": {"torch": torch.__version__, "torchaudio": torchaudio.__version__,
                                "ffmpeg": subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0]}},
                  f, indent=1, sort_keys=True)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("wrote", len(os.listdir(OUT)), "files,", total, "bytes")


if __name__ == "__main__":
    sys.exit(main())
