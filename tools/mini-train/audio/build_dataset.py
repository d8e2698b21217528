#!/usr/bin/python3
"""Build the bindspace-mini AUDIO training set and the audio side of the held-out sets H1, H3, H4.

Sources (data contract: ../../shared/docs/data-sources.md section 6, see README.md here):
  FluidR3 GM programs/variations/drum kits and FluidR3 GS sound effects (rendered with fluidsynth),
  OpenSFX (split from opensfx.cat), Wesnoth real-world sounds, sound-theme-freedesktop, sound-icons,
  GCompris sounds except the held-out explore_farm_animals and instruments recordings, espeak-ng speech.
Held out (written to <data-dir>/eval/H1, H3, H4 as eval-audio.json, never in the manifest):
  H1 GCompris farm-animal calls + instrument recordings, H3 TimGM6mb renders, H4 KTuberling human words.

Everything is converted to 16 kHz mono 16-bit WAV with sox. Output:
  <data-dir>/audio/wav/<source>/<id>.wav, <data-dir>/audio/manifest.jsonl (one JSON object per item:
  id, file, source, package, licence, kind, label, names, captions, split, group, sha256_pcm, seconds),
  <data-dir>/audio/dedup.json (what was dropped because it matched a held-out file).

Run:  /usr/bin/python3 tools/mini-train/audio/build_dataset.py --data-dir ../mini-data
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import vocab  # noqa: E402

SF2 = Path("/usr/share/sounds/sf2")
GCOMPRIS_RCC = Path("/usr/share/gcompris-qt/rcc")
OPENSFX_CAT = Path("/usr/share/games/openttd/baseset/opensfx/opensfx.cat")
WESNOTH = Path("/usr/share/games/wesnoth/1.16/data/core/sounds")
FREEDESKTOP = Path("/usr/share/sounds/freedesktop/stereo")
SOUND_ICONS = Path("/usr/share/sounds/sound-icons")
KTUBERLING_EN = Path("/usr/share/ktuberling/sounds/en")

APT_PACKAGES = ["fluidsynth", "fluid-soundfont-gm", "fluid-soundfont-gs", "timgm6mb-soundfont", "espeak-ng", "sox",
                "libsox-fmt-all", "ffmpeg", "openttd-opensfx", "sound-theme-freedesktop", "sound-icons",
                "ktuberling-data", "gcompris-qt-data"]
OPTIONAL_APT = ["wesnoth-1.16-data"]

T0 = time.time()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} +{time.time() - T0:6.1f}s] {msg}", flush=True)


def default_data_dir() -> Path:
    env = os.environ.get("BINDSPACE_MINI_DATA")
    if env:
        return Path(env)
    return (HERE / "../../../../mini-data").resolve()


# ---------------------------------------------------------------------------------------------- install

def installed(pkg: str) -> bool:
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
    return r.returncode == 0 and "install ok installed" in r.stdout


def ensure_packages(with_wesnoth: bool) -> None:
    want = APT_PACKAGES + (OPTIONAL_APT if with_wesnoth else [])
    missing = [p for p in want if not installed(p)]
    if not missing:
        log("apt: all packages present")
        return
    log(f"apt: installing {missing}")
    cmd = ["apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=900"] + missing
    if os.geteuid() != 0:
        cmd = ["sudo", "-n"] + cmd
    subprocess.run(cmd, check=True)


# ---------------------------------------------------------------------------------------------- audio io

def sox_to_16k(src: Path, dst: Path, effects: list[str] | None = None) -> None:
    """Any audio file -> 16 kHz mono signed 16-bit WAV (sox; ffmpeg decodes what sox cannot).

    sox dithers when it writes 16 bits; -R seeds that dither with a fixed number, so the same input gives the
    same bytes on every run (without it the held-out WAVs differed by up to 2 LSB between two builds)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fx = (effects or [])

    def cmd(inp: Path) -> list[str]:
        return ["sox", "-R", "-q", "-V1", str(inp), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                str(dst)] + fx

    r = subprocess.run(cmd(src), capture_output=True)
    if r.returncode != 0:
        with tempfile.TemporaryDirectory() as td:
            tmp = Path(td) / "dec.wav"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(src), str(tmp)], check=True)
            subprocess.run(cmd(tmp), check=True)


