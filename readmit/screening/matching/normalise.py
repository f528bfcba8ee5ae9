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

from anyascii import anyascii

from readmit.screening.matching import scripts

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

_CHAR_FOLD_TABLE = str.maketrans(_CHAR_FOLD)


class _DropCombining(dict[int, int | None]):
    """``str.translate`` table dropping combining marks, filled in as letters are seen."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_DROP_COMBINING = _DropCombining()

_TOKEN_SPLIT = re.compile(r"[^\w'’ʼ]+|_")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_ASCII_APOSTROPHES = str.maketrans("", "", "'`")
# What split_raw drops: nothing, or one apostrophe alone (_APOSTROPHES.fullmatch).
_NOT_PARTS = frozenset(("", "'", "’", "ʼ", "`", "´"))

# Particles that are not part of the identifying name: "María de la Cruz" and
# "Maria Cruz" are the same name; "García y Márquez" is "García Márquez".
PARTICLES: frozenset[str] = frozenset(
    {"de", "del", "dela", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "du",
     "van", "von", "der", "den", "le", "st", "ben", "bin", "al", "el", "ibn", "bn"}
) | scripts.TITLES  # fmt: skip


@lru_cache(maxsize=50_000)
def _read_char(ch: str) -> str:
    if ch.isalpha() or unicodedata.combining(ch):
        script = scripts.char_script(ch)
        if script in (scripts.LATIN, scripts.CYRILLIC) or script not in scripts.READ_SCRIPTS:
            return ch  # our own tables, or a script we do not read (reported, not guessed)
        return anyascii(ch)
    return ch


def read_foreign(text: str) -> str:
    """``text`` with letters of the other scripts we read written in Latin (anyascii).

    Latin and Cyrillic letters are left to the fold's own tables; letters of scripts we
    do not read are left as they are, so they fold to nothing and the name is reported
    as not screenable (:func:`scripts.unread_scripts`).
    """
    if not scripts.needs_reading(text):
        return text
    if "\u0627\u0644" in text:  # the Arabic article al- on a part
        text = scripts.strip_article(text)
    if "\u03bf\u03c5" in text.lower():  # Greek ου is ou, not anyascii's oy
        text = (
            text.replace("\u03bf\u03c5", "ou")
            .replace("\u039f\u03a5", "OU")
            .replace("\u039f\u03c5", "Ou")
        )
    return "".join(map(_read_char, text))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII form of ``text`` with one rule per letter, whatever the script.

    Letters are mapped *before* decomposition so that precomposed Cyrillic letters such as
    ``й`` keep their identity (NFD would turn it into ``и`` plus a breve). Combining marks
    left over afterwards (``č``, ``ë``, ``ç``, ``è``, Montenegrin ``с́``) are dropped.
    """
    if text.isascii():  # NFC, NFKD and the letter table leave ASCII as it is
        return text.lower().translate(_ASCII_APOSTROPHES)
    return _fold_any(text)


