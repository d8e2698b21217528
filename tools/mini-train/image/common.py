"""Shared constants and helpers of the bindspace-mini image tower scripts (build_dataset, train, export, evaluate).

The preprocessing profile (bundle `image` kind) is defined here once:
PIL Image.open -> convert("RGB") -> Resize(SIZE, BICUBIC) on the shorter side -> CenterCrop(SIZE) -> ToTensor
-> Normalize(CLIP mean, CLIP std).
"""
import os
import pathlib

SIZE = 64            # model input side (pixels)
AUG_SIZE = 80        # side of the larger cached render used for random-resized-crop augmentation
DIM = 384            # joint space dimension (all-MiniLM-L6-v2)
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)

REPO = pathlib.Path(__file__).resolve().parents[3]
MODEL_DIR = REPO / "model-mini" / "src" / "main" / "resources" / "dev" / "bindspace" / "models" / "mini"

# H1 vocabulary, in the order agreed with the audio helper: 9 farm animals then 26 instruments, alphabetically.
FARM_ANIMALS = ["cat", "chickens", "cow", "dog", "duck", "horse", "owl", "pig", "sheep"]
INSTRUMENTS = ["accordion", "banjo", "bongo", "castanets", "cello", "clarinet", "cymbal", "drum_kit",
               "electric_guitar", "flute_traversiere", "guitar", "harmonica", "harp", "horn", "maracas", "organ",
               "piano", "saxophone", "snare_drum", "tambourine", "timpani", "triangle", "trombone", "trumpet",
               "tuba", "violin"]


def h1_label(name):
    """GCompris file stem -> the plain English H1 label ('flute_traversiere' -> 'flute', 'chickens' -> 'chicken')."""
    return {"flute_traversiere": "flute", "chickens": "chicken"}.get(name, name.replace("_", " "))


H1_LABELS = [h1_label(n) for n in FARM_ANIMALS] + [h1_label(n) for n in INSTRUMENTS]

# KTuberling (H4): sound name -> plain English word.
KTUBERLING_FIX = {"broccolli": "broccoli", "sphynx": "sphinx", "palmtree": "palm tree",
                  "fallingstar": "falling star"}


def ktuberling_label(sound):
    for prefix in ("egypt_", "moon_", "pizzeria_", "tv_"):
        if sound.startswith(prefix):
            sound = sound[len(prefix):]
    return KTUBERLING_FIX.get(sound, sound.replace("_", " "))


# The fixed templates of tools/mini-train/EVAL_FORMAT.md.
EVAL_TEMPLATES = {
    "image": ["a {}", "a photo of a {}", "a drawing of a {}"],
    "audio": ["the sound of a {}", "a {}"],
    "video": ["a video of a {}", "a {}"],
}


def data_dir(arg=None):
    if arg:
        return pathlib.Path(arg).resolve()
    env = os.environ.get("BINDSPACE_MINI_DATA")
    if env:
        return pathlib.Path(env).resolve()
    return (REPO / ".." / "mini-data").resolve()


def preprocess(path, size=SIZE):
    """The bundle's image profile without the normalisation: a uint8 [3,size,size] tensor."""
    import torch
    from PIL import Image
    from torchvision import transforms as T
    from torchvision.transforms import InterpolationMode
    img = Image.open(path).convert("RGB")
    img = T.CenterCrop(size)(T.Resize(size, InterpolationMode.BICUBIC)(img))
    return torch.from_numpy(__import__("numpy").asarray(img).copy()).permute(2, 0, 1).contiguous()


def normalize(x_uint8):
    """uint8 [B,3,S,S] -> float32 normalised exactly as ToTensor + Normalize(MEAN, STD)."""
    import torch
    x = x_uint8.float() / 255.0
    m = torch.tensor(MEAN).view(1, 3, 1, 1)
    s = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - m) / s