def read_pcm16(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def write_wav(path: Path, data: np.ndarray, rate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(data, -32768, 32767).astype("<i2").tobytes())


def pcm_sha(path: Path) -> str:
    return hashlib.sha256(read_pcm16(path).tobytes()).hexdigest()


def trim_silence(x: np.ndarray, rate: int, rel_db: float = -50.0, max_s: float = 6.0) -> np.ndarray:
    """Trim leading/trailing samples quieter than rel_db below the peak (10 ms margin), cap the length."""
    a = np.abs(x.astype(np.float32))
    peak = a.max() if a.size else 0.0
    if peak <= 0:
        return x[:0]
    idx = np.nonzero(a > peak * 10 ** (rel_db / 20))[0]
    lo = max(0, idx[0] - rate // 100)
    hi = min(len(x), idx[-1] + rate // 100)
    return x[lo:min(hi, lo + int(max_s * rate))]


# ---------------------------------------------------------------------------------------------- midi

def _vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_midi(path: Path, channel: int, bank: int, program: int, notes: list[tuple[int, float]],
               slot_s: float) -> None:
    """Format-0 MIDI: bank select (CC0), program change, then note k at k*slot_s seconds for its duration.
    480 ticks per quarter at the default 120 bpm = 960 ticks per second."""
    tps = 960
    ev = bytearray()
    ev += _vlq(0) + bytes([0xB0 | channel, 0, bank & 0x7F]) + _vlq(0) + bytes([0xB0 | channel, 32, 0])
    ev += _vlq(0) + bytes([0xC0 | channel, program])
    now = 0
    for k, (pitch, dur) in enumerate(notes):
        on = int(round(k * slot_s * tps))
        off = on + int(round(dur * tps))
        ev += _vlq(on - now) + bytes([0x90 | channel, pitch, 100])
        ev += _vlq(off - on) + bytes([0x80 | channel, pitch, 0])
        now = off
    end = int(round(len(notes) * slot_s * tps))
    ev += _vlq(max(0, end - now)) + b"\xff\x2f\x00"
    path.write_bytes(b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(ev)) + bytes(ev))


def render_notes(font: Path, channel: int, bank: int, program: int, notes: list[tuple[int, float]],
                 out_dir: Path, stem: str, slot_s: float = 6.0) -> list[tuple[int, Path]]:
    """Render each note with fluidsynth (one process per program), cut note k from [k*slot, (k+1)*slot),
    trim silence, write a 44.1 kHz WAV per note, then convert each to 16 kHz mono with sox."""
    out = []
    with tempfile.TemporaryDirectory() as td:
        mid = Path(td) / "in.mid"
        wav = Path(td) / "out.wav"
        write_midi(mid, channel, bank, program, notes, slot_s)
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", "1.0", "-r", "44100", "-R", "0", "-C", "0",
                        "-F", str(wav), str(font), str(mid)], check=True, capture_output=True)
        with wave.open(str(wav), "rb") as w:
            ch = w.getnchannels()
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, ch).astype(np.int32)
        mono = data.mean(axis=1)
        for k, (pitch, dur) in enumerate(notes):
            seg = mono[int(k * slot_s * 44100):int((k + 1) * slot_s * 44100)]
            seg = trim_silence(seg, 44100, max_s=min(slot_s, dur + 2.0))
            if len(seg) < 4410:  # under 0.1 s: silent or broken preset
                continue
            tmp = Path(td) / f"n{k}.wav"
            write_wav(tmp, seg, 44100)
            dst = out_dir / f"{stem}_n{pitch}_d{int(dur * 10)}.wav"
            sox_to_16k(tmp, dst)
            out.append((k, dst))
    return out


# ---------------------------------------------------------------------------------------------- sources

class Items:
    def __init__(self, root: Path):
        self.root = root
        self.rows: list[dict] = []

    def add(self, file: Path, source: str, package: str, licence: str, kind: str, label: str, names: list[str],
            captions: list[str], group: str) -> None:
        self.rows.append(dict(file=str(file.relative_to(self.root)), source=source, package=package,
                              licence=licence, kind=kind, label=label, names=list(dict.fromkeys(names)),
                              captions=list(dict.fromkeys(captions)), group=group))


def build_fluid(items: Items, wav_root: Path, jobs: int) -> None:
    gm = SF2 / "FluidR3_GM.sf2"
    gs = SF2 / "FluidR3_GS.sf2"
    tasks = []
    pitches = [43, 50, 57, 64, 71, 76]
    for p, name in enumerate(vocab.GM_PROGRAMS):
        notes = []
        for pitch in pitches:
            pp = pitch - 12 if 32 <= p <= 39 or p in (43, 58, 70) else pitch
            notes += [(pp, 0.6), (pp, 1.8)]
        if p in vocab.GM_SOUND_EFFECTS:
            notes = [(pp, d) for pp in (48, 55, 60, 67, 72) for d in (1.0, 2.5)]
        shorts = vocab.GM_SHORT[p]
        instrument = p not in vocab.GM_SOUND_EFFECTS
        caps = vocab.sound_captions([name], playing=instrument) + vocab.sound_captions(shorts, playing=instrument)
        tasks.append((gm, 0, 0, p, notes, f"gm_p{p:03d}", name, [name] + shorts, caps,
                      "instrument" if instrument else "sound", "fluid-soundfont-gm", "MIT"))
    for bank, p, names in vocab.GM_VARIATIONS:
        notes = [(pp, d) for pp in (48, 60, 72) for d in (0.6, 1.8)]
        tasks.append((gm, 0, bank, p, notes, f"gm_b{bank}_p{p:03d}", names[0], names,
                      vocab.sound_captions(names, playing=True), "instrument", "fluid-soundfont-gm", "MIT"))
    for bank, p, names in vocab.GS_EFFECTS:
        notes = [(pp, d) for pp in (48, 60, 72) for d in (1.0, 3.0)]
        tasks.append((gs, 0, bank, p, notes, f"gs_b{bank}_p{p:03d}", names[0], names,
                      vocab.sound_captions(names), "sound", "fluid-soundfont-gs", "MIT"))
    for kit, kit_name in vocab.GM_DRUM_KITS.items():  # one render per kit, one note per percussion name
        notes = [(note, 0.3) for note in vocab.GM_PERCUSSION]
        tasks.append((gm, 9, 0, kit, notes, f"drum_k{kit:02d}", kit_name, None, None, "instrument",
                      "fluid-soundfont-gm", "MIT"))

    def run(t):
        font, ch, bank, prog, notes, stem, label, names, caps, kind, pkg, lic = t
        slot = 2.0 if names is None else 6.0
        return t, render_notes(font, ch, bank, prog, notes, wav_root / "fluid", stem, slot_s=slot)

    with ThreadPoolExecutor(jobs) as ex:
        for t, res in ex.map(run, tasks):
            _, _, _, _, notes, stem, label, names, caps, kind, pkg, lic = t
            for k, f in res:
                if names is None:  # drum kit: label per percussion note
                    note = notes[k][0]
                    pn = vocab.GM_PERCUSSION[note]
                    pcaps = vocab.sound_captions(pn, playing=True) + [f"a {label} drum kit", "a drum kit", "drums"]
                    items.add(f, "fluidr3", pkg, lic, kind, pn[0], pn, pcaps, group=f"{stem}_n{note}")
                else:
                    items.add(f, "fluidr3", pkg, lic, kind, label, names, caps, group=stem)
    log(f"fluidsynth: {len(tasks)} presets rendered")