def _fold_any(text: str) -> str:
    """:func:`fold` for any text, ASCII included."""
    text = read_foreign(text)
    lowered = unicodedata.normalize("NFC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_CHAR_FOLD_TABLE))
    return _APOSTROPHES.sub("", decomposed.translate(_DROP_COMBINING))


# Ordered rewrite rules from folded ASCII to the skeleton alphabet. Upper-case letters are
# skeleton classes that later rules must not touch again. The third column lists strings
# of which every match contains one (a lookahead's letter included): without any of them
# in the key, the rule cannot match and its regex is not run. Most rules match nothing.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), replacement, needs)
    for pattern, replacement, needs in (
        # French surnames from "des" + a word: the s is silent (Desrosiers/Dewozye,
        # Deslandes/Delann). Only at the start of a part and before a consonant.
        (r"^des(?=[bcdfgklmnpqrtvwz])", "de", ("des",)),
        # First, so that their j is not read as /dʒ/. Palatal sonorants: Serbian lj/nj,
        # Albanian nj, Spanish ñ (folded n), French gn.
        (r"lj|ly", "L", ("lj", "ly")),
        (r"nj|ny|gn", "N", ("nj", "ny", "gn")),
        # French vowels as Haitian Creole writes them: eau/au -> o, eu/ai/ei -> e,
        # ou stays /u/ (kept as U), oi -> wa.
        (r"eau|au", "o", ("au",)),
        (r"ea", "a", ("ea",)),
        (r"eu|ai|ei", "e", ("eu", "ai", "ei")),
        (r"ou", "U", ("ou",)),
        (r"oi", "Ua", ("oi",)),
        # /tʃ/ /tɕ/: Serbian č and ć fold to c; Albanian ç folds to c and q is ć;
        # French chr is /kr/ (Christophe/Kristòf).
        (r"chr", "Kr", ("chr",)),
        (r"t?sch|tch|ch", "C", ("ch",)),
        (r"qu", "K", ("qu",)),
        (r"q", "C", ("q",)),
        (r"ck|c(?=[aoukKrlt]|$)|k", "K", ("c", "k")),
        (r"c(?=[eiy])", "S", ("ce", "ci", "cy")),
        (r"c", "C", ("c",)),
        # French ill is /j/ (Guillaume/Giyom); French u is Creole i (Lucien/Lisyen);
        # Albanian y is Serbian i. Done before soft g, so that Guerline and Gèlin agree.
        (r"ill(?=[aeiou])", "iy", ("ill",)),
        (r"gu(?=[ei])", "g", ("gue", "gui")),
        (r"[uy]", "i", ("u", "y")),
        # affricate /dʒ/ and /dʑ/: Albanian xh, gj; Serbian dž (folded dz), đ (folded dj);
        # English dzh/j; French and Spanish soft g.
        (r"dzh|dzs|xh|dz|dj|gj|j|g(?=[ei])", "J", ("j", "dz", "xh", "ge", "gi")),
        # fricatives: sh/zh are Albanian and English spellings of Serbian š/ž (folded s/z).
        (r"sh|zh|s|z", "S", ("s", "z")),
        (r"x", "KS", ("x",)),
        (r"ph|f", "F", ("ph", "f")),
        (r"th", "T", ("th",)),
        (r"dh", "D", ("dh",)),
        (r"kh|gh", "H", ("kh", "gh")),
        # Creole w for French r before a rounded vowel (Rose/Wòz) and for ou (Louis/Lwi).
        (r"r(?=[oU])|w", "U", ("ro", "rU", "w")),
        (r"v", "B", ("v",)),
        (r"h", "", ("h",)),
        (r"ie", "i", ("ie",)),
        (r"pt", "T", ("pt",)),
    )
)
_DOUBLE = re.compile(r"(.)\1+")
# Creole drops r after a vowel (Marc/Mak, Guerline/Gèlin, Pierre/Pyè).
_POSTVOCALIC_R = re.compile(r"(?<=[aeiou])r(?=[^aeiou])")
# French final letters that are not pronounced (and that Creole therefore never writes).
_SILENT_FINAL = re.compile(r"(?<=..)[estxd]$")
_FINAL_R = re.compile(r"(?<=.[aeiou])r$")
_FINAL_LETTERS = frozenset("estxdr")  # the letters _SILENT_FINAL and _FINAL_R remove
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
_PHONETIC_TABLE = str.maketrans(_PHONETIC_LETTERS)
_DZ_CARON = re.compile(r"d[žż]")
_FRENCH_C_CEDILLA = re.compile(r"(?<=n)ç(?=[aou])")
# French diaeresis marks a vowel said on its own, and Creole writes the glide between the
# two vowels: Moïse/Moyiz, Haïti/Ayiti, Noël/Nowèl, Raphaël/Rafayèl.
_HIATUS_I = re.compile(r"(?<=[aeiouy])ï")
_HIATUS_E_AFTER_O = re.compile(r"(?<=o)ë")
_HIATUS_E_AFTER_A = re.compile(r"(?<=a)ë")
_NON_LETTER = re.compile(r"[^a-zA-Z]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def phonetic_fold(text: str) -> str:
    """Like :func:`fold`, but keeping the sound classes of č ć đ dž š ž as capitals."""
    if text.isascii():  # none of the marks or tables in _phonetic_fold_any touch ASCII
        lowered = text.lower()
        return lowered if lowered.isalpha() else _NON_LETTER.sub("", lowered)
    return _phonetic_fold_any(text)


def _phonetic_fold_any(text: str) -> str:
    """:func:`phonetic_fold` for any text, ASCII included."""
    text = read_foreign(text)
    lowered = unicodedata.normalize("NFC", text).casefold()
    lowered = _FRENCH_C_CEDILLA.sub("s", _DZ_CARON.sub("J", lowered)).replace("ç", "C")
    if "ï" in lowered or "ë" in lowered:
        lowered = _HIATUS_I.sub("yi", lowered)
        lowered = _HIATUS_E_AFTER_A.sub("ye", _HIATUS_E_AFTER_O.sub("we", lowered))
    marked = lowered.translate(_PHONETIC_TABLE)
    return _NON_LETTER.sub("", _keep_case_fold(marked))


def _keep_case_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_CHAR_FOLD_TABLE))
    return decomposed.translate(_DROP_COMBINING)


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """Phonetic-ish key of one name part; equal keys mean "plausibly the same sound".

    Designed so that Xhevat (Albanian), Dževat (Serbian Latin), Џевад/Dževad (Cyrillic)
    and Dzhevat (English) agree, and so that French and Haitian Creole respellings
    (Jean/Jan, Baptiste/Batis, Pierre/Pyè) agree. It is not a general phonetic algorithm.
    """
    if not text.isascii() and scripts.MAYBE_FOREIGN.search(text) is not None:
        abjad = scripts.abjad_key(text)
        if abjad is not None:
            return abjad
    key = phonetic_fold(text)
    for pattern, replacement, needs in _SKELETON_RULES:
        for part in needs:
            if part in key:
                key = pattern.sub(replacement, key)
                break
    key = key.lower()
    if _DOUBLE.search(key):  # sub with a group reference costs far more than a search
        key = _DOUBLE.sub(r"\1", key)
    if "r" in key:
        key = _POSTVOCALIC_R.sub("", key)
    for _ in range(4):  # "baptiste" -> "bati", like "Batis"
        if key[-1:] not in _FINAL_LETTERS:
            break  # neither rule below can remove anything
        shorter = _FINAL_R.sub("", _SILENT_FINAL.sub("", key))
        if shorter == key:
            break
        key = shorter
    if "in" in key:
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
    fields = token_fields(raw)
    if fields is None:
        return None
    folded, key, is_initial = fields
    return Token(raw=raw, folded=folded, skeleton=key, is_initial=is_initial)


