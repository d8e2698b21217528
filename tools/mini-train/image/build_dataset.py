#!/usr/bin/python3
"""Builds the bindspace-mini IMAGE training set and the image/video held-out sets (H1 images, H2, H4 images, H5).

Steps (each skips work already done, so a rerun is cheap):
  setup     apt packages (librsvg2-bin, webp, openclipart-svg, pysiogame, ktuberling-data, ffmpeg, gcompris-qt-data)
            and npm packages into <data-dir>/npm; extracts GCompris with ../gcompris_rcc.py when missing.
  train     renders every training source onto a WHITE background into flat RGB PNG (plus an alpha mask PNG for
            transparent renders, used only for background augmentation) under <data-dir>/image/train/<source>/.
  heldout   writes <data-dir>/eval/H1/eval-image.json, H2/eval.json, H4/eval-image.json, H5/eval.json and media.
  dedup     drops every training image whose dHash + pHash distance (64 + 64 bits) to any held-out image is at most
            --hamming (default 12), and the Openclipart "ganson" instruments GCompris derived its H1 drawings from.
  manifest  <data-dir>/image/manifest.jsonl (id, file, mask, source, licence, label key, captions, split) and
            <data-dir>/image/captions.txt (unique captions, one a line, for EmbedCaptions).

Training sources (data-sources.md section 6): Noto, Twemoji, OpenMoji colour + black, Fluent colour + flat emoji
(labels: emojibase-data en + emojilib keywords); Openclipart (object-like folders, cleaned titles/keywords);
Art4Apps (pysiogame); GCompris activities other than explore_farm_animals and instruments; the monochrome icon
sets @mdi/svg, @tabler/icons, @phosphor-icons/core (regular + fill) and game-icons, filtered to concrete things
(icon_items), sampled at low weight by train.py.
Held out, never trained on: explore_farm_animals, instruments (H1), EmojiOne/FxEmoji/Streamline (H2),
KTuberling (H4). Tux Paint, Apple and Facebook emoji are never used.

usage: /usr/bin/python3 build_dataset.py [--data-dir DIR] [--steps setup,heldout,train,captions,dedup,manifest] [--jobs 2]
"""
import argparse
import hashlib
import io
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402

RENDER = 128  # side of the stored training renders (>= common.AUG_SIZE)
APT = ["librsvg2-bin", "webp", "openclipart-svg", "pysiogame", "ktuberling-data", "ffmpeg", "gcompris-qt-data"]
NPM = ["@twemoji/svg@15.0.0", "openmoji@17.0.0", "@iconify-json/fluent-emoji@1.2.7",
       "@iconify-json/fluent-emoji-flat@1.2.6", "@iconify-json/noto@1.2.9", "emojibase-data@17.0.0",
       "emojilib@4.0.3",
       # monochrome icon sets (training, low weight):
       "@mdi/svg@7.4.47", "@tabler/icons@3.52.0", "@phosphor-icons/core@2.1.1", "@iconify-json/game-icons@1.2.4",
       # H2 only (held out):
       "@iconify-json/emojione@1.2.3", "@iconify-json/fxemoji@1.2.2", "@iconify-json/streamline-emojis@1.2.4"]
CONCRETE_GROUPS = (3, 4, 5, 6, 7)
T0 = time.time()


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')} +{time.time() - T0:6.0f}s] {msg}", flush=True)


