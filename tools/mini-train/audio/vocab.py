"""Fixed vocabularies for the bindspace-mini audio tower: GM program and percussion names, short
names used in captions, GS sound-effect variations, held-out label lists and caption templates.

Everything here is data, written once before training; nothing is derived from results.
"""
from __future__ import annotations

import unicodedata

# The 128 General MIDI program names (GM 1 standard order, program 0 = index 0), lower case.
GM_PROGRAMS = [
    "acoustic grand piano", "bright acoustic piano", "electric grand piano", "honky-tonk piano",
    "electric piano 1", "electric piano 2", "harpsichord", "clavinet",
    "celesta", "glockenspiel", "music box", "vibraphone", "marimba", "xylophone", "tubular bells", "dulcimer",
    "drawbar organ", "percussive organ", "rock organ", "church organ", "reed organ", "accordion", "harmonica",
    "tango accordion",
    "acoustic guitar (nylon)", "acoustic guitar (steel)", "electric guitar (jazz)", "electric guitar (clean)",
    "electric guitar (muted)", "overdriven guitar", "distortion guitar", "guitar harmonics",
    "acoustic bass", "electric bass (finger)", "electric bass (pick)", "fretless bass", "slap bass 1",
    "slap bass 2", "synth bass 1", "synth bass 2",
    "violin", "viola", "cello", "contrabass", "tremolo strings", "pizzicato strings", "orchestral harp",
    "timpani",
    "string ensemble 1", "string ensemble 2", "synth strings 1", "synth strings 2", "choir aahs", "voice oohs",
    "synth voice", "orchestra hit",
    "trumpet", "trombone", "tuba", "muted trumpet", "french horn", "brass section", "synth brass 1",
    "synth brass 2",
    "soprano sax", "alto sax", "tenor sax", "baritone sax", "oboe", "english horn", "bassoon", "clarinet",
    "piccolo", "flute", "recorder", "pan flute", "blown bottle", "shakuhachi", "whistle", "ocarina",
    "lead 1 (square)", "lead 2 (sawtooth)", "lead 3 (calliope)", "lead 4 (chiff)", "lead 5 (charang)",
    "lead 6 (voice)", "lead 7 (fifths)", "lead 8 (bass + lead)",
    "pad 1 (new age)", "pad 2 (warm)", "pad 3 (polysynth)", "pad 4 (choir)", "pad 5 (bowed)", "pad 6 (metallic)",
    "pad 7 (halo)", "pad 8 (sweep)",
    "fx 1 (rain)", "fx 2 (soundtrack)", "fx 3 (crystal)", "fx 4 (atmosphere)", "fx 5 (brightness)",
    "fx 6 (goblins)", "fx 7 (echoes)", "fx 8 (sci-fi)",
    "sitar", "banjo", "shamisen", "koto", "kalimba", "bagpipe", "fiddle", "shanai",
    "tinkle bell", "agogo", "steel drums", "woodblock", "taiko drum", "melodic tom", "synth drum",
    "reverse cymbal",
    "guitar fret noise", "breath noise", "seashore", "bird tweet", "telephone ring", "helicopter", "applause",
    "gunshot",
]
assert len(GM_PROGRAMS) == 128

