#!/usr/bin/python3
"""Regenerates encoders-vision's own fixtures and goldens (what the shared ImageBind set lacks).

Run with Debian's packages: /usr/bin/python3 tools/goldens/vision/make_vision_goldens.py
(python3-pil 9.4, python3-torch 1.13, python3-torchvision 0.14, python3-numpy). No ImageBind code:
the transform is rebuilt from torchvision exactly as ImageBind's data.py composes it.

Writes encoders-vision/src/test/resources/vision-goldens/:
  inputs/<name>          small synthetic images in formats the shared set lacks (BMP, WebP, TIFF, ...)
  <name>.decoded_rgb.npy Image.open(f).convert("RGB") (uint8 H,W,3)
  <name>.luma.npy        Image.open(f).convert("L") (uint8 H,W) for the thermal path
  s112_<name>.resized_rgb.npy / .input.npy   Resize(112, BICUBIC) + CenterCrop(112) + ToTensor + Normalize(CLIP)
  thermal112_<name>.input.npy                the same on convert("L") with mean 0.48145466, std 0.26862954
  depth_<name>.input.npy                     disparity (Omnivore recipe) -> PIL mode F bicubic Resize(112) + CenterCrop
  manifest.json          what each file is, with the parameters used
"""
import io
import json
import os
import sys

import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision import transforms

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
OUT = os.path.join(ROOT, "encoders-vision", "src", "test", "resources", "vision-goldens")
INPUTS = os.path.join(OUT, "inputs")
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
RNG = np.random.default_rng(20261128)


def scene(w, h):
    """A smooth gradient with shapes and a little noise: exercises the resampler and lossy codecs."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127 + 120 * np.sin(x / w * 6.3) * np.cos(y / h * 3.1)
    g = 255 * x / max(w - 1, 1)
    b = 255 * ((x - w / 2) ** 2 + (y - h / 2) ** 2 < (min(w, h) / 3) ** 2)
    img = np.stack([r, g, b], -1) + RNG.normal(0, 6, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def save(im, name, **kw):
    path = os.path.join(INPUTS, name)
    im.save(path, **kw)
    return path


def make_inputs():
    os.makedirs(INPUTS, exist_ok=True)
    rgb = Image.fromarray(scene(80, 60))
    files = {}
    files["b01_bmp24_80x60.bmp"] = ("24-bit BMP", save(rgb, "b01_bmp24_80x60.bmp"))
    files["b02_bmp8_palette_80x60.bmp"] = ("8-bit palette BMP",
                                           save(rgb.quantize(32), "b02_bmp8_palette_80x60.bmp"))
    files["b03_webp_lossless_80x60.webp"] = ("lossless WebP (VP8L)",
                                             save(rgb, "b03_webp_lossless_80x60.webp", lossless=True))
    files["b04_webp_lossy_q80_80x60.webp"] = ("lossy WebP (VP8), quality 80",
                                              save(rgb, "b04_webp_lossy_q80_80x60.webp", quality=80))
    rgba = rgb.copy()
    rgba.putalpha(Image.fromarray((np.arange(80)[None, :].repeat(60, 0) * 3).astype(np.uint8)))
    files["b05_webp_lossless_rgba_80x60.webp"] = ("lossless WebP with alpha (alpha dropped)",
                                                  save(rgba, "b05_webp_lossless_rgba_80x60.webp", lossless=True))
    odd = Image.fromarray(scene(81, 61))
    odd.putalpha(128)
    files["b12_webp_lossy_rgba_odd_81x61.webp"] = ("lossy WebP with alpha, odd size (libwebp fancy upsampling edges)",
                                                   save(odd, "b12_webp_lossy_rgba_odd_81x61.webp", quality=70))
    files["b06_tiff_lzw_80x60.tif"] = ("TIFF RGB, LZW", save(rgb, "b06_tiff_lzw_80x60.tif", compression="tiff_lzw"))
    g16 = (np.linspace(0, 1000, 80 * 60).reshape(60, 80)).astype(np.uint16)
    files["b07_tiff_gray16_80x60.tif"] = ("TIFF 16-bit grey (clipped to 255 like PNG mode I)",
                                          save(Image.fromarray(g16, "I;16"), "b07_tiff_gray16_80x60.tif"))
    files["b08_png_rgb16_80x60.png"] = ("16-bit RGB PNG (high byte)", None)
    arr16 = (scene(80, 60).astype(np.uint16) * 257 + RNG.integers(0, 256, (60, 80, 3))).astype(">u2")
    png16 = os.path.join(INPUTS, "b08_png_rgb16_80x60.png")
    write_png16_rgb(png16, arr16)
    files["b08_png_rgb16_80x60.png"] = ("16-bit RGB PNG (high byte)", png16)
    files["b09_jpeg_exif8_80x60.jpg"] = ("JPEG with EXIF Orientation=8; decoded as stored, and "
                                         "exif_transpose golden for the APPLY option",
                                         save(rgb, "b09_jpeg_exif8_80x60.jpg", quality=90, exif=exif_orientation(8)))
    with open("/usr/share/color/icc/ghostscript/a98.icc", "rb") as f:  # Debian ghostscript's Adobe RGB profile
        icc = f.read()
    files["b11_jpeg_adobergb_icc_80x60.jpg"] = ("JPEG with an embedded Adobe RGB ICC profile: Pillow ignores it",
                                                save(rgb, "b11_jpeg_adobergb_icc_80x60.jpg", quality=90, icc_profile=icc))
    grey = rgb.convert("L")
    files["b10_gif_grey_80x60.gif"] = ("single-frame GIF from a greyscale image", save(grey, "b10_gif_grey_80x60.gif"))
    # depth: 16-bit PNG of millimetres with holes (0 = missing)
    depth_mm = (800 + 3000 * np.linspace(0, 1, 80)[None, :] + 500 * np.linspace(0, 1, 60)[:, None]).astype(np.uint16)
    depth_mm[20:26, 30:40] = 0
    files["d01_depth_mm_80x60.png"] = ("16-bit grey PNG of depth in millimetres, a hole of zeros",
                                       save(Image.fromarray(depth_mm, "I;16"), "d01_depth_mm_80x60.png"))
    return files


def write_png16_rgb(path, arr):
    import struct
    import zlib
    h, w, _ = arr.shape
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def exif_orientation(o):
    ex = Image.Exif()
    ex[0x0112] = o
    return ex.tobytes()


def npy(name, arr):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(arr))


def imagebind_transform(size, mean, std):
    return transforms.Compose([
        transforms.Resize(size, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(mean=mean, std=std),
    ])


def disparity(path, baseline=0.075, focal=518.857901, min_depth=0.01, max_depth=50):
    """Omnivore's convert_depth_to_disparity (facebookresearch/omnivore#12), float32 as numpy does it."""
    depth = np.array(Image.open(path)).astype(np.float32)
    depth_in_meters = depth / 1000.
    depth_in_meters = depth_in_meters.clip(min=min_depth, max=max_depth)
    return (baseline * focal / depth_in_meters).astype(np.float32)


