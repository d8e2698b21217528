#!/usr/bin/python3
"""Vision preprocessing benchmark helpers (Debian python3-pil 9.4, python3-torch 1.13, python3-torchvision 0.14).

  vision_images.py make DIR     writes DIR/img{0..7}.jpg (quality 90, 4:2:0) and .png: 1024x768 synthetic photos
  vision_images.py bench DIR    the Python reference on one thread: for each format, decode from bytes in
                                memory + ImageBind's transform (Resize(224, BICUBIC), CenterCrop, ToTensor,
                                Normalize) per image; prints JSON {format: images_per_second}
"""
import io
import json
import os
import sys
import time

import numpy as np


def make(out):
    from PIL import Image
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    h, w = 768, 1024
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    for i in range(8):
        fx, fy = rng.uniform(2, 12, 2)
        r = 127 + 110 * np.sin(x / w * fx + i) * np.cos(y / h * fy)
        g = 255 * (x / w) * (0.5 + 0.5 * np.sin(y / 37.0 + i))
        b = 127 + 120 * np.sin((x + y) / (53.0 + 7 * i))
        img = np.stack([r, g, b], -1)
        for _ in range(12):  # shapes with edges
            cx, cy, rad = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(20, 160)
            mask = (x - cx) ** 2 + (y - cy) ** 2 < rad ** 2
            img[mask] = rng.uniform(0, 255, 3)
        img += rng.normal(0, 4, img.shape)  # sensor-like noise
        im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        im.save(os.path.join(out, "img%d.jpg" % i), quality=90)
        im.save(os.path.join(out, "img%d.png" % i))


def bench(d, seconds=6.0):
    import torch
    from PIL import Image
    from torchvision import transforms
    torch.set_num_threads(1)
    t = transforms.Compose([
        transforms.Resize(224, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=(0.48145466, 0.4578275, 0.40821073), std=(0.26862954, 0.26130258, 0.27577711)),
    ])
    out = {}
    for fmt in ("jpg", "png"):
        files = [open(os.path.join(d, "img%d.%s" % (i, fmt)), "rb").read() for i in range(8)]

        def one(k):
            with Image.open(io.BytesIO(files[k % len(files)])) as im:
                return t(im.convert("RGB"))

        for k in range(16):  # warm-up
            one(k)
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            x = one(n)
            assert x.shape == (3, 224, 224)
            n += 1
        out["jpeg" if fmt == "jpg" else "png"] = n / (time.perf_counter() - t0)

        # the decoder alone (Pillow: libjpeg-turbo / zlib), the floor of any pipeline that decodes every pixel
        # exactly as Pillow does: what a 2x target has to be measured against
        def decode(k):
            with Image.open(io.BytesIO(files[k % len(files)])) as im:
                rgb = im.convert("RGB")
                rgb.load()
                return rgb.size

        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 2:
            decode(n)
            n += 1
        out[("jpeg" if fmt == "jpg" else "png") + "_decode_only"] = n / (time.perf_counter() - t0)
    print(json.dumps(out))


if __name__ == "__main__":
    {"make": make, "bench": bench}[sys.argv[1]](sys.argv[2])