# Everyday names for the GM programs (extra captions, and the "concept" used to ignore near-synonyms).
GM_SHORT = {
    0: ["piano", "grand piano"], 1: ["piano"], 2: ["piano", "electric piano"], 3: ["piano", "honky-tonk piano"],
    4: ["electric piano"], 5: ["electric piano"], 6: ["harpsichord"], 7: ["clavinet", "keyboard"],
    8: ["celesta"], 9: ["glockenspiel"], 10: ["music box"], 11: ["vibraphone"], 12: ["marimba"], 13: ["xylophone"],
    14: ["bells", "tubular bells"], 15: ["dulcimer"],
    16: ["organ"], 17: ["organ"], 18: ["organ", "rock organ"], 19: ["organ", "church organ"], 20: ["organ"],
    21: ["accordion"], 22: ["harmonica"], 23: ["accordion"],
    24: ["guitar", "acoustic guitar", "classical guitar"], 25: ["guitar", "acoustic guitar"],
    26: ["electric guitar", "jazz guitar"], 27: ["electric guitar"], 28: ["electric guitar"],
    29: ["electric guitar", "overdriven guitar"], 30: ["electric guitar", "distorted guitar"], 31: ["guitar"],
    32: ["bass", "double bass"], 33: ["bass guitar", "electric bass"], 34: ["bass guitar", "electric bass"],
    35: ["bass guitar", "fretless bass"], 36: ["bass guitar", "slap bass"], 37: ["bass guitar", "slap bass"],
    38: ["synth bass", "synthesizer"], 39: ["synth bass", "synthesizer"],
    40: ["violin"], 41: ["viola"], 42: ["cello"], 43: ["double bass", "contrabass"], 44: ["strings"],
    45: ["strings", "pizzicato"], 46: ["harp"], 47: ["timpani", "kettle drum"],
    48: ["strings", "string orchestra"], 49: ["strings", "string orchestra"], 50: ["strings", "synthesizer"],
    51: ["strings", "synthesizer"], 52: ["choir"], 53: ["choir", "voices"], 54: ["synth voice", "synthesizer"],
    55: ["orchestra"],
    56: ["trumpet"], 57: ["trombone"], 58: ["tuba"], 59: ["trumpet", "muted trumpet"], 60: ["horn", "french horn"],
    61: ["brass", "brass section"], 62: ["brass", "synthesizer"], 63: ["brass", "synthesizer"],
    64: ["saxophone", "soprano saxophone"], 65: ["saxophone", "alto saxophone"],
    66: ["saxophone", "tenor saxophone"], 67: ["saxophone", "baritone saxophone"], 68: ["oboe"],
    69: ["english horn", "cor anglais"], 70: ["bassoon"], 71: ["clarinet"],
    72: ["piccolo", "flute"], 73: ["flute"], 74: ["recorder", "flute"], 75: ["pan flute", "pan pipes"],
    76: ["blown bottle", "bottle"], 77: ["shakuhachi", "bamboo flute"], 78: ["whistle", "whistling"],
    79: ["ocarina"],
    80: ["synthesizer", "square wave"], 81: ["synthesizer", "sawtooth wave"], 82: ["synthesizer", "calliope"],
    83: ["synthesizer"], 84: ["synthesizer"], 85: ["synthesizer", "synth voice"], 86: ["synthesizer"],
    87: ["synthesizer"],
    88: ["synth pad", "synthesizer"], 89: ["synth pad", "synthesizer"], 90: ["synth pad", "synthesizer"],
    91: ["synth pad", "choir"], 92: ["synth pad", "synthesizer"], 93: ["synth pad", "synthesizer"],
    94: ["synth pad", "synthesizer"], 95: ["synth pad", "synthesizer"],
    96: ["synthesizer", "sound effect"], 97: ["synthesizer", "soundtrack"], 98: ["synthesizer", "crystal"],
    99: ["synthesizer", "atmosphere"], 100: ["synthesizer"], 101: ["synthesizer", "goblins"],
    102: ["synthesizer", "echoes"], 103: ["synthesizer", "sci-fi sound"],
    104: ["sitar"], 105: ["banjo"], 106: ["shamisen"], 107: ["koto"], 108: ["kalimba", "thumb piano"],
    109: ["bagpipe", "bagpipes"], 110: ["fiddle", "violin"], 111: ["shehnai", "oboe"],
    112: ["bell", "small bell"], 113: ["agogo", "cowbell"], 114: ["steel drum", "steel pan"],
    115: ["woodblock", "wood block"], 116: ["taiko drum", "drum"], 117: ["tom-tom", "drum"],
    118: ["electronic drum", "drum"], 119: ["cymbal", "reverse cymbal"],
    120: ["guitar string noise"], 121: ["breathing", "breath"], 122: ["sea", "ocean waves"],
    123: ["bird", "bird singing"], 124: ["telephone", "phone ringing"], 125: ["helicopter"],
    126: ["applause", "clapping"], 127: ["gunshot", "gun"],
}
GM_SOUND_EFFECTS = set(range(120, 128))

# FluidR3_GM bank-8 (and 9, 16) variations worth rendering: (bank, program, names).
GM_VARIATIONS = [
    (8, 4, ["electric piano", "detuned electric piano"]), (8, 6, ["harpsichord"]), (8, 14, ["church bell", "bell"]),
    (8, 16, ["organ"]), (8, 19, ["church organ", "organ"]), (8, 21, ["accordion", "italian accordion"]),
    (8, 24, ["ukulele"]), (8, 25, ["12 string guitar", "guitar"]), (8, 26, ["hawaiian guitar", "guitar"]),
    (8, 28, ["funk guitar", "electric guitar"]), (8, 40, ["violin"]), (8, 48, ["orchestra"]),
    (8, 61, ["brass"]), (8, 80, ["sine wave", "tone"]), (8, 107, ["koto"]), (8, 115, ["castanets"]),
    (8, 116, ["bass drum", "concert bass drum"]), (8, 117, ["tom-tom", "drum"]), (8, 118, ["808 tom", "drum"]),
    (9, 125, ["noise", "white noise"]), (16, 25, ["mandolin"]),
]