OPENSFX_LABELS = {
    3: ["factory whistle", "whistle"], 4: ["steam train", "train whistle", "train"],
    5: ["steam train", "train"], 6: ["ship horn", "ship", "horn"], 7: ["ferry horn", "ship", "horn"],
    8: ["propeller plane", "airplane"], 9: ["jet plane taking off", "airplane"],
    10: ["train horn", "train"], 11: ["machinery", "elevator"], 12: ["electric sparks", "electricity"],
    13: ["steam engine", "steam"], 14: ["level crossing bell", "railway crossing"], 17: ["crash"],
    18: ["explosion"], 19: ["crash", "big crash"], 20: ["cash register", "cash till"], 21: ["beep"],
    22: ["morse code", "beeping"], 24: ["helicopter"], 25: ["truck", "bus engine"],
    26: ["truck horn", "truck"], 27: ["bus", "bus engine"], 28: ["old bus", "bus engine"], 29: ["applause", "crowd clapping"],
    33: ["jackhammer", "drill"], 35: ["car horn", "horn"], 36: ["sheep", "sheep bleating"], 37: ["cow", "cow mooing"],
    38: ["horse", "horse neighing"], 39: ["hammering", "blacksmith"], 40: ["circular saw", "saw"],
    46: ["bubbles", "bubble"], 47: ["bubble", "plop"], 52: ["wind"], 54: ["falling tree", "tree falling"],
    55: ["cutting a tree", "saw"], 56: ["chainsaw", "saw"], 57: ["wind", "strong wind"],
    59: ["jet plane taking off", "airplane"], 61: ["jet plane taking off", "airplane"], 65: ["train", "subway"],
    66: ["tropical bird", "bird"], 67: ["lion roar", "lion"], 68: ["monkeys", "monkey"],
    69: ["propeller plane", "airplane"], 71: ["train passing", "train"], 72: ["tropical bird", "bird"],
}


def build_opensfx(items: Items, wav_root: Path) -> None:
    d = OPENSFX_CAT.read_bytes()
    n = (struct.unpack("<I", d[0:4])[0] & 0x7FFFFFFF) // 8
    count = 0
    with tempfile.TemporaryDirectory() as td:
        for k in range(n):
            off, size = struct.unpack("<II", d[k * 8:k * 8 + 8])
            off &= 0x7FFFFFFF
            ln = d[off]
            title = d[off + 1:off + 1 + ln].rstrip(b"\0").decode("latin1")
            riff = d[off + 1 + ln:off + size]
            if k not in OPENSFX_LABELS or riff[:4] != b"RIFF":
                continue
            lic = "CC0-1.0" if "Zero" in title else ("CC-BY-SA-3.0" if "ShareAlike" in title else "CC-BY-3.0")
            tmp = Path(td) / f"{k}.wav"
            tmp.write_bytes(riff)
            names = OPENSFX_LABELS[k]
            for v, fx in augment_variants():
                dst = wav_root / "opensfx" / f"sfx{k:02d}{v}.wav"
                sox_to_16k(tmp, dst, fx)
                items.add(dst, "opensfx", "openttd-opensfx", lic, "sound", names[0], names,
                          vocab.sound_captions(names), group=f"opensfx{k}")
            count += 1
    log(f"opensfx: {count} sounds")


def augment_variants() -> list[tuple[str, list[str]]]:
    """sox speed/pitch variants made at build time for recorded (non-rendered) sounds."""
    return [("", []), ("_sp090", ["speed", "0.9"]), ("_pu200", ["pitch", "200"])]


