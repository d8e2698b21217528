"""ImageBind's file -> tensor preprocessing, re-implemented (bindspace's own code) with Debian's PIL, torchvision
and torchaudio exactly as ../shared/docs/imagebind-facts.md section 1 describes ImageBind's ``data.py``:

- image: ``PIL.Image.open(f).convert("RGB")`` -> ``Resize(224, BICUBIC)`` -> ``CenterCrop(224)`` -> ``ToTensor``
  -> ``Normalize(CLIP mean, CLIP std)``; (3, 224, 224) float32 per file.
- audio: ``torchaudio.load`` -> ``resample`` to 16 kHz -> 3 clips of 2 s (pytorchvideo's constant-clips sampler,
  exact fractions) -> per clip: subtract the clip mean IN PLACE on a view of the waveform (overlapping clips
  see the shifted samples, as in ImageBind) -> kaldi fbank (128 mel, 25/10 ms, hanning, no dither) -> (128, T)
  zero-padded/cut to 204 frames -> ``(x + 4.268) / 9.138``; (3, 1, 128, 204) float32 per file.
- text: CLIP BPE (clip_bpe.py), 77 ids, int64.

Import this only after the thread environment variables are set (it imports torch).
"""

from fractions import Fraction

import torch
import torchaudio
from PIL import Image
from torchvision import transforms

from clip_bpe import ClipBpe

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
AUDIO_RATE = 16000
CLIP_SECONDS = 2
CLIPS = 3
MEL_BINS = 128
TARGET_FRAMES = 204
AUDIO_MEAN = -4.268
AUDIO_STD = 9.138

_IMAGE = transforms.Compose([
    transforms.Resize(224, interpolation=transforms.InterpolationMode.BICUBIC),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=CLIP_MEAN, std=CLIP_STD),
])


def load_image(path):
    with open(path, "rb") as f:
        image = Image.open(f).convert("RGB")
    return _IMAGE(image)


def clip_bounds(duration, clip_seconds=CLIP_SECONDS, clips=CLIPS):
    """pytorchvideo ConstantClipsPerVideoSampler over a float duration: starts 0, ..., max(dur - 2, 0) evenly
    spaced in exact fractions; stops after ``clips`` clips (or when a start would pass the last possible one)."""
    clip = Fraction(clip_seconds)
    max_start = Fraction(max(duration - clip, 0))
    step = max_start / max(clips - 1, 1)
    out = []
    for i in range(clips):
        start = step * i
        out.append((start, start + clip))
        if i + 1 >= clips or step * (i + 1) > max_start:
            break
    return out


def _mel(clip):
    clip -= clip.mean()  # in place on a view of the waveform, as ImageBind does
    fbank = torchaudio.compliance.kaldi.fbank(
        clip, htk_compat=True, sample_frequency=AUDIO_RATE, use_energy=False, window_type="hanning",
        num_mel_bins=MEL_BINS, dither=0.0, frame_length=25, frame_shift=10).transpose(0, 1)
    gap = TARGET_FRAMES - fbank.shape[1]
    if gap > 0:
        fbank = torch.nn.functional.pad(fbank, (0, gap))
    elif gap < 0:
        fbank = fbank[:, :TARGET_FRAMES]
    return ((fbank - AUDIO_MEAN) / AUDIO_STD).unsqueeze(0)


def load_audio(path):
    waveform, rate = torchaudio.load(path)
    if rate != AUDIO_RATE:
        waveform = torchaudio.functional.resample(waveform, orig_freq=rate, new_freq=AUDIO_RATE)
    clips = []
    for start, end in clip_bounds(waveform.shape[1] / AUDIO_RATE):
        clips.append(_mel(waveform[:, int(start * AUDIO_RATE):int(end * AUDIO_RATE)]))
    return torch.stack(clips, dim=0)


class TextTokens:
    def __init__(self, vocab_path):
        self.bpe = ClipBpe(vocab_path)

    def __call__(self, texts):
        return torch.tensor([self.bpe(t) for t in texts], dtype=torch.long)
