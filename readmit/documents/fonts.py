"""The font stack PDFs and pages share: Noto, covering Latin, Cyrillic, Arabic and Bengali.

The fonts are files the deployment installs (Debian's ``fonts-noto-core``, in
``READMIT_FONT_DIR``, default ``/usr/share/fonts/truetype/noto``), named here, not whatever
fontconfig picks (docs/adr/0018-fonts-and-letter-templates.md). PDFs embed them with
``@font-face``; pages load the same files from ``/fonts/<file>`` (``readmit.web``), so a
browser without them still draws a Bengali or Arabic name. Before a PDF is printed, every
character is checked against the stack's character maps: a missing file or a character no
font has refuses the PDF, naming the file and package or the characters, instead of printing
empty boxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from django.conf import settings

from readmit.core.errors import N_, ApplicationError

FONT_PACKAGE = "fonts-noto-core"


@dataclass(frozen=True)
class Face:
    family: str
    scripts: str
    regular: str
    bold: str
    # The characters the page loads this face for (CSS unicode-range); empty: all.
    unicode_range: str = ""


STACK: tuple[Face, ...] = (
    Face("Readmit Sans", "Latin, Cyrillic, Greek", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    Face(
        "Readmit Arabic",
        "Arabic",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF",
    ),
    Face(
        "Readmit Bengali",
        "Bengali",
        "NotoSansBengali-Regular.ttf",
        "NotoSansBengali-Bold.ttf",
        "U+0980-09FF, U+0964-0965, U+200C-200D, U+25CC",
    ),
)
FILES = frozenset(name for face in STACK for name in (face.regular, face.bold))


class PdfFontMissing(ApplicationError):
    """A document cannot be printed faithfully: a font is missing or lacks a character."""

    status: ClassVar[int] = 503
    default_type: ClassVar[str] = "pdf-font-missing"
    title: ClassVar[str] = "Document cannot be printed"


def font_dir() -> Path:
    return Path(settings.READMIT_FONT_DIR)


def missing_files() -> list[str]:
    """The stack's files that are not installed (empty when all are)."""
    directory = font_dir()
    return sorted(name for name in FILES if not (directory / name).is_file())


def missing_report() -> str:
    """One line for ``make demo`` and the docs: what is missing and which package has it."""
    missing = missing_files()
    if not missing:
        return ""
    return (
        f"Fonts missing in {font_dir()}: {', '.join(missing)} (install the Debian package "
        f"{FONT_PACKAGE}, or set READMIT_FONT_DIR). Letters, printouts and PDF exports are "
        "refused until they are installed; pages fall back to the browser's fonts."
    )


def require_fonts() -> Path:
    missing = missing_files()
    if missing:
        raise PdfFontMissing(
            N_(
                "The font file(s) %(files)s are missing in %(folder)s (Debian package "
                "%(package)s, or set READMIT_FONT_DIR): the document is not printed rather than "
                "printed with boxes for names."
            ),
            params={
                "files": ", ".join(missing),
                "folder": str(font_dir()),
                "package": FONT_PACKAGE,
            },
        )
    return font_dir()


@cache
def _cmap(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_coverage(texts: Iterable[str]) -> None:
    """Refuse a character no font of the stack can draw (it would print as a box)."""
    directory = require_fonts()
    covered: set[int] = set()
    for face in STACK:
        path = directory / face.regular
        covered |= _cmap(str(path), path.stat().st_mtime)
    missing = sorted(
        {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in covered}
    )
    if missing:
        named = ", ".join(f"U+{ord(ch):04X} {ch!r}" for ch in missing)
        raise PdfFontMissing(
            N_(
                "No font of the stack has a glyph for %(named)s: install a font that covers it "
                "(see docs/documents.md); the document is not printed with boxes."
            ),
            params={"named": named},
        )


def font_face_css() -> str:
    """``@font-face`` rules for WeasyPrint, with the installed files' ``file://`` URLs."""
    directory = require_fonts()
    rules = []
    for face in STACK:
        for weight, name in (("normal", face.regular), ("bold", face.bold)):
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {weight}; '
                f'src: url("{(directory / name).as_uri()}"); }}'
            )
    return "\n".join(rules)


def write_pdf(page: str, texts: Iterable[str]) -> bytes:
    """Print ``page`` (HTML using the stack) after checking every character of ``texts``."""
    from weasyprint import HTML

    check_coverage(texts)
    return HTML(string=page).write_pdf()  # type: ignore[no-any-return]
