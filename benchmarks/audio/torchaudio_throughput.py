#!/usr/bin/python3
"""torchaudio side of benchmarks/audio/run_audio_bench.sh: torchaudio.load + functional.resample +
compliance.kaldi.fbank (ImageBind's arguments) on one core, same cases as AudioThroughput.java.
Usage: torchaudio_throughput.py file.wav reps"""
import math
import statistics
import sys
import time
from fractions import Fraction

import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

torch.set_num_threads(1)


def preprocess(path, clips):
    w, sr = torchaudio.load(path)
    if sr != 16000:
        w = torchaudio.functional.resample(w, sr, 16000)
    dur = w.shape[1] / 16000
    max_start = Fraction(max(dur - 2.0, 0))
    step = max_start / max(clips - 1, 1)
    out = []
    for i in range(clips):
        v = w[:, int(step * i * 16000):int((step * i + 2) * 16000)]
        v -= v.mean()
        fb = kaldi.fbank(v, htk_compat=True, sample_frequency=16000, use_energy=False, window_type="hanning",
                         num_mel_bins=128, dither=0.0, frame_length=25, frame_shift=10).transpose(0, 1)
        fb = torch.nn.functional.pad(fb, (0, 204 - fb.shape[1])) if fb.shape[1] < 204 else fb[:, :204]
        out.append(((fb + 4.268) / 9.138)[None])
    return torch.stack(out)


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    info = torchaudio.info(path)
    seconds = info.num_frames / info.sample_rate
    for name, clips in (("clips3", 3), ("whole", math.ceil(seconds / 2))):
        for _ in range(2):
            preprocess(path, clips)
        t = []
        for _ in range(reps):
            t0 = time.perf_counter()
            preprocess(path, clips)
            t.append(time.perf_counter() - t0)
        med = statistics.median(t)
        print(f"torch {name:<14} median {med:.4f} s  min {min(t):.4f} s  -> {seconds / med:.1f} s of audio per s")


if __name__ == "__main__":
    main()