# FluidR3_GS sound-effect variations: (bank, program, names).
GS_EFFECTS = [
    (1, 122, ["rain"]), (1, 123, ["dog", "dog barking"]), (1, 124, ["telephone", "phone ringing"]),
    (1, 125, ["car engine", "car"]), (1, 126, ["laughter", "people laughing"]),
    (1, 127, ["machine gun", "gunfire"]), (2, 122, ["thunder", "thunderstorm"]),
    (2, 123, ["horse gallop", "horse"]), (2, 124, ["creaking door", "door"]), (2, 125, ["car braking", "car"]),
    (2, 126, ["scream", "someone screaming"]), (2, 127, ["laser gun", "laser"]), (3, 122, ["wind"]),
    (3, 123, ["bird", "bird singing"]), (3, 124, ["door slam", "door"]), (3, 125, ["car passing by", "car"]),
    (3, 126, ["punch"]), (3, 127, ["explosion"]), (4, 122, ["stream", "river"]), (4, 124, ["scratch"]),
    (4, 125, ["car crash", "crash"]), (4, 126, ["heart beat", "heartbeat"]), (5, 122, ["bubbles", "bubble"]),
    (5, 124, ["wind chimes"]), (5, 125, ["siren"]), (5, 126, ["footsteps"]), (6, 125, ["train"]),
    (7, 125, ["jet plane", "airplane"]), (8, 125, ["starship", "spaceship"]),
    (1, 120, ["guitar string noise"]), (1, 121, ["flute key click", "click"]), (2, 120, ["string slap", "bass"]),
]

# GM percussion key map, notes 35..81.
GM_PERCUSSION = {
    35: ["acoustic bass drum", "bass drum"], 36: ["bass drum", "kick drum"], 37: ["side stick", "rimshot"],
    38: ["acoustic snare", "snare drum"], 39: ["hand clap", "clapping"], 40: ["electric snare", "snare drum"],
    41: ["low floor tom", "tom-tom"], 42: ["closed hi-hat", "hi-hat"], 43: ["high floor tom", "tom-tom"],
    44: ["pedal hi-hat", "hi-hat"], 45: ["low tom", "tom-tom"], 46: ["open hi-hat", "hi-hat"],
    47: ["low-mid tom", "tom-tom"], 48: ["hi-mid tom", "tom-tom"], 49: ["crash cymbal", "cymbal"],
    50: ["high tom", "tom-tom"], 51: ["ride cymbal", "cymbal"], 52: ["chinese cymbal", "cymbal"],
    53: ["ride bell", "cymbal"], 54: ["tambourine"], 55: ["splash cymbal", "cymbal"], 56: ["cowbell"],
    57: ["crash cymbal", "cymbal"], 58: ["vibraslap"], 59: ["ride cymbal", "cymbal"], 60: ["high bongo", "bongo"],
    61: ["low bongo", "bongo"], 62: ["mute high conga", "conga"], 63: ["open high conga", "conga"],
    64: ["low conga", "conga"], 65: ["high timbale", "timbales"], 66: ["low timbale", "timbales"],
    67: ["high agogo", "agogo"], 68: ["low agogo", "agogo"], 69: ["cabasa", "shaker"], 70: ["maracas", "shaker"],
    71: ["short whistle", "whistle"], 72: ["long whistle", "whistle"], 73: ["short guiro", "guiro"],
    74: ["long guiro", "guiro"], 75: ["claves"], 76: ["high wood block", "wood block"],
    77: ["low wood block", "wood block"], 78: ["mute cuica", "cuica"], 79: ["open cuica", "cuica"],
    80: ["mute triangle", "triangle"], 81: ["open triangle", "triangle"],
}
GM_DRUM_KITS = {0: "standard", 8: "room", 16: "power", 24: "electronic", 25: "tr-808", 32: "jazz",
                40: "brush", 48: "orchestra"}

# H1: exactly this order (shared with the image helper so the coordinator can join the two sides).
H1_ANIMAL_FILES = ["cat", "chickens", "cow", "dog", "duck", "horse", "owl", "pig", "sheep"]
H1_INSTRUMENT_FILES = [
    "accordion", "banjo", "bongo", "castanets", "cello", "clarinet", "cymbal", "drum_kit", "electric_guitar",
    "flute_traversiere", "guitar", "harmonica", "harp", "horn", "maracas", "organ", "piano", "saxophone",
    "snare_drum", "tambourine", "timpani", "triangle", "trombone", "trumpet", "tuba", "violin",
]


def h1_label(stem: str) -> str:
    """GCompris file stem -> H1 label: '_' -> ' ', flute_traversiere -> flute, chickens -> chicken."""
    return {"flute_traversiere": "flute", "chickens": "chicken"}.get(stem, stem.replace("_", " "))


