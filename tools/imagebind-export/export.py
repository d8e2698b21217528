#!/usr/bin/env python3
"""Convert an ImageBind model into a bindspace bundle (bundle.json + one ONNX graph per modality view).

    python3 tools/imagebind-export/export.py --checkpoint PATH/imagebind_huge.pth --out DIR \
        [--modalities text,vision,audio,depth,thermal,imu] [--quantize int8] [--zip]

The command line imports the user's installed ``imagebind`` package (facebookresearch/ImageBind,
installed by the user; nothing of it is vendored here). ``export_bundle(model, out_dir, ...)`` works
on any already-built model with ImageBind's module structure: four ``nn.ModuleDict``s keyed by
modality (``modality_preprocessors``, ``modality_trunks``, ``modality_heads``,
``modality_postprocessors``) where ``pre = preprocessors[k](**{k: x})`` returns ``{"trunk": {...},
"head": {...}}``.

Each graph maps the preprocessed tensor of ONE clip/view to its post-processed embedding
(preprocessor -> trunk -> head -> postprocessor), with a dynamic batch axis. Clip/view averaging is
left to the Java side (ImageBind's top-level forward would misread a single 5-D video clip as
(B, S, ...)). Still images and video clips get separate graphs ("image", "video") because the
image->clip frame repetition is traced as a constant.

Format of the output: docs/bundle-format.md.
"""

import argparse
import contextlib
import hashlib
import importlib
import importlib.util
import json
import math
import os
import shutil
import sys
import tempfile
import zipfile

import torch

FORMAT_VERSION = 1
ALL_MODALITIES = ("text", "vision", "audio", "depth", "thermal", "imu")
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
VOCAB_NAME = "bpe_simple_vocab_16e6.txt.gz"
IMAGEBIND_LICENSE = {
    "id": "CC-BY-NC-SA-4.0",
    "name": "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
    "attribution": (
        "ImageBind model weights by Meta Platforms, Inc. (Girdhar et al., \"ImageBind: One Embedding Space "
        "To Bind Them All\", CVPR 2023, https://github.com/facebookresearch/ImageBind), licensed under "
        "CC BY-NC-SA 4.0 (https://creativecommons.org/licenses/by-nc-sa/4.0/). Converted to ONNX by the "
        "bindspace export tool; the conversion is a modification (format change only). Non-commercial use only."
    ),
}


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def _positive_unfold_dims():
    """torch 1.13 exports ``Tensor.unfold`` with a negative dimension (ImageBind's IMU preprocessor uses
    ``unfold(-1, 8, 8)``) into a graph the ONNX checker accepts but ONNX Runtime rejects. Rewriting the
    dimension to its positive equivalent while tracing gives the same computation and a valid graph on
    torch 1.13 and 2.x."""
    original = torch.Tensor.unfold

    def unfold(self, dimension, size, step):
        if dimension < 0:
            dimension += self.dim()
        return original(self, dimension, size, step)

    torch.Tensor.unfold = unfold
    try:
        yield
    finally:
        torch.Tensor.unfold = original


class PerViewGraph(torch.nn.Module):
    """preprocessor -> trunk -> head -> postprocessor of one modality, for one clip/view per batch row."""

    def __init__(self, model, key):
        super().__init__()
        self.key = key
        self.pre = model.modality_preprocessors[key]
        self.trunk = model.modality_trunks[key]
        self.head = model.modality_heads[key]
        self.post = model.modality_postprocessors[key]

    def forward(self, x):
        pre = self.pre(**{self.key: x})
        y = self.trunk(**pre["trunk"])
        y = self.head(y, **pre["head"])
        return self.post(y)


