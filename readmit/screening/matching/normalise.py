"""Name normalisation: one fold for every script, and a phonetic-ish skeleton key.

Two levels, because they answer different questions:

* :func:`fold` maps any spelling of the *same letters* onto one ASCII form. Serbian and
  Montenegrin Cyrillic and Latin are two alphabets for one orthography, so ``Ђукановић`` and
  ``Đukanović`` must fold identically (``djukanovic``). Common ASCII folders (unidecode) give
  ``Dukanovic`` for the Latin one and ``Djukanovic`` for the Cyrillic one; we do not.
* :func:`skeleton` maps different *orthographies of the same sounds* onto one key: Albanian
  ``xh``, Serbian ``dž`` and English ``dzh`` / ``j``; French ``eau`` and Haitian Creole ``o``;
  Spanish ``v`` / ``b``. It is lossy on purpose and is only ever one piece of evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters that NFKD cannot reduce to ASCII, or that it reduces wrongly for our purpose.
# Serbian/Montenegrin Cyrillic follows the official Latin alphabet (Vuk's correspondence);
# the rest of Cyrillic gets a simple, consistent Latin letter so that it at least folds.
_CHAR_FOLD: dict[str, str] = {
    # Serbian / Montenegrin / Macedonian Cyrillic
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s", "ѓ": "gj", "ќ": "kj",
    "ѕ": "dz",
    # Other Cyrillic (Russian, Ukrainian, Bulgarian, Belarusian)
    "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "ё": "e", "ъ": "", "ь": "",
    "щ": "sc", "є": "je", "і": "i", "ї": "ji", "ґ": "g", "ў": "u",
    # Latin letters without a decomposition
    "đ": "dj", "ǆ": "dz", "ǅ": "dz", "ǉ": "lj", "ǈ": "lj", "ǌ": "nj", "ǋ": "nj",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "ı": "i", "þ": "th", "ð": "d",
    "ħ": "h",
}  # fmt: skip

_TOKEN_SPLIT = re.compile(r"[^\w'’ʼ]+|_")
_APOSTROPHES = re.compile(r"['’ʼ`´]")

# Particles that are not part of the identifying name: "María de la Cruz" and
# "Maria Cruz" are the same name; "García y Márquez" is "García Márquez".
PARTICLES: frozenset[str] = frozenset(
    {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "du",
     "van", "von", "der", "den", "le", "st", "ben", "bin", "al", "el"}
)  # fmt: skip


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII form of ``text`` with one rule per letter, whatever the script.

    Letters are mapped *before* decomposition so that precomposed Cyrillic letters such as
    ``й`` keep their identity (NFD would turn it into ``и`` plus a breve). Combining marks
    left over afterwards (``č``, ``ë``, ``ç``, ``è``, Montenegrin ``с́``) are dropped.
    """
    lowered = unicodedata.normalize("NFC", text).casefold()
    mapped = "".join(_CHAR_FOLD.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", mapped)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", kept)


# Ordered rewrite rules from folded ASCII to the skeleton alphabet. Upper-case letters are
# skeleton classes that later rules must not touch again.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # First, so that their j is not read as /dʒ/. Palatal sonorants: Serbian lj/nj,
        # Albanian nj, Spanish ñ (folded n), French gn.
        (r"lj|ly", "L"),
        (r"nj|ny|gn", "N"),
        # French vowels as Haitian Creole writes them: eau/au -> o, eu/ai/ei -> e,
        # ou stays /u/ (kept as U), oi -> wa.
        (r"eau|au", "o"),
        (r"ea", "a"),
        (r"eu|ai|ei", "e"),
        (r"ou", "U"),
        (r"oi", "Ua"),
        # /tʃ/ /tɕ/: Serbian č and ć fold to c; Albanian ç folds to c and q is ć;
        # French chr is /kr/ (Christophe/Kristòf).
        (r"chr", "Kr"),
        (r"t?sch|tch|ch", "C"),
        (r"qu", "K"),
        (r"q", "C"),
        (r"ck|c(?=[aoukKrlt]|$)|k", "K"),
        (r"c(?=[eiy])", "S"),
        (r"c", "C"),
        # French ill is /j/ (Guillaume/Giyom); French u is Creole i (Lucien/Lisyen);
        # Albanian y is Serbian i. Done before soft g, so that Guerline and Gèlin agree.
        (r"ill(?=[aeiou])", "iy"),
        (r"gu(?=[ei])", "g"),
        (r"[uy]", "i"),
        # affricate /dʒ/ and /dʑ/: Albanian xh, gj; Serbian dž (folded dz), đ (folded dj);
        # English dzh/j; French and Spanish soft g.
        (r"dzh|dzs|xh|dz|dj|gj|j|g(?=[ei])", "J"),
        # fricatives: sh/zh are Albanian and English spellings of Serbian š/ž (folded s/z).
        (r"sh|zh|s|z", "S"),
        (r"x", "KS"),
        (r"ph|f", "F"),
        (r"th", "T"),
        (r"dh", "D"),
        (r"kh|gh", "H"),
        # Creole w for French r before a rounded vowel (Rose/Wòz) and for ou (Louis/Lwi).
        (r"r(?=[oU])|w", "U"),
        (r"v", "B"),
        (r"h", ""),
        (r"ie", "i"),
        (r"pt", "T"),
    )
)
_DOUBLE = re.compile(r"(.)\1+")
# Creole drops r after a vowel (Marc/Mak, Guerline/Gèlin, Pierre/Pyè).
_POSTVOCALIC_R = re.compile(r"(?<=[aeiou])r(?=[^aeiou])")
# French final letters that are not pronounced (and that Creole therefore never writes).
_SILENT_FINAL = re.compile(r"(?<=..)[estxd]$")
_FINAL_R = re.compile(r"(?<=.[aeiou])r$")
# French nasal in/ain (Augustin/Ogisten, Toussaint/Tousen).
_NASAL_IN = re.compile(r"in(?=[^aeiou]|$)")


