#!/usr/bin/python3
"""PyTorch reference for issue 10: file -> embedding per modality on the ImageBind-Huge stand-in weights.

    /usr/bin/python3 benchmarks/perf/pytorch_bench.py --state ../perf/standin-huge.pt --media ../perf/media \
        [--modalities vision,text,audio] [--batches 1,8] [--reps 10] [--warmup 2] [--warmup-seconds 0] \
        [--torch-threads 1] [--openblas-threads 2] [--omp-threads N] [--json OUT.json] [--dump-embeddings OUT.json]

Each call embeds ``batch`` inputs end to end: preprocessing in Python exactly as ImageBind's data.py does it
(ib_preprocess.py: PIL + torchvision for images, torchaudio for audio, our CLIP BPE for text), stacking, then the
model under ``torch.inference_mode()`` with ImageBind's top-level forward (audio (B, 3, 1, 128, 204) -> 3 clips per
file, averaged). Inputs cycle through the media folder (make_media.py): images/*.jpg, audio/*.wav, sentences.txt.

Threads: the environment is set BEFORE numpy/torch are imported: OPENBLAS_NUM_THREADS (default 2; Debian's torch
runs its matmuls through OpenBLAS's own pthreads), then torch.set_num_threads(--torch-threads, default 1). That
1 + 2 setting is the fastest on the 2-core machine; ``--torch-threads 2 --openblas-threads 2`` shows the
oversubscription. ``--omp-threads`` sets OMP_NUM_THREADS too (unset by default).

Reported per (modality, batch): median and p90 of the per-call wall time over --reps calls after --warmup calls
(continued until --warmup-seconds have passed),
the median preprocessing and model parts, items/s (batch / median call), and GFLOP/s = model FLOPs / time, both
end to end and model only. Model FLOPs are counted analytically, 2 x MACs of every matmul, convolution and
attention product (LayerNorm, GELU, softmax, adds are left out):

    block(L, Lk, D) = 24 L D^2 + 4 L Lk D     (qkv 6LD^2 + out 2LD^2 + MLP 16LD^2 + QK^T 2L Lk D + AV 2L Lk D)
    image  = 2*256*1280*(3*2*14*14) + 32 * block(257, 257, 1280) + 2*1280*1024          = 334.98 GFLOP
    text   = 24 * block(77, 77, 1024) + 2*1024*1024                                       =  47.09 GFLOP
    audio  = 3 clips * (2*228*768*256 + 12 * block(229, 230, 768) + 2*768*1024)           = 122.80 GFLOP / file
             (Lk = L + 1: add_bias_kv appends one key/value; the causal text mask does not skip work in PyTorch)
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def block_flops(tokens, keys, width):
    return 24 * tokens * width * width + 4 * tokens * keys * width


def model_flops(modality):
    """FLOPs of one item (an image, a sentence, an audio file of 3 clips) through the stand-in."""
    if modality == "vision":
        return 2 * 256 * 1280 * (3 * 2 * 14 * 14) + 32 * block_flops(257, 257, 1280) + 2 * 1280 * 1024
    if modality == "text":
        return 24 * block_flops(77, 77, 1024) + 2 * 1024 * 1024
    if modality == "audio":
        return 3 * (2 * 228 * 768 * 256 + 12 * block_flops(229, 230, 768) + 2 * 768 * 1024)
    raise ValueError(f"unknown modality {modality!r}; expected vision, text or audio")


def percentile(values, q):
    s = sorted(values)
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--state", default="../perf/standin-huge.pt", help="standin_huge.py's saved weights")
    ap.add_argument("--media", default="../perf/media", help="make_media.py's folder")
    ap.add_argument("--vocab", default=os.path.join(ROOT, "..", "shared", "data", "clip-bpe",
                                                    "bpe_simple_vocab_16e6.txt.gz"))
    ap.add_argument("--modalities", default="vision,text,audio")
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--reps", type=int, default=10, help="timed calls per (modality, batch)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed calls first")
    ap.add_argument("--warmup-seconds", type=float, default=0.0,
                    help="continue the untimed calls until this many seconds have passed (as the Java side)")
    ap.add_argument("--torch-threads", type=int, default=1)
    ap.add_argument("--openblas-threads", type=int, default=2)
    ap.add_argument("--omp-threads", type=int, default=None)
    ap.add_argument("--json", default=None, help="write the results here")
    ap.add_argument("--dump-embeddings", default=None,
                    help="write every input's batch-1 embedding here (JSON {modality: {file: vector}})")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # before numpy/torch are imported: OpenBLAS reads its thread count once, at load time
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.openblas_threads)
    if args.omp_threads is not None:
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)
    import torch
    torch.set_num_threads(args.torch_threads)
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(ROOT, "tools", "perf"))
    import ib_preprocess as pp
    import standin_huge

    modalities = [m.strip() for m in args.modalities.split(",") if m.strip()]
    batches = [int(b) for b in args.batches.split(",")]
    media = {
        "vision": sorted(os.path.join(args.media, "images", f) for f in os.listdir(os.path.join(args.media, "images"))),
        "audio": sorted(os.path.join(args.media, "audio", f) for f in os.listdir(os.path.join(args.media, "audio"))),
    }
    with open(os.path.join(args.media, "sentences.txt"), encoding="utf-8") as f:
        media["text"] = [line.rstrip("\n") for line in f if line.strip()]
    tokens = pp.TextTokens(args.vocab)
    prepare = {
        "vision": lambda items: torch.stack([pp.load_image(p) for p in items]),
        "audio": lambda items: torch.stack([pp.load_audio(p) for p in items]),
        "text": tokens,
    }
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    results = []
    dumped = {}
    t0 = time.perf_counter()
    state = torch.load(args.state, map_location="cpu")
    print(f"weights read in {time.perf_counter() - t0:.1f} s", flush=True)
    for m in modalities:
        t0 = time.perf_counter()
        model = standin_huge.load_standin(state, (m,))
        load_s = time.perf_counter() - t0
        items = media[m]
        cursor = 0
        for batch in batches:
            calls, pre_t, model_t, warm_t = [], [], [], []
            warm_start = None
            rep = 0
            while len(calls) < args.reps:
                chosen = [items[(cursor + i) % len(items)] for i in range(batch)]
                cursor += batch
                t_start = time.perf_counter()
                x = prepare[m](chosen)
                t_mid = time.perf_counter()
                with torch.inference_mode():
                    y = model({m: x})[m]
                t_end = time.perf_counter()
                if tuple(y.shape) != (batch, 1024) or not bool(torch.isfinite(y).all()):
                    raise SystemExit(f"{m}: bad output {tuple(y.shape)} for batch {batch}")
                # warm-up as on the Java side: at least --warmup calls, and calls keep starting as warm-up until
                # --warmup-seconds have passed since the end of the first call (the Java side's first loads the graph)
                if not calls and (rep < args.warmup or (rep > 0 and t_start - warm_start < args.warmup_seconds)):
                    warm_t.append(t_end - t_start)
                else:
                    calls.append(t_end - t_start)
                    pre_t.append(t_mid - t_start)
                    model_t.append(t_end - t_mid)
                if rep == 0:
                    warm_start = t_end
                rep += 1
            flops = model_flops(m) * batch
            med, med_model = statistics.median(calls), statistics.median(model_t)
            row = {
                "modality": m, "batch": batch, "reps": args.reps, "warmup": args.warmup,
                "warmup_seconds": args.warmup_seconds, "warmup_calls": len(warm_t),
                "warmup_ms": [round(t * 1e3, 2) for t in warm_t],
                "median_ms": round(med * 1e3, 2), "p90_ms": round(percentile(calls, 0.9) * 1e3, 2),
                "min_ms": round(min(calls) * 1e3, 2),
                "median_preprocess_ms": round(statistics.median(pre_t) * 1e3, 2),
                "median_model_ms": round(med_model * 1e3, 2),
                "items_per_s": round(batch / med, 3),
                "gflop_per_item": round(model_flops(m) / 1e9, 3),
                "gflops_end_to_end": round(flops / med / 1e9, 2),
                "gflops_model": round(flops / med_model / 1e9, 2),
            }
            results.append(row)
            print(f"{m:6s} batch {batch}: median {row['median_ms']:9.1f} ms  p90 {row['p90_ms']:9.1f} ms  "
                  f"(preprocess {row['median_preprocess_ms']:.1f}, model {row['median_model_ms']:.1f})  "
                  f"{row['items_per_s']:.2f} items/s  {row['gflops_model']:.1f} GFLOP/s model, "
                  f"{row['gflops_end_to_end']:.1f} end to end", flush=True)
        if args.dump_embeddings:
            with torch.inference_mode():
                dumped[m] = {os.path.basename(p) if m != "text" else p:
                             [round(v, 7) for v in model({m: prepare[m]([p])})[m][0].tolist()] for p in items}
        print(f"{m}: tower built in {load_s:.1f} s", flush=True)
        del model
        for k in [k for k in state["model"] if k.split(".")[1] == m]:
            del state["model"][k]  # the tower's tensors are not needed any more
    with open("/proc/loadavg") as f:
        load_after = f.read().split()[:3]
    report = {
        "tool": "benchmarks/perf/pytorch_bench.py",
        "machine": {"python": platform.python_version(), "torch": torch.__version__, "cpu_count": os.cpu_count(),
                    "processor": _cpu_model(), "loadavg_before": load_before, "loadavg_after": load_after},
        "threads": {"torch_set_num_threads": args.torch_threads, "OPENBLAS_NUM_THREADS": args.openblas_threads,
                    "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
                    "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                    "torch_get_num_threads": torch.get_num_threads()},
        "state": os.path.abspath(args.state), "media": os.path.abspath(args.media),
        "flops_formula": "block(L,Lk,D)=24*L*D^2+4*L*Lk*D; image=2*256*1280*1176+32*block(257,257,1280)+2*1280*1024; "
                         "text=24*block(77,77,1024)+2*1024*1024; audio=3*(2*228*768*256+12*block(229,230,768)"
                         "+2*768*1024)",
        "results": results,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    if args.dump_embeddings:
        with open(args.dump_embeddings, "w") as f:
            json.dump(dumped, f)
    print(json.dumps(report))
    return 0


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
