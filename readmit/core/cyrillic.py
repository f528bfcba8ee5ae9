"""Serbian and Montenegrin Latin script to Cyrillic (Vuk's one-to-one correspondence).

Used to produce the Cyrillic interface catalogues from the Latin ones: transliteration, not
translation. What stays in Latin: the placeholders (``%(name)s``, ``{name}``), HTML tags and
entities, and the words that are not Serbian or Montenegrin: acronyms written in capitals
(``PDF``, ``UTC``), words with letters the alphabet lacks (q, w, x, y), ``Readmit``. Pure: no
Django.
"""

from __future__ import annotations

import re

_PAIRS = {"lj": "љ", "nj": "њ", "dž": "џ", "dz\u030c": "џ"}
_SINGLE = dict(
    zip(
        "abcčćdđefghijklmnoprsštuvzž",
        "абцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_MONTENEGRIN = {"ś": "с́", "ź": "з́", "ô": "о̂"}  # ô: the length mark of kôd
# Placeholders, tags, entities, and the words kept as they are.
_KEEP = re.compile(
    r"%\([^)]*\)[sd]|%[sd%]|\{[^{}]*\}|<[^>]*>|&#?\w+;|https?://\S+|"
    r"\b(?:Readmit|[A-Z0-9][A-Z0-9_.-]*[A-Z0-9]|\w*[qwxyQWXY]\w*|\w+_\w+)\b"
)


def _word(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        two = text[i : i + 2]
        lower = two.lower()
        if lower in _PAIRS:
            cyr = _PAIRS[lower]
            out.append(cyr.upper() if two[0].isupper() else cyr)
            i += 2
            continue
        char = text[i]
        one = _SINGLE.get(char.lower()) or _MONTENEGRIN.get(char.lower())
        if one is None:
            out.append(char)
        else:
            out.append(one.upper() if char.isupper() else one)
        i += 1
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """``Planirano za 2. decembar`` -> ``Планирано за 2. децембар``; kept parts unchanged."""
    out: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        out.append(_word(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_word(text[position:]))
    return "".join(out)