class LongestPaddingText(torch.nn.Module):
    """The text graph of a causal, end-of-text-pooled text tower (ImageBind's) that takes ids padded only to
    the longest row of the batch, 1 to context_length tokens, instead of always context_length.

    ImageBind's TextPreprocessor adds the whole (1, 77, D) position table and hands the whole 77 x 77 causal
    mask to the trunk, so its graph only takes 77 ids. This module does the same with both cut to the input's
    length L. The attention is causal and the head takes the state at the end-of-text token (argmax of the
    ids), so the state there never sees the padding after it: the result equals the 77-token run, for a
    fraction of the work on short texts. ``longest_padding_text`` builds it only after checking that on the
    model (see there)."""

    def __init__(self, model, key):
        super().__init__()
        self.pre = model.modality_preprocessors[key]
        self.trunk = model.modality_trunks[key]
        self.head = model.modality_heads[key]
        self.post = model.modality_postprocessors[key]

    def forward(self, ids):
        n = ids.shape[1]
        tokens = self.pre.token_embedding(ids) + self.pre.pos_embed[:, :n]
        y = self.trunk(tokens=tokens, attn_mask=self.pre.mask[:n, :n])
        y = self.head(y, seq_len=ids.argmax(dim=-1))
        return self.post(y)


def _text_ids(gen, batch, context, lengths):
    """SOT, random ids, EOT, zero padding to ``context``; row r has lengths[r] tokens in all."""
    ids = torch.zeros((batch, context), dtype=torch.long)
    for r in range(batch):
        n = lengths[r] - 2
        ids[r, 0] = 49406
        ids[r, 1:1 + n] = torch.randint(1, 49405, (n,), generator=gen)
        ids[r, 1 + n] = 49407
    return ids


