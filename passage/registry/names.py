"""Names across scripts: a suggested Latin spelling, and the keys that search uses.

Three forms of a name:

* :func:`suggest_latin` — a readable Latin spelling of a Cyrillic (Russian, Kyrgyz,
  Tajik, Uzbek, Kazakh) or Arabic-script (Dari, Pashto, Uyghur) name, offered to the
  user, who accepts or edits it. Known names in Arabic script come from the name
  lists in ``data/``, the rest letter by letter.
* :func:`fold` — a lower-case ASCII form where common spelling variants coincide
  (kh/h/x, zh/dzh/j, yu/iu/u, ya/ia, double letters...). Used to rank candidates.
* :func:`skeleton` — the consonants of :func:`fold`, minus the weak ones. Arabic
  script rarely writes short vowels, so only the consonants can meet across
  scripts. One key per name token is stored in an indexed table (``NameKey``).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from pathlib import Path

from anyascii import anyascii

DATA = Path(__file__).resolve().parent / "data"

CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Kyrgyz
    "ң": "ng",
    "ө": "o",
    "ү": "u",
    # Tajik
    "ғ": "gh",
    "ӣ": "i",
    "қ": "q",
    "ӯ": "u",
    "ҳ": "h",
    "ҷ": "j",
    # Uzbek
    "ў": "o",
    # Kazakh
    "ә": "a",
    "і": "i",
    "ұ": "u",
    "һ": "h",
}

# Arabic script as Dari, Pashto and Uyghur names are usually spelt in Latin.
ARABIC = {
    "ا": "a",
    "آ": "a",
    "أ": "a",
    "إ": "i",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ٹ": "t",
    "ټ": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "h",
    "خ": "kh",
    "ځ": "dz",
    "څ": "ts",
    "د": "d",
    "ډ": "d",
    "ذ": "z",
    "ر": "r",
    "ړ": "r",
    "ز": "z",
    "ژ": "zh",
    "ږ": "zh",
    "س": "s",
    "ش": "sh",
    "ښ": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ک": "k",
    "ك": "k",
    "گ": "g",
    "ګ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ڼ": "n",
    "ه": "h",
    "ھ": "h",
    "ة": "a",
    "و": "w",
    "ی": "y",
    "ي": "y",
    "ې": "e",
    "ۍ": "ai",
    "ى": "i",
    "ئ": "",
    "ء": "",
    "ؤ": "w",
    # Uyghur vowels and letters
    "ە": "e",
    "ۆ": "o",
    "ۇ": "u",
    "ۈ": "u",
    "ۋ": "w",
    "ڭ": "ng",
}

_ARABIC_RANGE = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC_RANGE = re.compile(r"[\u0400-\u04ff]")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’`ʻʼ][^\W\d_]+)*")

# Order matters: longer patterns first.
_FOLD_RULES = [
    (re.compile(r"dzh|dj|zh|j"), "j"),
    (re.compile(r"kh|x"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"q"), "k"),
    (re.compile(r"shch|sch"), "s"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"tch|ch|c(?=[^h])|ts|tz"), "c"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"ng$"), "n"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"ou|oo"), "u"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_VOWELS = re.compile(r"[aeiouv]")


def _strip_marks(text: str) -> str:
    """Drop combining marks (Arabic short-vowel signs, Latin accents)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def arabic_name_table() -> dict[str, str]:
    """Known Arabic-script names with their usual Latin spelling, from ``data/``."""
    table: dict[str, str] = {}
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for group in ("given_male", "given_female", "surnames"):
            for entry in data.get(group, []):
                native, latin = entry[0], entry[1]
                if _ARABIC_RANGE.search(native):
                    table.setdefault(native, latin)
    return table


def _arabic_word(word: str) -> str:
    known = arabic_name_table().get(word)
    if known:
        return known
    out: list[str] = []
    for i, ch in enumerate(word):
        latin = ARABIC.get(ch, anyascii(ch))
        if ch == "و" and i > 0:
            latin = "u"
        elif ch in "یي" and i > 0:
            latin = "i"
        elif ch == "ه" and i == len(word) - 1 and i > 0:
            latin = "a"
        out.append(latin)
    return "".join(out).capitalize()


