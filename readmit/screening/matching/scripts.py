"""Scripts other than Latin and Cyrillic: which ones we read, how, and what we cannot read.

Latin and Cyrillic are folded by :mod:`normalise`'s own tables. Every other script we
read goes through anyascii (ADR 0005) and then through the same fold and skeleton:

* **Alphabets** (Greek, Georgian, Armenian, Devanagari, Japanese kana): anyascii's
  romanisation is close to how lists write the names in Latin script.
* **Chinese characters and Korean Hangul** are read syllable by syllable and a name
  written without spaces is split after its first syllable, the family name
  (``毛泽东`` → ``Mao Zedong``, ``김정은`` → ``Gim Jeongeun``). Japanese kanji cannot be
  read this way: a name that mixes kanji and kana is *not screenable*.
* **Scripts that do not write short vowels** (Arabic, Persian, Urdu, Hebrew; Thai
  writes some vowels around the consonant and anyascii loses them) get a consonant key
  instead of a skeleton: ``محمد`` → ``~mhmd``, which meets the consonant key of
  ``Mohamed``, ``Muhammad`` and ``Mohammad`` (see :func:`consonant_key`). The Arabic
  article ``ال`` on a part is dropped, as ``al-`` is on the Latin side.

A name with letters of any other script (Ethiopic, Tamil, Khmer, Tibetan, …) is *not
screenable*: :func:`unread_scripts` names the scripts, and callers report the record
instead of letting it look clean.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

LATIN, CYRILLIC = "LATIN", "CYRILLIC"
# Scripts with a reading, by the first word of their letters' Unicode names.
ALPHABETS = frozenset({"GREEK", "GEORGIAN", "ARMENIAN", "DEVANAGARI", "HIRAGANA", "KATAKANA"})
SYLLABLES = frozenset({"CJK", "HANGUL"})
ABJADS = frozenset({"ARABIC", "HEBREW", "THAI"})
MARKED = frozenset({"DEVANAGARI"}) | ABJADS  # read_name handles their combining signs
READ_SCRIPTS = frozenset({LATIN, CYRILLIC}) | ALPHABETS | SYLLABLES | ABJADS
ABJAD_MARK = "~"
"""First character of an abjad part's key: a skeleton never contains it."""


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """The script of a letter or mark, as the first word of its Unicode name ("" if none)."""
    name = unicodedata.name(ch, "")
    if not name:
        return ""
    if name.startswith(("FULLWIDTH LATIN", "MODIFIER LETTER")):
        return LATIN
    return name.split(" ", 1)[0]


def _letters_scripts(text: str) -> set[str]:
    return {char_script(ch) for ch in text if ch.isalpha() or unicodedata.combining(ch)}


def unread_scripts(name: str) -> tuple[str, ...]:
    """Scripts in ``name`` that the matcher cannot read, sorted; empty if it reads them all.

    Japanese is recognised by its kana: kanji among kana are read in Japanese, which we
    cannot do, so such a name is reported under ``JAPANESE KANJI``.
    """
    if name.isascii():
        return ()
    scripts = _letters_scripts(name)
    unread = {s.title() for s in scripts - READ_SCRIPTS}
    if "CJK" in scripts and scripts & {"HIRAGANA", "KATAKANA"}:
        unread.add("Japanese kanji")
    return tuple(sorted(unread))


def needs_reading(name: str) -> bool:
    """True if ``name`` has letters outside Latin and Cyrillic (cheap for ASCII names)."""
    return not name.isascii() and any(
        ch.isalpha() and char_script(ch) not in (LATIN, CYRILLIC) for ch in name
    )