H1_LABELS = [h1_label(s) for s in sorted(H1_ANIMAL_FILES)] + [h1_label(s) for s in sorted(H1_INSTRUMENT_FILES)]

# H4: KTuberling sound names -> labels. Theme prefixes (egypt_, moon_, pizzeria_, tv_) are stripped;
# these names are also respelled / split into words.
KTUBERLING_RESPELL = {
    "egypt_palmtree": "palm tree", "egypt_sphynx": "sphinx", "moon_fallingstar": "falling star",
    "pizzeria_broccolli": "broccoli",
}
KTUBERLING_PREFIXES = ("egypt_", "moon_", "pizzeria_", "tv_")


def ktuberling_label(stem: str) -> str:
    if stem in KTUBERLING_RESPELL:
        return KTUBERLING_RESPELL[stem]
    for p in KTUBERLING_PREFIXES:
        if stem.startswith(p):
            stem = stem[len(p):]
            break
    return stem.replace("_", " ")


# The fixed eval templates of EVAL_FORMAT.md (audio), copied verbatim.
EVAL_TEMPLATES = {
    "image": ["a {}", "a photo of a {}", "a drawing of a {}"],
    "audio": ["the sound of a {}", "a {}"],
    "video": ["a video of a {}", "a {}"],
}


def article(x: str) -> str:
    return "an" if x[:1] in "aeiou" else "a"


def sound_captions(names: list[str], playing: bool = False) -> list[str]:
    """Captions for a non-speech sound. The first name is the primary label."""
    out = []
    for i, n in enumerate(names):
        out += [f"the sound of a {n}", f"a {n}", n]
        if article(n) == "an":
            out.append(f"an {n}")
        if playing:
            out += [f"a {n} playing", f"the sound of a {n} playing"]
    return list(dict.fromkeys(out))


def speech_captions(word: str) -> list[str]:
    caps = [f"someone saying {word}", f"the word {word}", f"a voice saying {word}", f"the spoken word {word}",
            f"a {word}", word]
    if article(word) == "an":
        caps.append(f"an {word}")
    return caps


# Everyday words spoken by espeak-ng (on top of every instrument/animal/object label used elsewhere).
COMMON_WORDS = """
dog cat cow horse pig sheep goat chicken duck owl bird lion tiger bear wolf fox rabbit mouse frog snake
elephant monkey donkey camel giraffe zebra whale dolphin fish shark bee fly spider butterfly turtle penguin
apple banana orange lemon grape strawberry cherry pear peach pineapple tomato potato carrot onion mushroom
bread cheese egg milk water coffee tea cake pizza sandwich soup rice cookie candy ice cream chocolate
car bus train truck bicycle motorcycle airplane helicopter boat ship rocket tractor taxi ambulance
house door window table chair bed lamp clock phone telephone computer keyboard television radio camera
book pencil pen paper scissors hammer key lock bell ball kite umbrella hat shoe shirt coat glove sock
sun moon star cloud rain snow wind fire tree flower leaf grass mountain river sea beach island forest
piano guitar violin drum trumpet flute harp organ saxophone cello clarinet trombone tuba banjo accordion
harmonica xylophone triangle tambourine maracas cymbal bongo castanets timpani horn
red blue green yellow black white one two three four five six seven eight nine ten
hello goodbye yes no please thank you music song noise silence voice
""".split()


def emoji_words() -> list[str]:
    """Names of concrete emoji (animals, plants, food, objects, places, transport) from Python's own Unicode
    database (unicodedata), lower case, at most three words, without faces/signs/symbols."""
    ranges = [(0x1F330, 0x1F37F), (0x1F380, 0x1F3FF), (0x1F400, 0x1F4FF), (0x1F680, 0x1F6FF),
              (0x1F950, 0x1F9FF), (0x1FA70, 0x1FAFF), (0x2600, 0x26FF)]
    bad = ("face", "sign", "symbol", "with", "hand", "button", "mark", "latin", "squared", "circled",
           "emoji", "modifier", "variation", "heavy", "black", "white", "large", "small", "combining", "ideograph",
           "negative", "regional", "keycap", "medium", "person", "man", "woman", "smiling", "tag", "script")
    out = []
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            try:
                name = unicodedata.name(chr(cp)).lower()
            except ValueError:
                continue
            words = name.split()
            if len(words) > 3 or any(b in words or b == name for b in bad) or any(ch.isdigit() for ch in name):
                continue
            if "-" in name and not name.replace("-", "").replace(" ", "").isalpha():
                continue
            out.append(name)
    return list(dict.fromkeys(out))