def longest_padding_text(model, key="text", tolerance=1e-5):
    """``(LongestPaddingText(model, key), None)`` when the model's text graph may pad to the longest row,
    else ``(None, reason)``. Checked on the model itself, not assumed:

    1. the preprocessor has ImageBind's TextPreprocessor layout: ``token_embedding``, ``pos_embed`` of shape
       (1, context, D), ``causal_masking`` true with a ``mask`` buffer that IS the causal mask (-inf above the
       diagonal, 0 elsewhere), no CLS tokens;
    2. at full length, the rebuilt preprocessing equals the preprocessor's own output (tokens, mask, seq_len);
    3. on random texts of lengths 2..context in mixed batches, the module run on ids cut to the longest row
       equals the original per-view graph on the full ids within ``tolerance`` x the output norm.
    """
    pre = model.modality_preprocessors[key]
    context = int(getattr(pre, "context_length", 0) or 0)
    emb = getattr(pre, "token_embedding", None)
    pos = getattr(pre, "pos_embed", None)
    mask = getattr(pre, "mask", None)
    if not isinstance(emb, torch.nn.Embedding) or pos is None or mask is None or context < 2:
        return None, "the text preprocessor lacks token_embedding/pos_embed/mask/context_length"
    if getattr(pre, "causal_masking", None) is not True or int(getattr(pre, "num_cls_tokens", 0) or 0) != 0:
        return None, "the text preprocessor is not causal without CLS tokens"
    if tuple(pos.shape[:2]) != (1, context) or tuple(mask.shape) != (context, context):
        return None, f"pos_embed {tuple(pos.shape)} / mask {tuple(mask.shape)} do not match context {context}"
    causal = torch.full((context, context), float("-inf")).triu_(1)
    if not torch.equal(mask.detach().float().cpu(), causal):
        return None, "the mask is not the causal mask"
    gen = torch.Generator().manual_seed(77)
    full = PerViewGraph(model, key).eval()
    trimmed = LongestPaddingText(model, key).eval()
    with torch.no_grad():
        ids = _text_ids(gen, 3, context, [context, 5, 2])
        got = pre(**{key: ids})
        n = ids.shape[1]
        mine = {"tokens": emb(ids) + pos[:, :n], "attn_mask": mask[:n, :n], "seq_len": ids.argmax(dim=-1)}
        theirs = dict(got.get("trunk", {}), **got.get("head", {}))
        if set(theirs) != set(mine) or any(not torch.equal(mine[k], theirs[k]) for k in mine):
            return None, f"the preprocessor's output {sorted(theirs)} differs from ImageBind's layout"
        worst = 0.0
        for lengths in ([2], [5, 9, 3], [context, 4], [context // 2, context // 2 + 1, 7, 2]):
            ids = _text_ids(gen, len(lengths), context, lengths)
            ref = full(ids)
            out = trimmed(ids[:, :max(lengths)])
            worst = max(worst, float((ref - out).abs().max()) / max(float(ref.norm(dim=-1).max()), 1e-12))
        if worst > tolerance:
            return None, f"the cut run differs from the full run by {worst:.3g} x the output norm"
    return trimmed, None


# Per-view input shapes (without batch) of imagebind_huge(), from ImageBind's constructor defaults (vision:
# C, T, H, W of one clip). ImageBind's preprocessors do not keep their input size as an attribute
# (RGBDTPreprocessor turns img_size into a patch layout), so a model built with other sizes (video_frames,
# audio_num_mel_bins, audio_target_len, ...) needs input_shapes= in export_bundle.
DEFAULT_VIEW_SHAPES = {
    "vision": [3, 2, 224, 224],
    "audio": [1, 128, 204],
    "depth": [1, 224, 224],
    "thermal": [1, 224, 224],
    "imu": [6, 2000],
}


def _view_shape(model, key, input_shapes):
    """The per-view input shape: input_shapes[key] if given; text: the preprocessor's context_length
    (ImageBind's TextPreprocessor keeps it); otherwise ImageBind-Huge's shape."""
    if input_shapes and key in input_shapes:
        return [int(s) for s in input_shapes[key]]
    if key == "text":
        return [int(getattr(model.modality_preprocessors[key], "context_length", 77))]
    return list(DEFAULT_VIEW_SHAPES[key])


def _logit_scale(model, key):
    """(l2_normalize, scale) of a postprocessor: ImageBind uses Normalize(dim=-1) then a
    (Learnable)LogitScaling whose ``log_logit_scale`` is exp'ed and clipped at ``max_logit_scale``."""
    post = model.modality_postprocessors[key]
    normalize = False
    scale = 1.0
    for m in post.modules():
        name = type(m).__name__.lower()
        if "normalize" in name:
            normalize = True
        if hasattr(m, "log_logit_scale"):
            s = float(torch.as_tensor(m.log_logit_scale).detach().float().exp())
            cap = getattr(m, "max_logit_scale", None)
            if cap is not None:
                s = min(s, float(cap))
            scale = s
    return normalize, scale


def _find_vocab():
    try:
        import importlib.resources as res
        p = res.files("imagebind").joinpath("bpe", VOCAB_NAME)
        if p.is_file():
            return str(p)
    except Exception:  # package missing or not a real directory
        pass
    return None


def _onnx_shape(value_info):
    dims = []
    for d in value_info.type.tensor_type.shape.dim:
        dims.append(int(d.dim_value) if d.HasField("dim_value") else -1)
    return dims


EXTERNAL_DATA_THRESHOLD = 1_800_000_000  # protobuf cannot hold more than 2 GB


def _export_graph(module, example, input_name, out_dir, file_stem, opset, external_threshold=EXTERNAL_DATA_THRESHOLD,
                  dynamic_sequence=False):
    """Exports one graph; a graph above ``external_threshold`` bytes keeps its weights in one external data file
    ``<stem>.onnx.data`` next to it (ImageBind-Huge's vision tower is ~2.5 GB in fp32). ``dynamic_sequence``
    also makes axis 1 of the input dynamic (token ids of any length)."""
    import onnx

    tmp = tempfile.mkdtemp(prefix="bindspace-export-")
    try:
        tmp_path = os.path.join(tmp, file_stem + ".onnx")
        axes = {0: "batch", 1: "sequence"} if dynamic_sequence else {0: "batch"}
        with torch.no_grad(), _positive_unfold_dims():
            torch.onnx.export(
                module, (example,), tmp_path, input_names=[input_name], output_names=["embedding"],
                dynamic_axes={input_name: axes, "embedding": {0: "batch"}},
                opset_version=opset, do_constant_folding=True)
        proto = onnx.load(tmp_path)  # pulls in external data, if torch wrote any
        final = os.path.join(out_dir, file_stem + ".onnx")
        data_files = []
        if proto.ByteSize() > external_threshold or any(f != file_stem + ".onnx" for f in os.listdir(tmp)):
            location = file_stem + ".onnx.data"
            onnx.save_model(proto, final, save_as_external_data=True, all_tensors_to_one_file=True,
                            location=location, size_threshold=1024)
            data_files.append(location)
        else:
            onnx.save(proto, final)
        onnx.checker.check_model(final)
        return final, data_files
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _quantizer():
    """tools/imagebind-export/quantize.py, loaded from next to this file (python3-onnx + numpy only)."""
    spec = importlib.util.spec_from_file_location(
        "bindspace_quantize", os.path.join(os.path.dirname(os.path.abspath(__file__)), "quantize.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _quantize_int8(path, data_files, log):
    """Replaces the graph at ``path`` (and its external data files) by its dynamic int8 version (quantize.py:
    per-output-channel int8 MatMul/Gemm weights, com.microsoft.DynamicQuantizeMatMul). Returns the new
    data files (``[]`` once the graph fits in one file) and the quantiser's report."""
    out_dir = os.path.dirname(path)
    tmp = tempfile.mkdtemp(prefix=".int8-", dir=out_dir)
    try:
        dst = os.path.join(tmp, os.path.basename(path))
        report, new_data = _quantizer().quantize_file(path, dst, log=log)
        for d in data_files:
            os.remove(os.path.join(out_dir, d))
        os.replace(dst, path)
        for d in new_data:
            os.replace(os.path.join(tmp, d), os.path.join(out_dir, d))
        return new_data, report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _self_check(module, path, example_fn, input_name, label, tolerance):
    """Runs the PyTorch module and the ONNX graph on random inputs; returns a line for the report."""
    try:
        import onnxruntime as ort
    except ImportError:
        return f"{label}: self-check skipped (the onnxruntime Python package is not installed)"
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    worst = 0.0
    for batch in (1, 3):
        x = example_fn(batch)
        with torch.no_grad(), _positive_unfold_dims():
            ref = module(x).numpy()
        got = sess.run(None, {input_name: x.numpy()})[0]
        diff = float(abs(ref - got).max())
        worst = max(worst, diff / max(float((ref ** 2).sum(-1).max() ** 0.5), 1e-12))
    status = "ok" if worst <= tolerance else "TOO LARGE"
    return f"{label}: largest |torch - onnxruntime| = {worst:.3g} x output norm ({status})"


def _profiles(key, view_shape, media):
    if key == "text":
        return None  # filled in by export_bundle, which copies the vocabulary
    if media == "image":
        return {"kind": "image", "channels": view_shape[0], "size": view_shape[-1],
                "resize": "shorter_side_bicubic_pil", "crop": "center", "mean": CLIP_MEAN, "std": CLIP_STD}
    if media == "video":
        return {"kind": "video", "clip_duration_seconds": 2.0, "clips_per_video": 5,
                "frames_per_clip": view_shape[1], "size": view_shape[-1], "resize": "shorter_side_bilinear",
                "crop": "three_crops", "crops_per_clip": 3, "mean": CLIP_MEAN, "std": CLIP_STD}
    if media == "audio":
        return {"kind": "audio", "sample_rate": 16000, "mel_bins": view_shape[1], "target_frames": view_shape[2],
                "clip_duration_seconds": 2.0, "clips_per_file": 3, "frame_length_ms": 25.0,
                "frame_shift_ms": 10.0, "mean": -4.268, "std": 9.138}
    notes = {
        "depth": "disparity map (1, H, W); ImageBind ships no depth loader or constants",
        "thermal": "thermal map (1, H, W); ImageBind ships no thermal loader or constants",
        "imu": "accelerometer + gyroscope XYZ, (6, 2000) samples; ImageBind defines no normalisation",
    }
    return {"kind": "tensor", "note": notes[key]}


def _aggregation(media):
    if media == "video":
        return {"mode": "mean", "views": 15}
    if media == "audio":
        return {"mode": "mean", "views": 3}
    return {"mode": "none", "views": 1}


def export_bundle(model, out_dir, modalities=None, quantize=None, *, model_name="imagebind-huge",
                  model_version="1.0", space=None, license=None, license_text=None, vocab_path=None,
                  opset=14, zip_output=False, check=True, tolerance=1e-5, input_shapes=None,
                  external_data_threshold=EXTERNAL_DATA_THRESHOLD, text_padding="longest", log=print):
    """Exports ``model`` (an ``ImageBindModel`` or anything with its module structure) to ``out_dir``.

    Returns the manifest dict. ``modalities`` defaults to every key of ``model.modality_trunks``;
    "vision" yields two graphs, "image" and "video". ``quantize="int8"`` applies dynamic int8 quantisation
    (quantize.py: python3-onnx + numpy, no onnxruntime needed; graphs with int8 weights get
    ``"precision": "int8"``). With ``zip_output`` the
    directory is also packed into ``out_dir + ".zip"``. ``input_shapes`` ({modality: per-view shape without
    batch; vision as C, T, H, W}) overrides ImageBind-Huge's shapes for models built with other sizes.
    ``text_padding="longest"`` (default) exports the text graph with a dynamic sequence axis when
    ``longest_padding_text`` confirms that the model allows it (profile ``"padding": "longest"``: Java pads a
    batch only to its longest row); otherwise, or with ``"max_length"``, the graph takes ``context_length`` ids.
    """
    import onnx  # noqa: F401  (fail early with a clear ImportError)

    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    if text_padding not in ("longest", "max_length"):
        raise ValueError(f"text_padding must be 'longest' or 'max_length', got {text_padding!r}")
    available = list(model.modality_trunks.keys())
    modalities = list(modalities) if modalities else available
    for m in modalities:
        if m not in available:
            raise ValueError(f"the model has no {m!r} modality; it has {available}")
    model = model.eval()
    os.makedirs(out_dir, exist_ok=True)
    license = dict(license or IMAGEBIND_LICENSE)
    graphs = {}
    dimension = None
    reports = []
    gen = torch.Generator().manual_seed(0)
    for key in modalities:
        module = PerViewGraph(model, key).eval()
        shape = _view_shape(model, key, input_shapes)
        dynamic_sequence = False
        if key == "text" and text_padding == "longest":
            trimmed, why = longest_padding_text(model, key)
            if trimmed is None:
                log(f"text: padding every row to {shape[0]} tokens ({why})")
            else:
                module, dynamic_sequence = trimmed, True
                log("text: checked that a batch may be padded to its longest row; exporting a dynamic sequence axis")
        if key == "vision":
            medias = [("image", [shape[0]] + shape[2:]), ("video", shape)]
        else:
            medias = [(key, shape)]
        for media, view in medias:
            if key == "text":
                def example_fn(b, view=view):
                    ids = torch.zeros((b, view[0]), dtype=torch.long)
                    for r in range(b):
                        n = 3 + r
                        ids[r, 0] = 49406
                        ids[r, 1:1 + n] = torch.randint(1, 49405, (n,), generator=gen)
                        ids[r, 1 + n] = 49407
                    return ids
            else:
                def example_fn(b, view=view):
                    return torch.randn([b] + view, generator=gen)
            try:
                with torch.no_grad(), _positive_unfold_dims():
                    module(example_fn(1))
            except Exception as e:  # wrong per-view shape for this model configuration
                raise ValueError(f"{media}: the model rejects a per-view input of shape {view} ({e}); "
                                 f"pass input_shapes={{{key!r}: [...]}} for this configuration") from e
            example = example_fn(2)
            if dynamic_sequence:  # traced below the context length, so no size gets baked in as the context
                example = example[:, :max(8, view[0] // 2)]
            path, data = _export_graph(module, example, media, out_dir, media, opset, external_data_threshold,
                                       dynamic_sequence)
            precision = None
            if quantize == "int8":
                data, qreport = _quantize_int8(path, data, log)
                precision = "int8" if qreport["quantized"] else None
            if check:
                reports.append(_self_check(module, path, example_fn, media, media,
                                           1e-2 if quantize else tolerance))
            import onnx
            proto = onnx.load(path, load_external_data=False)
            in_shape = _onnx_shape(proto.graph.input[0])
            out_shape = _onnx_shape(proto.graph.output[0])
            if out_shape[-1] == -1:
                with torch.no_grad(), _positive_unfold_dims():
                    out_shape[-1] = int(module(example_fn(1)).shape[-1])
            dimension = dimension or out_shape[-1]
            if out_shape[-1] != dimension:
                raise ValueError(f"{media}: output dimension {out_shape[-1]}, expected {dimension} like the others")
            normalize, scale = _logit_scale(model, key)
            pre = _profiles(key, view, media)
            if key == "text":
                vp = vocab_path or _find_vocab()
                if vp is None:
                    raise SystemExit(f"cannot find {VOCAB_NAME} in the installed imagebind package; pass vocab_path")
                shutil.copyfile(vp, os.path.join(out_dir, VOCAB_NAME))
                pre = {"kind": "text", "tokenizer": "clip_bpe", "context_length": view[0],
                       "vocabulary": {"path": VOCAB_NAME, "sha256": _sha256(os.path.join(out_dir, VOCAB_NAME))}}
                if dynamic_sequence:  # absent = max_length: a 77-id bundle stays readable by older readers
                    pre["padding"] = "longest"
            graphs[media] = {
                "file": {"path": os.path.basename(path), "sha256": _sha256(path)},
                "data_files": [{"path": d, "sha256": _sha256(os.path.join(out_dir, d))} for d in data],
                "inputs": [{"name": media, "dtype": "int64" if key == "text" else "float32", "shape": in_shape}],
                "outputs": [{"name": "embedding", "dtype": "float32", "shape": out_shape}],
                "preprocessing": pre,
                "postprocessing": {"applied_in": "graph", "l2_normalize": normalize, "logit_scale": scale},
                "aggregation": _aggregation(media),
            }
            if precision:
                graphs[media]["precision"] = precision
    lic_text = license_text or (
        license["attribution"] + "\n\nFull license text: https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode\n")
    with open(os.path.join(out_dir, "LICENSE"), "w", encoding="utf-8") as f:
        f.write(lic_text)
    license["file"] = {"path": "LICENSE", "sha256": _sha256(os.path.join(out_dir, "LICENSE"))}
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": {"name": model_name, "version": model_version},
        "space": space or model_name,
        "dimension": dimension,
        "license": license,
        "graphs": graphs,
    }
    with open(os.path.join(out_dir, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    for line in reports:
        log(line)
    if zip_output:
        zpath = out_dir.rstrip("/") + ".zip"
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
            for name in sorted(os.listdir(out_dir)):
                z.write(os.path.join(out_dir, name), name)
        log(f"wrote {zpath}")
    log(f"wrote {out_dir}: graphs {list(graphs)}, dimension {dimension}")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", required=True, help="path to imagebind_huge.pth")
    ap.add_argument("--out", required=True, help="output bundle directory")
    ap.add_argument("--modalities", default=",".join(ALL_MODALITIES))
    ap.add_argument("--quantize", choices=["int8"], default=None)
    ap.add_argument("--zip", action="store_true", help="also write OUT.zip")
    ap.add_argument("--opset", type=int, default=14)
    ap.add_argument("--text-padding", choices=["longest", "max_length"], default="longest",
                    help="longest (default): the text graph takes ids padded to the batch's longest row, after "
                         "checking that this gives the 77-token result; max_length: always 77 ids")
    ap.add_argument("--no-check", action="store_true", help="skip the torch vs onnxruntime self-check")
    args = ap.parse_args(argv)
    try:
        # the model module only: imagebind.data would pull in pytorchvideo, torchaudio and torchvision
        ib = importlib.import_module("imagebind.models.imagebind_model")
    except ImportError as e:
        raise SystemExit("cannot import imagebind.models.imagebind_model (%s): install ImageBind first, "
                         "e.g. pip install git+https://github.com/facebookresearch/ImageBind" % e)
    model = ib.imagebind_huge(pretrained=False)
    state = torch.load(args.checkpoint, map_location="cpu", weights_only=True) \
        if "weights_only" in torch.load.__code__.co_varnames else torch.load(args.checkpoint, map_location="cpu")
    model.load_state_dict(state)
    export_bundle(model, args.out, modalities=[m.strip() for m in args.modalities.split(",") if m.strip()],
                  quantize=args.quantize, zip_output=args.zip, opset=args.opset, check=not args.no_check,
                  text_padding=args.text_padding)


if __name__ == "__main__":
    main()