# Letters whose sound the plain fold loses: č/ć are /tʃ/ like "ch" (Ćirić/Chirich), not
# the /ts/ or /s/ of a plain c; đ and dž are /dʒ/. Albanian ç is /tʃ/ too (Çaushi), but
# French ç is /s/; in names it nearly always follows a nasal n (François/Franswa).
# Upper case marks a sound class.
_PHONETIC_LETTERS: dict[str, str] = {
    "č": "C", "ć": "C", "ч": "C", "ћ": "C", "đ": "J", "ђ": "J", "џ": "J", "ѓ": "J",
    "ž": "S", "ж": "S", "š": "S", "ш": "S",
}  # fmt: skip
_DZ_CARON = re.compile(r"d[žż]")
_FRENCH_C_CEDILLA = re.compile(r"(?<=n)ç(?=[aou])")
_NON_LETTER = re.compile(r"[^a-zA-Z]")


def phonetic_fold(text: str) -> str:
    """Like :func:`fold`, but keeping the sound classes of č ć đ dž š ž as capitals."""
    lowered = unicodedata.normalize("NFC", text).casefold()
    lowered = _FRENCH_C_CEDILLA.sub("s", _DZ_CARON.sub("J", lowered)).replace("ç", "C")
    marked = "".join(_PHONETIC_LETTERS.get(ch, ch) for ch in lowered)
    return _NON_LETTER.sub("", _keep_case_fold(marked))


def _keep_case_fold(text: str) -> str:
    mapped = "".join(_CHAR_FOLD.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", mapped)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """Phonetic-ish key of one name part; equal keys mean "plausibly the same sound".

    Designed so that Xhevat (Albanian), Dževat (Serbian Latin), Џевад/Dževad (Cyrillic)
    and Dzhevat (English) agree, and so that French and Haitian Creole respellings
    (Jean/Jan, Baptiste/Batis, Pierre/Pyè) agree. It is not a general phonetic algorithm.
    """
    key = phonetic_fold(text)
    for pattern, replacement in _SKELETON_RULES:
        key = pattern.sub(replacement, key)
    key = _DOUBLE.sub(r"\1", key.lower())
    key = _POSTVOCALIC_R.sub("", key)
    for _ in range(4):  # "baptiste" -> "bati", like "Batis"
        shorter = _FINAL_R.sub("", _SILENT_FINAL.sub("", key))
        if shorter == key:
            break
        key = shorter
    key = _NASAL_IN.sub("en", key)
    return key or fold(text)


@dataclass(frozen=True, slots=True)
class Token:
    """One name part: as written (for explanations), folded, and its skeleton key."""

    raw: str
    folded: str
    skeleton: str
    is_initial: bool = False
    """A single letter ("J." or "Đ." in "J. Petrović") only says what the name starts with."""


@lru_cache(maxsize=400_000)
def make_token(raw: str) -> Token | None:
    """Token for one raw name part, or ``None`` if nothing identifying is left."""
    folded = re.sub(r"[^a-z0-9]", "", fold(raw))
    if not folded:
        return None
    letters = sum(1 for ch in raw if ch.isalpha())
    return Token(raw=raw, folded=folded, skeleton=skeleton(raw), is_initial=letters == 1)


def split_raw(name: str) -> list[str]:
    """Raw name parts: hyphens, dots, commas and spaces separate; apostrophes join."""
    return [part for part in _TOKEN_SPLIT.split(name) if part and not _APOSTROPHES.fullmatch(part)]


@lru_cache(maxsize=400_000)
def normalise(name: str) -> tuple[Token, ...]:
    """The identifying tokens of ``name`` in written order, particles removed.

    Order is kept for display only: matching never depends on it ("PETROVIĆ Jovan").
    A name made only of particles keeps them rather than becoming empty.
    """
    tokens = [tok for raw in split_raw(name) if (tok := make_token(raw)) is not None]
    kept = [tok for tok in tokens if tok.folded not in PARTICLES]
    return tuple(kept or tokens)


def folded_name(name: str) -> str:
    """Space-joined folded tokens: a stable, script-independent form for display and keys."""
    return " ".join(tok.folded for tok in normalise(name))