# ---------------------------------------------------------------- setup
def setup(dd):
    missing = [p for p in APT if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if missing:
        log(f"apt-get install {missing}")
        subprocess.run(["sudo", "-n", "apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=900", *missing],
                       check=True)
    npm = dd / "npm"
    if not (npm / "node_modules" / "@iconify-json" / "game-icons").exists():
        npm.mkdir(parents=True, exist_ok=True)
        if not (npm / "package.json").exists():
            (npm / "package.json").write_text('{"name": "bindspace-mini-data", "private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", *NPM], cwd=npm, check=True)
    acts = dd / "gcompris" / "gcompris" / "src" / "activities"
    if not acts.exists():
        rcc = sorted(pathlib.Path("/usr/share/gcompris-qt/rcc").glob("*.rcc"))
        subprocess.run([sys.executable, str(pathlib.Path(__file__).resolve().parents[1] / "gcompris_rcc.py"),
                        str(dd / "gcompris"), *map(str, rcc)], check=True)


# ---------------------------------------------------------------- rendering helpers
def rsvg(svg_bytes_or_path, w, h=None, export_id=None):
    """Renders SVG (bytes or a path) with rsvg-convert to an RGBA PIL image, keeping the aspect ratio."""
    cmd = ["rsvg-convert", "-w", str(w), "-h", str(h or w), "--keep-aspect-ratio", "-f", "png"]
    if export_id:
        cmd += ["--export-id", export_id]
    if isinstance(svg_bytes_or_path, (bytes, bytearray)):
        out = subprocess.run(cmd, input=svg_bytes_or_path, capture_output=True, timeout=120)
    else:
        out = subprocess.run(cmd + [str(svg_bytes_or_path)], capture_output=True, timeout=120)
    if out.returncode != 0 or not out.stdout:
        raise RuntimeError(f"rsvg-convert failed on {str(svg_bytes_or_path)[:80]}: {out.stderr[:200]!r}")
    return Image.open(io.BytesIO(out.stdout)).convert("RGBA")


def autocrop(rgba, margin=0.04):
    bbox = rgba.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    if bbox is None:
        return None
    x0, y0, x1, y1 = bbox
    m = int(max(x1 - x0, y1 - y0) * margin)
    return rgba.crop((max(0, x0 - m), max(0, y0 - m), min(rgba.width, x1 + m), min(rgba.height, y1 + m)))


def square(rgba, side):
    """Fits an RGBA image into a transparent side x side square, centred, keeping the aspect ratio."""
    s = side / max(rgba.width, rgba.height)
    im = rgba.resize((max(1, round(rgba.width * s)), max(1, round(rgba.height * s))), Image.BICUBIC)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(im, ((side - im.width) // 2, (side - im.height) // 2))
    return canvas


def flatten(rgba):
    """RGBA -> RGB composited onto white (what every stored image must be)."""
    bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(bg, rgba).convert("RGB")


def save_render(rgba, out_png, with_mask=True):
    out_png.parent.mkdir(parents=True, exist_ok=True)
    flatten(rgba).save(out_png)
    if with_mask:
        rgba.getchannel("A").save(out_png.with_suffix(".mask.png"))


def iconify_svg(icons, name):
    """The standalone SVG of one @iconify-json icon (body wrapped in an <svg viewBox>), or None."""
    ic = icons["icons"].get(name)
    if ic is None:
        al = icons.get("aliases", {}).get(name)
        if not al or set(al) - {"parent"}:
            return None
        ic = icons["icons"].get(al["parent"])
        if ic is None:
            return None
    w = ic.get("width", icons.get("width", 16))
    h = ic.get("height", icons.get("height", 16))
    left, top = ic.get("left", icons.get("left", 0)), ic.get("top", icons.get("top", 0))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{w}" height="{h}" viewBox="{left} {top} {w} {h}">{ic["body"]}</svg>').encode()


# ---------------------------------------------------------------- emoji vocabulary
def slug(s, sep="-"):
    s = s.lower().replace("&", "and").replace("’", "").replace("'", "").replace(".", "")
    return re.sub(r"[^a-z0-9]+", sep, s).strip(sep)


def load_emoji(npm):
    nm = npm / "node_modules"
    data = json.load(open(nm / "emojibase-data/en/data.json"))
    lib = json.load(open(nm / "emojilib/dist/emoji-en-US.json"))
    short = {}
    for f in ("cldr", "emojibase", "github", "iamcal", "joypixels"):
        for hx, v in json.load(open(nm / f"emojibase-data/en/shortcodes/{f}.json")).items():
            short.setdefault(hx, set()).update([v] if isinstance(v, str) else v)
    out = []
    for e in data:
        if e.get("group") not in CONCRETE_GROUPS:
            continue
        hx = e["hexcode"]
        kws = [k.replace("_", " ") for k in lib.get(e["emoji"], [])[1:]]
        out.append({"hex": hx, "label": e["label"], "char": e["emoji"], "tags": e.get("tags", []),
                    "keywords": kws, "shortcodes": sorted(short.get(hx, [])), "group": e["group"]})
    return out


def cand_names(e, fluent_name=None):
    """Icon-name candidates for one emoji in an iconify set without chars.json (name match)."""
    names = [e["label"]] + [s.replace("_", " ") for s in e["shortcodes"]]
    if fluent_name:
        names.append(fluent_name)
    c = []
    for n in names:
        for sep in ("-", ""):
            s = slug(n, sep)
            if s and s not in c:
                c.append(s)
    return c


def hex_variants(hx):
    low = hx.lower()
    return [low, low.replace("-fe0f", ""), "-".join(p for p in low.split("-") if p != "fe0f")]


def emoji_sources(npm, emoji, styles):
    """[(style, emoji, svg bytes or path)] for the given styles."""
    nm = npm / "node_modules"
    res = []
    iconify = {}
    chars = {}
    for st, pkg in (("noto", "noto"), ("fluent-flat", "fluent-emoji-flat"), ("fluent", "fluent-emoji"),
                    ("emojione", "emojione"), ("fxemoji", "fxemoji"), ("streamline", "streamline-emojis")):
        if st in styles or (st == "fluent-flat" and "fluent" in styles):
            iconify[st] = json.load(open(nm / f"@iconify-json/{pkg}/icons.json"))
            chars[st] = json.load(open(nm / f"@iconify-json/{pkg}/chars.json"))
    for e in emoji:
        fl_name = None
        if "fluent-flat" in chars:
            for v in hex_variants(e["hex"]):
                if v in chars["fluent-flat"]:
                    fl_name = chars["fluent-flat"][v]
                    break
        for st in styles:
            src = None
            if st == "twemoji":
                for v in hex_variants(e["hex"]):
                    p = nm / "@twemoji/svg" / f"{v}.svg"
                    if p.exists():
                        src = p
                        break
            elif st in ("openmoji", "openmoji-black"):
                d = nm / "openmoji" / ("color" if st == "openmoji" else "black") / "svg"
                for v in (e["hex"], e["hex"].replace("-FE0F", "")):
                    if (d / f"{v}.svg").exists():
                        src = d / f"{v}.svg"
                        break
            else:
                name = None
                for v in hex_variants(e["hex"]):
                    if v in chars[st]:
                        name = chars[st][v]
                        break
                if name is None:
                    for c in cand_names(e, fl_name):
                        if c in iconify[st]["icons"] or c in iconify[st].get("aliases", {}):
                            name = c
                            break
                if name is not None:
                    src = iconify_svg(iconify[st], name)
            if src is not None:
                res.append((st, e, src))
    return res


def emoji_captions(e):
    lab = e["label"]
    caps = [lab, f"a {lab}", f"an emoji of a {lab}", f"a drawing of a {lab}", f"a picture of a {lab}",
            f"a photo of a {lab}", f"an icon of a {lab}", f"{lab} emoji"]
    extra = []
    for k in e["keywords"] + e["tags"]:
        k = k.strip().lower()
        if k and k != lab and k not in extra and len(k) > 2:
            extra.append(k)
    for k in extra[:5]:
        caps += [k, f"a picture of a {k}"]
    return caps


# ---------------------------------------------------------------- openclipart
OC_FOLDERS = ["animals", "buildings", "containers", "decorations", "education", "electronics", "food", "office",
              "plants", "recreation", "science", "tools", "transportation", "people"]
OC_GENERIC = {"clip art", "clipart", "media", "image", "svg", "png", "public domain", "externalsource", "color",
              "colour", "black and white", "openclipart", "cartoon", "icon", "drawing", "illustration", "remix",
              "line art", "lineart", "simple", "stuff", "object", "objects", "symbol", "sign", "signs", "card",
              "aiga", "nicu", "buculei", "design", "graphic", "clip", "art", "picture", "outline", "shape",
              "shapes", "tango", "hash", "unsorted", "jpg", "vector", "coloring book", "colouring book"}
OC_ITALIAN = {"orso", "gabbiano", "sedia", "legno", "gatto", "cane", "albero", "casa", "mela", "pera", "fiore",
              "uccello", "pesce", "cavallo", "mucca", "maiale", "pecora", "topo", "farfalla", "libro", "tavolo",
              "bottiglia", "bicchiere", "chiave", "martello", "forbici", "coltello", "scarpa", "cappello", "di",
              "con", "il", "la", "lo", "le", "per", "rosso", "verde", "giallo", "blu", "nero", "bianco", "architetto",
              "francesco", "rollandin"}


def oc_clean(t):
    t = re.sub(r"(?i)^clip ?art by [^-]*-\s*", "", t)
    t = re.sub(r"(?i)\b(clip ?art|svg|png|remix|version|by [a-z]+ [a-z]+)\b", " ", t)
    t = re.sub(r"[_\-]+", " ", t)
    t = re.sub(r"[^A-Za-z ]+", " ", t)
    t = re.sub(r"\s+", " ", t).strip().lower()
    words = t.split()
    if not words or len(words) > 4 or any(w in OC_ITALIAN for w in words) or t in OC_GENERIC:
        return None
    if len(t) < 3:
        return None
    return t


def openclipart_items():
    root = pathlib.Path("/usr/share/openclipart/svg")
    seen = set()
    items = []
    for folder in OC_FOLDERS:
        for p in sorted((root / folder).rglob("*.svg")):
            if p.is_symlink() or p.name in seen:
                continue
            seen.add(p.name)
            try:
                txt = p.read_text(errors="replace")[:200000]
            except OSError:
                continue
            titles = re.findall(r"<dc:title>([^<]*)</dc:title>", txt)
            kws = re.findall(r"<rdf:li>([^<]*)</rdf:li>", txt)
            title = oc_clean(titles[0]) if titles else None
            if "architetto" in p.name:  # Italian titles (architetto francesco rollandin): keywords only
                title = None
            clean_kws = []
            for k in kws:
                c = oc_clean(k)
                if c and c not in clean_kws and c != title and c != folder and not c.startswith("hash"):
                    clean_kws.append(c)
            if title is None:
                if not clean_kws:
                    continue
                title = clean_kws.pop(0)
            items.append({"path": p, "folder": folder, "title": title, "keywords": clean_kws[:4]})
    return items


def clip_captions(x, kws=(), kind="drawing"):
    caps = [x, f"a {x}", f"a drawing of a {x}", f"a picture of a {x}", f"a clipart of a {x}",
            f"a photo of a {x}" if kind == "photo" else f"an illustration of a {x}"]
    if kind == "photo":
        caps += [f"a photograph of a {x}"]
    for k in kws:
        caps += [k, f"a picture of a {k}"]
    return caps


# ---------------------------------------------------------------- GCompris (training part)
GC_BABYMATCH = {"fusee": "rocket", "raquette": "tennis racket", "sailingboat": "sailing boat", "windflag5": "windsock",
                "fishingboat": "fishing boat", "flowerpot": "flower pot", "eggpot": "egg cup",
                "tuxhelico": "helicopter", "tuxplane": "airplane", "postpoint": "post box", "lifebuoy": "lifebuoy",
                "minivan": "minivan", "light": "traffic light", "football": "football", "rape": "grater",
                "sound": "loudspeaker", "glass": "glass", "postcard": "postcard"}


def camel_words(stem):
    stem = re.sub(r"\d+$", "", stem)
    stem = re.sub(r"^\d+_", "", stem)
    stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)
    return stem.replace("_", " ").strip().lower()


def gcompris_train_items(acts):
    items = []
    for p in sorted((acts / "babymatch/resource/images").glob("*.svg")):
        items.append({"path": p, "label": GC_BABYMATCH.get(p.stem, p.stem), "kind": "drawing", "act": "babymatch"})
    for p in sorted((acts / "memory/resource").glob("[0-9][0-9]_*.svg")):
        lab = camel_words(p.stem)
        if "baby" in lab:
            continue
        lab = {"bluebirds": "bird", "redbird": "bird", "gnu": "wildebeest"}.get(lab, lab)
        items.append({"path": p, "label": lab, "kind": "drawing", "act": "memory"})
    for sub in ("others", "tools", "fishes", "renewable", "monuments"):
        for p in sorted((acts / "categorization/resource/images" / sub).glob("*.webp")):
            lab = camel_words(p.stem)
            lab = {"windmill": "wind turbine", "solar": "solar panel", "monument": "monument", "erasers": "eraser",
                   "spoons": "spoon", "blackslate": "blackboard", "buffetset": "buffet",
                   "weighing machine": "weighing scale"}.get(lab, lab)
            if len(lab) < 3:
                continue
            items.append({"path": p, "label": lab, "kind": "photo", "act": f"categorization/{sub}"})
    for p in sorted((acts / "erase/resource").glob("*.webp")):
        lab = camel_words(p.stem)
        lab = {"camels": "camel", "meerkats": "meerkat", "swans": "swan", "spoonbills": "spoonbill",
               "chamaeleon": "chameleon"}.get(lab, lab)
        items.append({"path": p, "label": lab, "kind": "photo", "act": "erase"})
    for p in sorted((acts / "explore_world_animals/resource/animals").glob("*.webp")):
        lab = {"dragon": "komodo dragon"}.get(p.stem, p.stem.replace("_", " "))
        items.append({"path": p, "label": lab, "kind": "photo", "act": "explore_world_animals"})
    return items


# ---------------------------------------------------------------- monochrome icon sets (data-sources.md 2.4)
# Only icons of concrete things are kept: the set's own category must be a concrete one (game-icons has none, so
# there every word of the name must already occur in the labels of the other training sources), the name has at
# most three words, and none of them is a UI modifier ("dog-off", "car-arrow-left", "food-apple-outline" keeps
# "food apple"; "account-lock" goes).
MDI_TAGS = {"Animal", "Food / Drink", "Automotive", "Transportation + Road", "Transportation + Other",
            "Transportation + Flying", "Transportation + Water", "Sport", "Music", "Nature", "Agriculture",
            "Clothing", "Hardware / Tools", "Holiday", "Medical / Hospital", "Science", "Weather", "Places",
            "Home Automation", "Device / Tech", "Photography", "Gaming / RPG", "Drawing / Art", "Health / Beauty",
            "People / Family", "Shopping"}
TABLER_CATS = {"Animals", "Food", "Vehicles", "Buildings", "Devices", "Sport", "Weather", "Nature", "Health",
               "Games", "Photography", "Computers"}
PHOSPHOR_CATS = {"e.OBJECTS", "e.NATURE", "e.WEATHER", "e.GAMES", "e.HEALTH", "e.MAP", "e.COMMERCE", "e.PEOPLE"}
ICON_MODIFIERS = {"off", "plus", "minus", "check", "remove", "edit", "alert", "lock", "unlock", "sync", "arrow",
                  "arrows", "settings", "cog", "network", "multiple", "cancel", "search", "question", "refresh",
                  "import", "export", "marker", "account", "outline", "variant", "box", "circle", "square", "badge",
                  "sharp", "filled", "fill", "slash", "x", "up", "down", "left", "right", "add", "delete", "clock",
                  "star", "heart", "open", "closed", "alt", "vertical", "horizontal", "bold", "light", "thin",
                  "duotone", "regular", "tilt", "share", "exclamation", "dots", "half", "full", "empty", "bolt",
                  "pause", "play", "stop", "on", "cloud", "wifi", "bluetooth", "percent", "dollar", "euro", "pound",
                  "upload", "download", "pin", "mark", "tag", "sign"}
ICON_STYLE_SUFFIX = re.compile(r"(-(outline|variant|filled|fill|alt|sharp|\d+))+$")


def icon_label(name):
    """'food-apple-outline' -> 'food apple', 'ambulance-2' -> 'ambulance'; None for a UI or abstract icon."""
    base = ICON_STYLE_SUFFIX.sub("", name.lower())
    words = [w for w in base.split("-") if w and w not in ("simple", "device")]  # Phosphor/Tabler name parts
    if not words or len(words) > 3 or any(w in ICON_MODIFIERS or w.isdigit() or len(w) < 2 for w in words):
        return None
    return " ".join(words)


def icon_captions(label, tags, kind):
    caps = [label, f"a {label}", f"an icon of a {label}", f"a pictogram of a {label}",
            f"a black and white icon of a {label}", f"a {kind} of a {label}"]
    extra = []
    for t in tags:
        t = str(t).strip().lower().replace("-", " ")
        if t and t != label and t not in extra and len(t) > 2 and not t.startswith("*") and len(t.split()) <= 3:
            extra.append(t)
    for t in extra[:3]:
        caps += [t, f"an icon of a {t}"]
    return caps


def icon_items(npm, known_words):
    """Icons of concrete things from the four sets: dicts with set, name, label, tags, svg (path or bytes)."""
    nm = npm / "node_modules"
    out = []
    for m in json.load(open(nm / "@mdi/svg/meta.json")):
        if m.get("deprecated") or not set(m.get("tags", [])) & MDI_TAGS:
            continue
        lab = icon_label(m["name"])
        if lab:
            out.append({"set": "mdi", "name": m["name"], "label": lab, "kind": "pictogram",
                        "tags": [a.replace("-", " ") for a in m.get("aliases", [])],
                        "svg": nm / "@mdi/svg/svg" / f"{m['name']}.svg"})
    for name, t in json.load(open(nm / "@tabler/icons/icons.json")).items():
        if t.get("category") not in TABLER_CATS:
            continue
        lab = icon_label(name)
        for style in sorted(t.get("styles", {})):
            if lab:
                out.append({"set": f"tabler-{style}", "name": name, "label": lab, "kind": "line drawing",
                            "tags": t.get("tags", []), "svg": nm / "@tabler/icons/icons" / style / f"{name}.svg"})
    txt = (nm / "@phosphor-icons/core/dist/index.mjs").read_text()
    for name, cats, tags in re.findall(r'\{\s*name: "([^"]+)",.*?categories: \[([^\]]*)\].*?tags: \[([^\]]*)\]',
                                       txt, re.S):
        if not {c.strip() for c in cats.split(",")} & PHOSPHOR_CATS:
            continue
        lab = icon_label(name)
        if lab:
            tags = re.findall(r'"([^"]+)"', tags)
            for weight, file in (("regular", f"{name}.svg"), ("fill", f"{name}-fill.svg")):
                out.append({"set": f"phosphor-{weight}", "name": name, "label": lab, "kind": "pictogram",
                            "tags": tags, "svg": nm / "@phosphor-icons/core/assets" / weight / file})
    gi = json.load(open(nm / "@iconify-json/game-icons/icons.json"))
    for name in sorted(gi["icons"]):
        lab = icon_label(name)
        if lab and all(w in known_words for w in lab.split()):
            out.append({"set": "game-icons", "name": name, "label": lab, "kind": "silhouette", "tags": [],
                        "svg": iconify_svg(gi, name)})
    return [it for it in out if not isinstance(it["svg"], pathlib.Path) or it["svg"].exists()]


# ---------------------------------------------------------------- training renders
def build_train(dd, jobs):
    npm = dd / "npm"
    out = dd / "image" / "train"
    recs = []  # (id, source, licence, label_key, captions, job)
    emoji = load_emoji(npm)
    log(f"emoji vocabulary: {len(emoji)} concrete emoji (emojibase groups 3-7)")
    lic = {"noto": "Apache-2.0", "twemoji": "CC-BY-4.0", "openmoji": "CC-BY-SA-4.0", "openmoji-black": "CC-BY-SA-4.0",
           "fluent": "MIT", "fluent-flat": "MIT"}
    for st, e, src in emoji_sources(npm, emoji, ["noto", "twemoji", "openmoji", "openmoji-black", "fluent",
                                                  "fluent-flat"]):
        rid = f"emoji-{st}-{e['hex']}"
        recs.append((rid, f"emoji/{st}", lic[st], "emoji:" + e["hex"], emoji_captions(e), ("svg", src, True)))
    n_emoji = len(recs)
    log(f"emoji renders: {n_emoji}")
    for it in openclipart_items():
        rid = "oc-" + it["folder"] + "-" + it["path"].stem
        recs.append((rid, "openclipart/" + it["folder"], "public-domain", "name:" + it["title"],
                     clip_captions(it["title"], it["keywords"]), ("svg", it["path"], True)))
    log(f"openclipart items: {len(recs) - n_emoji}")
    n0 = len(recs)
    for p in sorted(pathlib.Path("/usr/share/games/pysiogame/res/images/art4apps").glob("*/*.jpg")):
        lab = p.stem.replace("_", " ").lower()
        kind = "action" if p.parent.name == "actions" else "drawing"
        caps = clip_captions(lab) if kind != "action" else [lab, f"someone {lab}", f"a drawing of someone {lab}",
                                                           f"a picture of a person {lab}"]
        recs.append((f"a4a-{p.parent.name}-{p.stem}", "art4apps/" + p.parent.name, "CC-BY-SA-3.0",
                     "name:" + lab, caps, ("raster", p, False)))
    log(f"art4apps items: {len(recs) - n0}")
    n0 = len(recs)
    acts = dd / "gcompris" / "gcompris" / "src" / "activities"
    for it in gcompris_train_items(acts):
        kind = "svg" if it["path"].suffix == ".svg" else "raster"
        recs.append((f"gc-{it['act'].replace('/', '-')}-{it['path'].stem}", "gcompris/" + it["act"], "GPL-3.0",
                     "name:" + it["label"], clip_captions(it["label"], kind=it["kind"]),
                     (kind, it["path"], kind == "svg")))
    log(f"gcompris training items: {len(recs) - n0}")
    n0 = len(recs)
    known = {w for r in recs for w in re.findall(r"[a-z]+", r[4][0].lower())}
    icon_lic = {"mdi": "Apache-2.0", "tabler": "MIT", "phosphor": "MIT", "game-icons": "CC-BY-3.0"}
    for it in icon_items(npm, known):
        st = it["set"]
        recs.append((f"icon-{st}-{it['name']}", f"icons/{st}", icon_lic[st.split("-")[0] if st != "game-icons" else st],
                     "name:" + it["label"], icon_captions(it["label"], it["tags"], it["kind"]),
                     ("svg", it["svg"], True)))
    log(f"icon items: {len(recs) - n0} ({dict(Counter(r[1] for r in recs[n0:]))})")

    def do(rec):
        rid, source, _, _, _, (kind, src, transparent) = rec
        png = out / source.split("/")[0] / f"{rid}.png"
        if png.exists():
            return True
        try:
            if kind == "svg":
                rgba = rsvg(src if isinstance(src, (bytes, bytearray)) else src, RENDER * 2)
                rgba = autocrop(rgba, 0.06)
                if rgba is None:
                    return False
                save_render(square(rgba, RENDER), png, with_mask=True)
            else:
                im = Image.open(src).convert("RGB")
                s = RENDER * 2 / min(im.size)
                if s < 1:
                    im = im.resize((round(im.width * s), round(im.height * s)), Image.BICUBIC)
                png.parent.mkdir(parents=True, exist_ok=True)
                im.save(png)
            return True
        except Exception as ex:  # a broken SVG is skipped and counted, never fatal
            print(f"  skip {rid}: {ex}", file=sys.stderr)
            return False

    ok = []
    with ThreadPoolExecutor(jobs) as ex:
        for i, (rec, good) in enumerate(zip(recs, ex.map(do, recs))):
            if good:
                ok.append(rec)
            if i % 2000 == 0:
                log(f"  rendered {i}/{len(recs)}")
    log(f"training renders: {len(ok)} of {len(recs)}")
    rows = []
    for rid, source, licence, key, caps, (kind, src, transparent) in ok:
        png = out / source.split("/")[0] / f"{rid}.png"
        mask = png.with_suffix(".mask.png")
        caps = list(dict.fromkeys(c.strip() for c in caps if c.strip()))
        rows.append({"id": rid, "file": str(png.relative_to(dd)),
                     "mask": str(mask.relative_to(dd)) if mask.exists() else None,
                     "source": source, "licence": licence, "key": key, "captions": caps})
    json.dump(rows, open(dd / "image" / "train_raw.json", "w"))


# ---------------------------------------------------------------- held-out sets
def write_eval(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n")


def webp_to_png(src, dst):
    dst.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dwebp", "-quiet", str(src), "-o", str(dst)], check=True)
    Image.open(dst).convert("RGB").save(dst)


def svg_to_png(src, dst, side=512):
    dst.parent.mkdir(parents=True, exist_ok=True)
    rgba = autocrop(rsvg(src, side * 2), 0.05)
    flatten(square(rgba, side)).save(dst)


def build_h1(dd):
    acts = dd / "gcompris" / "gcompris" / "src" / "activities"
    h1 = dd / "eval" / "H1"
    items = []
    for n in common.FARM_ANIMALS:
        lab = common.h1_label(n)
        stem = "chicken" if n == "chickens" else n
        d = acts / "explore_farm_animals/resource/animals"
        webp_to_png(d / f"{stem}.webp", h1 / "images" / f"{stem}_photo.png")
        items.append({"file": f"images/{stem}_photo.png", "modality": "image", "label": lab, "group": "photo"})
        svg_to_png(d / f"{stem}.svg", h1 / "images" / f"{stem}_drawing.png")
        items.append({"file": f"images/{stem}_drawing.png", "modality": "image", "label": lab, "group": "drawing"})
    for n in common.INSTRUMENTS:
        svg_to_png(acts / f"instruments/resource/{n}.svg", h1 / "images" / f"{n}_drawing.png")
        items.append({"file": f"images/{n}_drawing.png", "modality": "image", "label": common.h1_label(n),
                      "group": "drawing"})
    write_eval(h1 / "eval-image.json", {
        "set": "H1", "description": "GCompris explore_farm_animals and instruments (held out): image items",
        "labels": common.H1_LABELS, "templates": common.EVAL_TEMPLATES, "items": items})
    log(f"H1 images: {len(items)}")


def build_h2(dd):
    npm = dd / "npm"
    emoji = load_emoji(npm)
    h2 = dd / "eval" / "H2"
    items = []
    for st, e, src in emoji_sources(npm, emoji, ["emojione", "fxemoji", "streamline"]):
        f = h2 / "images" / st / f"{e['hex']}.png"
        if not f.exists():
            rgba = autocrop(rsvg(src, 256), 0.04)
            if rgba is None:
                continue
            f.parent.mkdir(parents=True, exist_ok=True)
            flatten(square(rgba, 128)).save(f)
        items.append({"file": f"images/{st}/{e['hex']}.png", "modality": "image", "label": e["label"], "group": st})
    labels = list(dict.fromkeys(e["label"] for e in emoji))
    write_eval(h2 / "eval.json", {
        "set": "H2", "description": "Emoji styles EmojiOne, FxEmoji, Streamline (never trained on), zero-shot over "
                                   "the concrete emoji vocabulary (emojibase groups 3-7, English labels)",
        "labels": labels, "templates": common.EVAL_TEMPLATES, "items": items})
    from collections import Counter
    log(f"H2: {len(items)} images over {len(labels)} labels, per style {dict(Counter(i['group'] for i in items))}")


def build_h4(dd, per_word=2):
    pics = pathlib.Path("/usr/share/ktuberling/pics")
    words = sorted(p.stem for p in pathlib.Path("/usr/share/ktuberling/sounds/en").glob("*.ogg"))
    h4 = dd / "eval" / "H4"
    by_word = {}
    for th in sorted(pics.glob("*.theme")):
        txt = th.read_text()
        board = re.search(r'gameboard="([^"]+)"', txt).group(1)
        for name, snd in re.findall(r'<object name="([^"]+)"[^>]*sound="([^"]+)"', txt):
            if snd in words:
                by_word.setdefault(snd, []).append((pics / board, name))
    items = []
    for w in words:
        for board, oid in by_word.get(w, [])[:per_word]:
            f = h4 / "images" / f"{w}_{oid}.png"
            if not f.exists():
                src = board
                if board.suffix == ".svgz":
                    import gzip
                    src = gzip.decompress(board.read_bytes())
                try:
                    rgba = autocrop(rsvg(src, 2048, 2048, export_id=oid), 0.04)
                except Exception as ex:
                    print(f"  H4 skip {oid}: {ex}", file=sys.stderr)
                    continue
                if rgba is None or min(rgba.size) < 8:
                    continue
                f.parent.mkdir(parents=True, exist_ok=True)
                flatten(square(rgba, 256)).save(f)
            items.append({"file": f"images/{f.name}", "modality": "image", "label": common.ktuberling_label(w),
                          "group": "drawing"})
    write_eval(h4 / "eval-image.json", {
        "set": "H4", "description": "KTuberling objects (held out): drawings rendered with rsvg-convert --export-id",
        "labels": [common.ktuberling_label(w) for w in words], "templates": common.EVAL_TEMPLATES, "items": items})
    log(f"H4 images: {len(items)} for {len({i['label'] for i in items})} of {len(words)} words")


def build_h5(dd, seconds=3.5):
    acts = dd / "gcompris" / "gcompris" / "src" / "activities"
    h5 = dd / "eval" / "H5"
    (h5 / "videos").mkdir(parents=True, exist_ok=True)
    tmp = dd / "image" / "tmp_h5"
    tmp.mkdir(parents=True, exist_ok=True)
    items = []
    frames = int(seconds * 25)
    for n in common.FARM_ANIMALS + common.INSTRUMENTS:
        if n in common.FARM_ANIMALS:
            stem = "chicken" if n == "chickens" else n
            img = dd / "eval/H1/images" / f"{stem}_photo.png"
            snd = acts / "explore_farm_animals/resource/animals" / f"{n}.ogg"
            group = "photo"
        else:
            img = tmp / f"{n}.png"
            if not img.exists():
                svg_to_png(acts / f"instruments/resource/{n}.svg", img, side=960)
            snd = acts / "instruments/resource" / f"{n}.ogg"
            group = "drawing"
        out = h5 / "videos" / f"{n}.mp4"
        if not out.exists():
            subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-i", str(img),
                            "-i", str(snd), "-filter_complex",
                            "[0:v]scale=1280:-2,zoompan=z='min(zoom+0.0015,1.3)':x='iw/2-(iw/zoom/2)':"
                            f"y='ih/2-(ih/zoom/2)':d={frames}:s=320x240:fps=25,format=yuv420p[v];"
                            f"[1:a]apad,atrim=0:{seconds}[a]",
                            "-map", "[v]", "-map", "[a]", "-t", str(seconds), "-c:v", "libx264", "-c:a", "aac",
                            str(out)], check=True)
        items.append({"file": f"videos/{n}.mp4", "modality": "video", "label": common.h1_label(n), "group": group})
    write_eval(h5 / "eval.json", {
        "set": "H5", "description": "Synthetic videos: H1 photos (farm animals) and instrument drawings with an ffmpeg "
                                   f"zoompan, {seconds} s, 320x240 H.264, with their own H1 sound as AAC",
        "labels": common.H1_LABELS, "templates": common.EVAL_TEMPLATES, "items": items})
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"H5 videos: {len(items)}")


# ---------------------------------------------------------------- perceptual hashes
def dhash(im):
    g = np.asarray(im.convert("L").resize((9, 8), Image.BILINEAR), dtype=np.int16)
    return np.packbits((g[:, 1:] > g[:, :-1]).ravel())


def phash(im):
    from scipy.fftpack import dct
    g = np.asarray(im.convert("L").resize((32, 32), Image.BILINEAR), dtype=np.float64)
    d = dct(dct(g, axis=0, norm="ortho"), axis=1, norm="ortho")[:8, :8].ravel()
    return np.packbits(d > np.median(d[1:]))


def hashes(path):
    im = Image.open(path).convert("RGB")
    return np.concatenate([dhash(im), phash(im)])


def hamming(a, b):
    """a [N,8] uint8, b [M,8] uint8 -> [N,M] bit distances."""
    x = np.bitwise_xor(a[:, None, :], b[None, :, :])
    return np.unpackbits(x, axis=2).sum(axis=2)


def dedup(dd, max_bits):
    rows = json.load(open(dd / "image" / "train_raw.json"))
    held = []
    for H in ("H1", "H2", "H4"):
        for f in ("eval-image.json", "eval.json"):
            p = dd / "eval" / H / f
            if p.exists():
                ev = json.load(open(p))
                held += [p.parent / it["file"] for it in ev["items"] if it["modality"] == "image"]
    hh = np.stack([hashes(p) for p in held])
    log(f"dedup: hashing {len(rows)} training images against {len(held)} held-out images")
    th = np.stack([hashes(dd / r["file"]) for r in rows])
    dd_ = hamming(th[:, :8], hh[:, :8]).min(axis=1)
    dp = hamming(th[:, 8:], hh[:, 8:]).min(axis=1)
    drop = (dd_ + dp) <= max_bits
    # provenance: GCompris' instrument drawings are derived (recoloured, mirrored) from Openclipart art by
    # "ganson"; a perceptual hash misses the recoloured ones, so every ganson instrument of the H1 vocabulary goes
    inst = {w for n in common.INSTRUMENTS for w in n.split("_")} | {"french", "tenor"}
    prov = np.array([r["source"].startswith("openclipart") and "ganson" in r["id"] and
                     any(w in inst for w in re.split(r"[_\-]+", r["id"])) for r in rows])
    log(f"dedup: hash rule drops {int(drop.sum())}, provenance rule (Openclipart 'ganson' instruments) "
        f"{int((prov & ~drop).sum())} more")
    drop = drop | prov
    from collections import Counter
    dropped = Counter(r["source"] for r, d in zip(rows, drop) if d)
    log(f"dedup: dropped {int(drop.sum())} training images: {dict(dropped)}")
    kept = [r for r, d in zip(rows, drop) if not d]
    (dd / "image" / "dedup_dropped.json").write_text(json.dumps(
        [{"id": r["id"], "dhash_bits": int(a), "phash_bits": int(b)} for r, a, b, d in zip(rows, dd_, dp, drop) if d],
        indent=1))
    json.dump(kept, open(dd / "image" / "train_dedup.json", "w"))


def write_captions(dd):
    """captions.txt: the unique captions of every rendered training item (before dedup, a superset) plus the fixed
    image templates filled with each item's primary label (the validation prompts)."""
    rows = json.load(open(dd / "image" / "train_raw.json"))
    caps = {}
    for r in rows:
        for c in r["captions"]:
            caps.setdefault(c, None)
    for r in rows:
        for t in common.EVAL_TEMPLATES["image"]:
            caps.setdefault(t.format(r["captions"][0]), None)
    (dd / "image" / "captions.txt").write_text("\n".join(caps) + "\n", encoding="utf-8")
    log(f"captions.txt: {len(caps)} unique captions")


def manifest(dd, val_frac=0.05, seed=7):
    """Validation keys are drawn from the non-icon sources only, so adding the icon sets left the validation split
    of the earlier model versions unchanged; icon items whose key or label names a validation label are dropped
    (they would leak those labels into training)."""
    rows = json.load(open(dd / "image" / "train_dedup.json"))
    keys = sorted({r["key"] for r in rows if not r["source"].startswith("icons/")})
    rng = random.Random(seed)
    val_keys = set(rng.sample(keys, max(1, int(len(keys) * val_frac))))
    val_names = {r["captions"][0].lower() for r in rows if r["key"] in val_keys}
    leaking = [r for r in rows if r["source"].startswith("icons/")
               and (r["key"] in val_keys or r["captions"][0].lower() in val_names)]
    if leaking:
        log(f"manifest: {len(leaking)} icon items name a validation label and are left out")
        drop = {r["id"] for r in leaking}
        rows = [r for r in rows if r["id"] not in drop]
    with open(dd / "image" / "manifest.jsonl", "w") as f:
        for r in rows:
            r["split"] = "val" if r["key"] in val_keys else "train"
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    from collections import Counter
    log(f"manifest: {len(rows)} items ({sum(r['split'] == 'val' for r in rows)} val), "
        f"{len({r['key'] for r in rows})} label keys ({len(keys)} outside the icon sets); "
        f"per source: {dict(Counter(r['source'].split('/')[0] + ('/' + r['source'].split('/')[1] if r['source'].startswith('emoji') else '') for r in rows))}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", help="data directory (default $BINDSPACE_MINI_DATA or <repo>/../mini-data)")
    ap.add_argument("--steps", default="setup,heldout,train,captions,dedup,manifest")
    ap.add_argument("--jobs", type=int, default=2, help="parallel rsvg-convert processes")
    ap.add_argument("--hamming", type=int, default=12,
                    help="dedup threshold: dHash + pHash Hamming distance (64 + 64 bits) to the nearest held-out image")
    ap.add_argument("--skip-h4", action="store_true")
    a = ap.parse_args()
    dd = common.data_dir(a.data_dir)
    steps = a.steps.split(",")
    log(f"data dir {dd}, steps {steps}")
    if "setup" in steps:
        setup(dd)
    if "heldout" in steps:  # first: dedup compares the training renders against these
        build_h1(dd)
        build_h2(dd)
        if not a.skip_h4:
            build_h4(dd)
        build_h5(dd)
    if "h4" in steps:
        build_h4(dd)
    if "train" in steps:
        build_train(dd, a.jobs)
    if "train" in steps or "captions" in steps:
        write_captions(dd)
    if "dedup" in steps:
        dedup(dd, a.hamming)
    if "manifest" in steps:
        manifest(dd)
    log("done")


if __name__ == "__main__":
    main()
