#!/usr/bin/python3
"""Python reference for VideoPipelineBenchmark: ImageBind's video preprocessing reimplemented from
docs (the fact sheet, section 1.4) with Debian packages, one thread: ffprobe -count_packets for the
frame count (decord counts packets), the ffmpeg CLI (-threads 1) decoding every frame and converting
the 10 sampled ones to rgb24 (select filter; decord also decodes all and converts only what it
returns), then torch (1 thread): /255, interpolate(bilinear, align_corners=False) to short side 224,
CLIP mean/std, three crops -> (15, 3, 2, 224, 224).

    /usr/bin/python3 benchmarks/python/video_reference.py CLIP [runs]

Prints one JSON line: video seconds per second (best and median of the runs).
"""
import json
import math
import resource
import subprocess
import sys
import time
from fractions import Fraction

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
MEAN = torch.tensor((0.48145466, 0.4578275, 0.40821073))[:, None, None, None]
STD = torch.tensor((0.26862954, 0.26130258, 0.27577711))[:, None, None, None]


def probe(path):
    out = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries",
         "stream=avg_frame_rate,nb_read_packets,width,height", "-of", "json", path],
        check=True, capture_output=True).stdout)["streams"][0]
    num, den = (int(x) for x in out["avg_frame_rate"].split("/"))
    return int(out["nb_read_packets"]), num / den, int(out["width"]), int(out["height"])


def clips(frames, fps):
    duration = frames / fps
    max_start = Fraction(max(duration - 2.0, 0))
    step = max_start / 4
    out = []
    for i in range(5):
        s = step * i
        a = math.ceil(fps * float(s))
        b = min(math.ceil(fps * float(s + 2)), frames)
        out.append((a, b - 1))
    return out


def preprocess(path):
    frames, fps, w, h = probe(path)
    cl = clips(frames, fps)
    wanted = sorted({i for c in cl for i in c})
    expr = "+".join(f"eq(n\\,{i})" for i in wanted)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-threads", "1", "-i", path, "-map", "0:v:0", "-vf",
                          f"select='{expr}'", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24",
                          "-threads", "1", "-"], check=True, capture_output=True).stdout
    got = dict(zip(wanted, np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)))
    views = []
    for a, b in cl:
        x = torch.from_numpy(np.stack([got[a], got[b]])).float().permute(3, 0, 1, 2) / 255.0
        if w < h:
            size = (int(math.floor(h / w * 224)), 224)
        else:
            size = (224, int(math.floor(w / h * 224)))
        x = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        x = (x - MEAN) / STD
        hh, ww = x.shape[2], x.shape[3]
        y0, x0 = math.ceil((hh - 224) / 2), math.ceil((ww - 224) / 2)
        for k in range(3):
            yo, xo = y0, x0
            if hh > ww:
                yo = [0, y0, hh - 224][k]
            else:
                xo = [0, x0, ww - 224][k]
            views.append(x[:, :, yo:yo + 224, xo:xo + 224])
    return torch.stack(views), frames / fps


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    t, seconds = preprocess(path)  # warm-up
    assert tuple(t.shape) == (15, 3, 2, 224, 224), t.shape
    rates = []

    def cpu():
        a = resource.getrusage(resource.RUSAGE_SELF)
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime

    c0 = cpu()
    for _ in range(runs):
        t0 = time.perf_counter()
        preprocess(path)
        rates.append(seconds / (time.perf_counter() - t0))
    cpu_per_run = (cpu() - c0) / runs
    rates.sort()
    print(json.dumps({"video_seconds": seconds, "runs": runs, "best": rates[-1],
                      "median": rates[len(rates) // 2], "cpu_seconds_per_run": cpu_per_run,
                      "video_seconds_per_cpu_second": seconds / cpu_per_run}))


if __name__ == "__main__":
    main()