WESNOTH_LABELS = {
    r"bat-flapping": ["bat flapping wings", "bat"], r"bow(-puny)?(-fire)?\.": ["bow and arrow", "bow"],
    r"crossbow(-fire)?\.": ["crossbow"], r"explosion": ["explosion"], r"fire\.wav": ["fire"],
    r"fuse": ["burning fuse", "fuse"], r"gunshot": ["gunshot", "gun"], r"horse-canter": ["horse galloping", "horse"],
    r"horse-elf-canter": ["horse galloping", "horse"], r"horse-(die|hit)": ["horse neighing", "horse"],
    r"wolf-growl": ["wolf growling", "wolf"], r"wolf-(hit|die)": ["wolf", "wolf howling"],
    r"sword-1": ["sword", "sword clash"], r"axe\.": ["axe"], r"hatchet\.": ["axe", "hatchet"],
    r"human-hit": ["man groaning", "man"], r"human-female-hit": ["woman groaning", "woman"],
    r"dwarf-laugh": ["laughter", "laugh"], r"hiss\.wav": ["snake hissing", "snake"], r"hiss-big": ["snake hissing", "snake"],
    r"gold\.ogg": ["coins", "money"], r"open-chest": ["creaking chest", "chest"], r"rumble": ["rumble", "earthquake"],
    r"cave-in": ["rocks falling", "rocks"], r"water-blast": ["water splash", "water"], r"throw-": ["throwing", "whoosh"],
    r"fanfare-short": ["fanfare", "trumpet"], r"lightning\.": ["lightning", "thunder"], r"torch\.": ["torch", "fire"],
    r"ambient/birds": ["birds singing", "bird"], r"ambient/campfire": ["campfire", "fire"],
    r"ambient/morning": ["morning birds", "bird"], r"ambient/night": ["crickets at night", "crickets"],
    r"ambient/ship": ["ship creaking", "ship"], r"ambient/wardrums": ["war drums", "drum"],
    r"horn-signals/": ["horn signal", "horn"],
}


def build_wesnoth(items: Items, wav_root: Path) -> None:
    if not WESNOTH.is_dir():
        log("wesnoth: not installed, skipped")
        return
    count = 0
    for f in sorted(WESNOTH.rglob("*")):
        if f.suffix not in (".ogg", ".wav"):
            continue
        rel = str(f.relative_to(WESNOTH))
        names = next((v for k, v in WESNOTH_LABELS.items() if re.search(k, rel)), None)
        if names is None or "miss" in rel:
            continue
        for v, fx in augment_variants()[:2]:
            dst = wav_root / "wesnoth" / (rel.replace("/", "_").rsplit(".", 1)[0] + v + ".wav")
            sox_to_16k(f, dst, fx)
            items.add(dst, "wesnoth", "wesnoth-1.16-data", "GPL-2.0-or-later", "sound", names[0], names,
                      vocab.sound_captions(names), group="wesnoth:" + rel)
        count += 1
    log(f"wesnoth: {count} sounds")


FREEDESKTOP_LABELS = {
    "alarm-clock-elapsed": ["alarm clock", "alarm"], "bell": ["bell"], "camera-shutter": ["camera shutter", "camera"],
    "phone-incoming-call": ["telephone ringing", "telephone"], "phone-outgoing-calling": ["phone calling tone", "telephone"],
    "phone-outgoing-busy": ["busy signal", "telephone"], "trash-empty": ["paper crumpling", "trash"],
    "dialog-error": ["error sound", "beep"], "dialog-warning": ["warning sound", "beep"],
    "message-new-instant": ["notification", "message"], "complete": ["notification", "chime"],
    "audio-test-signal": ["noise", "test signal"], "screen-capture": ["camera shutter", "camera"],
}
FREEDESKTOP_SPEECH = {"audio-channel-front-center": "front center", "audio-channel-front-left": "front left",
                      "audio-channel-front-right": "front right", "audio-channel-rear-center": "rear center",
                      "audio-channel-rear-left": "rear left", "audio-channel-rear-right": "rear right",
                      "audio-channel-side-left": "side left", "audio-channel-side-right": "side right"}

SOUND_ICONS_LABELS = {
    "canary-long": ["canary", "bird"], "glass-water-1": ["glass of water", "glass"],
    "cockchafer-gentleman-1": ["beetle", "insect"], "xylofon": ["xylophone"], "trumpet-1": ["trumpet"],
    "trumpet-12": ["trumpet"], "piano-3": ["piano"], "guitar-12": ["guitar"], "guitar-13": ["guitar"],
    "violoncello-7": ["cello"], "cembalo-1": ["harpsichord"], "cembalo-2": ["harpsichord"],
    "cembalo-3": ["harpsichord"], "cembalo-6": ["harpsichord"], "cembalo-10": ["harpsichord"],
    "cembalo-11": ["harpsichord"], "cembalo-12": ["harpsichord"], "electric-piano-3": ["electric piano"],
    "klavichord-4": ["clavichord", "keyboard"], "cymbaly-1": ["cimbalom", "dulcimer"],
    "percussion-10": ["percussion", "drum"], "percussion-12": ["percussion", "drum"],
    "percussion-28": ["percussion", "drum"], "percussion-50": ["percussion", "drum"],
    "chord-7": ["chord", "piano chord"], "pipe": ["pipe", "whistle"],
}

