"""Reading a PDF's text back, for the letter and printout tests."""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader


def _bengali_letter(ch: str) -> bool:
    """Bengali vowel signs and the virama come out of a PDF in visual order or split, and a
    reph (ra + virama) after the consonant it sits on; Bengali wording is compared by its
    other letters (still specific to each sentence)."""
    return "\u0980" <= ch <= "\u09ff" and (
        unicodedata.category(ch) in {"Mn", "Mc"} or ch == "\u09b0"
    )


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return unicodedata.normalize("NFKC", text)


def skeleton(text: str) -> str:
    """Text without whitespace (and Bengali signs, see above), for comparing wording."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normal if not ch.isspace() and not _bengali_letter(ch))


_PUNCTUATION = re.compile(r"[:;,.!?«»“”„\"'()\-–।،]")


def has_wording(sentence: str, text: str) -> bool:
    """Every word of ``sentence`` is in ``text`` (punctuation moves around in right-to-left
    lines, so it is left out). Bengali: all but one word of three or more, since a PDF maps
    a conjunct's glyph to the first text it printed it for (a reader that copies the
    letter's text gets the same)."""
    body = skeleton(text)
    words = [w for w in (skeleton(_PUNCTUATION.sub(" ", w)) for w in sentence.split()) if w]
    missing = [w for w in words if w not in body]
    bengali = any("\u0980" <= ch <= "\u09ff" for ch in sentence)
    allowed = 1 if bengali and len(words) >= 3 else 0
    return bool(words) and len(missing) <= allowed
