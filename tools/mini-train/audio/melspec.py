"""ImageBind's audio preprocessing (imagebind/data.py load_and_transform_audio_data + waveform2melspec, commit
53680b0), parameterised by the number of mel bins and the normalisation constants. This is the ONE function the
mini audio tower is trained and evaluated with; bindspace's Java audio encoder reproduces it (see
../../shared/docs/imagebind-facts.md section 1.3 and 9):

- torchaudio.load -> float32 [channels, n]; resample to 16 kHz if needed (training/eval files are already 16 kHz);
- clips by pytorchvideo's ConstantClipsPerVideoSampler(clip_duration=2, clips_per_video=3) with exact Fractions
  over duration = n / 16000; samples [int(start*16000) : int(end*16000)];
- per clip: subtract the clip mean IN PLACE on a view of the waveform (so overlapping clips see already-shifted
  samples, as in the original), kaldi fbank (htk_compat, 16 kHz, no energy, hanning, M mel bins, dither 0,
  25 ms / 10 ms) on channel 0, transpose to (M, frames), right-pad with zeros or crop to 204 frames,
  then (x - mean) / std.

With mel_bins=128, mean=-4.268, std=9.138 this is exactly ImageBind (checked against
../../shared/goldens/imagebind-preprocessing by `python3 melspec.py --check-goldens`).
"""
from __future__ import annotations

import sys
from fractions import Fraction

import torch
import torchaudio

SAMPLE_RATE = 16000
CLIP_SECONDS = 2
CLIPS_PER_FILE = 3
TARGET_FRAMES = 204
IMAGEBIND_MEAN = -4.268
IMAGEBIND_STD = 9.138


def clip_timepoints(duration: float, clip_duration: int = CLIP_SECONDS, clips: int = CLIPS_PER_FILE):
    """pytorchvideo ConstantClipsPerVideoSampler driven by ImageBind's get_clip_timepoints loop."""
    clip_d = Fraction(clip_duration)
    out = []
    index = 0
    while True:
        max_start = Fraction(max(duration - clip_d, 0))
        uniform = Fraction(max_start, max(clips - 1, 1))
        start = uniform * index
        index += 1
        out.append((start, start + clip_d))
        if index >= clips or uniform * index > max_start:
            return out


def clip_fbank(clip: torch.Tensor, mel_bins: int, mean: float, std: float,
               target_frames: int = TARGET_FRAMES) -> torch.Tensor:
    """One clip [channels, n] -> (1, mel_bins, target_frames). Subtracts the clip mean IN PLACE (like ImageBind)."""
    clip -= clip.mean()
    fbank = torchaudio.compliance.kaldi.fbank(
        clip, htk_compat=True, sample_frequency=SAMPLE_RATE, use_energy=False, window_type="hanning",
        num_mel_bins=mel_bins, dither=0.0, frame_length=25, frame_shift=10)
    fbank = fbank.transpose(0, 1)
    p = target_frames - fbank.size(1)
    if p > 0:
        fbank = torch.nn.ZeroPad2d((0, p, 0, 0))(fbank)
    elif p < 0:
        fbank = fbank[:, :target_frames]
    return ((fbank - mean) / std).unsqueeze(0)


def waveform_clips(waveform: torch.Tensor, sample_rate: int, mel_bins: int, mean: float, std: float,
                   clips: int = CLIPS_PER_FILE) -> torch.Tensor:
    """[channels, n] waveform -> (clips, 1, mel_bins, 204), ImageBind's load_and_transform_audio_data body."""
    if sample_rate != SAMPLE_RATE:
        waveform = torchaudio.functional.resample(waveform, orig_freq=sample_rate, new_freq=SAMPLE_RATE)
    out = []
    for start, end in clip_timepoints(waveform.size(1) / SAMPLE_RATE, CLIP_SECONDS, clips):
        view = waveform[:, int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
        out.append(clip_fbank(view, mel_bins, mean, std))
    return torch.stack(out, 0)


def file_clips(path: str, mel_bins: int, mean: float, std: float, clips: int = CLIPS_PER_FILE) -> torch.Tensor:
    waveform, sr = torchaudio.load(path)
    return waveform_clips(waveform, sr, mel_bins, mean, std, clips)


def _check_goldens(root: str) -> None:
    import json
    from pathlib import Path

    import numpy as np
    g = Path(root)
    manifest = json.loads((g / "manifest.json").read_text())
    worst = 0.0
    for f in sorted((g / "inputs" / "audio").glob("*.wav")):
        ref = g / "audio" / (f.stem + ".input.npy")
        if not ref.exists():
            continue
        got = file_clips(str(f), 128, IMAGEBIND_MEAN, IMAGEBIND_STD).numpy()
        want = np.load(ref)
        d = float(np.abs(got - want).max())
        worst = max(worst, d)
        print(f"{f.name}: shape {got.shape} max abs diff {d:.3g}")
    print(f"worst {worst:.3g} ({len(manifest)} manifest keys)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-goldens":
        torch.set_num_threads(1)
        _check_goldens(sys.argv[2])
    else:
        print("usage: melspec.py --check-goldens ../../shared/goldens/imagebind-preprocessing")