GCOMPRIS_LABELS = {
    "memory-sound/LRApplauses_1_LA_cut.ogg": ["applause", "crowd clapping"],
    "memory-sound/LRBark_1_LA_cut.ogg": ["dog", "dog barking"], "memory-sound/LRBark_3_LA_cut.ogg": ["dog", "dog barking"],
    "memory-sound/LRBuddhist_gong_05_LA.ogg": ["gong"], "memory-sound/LRDoor_Open_2_LA.ogg": ["door opening", "door"],
    "memory-sound/LRFactory_noise_01_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFactory_noise_02_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFactory_noise_03_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFactory_noise_04_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFactory_noise_05_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFactory_noise_06_LA.ogg": ["factory noise", "factory"],
    "memory-sound/LRFireballs_01_LA.ogg": ["fireball", "fire"],
    "memory-sound/LRFrogsInPondDuringStormLACut.ogg": ["frogs in a pond", "frog"],
    "memory-sound/LRHeart_beat_01_LA.ogg": ["heart beat", "heartbeat"], "memory-sound/LRHits_01_LA.ogg": ["hits", "knock"],
    "memory-sound/LRObject_falling_01_LA.ogg": ["object falling", "falling"],
    "memory-sound/LRObject_falling_02_LA.ogg": ["object falling", "falling"],
    "memory-sound/LRRain_in_garden_01_LA_cut.ogg": ["rain", "rain in a garden"],
    "memory-sound/LRRing_01_LA.ogg": ["ring", "bell"],
    "memory-sound/LRStartAndStopCarEngine1LACut.ogg": ["car engine", "car"],
    "memory-sound/LRTrain_slowing_down_01_LA_cut.ogg": ["train", "train slowing down"],
    "memory-sound/guitar_melody.ogg": ["guitar", "guitar melody"], "memory-sound/guitar_son1.ogg": ["guitar"],
    "memory-sound/guitar_son2.ogg": ["guitar"], "memory-sound/guitar_son3.ogg": ["guitar"],
    "memory-sound/guitar_son4.ogg": ["guitar"],
    "canal_lock/door_close.wav": ["door closing", "door"], "canal_lock/door_open.wav": ["door opening", "door"],
    "canal_lock/water_fill.wav": ["water filling", "water"], "clickgame/bubble.wav": ["bubble", "bubbles"],
    "clickgame/drip.wav": ["water drip", "drip"], "guessnumber/helicopter.wav": ["helicopter"],
    "melody/knock.wav": ["knock", "knocking"], "melody/xylofon_son1.wav": ["xylophone"],
    "melody/xylofon_son2.wav": ["xylophone"], "melody/xylofon_son3.wav": ["xylophone"],
    "melody/xylofon_son4.wav": ["xylophone"], "mining/pickaxe.wav": ["pickaxe", "digging"],
    "money/money1.wav": ["coins", "money"], "money/money2.wav": ["coins", "money"],
    "railroad/sounds/train.wav": ["train"], "redraw/brush.wav": ["brush", "brushing"],
    "scalesboard/metal_hit.wav": ["metal hit", "metal"], "target/arrow.wav": ["arrow", "bow and arrow"],
    "traffic/car.wav": ["car"], "watercycle/bubble.wav": ["bubble", "bubbles"],
    "watercycle/harbor1.wav": ["harbor", "sea"], "watercycle/harbor2.wav": ["harbor", "sea"],
    "erase/eraser1.wav": ["eraser", "rubbing"], "core/sounds/crash.wav": ["crash"],
    "core/sounds/water.wav": ["water"], "core/sounds/brick.wav": ["brick", "knock"],
    "explore_world_music/music/africa.ogg": ["african music", "music"],
    "explore_world_music/music/america.ogg": ["american music", "music"],
    "explore_world_music/music/australia.ogg": ["australian music", "didgeridoo"],
    "explore_world_music/music/beethoven.ogg": ["classical music", "music"],
    "explore_world_music/music/ireland.ogg": ["irish music", "music"],
    "explore_world_music/music/italy.ogg": ["italian music", "music"],
    "explore_world_music/music/japan.ogg": ["japanese music", "music"],
    "explore_world_music/music/mexico.ogg": ["mexican music", "music"],
    "explore_world_music/music/middleeast.ogg": ["middle eastern music", "music"],
}
HELD_OUT_GCOMPRIS = ("explore_farm_animals/", "instruments/")


def gcompris_root(data_dir: Path) -> Path:
    root = data_dir / "gcompris" / "gcompris" / "src"
    if not (root / "activities").is_dir():
        log("gcompris: extracting the .rcc files with gcompris_rcc.py")
        rccs = sorted(str(p) for p in GCOMPRIS_RCC.glob("*.rcc"))
        subprocess.run([sys.executable, str(HERE.parent / "gcompris_rcc.py"), str(data_dir / "gcompris")] + rccs,
                       check=True)
    return root


def gcompris_file(root: Path, key: str) -> Path:
    act, rest = key.split("/", 1)
    if act == "core":
        return root / "core" / "resource" / rest
    return root / "activities" / act / "resource" / rest