def _cyrillic_word(word: str) -> str:
    out: list[str] = []
    for ch in word:
        lower = ch.lower()
        latin = CYRILLIC.get(lower, anyascii(ch))
        out.append(latin.capitalize() if ch != lower and out == [] else latin)
    text = "".join(out)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def suggest_latin(text: str) -> str:
    """A Latin spelling to offer for a name written in Cyrillic or Arabic script."""
    text = _strip_marks(text.strip()) if _ARABIC_RANGE.search(text) else text.strip()

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if _ARABIC_RANGE.search(w):
            return _arabic_word(w)
        if _CYRILLIC_RANGE.search(w):
            return _cyrillic_word(w)
        return anyascii(w)

    return re.sub(r"\S+", word, text)


@functools.lru_cache(maxsize=100_000)
def to_ascii(text: str) -> str:
    """Lower-case ASCII letters of a name in any script, word breaks kept."""
    if _ARABIC_RANGE.search(text):
        text = "".join(ARABIC.get(ch, ch) for ch in _strip_marks(text))
    if _CYRILLIC_RANGE.search(text):
        text = "".join(CYRILLIC.get(ch, ch) for ch in text.lower())
    # Uzbek Latin: o' and g' are single letters.
    text = re.sub(r"([oOgG])['’`ʻʼ]", r"\1", anyascii(text))
    return re.sub(r"[^a-z ]+", "", re.sub(r"[-\s]+", " ", text.lower())).strip()


@functools.lru_cache(maxsize=100_000)
def fold_token(token: str) -> str:
    for pattern, repl in _FOLD_RULES:
        token = pattern.sub(repl, token)
    return token


@functools.lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return " ".join(fold_token(t) for t in to_ascii(word).split())


@functools.lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower-case ASCII with common spelling variants folded together."""
    return " ".join(f for f in (_fold_word(w) for w in text.split()) if f)


@functools.lru_cache(maxsize=100_000)
def skeleton_token(folded: str) -> str:
    """The consonant key of one folded token; final h (Abdullah, Fatemeh) is dropped."""
    key = _VOWELS.sub("", folded)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key[:-1] if len(key) > 1 and key.endswith("h") else key


def tokens(text: str) -> list[str]:
    return [t for t in fold(text).split() if t]


def name_keys(text: str) -> frozenset[tuple[str, bool]]:
    """The search keys of a name: one per token, and one per two adjacent tokens joined.

    The joined keys let "Muhammad Ali" and "Muhammadali" meet.
    """
    toks = tokens(text)
    keys: set[tuple[str, bool]] = set()
    for token in toks:
        key = skeleton_token(token)
        if key:
            keys.add((key[:60], False))
    for first, second in itertools.pairwise(toks):
        key = skeleton_token(first + second)
        if key:
            keys.add((key[:60], True))
    return frozenset(keys)


def query_keys(text: str) -> tuple[list[str], list[str]]:
    """Keys of a search text: the single-token keys, and the joined ones."""
    toks = tokens(text)
    singles = [k for k in dict.fromkeys(skeleton_token(t) for t in toks) if k]
    joined = [
        k for k in dict.fromkeys(skeleton_token(a + b) for a, b in itertools.pairwise(toks)) if k
    ]
    return singles, joined


PAIR = "|"


def units(text: str) -> list[str]:
    """Keys of each token of ``text`` and of all its tokens joined."""
    toks = tokens(text)
    found = [skeleton_token(t) for t in toks]
    if len(toks) > 1:
        found.append(skeleton_token("".join(toks)))
    return [u for u in dict.fromkeys(found) if u]


@functools.lru_cache(maxsize=100_000)
def pair_keys(given: str, surname: str) -> frozenset[str]:
    """Keys for a given name and a surname together, in both orders: ``"mhmdl|jmbk"``.

    A two-word query meets these with one exact index lookup, however common
    each name is on its own.
    """
    first, last = units(given), units(surname)
    keys = {f"{a}{PAIR}{b}"[:60] for a in first for b in last}
    keys |= {f"{b}{PAIR}{a}"[:60] for a in first for b in last}
    return frozenset(keys)


def query_pair_keys(text: str) -> list[str]:
    """The pair keys a query may meet: every split into two parts, and every two words."""
    toks = tokens(text)
    keys = []
    for cut in range(1, len(toks)):
        keys.append((skeleton_token("".join(toks[:cut])), skeleton_token("".join(toks[cut:]))))
    for i, first in enumerate(toks):
        for second in toks[i + 1 :]:
            keys.append((skeleton_token(first), skeleton_token(second)))
    return list(dict.fromkeys(f"{a}{PAIR}{b}"[:60] for a, b in keys if a and b))