def token_fields(raw: str) -> tuple[str, str, bool] | None:
    """:func:`make_token` without the :class:`Token`: folded form, skeleton, initial flag."""
    folded = _NOT_ALNUM.sub("", fold(raw))
    if not folded:
        return None
    if folded.startswith("abd"):
        folded = scripts.reduce_abd(folded)
    letters = len(raw) if raw.isalpha() else sum(1 for ch in raw if ch.isalpha())
    return folded, skeleton(raw), letters == 1


def split_raw(name: str) -> list[str]:
    """Raw name parts: hyphens, dots, commas and spaces separate; apostrophes join."""
    return [part for part in _TOKEN_SPLIT.split(name) if part not in _NOT_PARTS]


# What an ASCII name needs read_name for: an annotation, a year, or abd/abu.
_ASCII_READINGS = re.compile(r"[(\[\d]|ab[deou]", re.IGNORECASE)
# ... and a name with other letters: those, East Slavic letters, or another script.
_OTHER_READINGS = re.compile(
    r"[(\[\d]|ab[deou]|[ыэщъёйюяіїєґўЫЭЩЪЁЙЮЯІЇЄҐЎ]|" + scripts.MAYBE_FOREIGN.pattern,
    re.IGNORECASE,
)


def read_name(name: str) -> str:
    """Name-level readings before the name is split into parts.

    Annotations (``(alias …)``, ``born 1963``) are dropped and ``abd`` / ``abu`` join the
    name they govern (:func:`scripts.join_compounds`). Russian and Ukrainian Cyrillic (by
    the letters present) is read BGN/PCGN style (:func:`scripts.east_slavic_reading`).
    Chinese characters and Hangul are romanised with the family name apart
    (:func:`scripts.read_syllables`).
    """
    if name.isascii():
        if _ASCII_READINGS.search(name) is None:  # the common case: nothing to do
            return name
        return scripts.join_compounds(scripts.strip_annotations(name))
    if _OTHER_READINGS.search(name) is None:  # Serbian, Albanian, Spanish, French...
        return name
    name = scripts.join_compounds(scripts.strip_annotations(name))
    east_slavic = scripts.east_slavic_reading(name)
    if east_slavic is not None:
        name = east_slavic
    if not scripts.needs_reading(name):
        return name
    found = {scripts.char_script(ch) for ch in name if not ch.isascii()}
    if found & scripts.SYLLABLES:
        name = scripts.read_syllables(name)
    if found & scripts.MARKED:
        name = "".join(map(_read_marked, name))
    return name


@lru_cache(maxsize=10_000)
def _read_marked(ch: str) -> str:
    """Devanagari is read whole here (its vowel signs would split a part); the vowel
    marks of abjads (harakat, niqqud, Thai signs) are dropped, as their keys ignore them."""
    script = scripts.char_script(ch)
    if script == "DEVANAGARI":
        return anyascii(ch)
    if (script in scripts.ABJADS and unicodedata.combining(ch)) or unicodedata.category(ch) == "Mn":
        return "" if script in scripts.ABJADS else ch
    return ch


def screenable(name: str) -> bool:
    """Whether the matcher can read ``name``: every letter in a script we read, and at
    least one identifying part. A name it cannot read is reported, never passed."""
    return not scripts.unread_scripts(name) and bool(normalise(name))


@lru_cache(maxsize=400_000)
def normalise(name: str) -> tuple[Token, ...]:
    """The identifying tokens of ``name`` in written order, particles removed.

    Order is kept for display only: matching never depends on it ("PETROVIĆ Jovan").
    A name made only of particles keeps them rather than becoming empty.
    """
    tokens = [tok for raw in split_raw(read_name(name)) if (tok := make_token(raw)) is not None]
    kept = [tok for tok in tokens if tok.folded not in PARTICLES]
    return tuple(kept or tokens)


def folded_name(name: str) -> str:
    """Space-joined folded tokens: a stable, script-independent form for display and keys."""
    return " ".join(tok.folded for tok in normalise(name))