def build_small_packages(items: Items, wav_root: Path, data_dir: Path) -> None:
    n = 0
    for stem, names in FREEDESKTOP_LABELS.items():
        src = FREEDESKTOP / f"{stem}.oga"
        for v, fx in augment_variants():
            dst = wav_root / "freedesktop" / f"{stem}{v}.wav"
            sox_to_16k(src, dst, fx)
            items.add(dst, "freedesktop", "sound-theme-freedesktop", "GPL-2.0-or-later / CC-BY-SA / CC-BY", "sound",
                      names[0], names, vocab.sound_captions(names), group="freedesktop:" + stem)
        n += 1
    for stem, word in FREEDESKTOP_SPEECH.items():
        dst = wav_root / "freedesktop" / f"{stem}.wav"
        sox_to_16k(FREEDESKTOP / f"{stem}.oga", dst)
        items.add(dst, "freedesktop", "sound-theme-freedesktop", "CC-BY-SA-3.0", "speech", "speech:" + word, [word],
                  vocab.speech_captions(word), group="freedesktop:" + stem)
        n += 1
    for stem, names in SOUND_ICONS_LABELS.items():
        src = SOUND_ICONS / (stem if stem == "pipe" else stem + ".wav")
        if stem == "pipe":
            src = SOUND_ICONS / "pipe.wav"
        for v, fx in augment_variants():
            dst = wav_root / "sound-icons" / f"{stem}{v}.wav"
            sox_to_16k(src, dst, fx)
            items.add(dst, "sound-icons", "sound-icons", "GPL-2.0-or-later", "instrument" if "bird" not in names else "sound",
                      names[0], names, vocab.sound_captions(names, playing=True), group="sound-icons:" + stem)
        n += 1
    root = gcompris_root(data_dir)
    for key, names in GCOMPRIS_LABELS.items():
        assert not key.startswith(HELD_OUT_GCOMPRIS), key
        src = gcompris_file(root, key)
        if not src.is_file():
            log(f"gcompris: missing {src}")
            continue
        lic = "FAL-1.3" if key.startswith("memory-sound/LR") else "GPL-3.0-or-later"
        for v, fx in augment_variants():
            dst = wav_root / "gcompris" / (key.replace("/", "_").rsplit(".", 1)[0] + v + ".wav")
            sox_to_16k(src, dst, fx)
            items.add(dst, "gcompris", "gcompris-qt-data", lic, "instrument" if "xylo" in key or "guitar" in key else "sound",
                      names[0], names, vocab.sound_captions(names, playing="music" not in names[-1]),
                      group="gcompris:" + key)
        n += 1
    log(f"freedesktop + sound-icons + gcompris: {n} sounds")