def main():
    files = make_inputs()
    manifest = {"versions": {"python": sys.version.split()[0], "Pillow": Image.__version__,
                             "torch": torch.__version__, "numpy": np.__version__},
                "files": {}}
    t112 = imagebind_transform(112, MEAN, STD)
    t_thermal = imagebind_transform(112, (0.48145466,), (0.26862954,))
    for name, (what, path) in sorted(files.items()):
        entry = {"description": what}
        with Image.open(path) as im:
            entry["pil_mode"] = im.mode
            entry["pil_format"] = im.format
            if name.startswith("d"):
                disp = disparity(path)
                pil = Image.fromarray(disp, "F")
                resized = transforms.Resize(112, interpolation=transforms.InterpolationMode.BICUBIC)(pil)
                cropped = transforms.CenterCrop(112)(resized)
                npy("depth_" + name + ".input.npy", np.array(cropped, dtype=np.float32)[None])
                entry["depth"] = {"baseline": 0.075, "focal": 518.857901, "min_depth": 0.01, "max_depth": 50,
                                  "units_per_metre": 1000, "size": 112, "resize": "PIL mode F bicubic"}
            else:
                rgb = im.convert("RGB")
                npy(name + ".decoded_rgb.npy", np.array(rgb))
                npy(name + ".luma.npy", np.array(im.convert("L")))
                if name.startswith("b09"):
                    npy(name + ".exif_transposed_rgb.npy", np.array(ImageOps.exif_transpose(im).convert("RGB")))
        manifest["files"][name] = entry
    for name in ("b01_bmp24_80x60.bmp", "b08_png_rgb16_80x60.png"):
        with Image.open(files[name][1]) as im:
            rgb = im.convert("RGB")
            resized = transforms.Resize(112, interpolation=transforms.InterpolationMode.BICUBIC)(rgb)
            npy("s112_" + name + ".resized_rgb.npy", np.array(resized))
        manifest["files"][name]["s112"] = {"size": 112, "mean": MEAN, "std": STD}
    with Image.open(files["b01_bmp24_80x60.bmp"][1]) as im:
        npy("s112_b01_bmp24_80x60.bmp.input.npy", t112(im.convert("RGB")).numpy())
        npy("thermal112_b01_bmp24_80x60.bmp.input.npy", t_thermal(im.convert("L")).numpy())
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
