#!/usr/bin/python3
"""Writes the inputs of the issue-10 speed measurement (seeded, synthetic, ours): 8 JPEGs 1024x768 (quality 90),
8 WAVs of 5 s at 44.1 kHz stereo 16-bit, and sentences.txt (16 English captions of 5-25 words).

    /usr/bin/python3 benchmarks/perf/make_media.py --out ../perf/media [--seed 10]

Images: smooth colour gradients, a few discs and bars, and mild noise, so JPEG decoding does about the work of
a photograph (~290 KB each). Audio: a melody of harmonic tones with an envelope, plus noise. Keep the folder
outside the repository; the Java and Python benchmarks read the same files.
"""

import argparse
import os
import sys
import wave

import numpy as np
from PIL import Image

SENTENCES = [
    "A dog.",
    "A car",
    "A bird sitting on a branch.",
    "Two children play football on a wet field after school.",
    "A red double-decker bus drives past an old stone church in the rain.",
    "The violinist bows a long low note while the audience listens in silence.",
    "A cup of coffee",
    "Waves crash against black rocks under a grey winter sky, and gulls circle above the harbour wall.",
    "A cat sleeping on a keyboard",
    "Fresh bread and cheese on a wooden table next to a window.",
    "A horse gallops across a dusty plain at sunset.",
    "Someone is playing a trumpet on a busy street corner while people hurry to work in the morning.",
    "An owl hoots at night.",
    "A small boat with a white sail drifts slowly on a calm blue lake surrounded by pine trees and mountains.",
    "Rain on a tin roof",
    "A drum kit in an empty studio, lit by a single warm lamp.",
]


def make_image(rng, w=1024, h=768):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        a, b, p = rng.uniform(-1, 1, 3)
        img[..., c] = 128 + 90 * np.sin(a * x / 97 + b * y / 61 + p * 6)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(20, 160)
        colour = rng.uniform(0, 255, 3)
        mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[mask] = 0.6 * img[mask] + 0.4 * colour
    for _ in range(6):
        x0, y0 = int(rng.uniform(0, w - 50)), int(rng.uniform(0, h - 200))
        img[y0:y0 + int(rng.uniform(50, 200)), x0:x0 + int(rng.uniform(5, 50))] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 12, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def make_audio(rng, rate=44100, seconds=5.0):
    n = int(rate * seconds)
    t = np.arange(n) / rate
    out = np.zeros((2, n))
    note = int(rate * 0.25)
    for start in range(0, n, note):
        f0 = 110 * 2 ** (rng.integers(0, 36) / 12)
        seg = t[start:start + note] - t[start]
        env = np.exp(-seg * rng.uniform(2, 8))
        tone = sum(np.sin(2 * np.pi * f0 * k * seg) / k for k in range(1, 6))
        out[0, start:start + note] += 0.3 * env * tone
        out[1, start:start + note] += 0.25 * env * tone
    out += rng.normal(0, 0.02, out.shape)
    return (np.clip(out, -1, 1) * 32767).astype("<i2")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--count", type=int, default=8)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    for sub in ("images", "audio"):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    for i in range(args.count):
        make_image(rng).save(os.path.join(args.out, "images", f"img{i:02d}.jpg"), quality=90)
        pcm = make_audio(rng)
        with wave.open(os.path.join(args.out, "audio", f"snd{i:02d}.wav"), "wb") as f:
            f.setnchannels(2)
            f.setsampwidth(2)
            f.setframerate(44100)
            f.writeframes(pcm.T.tobytes())
    with open(os.path.join(args.out, "sentences.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(SENTENCES) + "\n")
    print(f"wrote {args.count} images, {args.count} WAVs and {len(SENTENCES)} sentences to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