ESPEAK_VOICES = ["en", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-us-nyc"]
ESPEAK_VARIANTS = [f"f{i}" for i in range(1, 6)] + [f"m{i}" for i in range(1, 8)]


def speech_vocabulary() -> dict[str, int]:
    """word -> number of voice configurations. Label words of the held-out sets and every concrete sound word
    get 12 voices, emoji/common vocabulary 3."""
    words: dict[str, int] = {}

    def add(w, k):
        w = w.strip().lower()
        if w and re.fullmatch(r"[a-z][a-z0-9 '\-]*", w):
            words[w] = max(words.get(w, 0), k)

    for w in vocab.emoji_words() + vocab.COMMON_WORDS:
        add(w, 3)
    for w in vocab.H1_LABELS:
        add(w, 12)
    for f in sorted(KTUBERLING_EN.glob("*.ogg")):
        add(vocab.ktuberling_label(f.stem), 12)
    for names in list(vocab.GM_SHORT.values()) + [n for _, _, n in vocab.GS_EFFECTS] + list(vocab.GM_PERCUSSION.values()):
        add(names[-1], 6)
        add(names[0], 4)
    return words


def build_speech(items: Items, wav_root: Path, jobs: int, seed: int) -> None:
    rng = random.Random(seed)
    configs = [(v, var) for v in ESPEAK_VOICES for var in ESPEAK_VARIANTS]
    tasks = []
    for word, k in sorted(speech_vocabulary().items()):
        for j, (v, var) in enumerate(rng.sample(configs, k)):
            speed = rng.choice([120, 145, 170, 195])
            pitch = rng.choice([25, 40, 50, 60, 75])
            safe = re.sub(r"[^a-z0-9]+", "_", word)
            tasks.append((word, v, var, speed, pitch, wav_root / "espeak" / safe / f"{v}+{var}_s{speed}_p{pitch}.wav"))

    def run(t):
        word, v, var, speed, pitch, dst = t
        dst.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as td:
            raw = Path(td) / "raw.wav"
            subprocess.run(["espeak-ng", "-v", f"{v}+{var}", "-s", str(speed), "-p", str(pitch), "-w", str(raw), word],
                           check=True, capture_output=True)
            sox_to_16k(raw, dst)
        return t

    with ThreadPoolExecutor(jobs) as ex:
        for word, v, var, speed, pitch, dst in ex.map(run, tasks):
            items.add(dst, "espeak-ng", "espeak-ng", "GPL-3.0-or-later (synthetic speech)", "speech", "speech:" + word,
                      [word], vocab.speech_captions(word), group=f"espeak:{word}:{v}+{var}")
    log(f"espeak-ng: {len(tasks)} utterances of {len(set(t[0] for t in tasks))} words")


# ---------------------------------------------------------------------------------------------- held out

def write_eval(data_dir: Path, set_id: str, description: str, labels: list[str], items: list[dict]) -> None:
    out = data_dir / "eval" / set_id / "eval-audio.json"
    assert all(it["label"] in labels for it in items)
    doc = {"set": set_id, "description": description, "labels": labels,
           "templates": vocab.EVAL_TEMPLATES, "items": items}
    out.write_text(json.dumps(doc, indent=1) + "\n")
    log(f"{set_id}: {len(items)} audio items, {len(labels)} labels -> {out}")


def build_held_out(data_dir: Path, jobs: int) -> list[Path]:
    files = []
    root = gcompris_root(data_dir)
    h1 = data_dir / "eval" / "H1"
    items = []
    for stem in sorted(vocab.H1_ANIMAL_FILES):
        dst = h1 / "audio" / f"{vocab.h1_label(stem).replace(' ', '_')}.wav"
        sox_to_16k(root / "activities" / "explore_farm_animals" / "resource" / "animals" / f"{stem}.ogg", dst)
        items.append({"file": str(dst.relative_to(h1)), "modality": "audio", "label": vocab.h1_label(stem),
                      "group": "animal call"})
        files.append(dst)
    for stem in sorted(vocab.H1_INSTRUMENT_FILES):
        dst = h1 / "audio" / f"{vocab.h1_label(stem).replace(' ', '_')}.wav"
        sox_to_16k(root / "activities" / "instruments" / "resource" / f"{stem}.ogg", dst)
        items.append({"file": str(dst.relative_to(h1)), "modality": "audio", "label": vocab.h1_label(stem),
                      "group": "instrument recording"})
        files.append(dst)
    write_eval(data_dir, "H1", "GCompris explore_farm_animals calls and instruments recordings (held out)",
               vocab.H1_LABELS, items)

    h3 = data_dir / "eval" / "H3"
    items = []

    def run(p):
        notes = [(pp - 12 if 32 <= p <= 39 or p in (43, 58, 70) else pp, 1.5) for pp in (48, 55, 60, 67, 72)]
        return p, [f for _, f in render_notes(SF2 / "TimGM6mb.sf2", 0, 0, p, notes, h3 / "audio", f"timgm_p{p:03d}")]

    with ThreadPoolExecutor(jobs) as ex:
        for p, fs in ex.map(run, range(128)):
            for f in fs:
                items.append({"file": str(f.relative_to(h3)), "modality": "audio", "label": vocab.GM_PROGRAMS[p],
                              "group": "effect" if p in vocab.GM_SOUND_EFFECTS else "instrument"})
                files.append(f)
    write_eval(data_dir, "H3", "TimGM6mb soundfont renders, 128 GM programs x 5 pitches (held out)",
               vocab.GM_PROGRAMS, items)

    h4 = data_dir / "eval" / "H4"
    items = []
    labels = []
    for f in sorted(KTUBERLING_EN.glob("*.ogg")):
        lab = vocab.ktuberling_label(f.stem)
        labels.append(lab)
        dst = h4 / "audio" / f"{f.stem}.wav"
        sox_to_16k(f, dst)
        items.append({"file": str(dst.relative_to(h4)), "modality": "audio", "label": lab, "group": "human voice en"})
        files.append(dst)
    assert len(labels) == len(set(labels)) == 72, labels
    write_eval(data_dir, "H4", "KTuberling English human word recordings (held out)", labels, items)
    return files


# ---------------------------------------------------------------------------------------------- dedup

def fingerprint(x: np.ndarray) -> np.ndarray:
    """Content fingerprint of 16 kHz PCM: the 2 s from the first sample within 40 dB of the peak, log power
    spectrogram (512-point Hann frames, 10 ms hop) pooled to 49 x 64 cells (40 ms x 125 Hz) with a floor 30 dB
    under the mean cell power, double-centred (band means, then frame means, over the frames that hold audio) so that only the fine
    spectro-temporal pattern remains; frames past the end are zero (so
    padding never matches padding), unit norm. A re-encoded or re-gained copy of a held-out recording scores near
    1; unrelated sounds score far lower (the kept files' highest scores are listed in dedup.json)."""
    x = x.astype(np.float32) / 32768.0
    a = np.abs(x)
    if a.size == 0 or a.max() == 0:
        return np.zeros(49 * 64, np.float32)
    x = x[int(np.argmax(a > a.max() * 0.01)):][:32000]
    valid = max(1, min(49, (len(x) - 512) // 640 + 1)) if len(x) >= 512 else 1
    x = np.pad(x, (0, 32000 - len(x)))
    frames = np.lib.stride_tricks.sliding_window_view(x, 512)[::160] * np.hanning(512)
    power = np.abs(np.fft.rfft(frames, axis=1))[:196, :256] ** 2
    cells = power.reshape(49, 4, 64, 4).sum(axis=(1, 3))[:valid]
    spec = np.log(cells + cells.mean() * 1e-3 + 1e-12)
    spec = spec - spec.mean(axis=0, keepdims=True)  # remove the spectral tilt/colour (per band)
    spec = spec - spec.mean(axis=1, keepdims=True)  # and the loudness envelope (per frame)
    out = np.zeros((49, 64), np.float32)
    out[:valid] = spec
    return (out / (np.linalg.norm(out) + 1e-9)).ravel()


def dedup(rows: list[dict], root: Path, held_files: list[Path], threshold: float) -> tuple[list[dict], dict]:
    held_sha = {}
    held_fp = []
    log(f"dedup: fingerprints of {len(held_files)} held-out files")
    for f in held_files:
        pcm = read_pcm16(f)
        held_sha[hashlib.sha256(pcm.tobytes()).hexdigest()] = str(f)
        held_fp.append(fingerprint(pcm))
    H = np.stack(held_fp)
    keep, dropped = [], []
    for r in rows:
        pcm = read_pcm16(root / r["file"])
        r["sha256_pcm"] = hashlib.sha256(pcm.tobytes()).hexdigest()
        r["seconds"] = round(len(pcm) / 16000, 3)
        if len(pcm) < 400 or not np.any(pcm):
            dropped.append({"file": r["file"], "why": "silent or shorter than one fbank window"})
            continue
        if r["sha256_pcm"] in held_sha:
            dropped.append({"file": r["file"], "why": "identical decoded samples to " + held_sha[r["sha256_pcm"]]})
            continue
        sim = H @ fingerprint(pcm)
        j = int(np.argmax(sim))
        if sim[j] >= threshold:
            dropped.append({"file": r["file"], "why": f"fingerprint cosine {sim[j]:.3f} to {held_files[j]}"})
            continue
        r["max_heldout_cosine"] = round(float(sim[j]), 4)
        keep.append(r)
    # exact duplicates inside training (same decoded samples): keep the first
    seen = {}
    out = []
    for r in keep:
        if r["sha256_pcm"] in seen:
            dropped.append({"file": r["file"], "why": "duplicate of training item " + seen[r["sha256_pcm"]]})
            continue
        seen[r["sha256_pcm"]] = r["file"]
        out.append(r)
    top = sorted(((r["max_heldout_cosine"], r["file"]) for r in out), reverse=True)[:30]
    hist = np.histogram([r["max_heldout_cosine"] for r in out], bins=[-1, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 1.01])
    return out, {"threshold": threshold, "held_out_files": len(held_files), "dropped": dropped,
                 "kept_max_cosine_top30": top, "kept_max_cosine_histogram": [hist[0].tolist(), hist[1].tolist()]}


# ---------------------------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=default_data_dir(),
                    help="data directory (default: $BINDSPACE_MINI_DATA or ../../mini-data from the repo root)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel fluidsynth/espeak/sox processes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--val-fraction", type=float, default=0.08, help="validation share of training groups")
    ap.add_argument("--no-wesnoth", action="store_true", help="skip wesnoth-1.16-data (193 MB)")
    ap.add_argument("--no-install", action="store_true", help="do not call apt-get")
    ap.add_argument("--dedup-threshold", type=float, default=0.9,
                    help="fingerprint cosine at or above which a training file counts as a copy of a held-out file")
    ap.add_argument("--dedup-only", action="store_true",
                    help="reuse the rendered files and audio/items_all.jsonl; redo dedup, split and manifest only")
    args = ap.parse_args()

    data_dir = args.data_dir.resolve()
    root = data_dir / "audio"
    wav_root = root / "wav"
    log(f"data dir {data_dir}")
    if args.dedup_only:
        all_rows = [json.loads(l) for l in open(root / "items_all.jsonl")]
        held = sorted(p for h in ("H1", "H3", "H4") for p in (data_dir / "eval" / h / "audio").glob("*.wav"))
    else:
        if wav_root.exists():
            shutil.rmtree(wav_root)
        for h in ("H1", "H3", "H4"):
            shutil.rmtree(data_dir / "eval" / h / "audio", ignore_errors=True)
            (data_dir / "eval" / h).mkdir(parents=True, exist_ok=True)
        if not args.no_install:
            ensure_packages(not args.no_wesnoth)
        held = build_held_out(data_dir, args.jobs)
        items = Items(root)
        build_fluid(items, wav_root, args.jobs)
        build_opensfx(items, wav_root)
        if not args.no_wesnoth:
            build_wesnoth(items, wav_root)
        build_small_packages(items, wav_root, data_dir)
        build_speech(items, wav_root, args.jobs, args.seed)
        all_rows = items.rows
        with open(root / "items_all.jsonl", "w") as f:
            for r in all_rows:
                f.write(json.dumps(r) + "\n")

    rows, report = dedup(all_rows, root, held, args.dedup_threshold)
    log(f"dedup: kept {len(rows)} of {len(all_rows)}; dropped {len(report['dropped'])}")
    # the validation groups are drawn from every group BEFORE dedup, so whatever dedup removes never reshuffles
    # the split (with the groups left after dedup, removing the 231 exact copies reshuffled 507 of 592 val items)
    groups = sorted({r["group"] for r in all_rows})
    rng = random.Random(args.seed)
    val = set(rng.sample(groups, int(len(groups) * args.val_fraction)))
    for i, r in enumerate(rows):
        r["id"] = i
        r["split"] = "val" if r["group"] in val else "train"
    with open(root / "manifest.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    (root / "dedup.json").write_text(json.dumps(report, indent=1) + "\n")
    by_src: dict[str, list[int]] = {}
    for r in rows:
        c = by_src.setdefault(f"{r['source']} ({r['licence']})", [0, 0, 0])
        c[0] += 1
        c[1 if r["split"] == "train" else 2] += 1
    for k, (n, tr, va) in sorted(by_src.items()):
        log(f"  {k}: {n} items ({tr} train / {va} val)")
    log(f"manifest: {len(rows)} items, {len({r['label'] for r in rows})} labels -> {root / 'manifest.jsonl'}")


if __name__ == "__main__":
    main()