def read_syllables(name: str) -> str:
    """``name`` with runs of Chinese characters and Hangul romanised, family name apart."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        syllables = [anyascii(ch).capitalize() for ch in run]
        syllables = [s for s in syllables if s]
        if len(syllables) >= 2 and (not out or out[-1].endswith(" ") or not out[-1]):
            out.append(syllables[0] + " " + "".join(syllables[1:]).capitalize())
        else:
            out.append("".join(syllables))
        run.clear()

    for ch in name:
        if ch.isalpha() and char_script(ch) in SYLLABLES:
            run.append(ch)
            continue
        flush()
        out.append(ch)
    flush()
    return "".join(out)


# Arabic and Persian letters as consonant classes (see consonant_key for the Latin side).
# Long vowels, the glides و and ي, alif, hamza, ʿayn and tāʾ marbūṭa are not written as
# consonants in the key: Latin spellings render them as vowels, "'", or nothing.
_ARABIC_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "پ": "p", "چ": "C", "ژ": "z", "گ": "g", "ک": "k", "ڤ": "b", "ٹ": "t", "ڈ": "d",
    "ڑ": "r", "ں": "n", "ہ": "h", "ھ": "h",
    # Hebrew: final forms as their letters; ו and י are vowels or glides, א and ע silent.
    "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "x", "ט": "t", "כ": "k",
    "ך": "x", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "פ": "p",
    "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k", "ר": "r", "ש": "S", "ת": "t",
}  # fmt: skip
_ARABIC_ARTICLE = re.compile(r"^(?:ال|اَل)(?=..)")
# Latin renderings, in order: digraphs first, then single letters.
_LATIN_DIGRAPHS = (
    ("kh", "x"), ("sh", "S"), ("ch", "C"), ("gh", "g"), ("th", "t"), ("dh", "d"),
    ("zh", "z"), ("ph", "f"), ("ou", "u"), ("dj", "j"), ("ts", "ts"), ("tz", "ts"),
)  # fmt: skip
_LATIN_SINGLE = str.maketrans({"q": "k", "c": "k", "v": "b", "w": "", "y": "", "'": ""})
_VOWELS = re.compile(r"[aeiou]")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_VOWEL_H = re.compile(r"(?<=[aeiou])h$")
_ABD_FORMS = re.compile(r"^(?:abdu?l|abdel|abdal|abdoul|abdol|abdou|abd)(?=.{3}|$)")


def strip_article(part: str) -> str:
    """An Arabic part without its article: ``الحكيم`` → ``حكيم``."""
    return _ARABIC_ARTICLE.sub("", part)


@lru_cache(maxsize=100_000)
def consonant_key(folded: str) -> str:
    """The consonants of a Latin-script name part, as the abjad keys write them.

    ``mohamed``, ``muhammad`` and ``mohammad`` → ``mhmd``; ``suhayl`` / ``suheil`` →
    ``shl``; ``khalid`` → ``xld``; ``cohen`` → ``khn``. The prefix forms of ``abd``
    (``abdul``, ``abdel``, ``abd al``) keep only ``bd``, so ``Abdulhakim`` → ``bdhkm``.
    """
    text = _FINAL_VOWEL_H.sub("", folded)
    text = _ABD_FORMS.sub("abd", text)
    for digraph, cls in _LATIN_DIGRAPHS:
        if digraph in text:
            text = text.replace(digraph, cls)
    text = _VOWELS.sub("", text.translate(_LATIN_SINGLE))
    return _DOUBLE.sub(r"\1", text)


def abjad_key(part: str) -> str | None:
    """Consonant key of a part written in an abjad (``~`` first), or ``None`` if not one."""
    scripts = _letters_scripts(part)
    if not scripts & ABJADS:
        return None
    if "ARABIC" in scripts:
        part = strip_article(part)
    # A final h-letter is mostly a vowel (Moshe משה, Fatima فاطمه); the Latin key drops
    # a final vowel + h the same way (Abdullah / عبدالله).
    part = part.rstrip("هةہה")
    out: list[str] = []
    for ch in part:
        cls = _ARABIC_CONSONANTS.get(ch)
        if cls is not None:
            out.append(cls)
        elif ch.isalpha() and char_script(ch) == "THAI":
            out.append(consonant_key(anyascii(ch).lower()))
    key = _DOUBLE.sub(r"\1", "".join(out))
    return ABJAD_MARK + key if key else None


def read_part(part: str) -> str:
    """A part of a script we read, in Latin letters (anyascii), article dropped."""
    if "ARABIC" in _letters_scripts(part):
        part = strip_article(part)
    return anyascii(part)
