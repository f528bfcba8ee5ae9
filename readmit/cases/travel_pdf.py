"""The printable travel document (WeasyPrint; see docs/adr/0004-weasyprint-and-fonts.md).

The person's name is printed exactly as written, in any script (Latin, Cyrillic, Arabic;
right-to-left text shaped and ordered by Pango/HarfBuzz), next to its Latin form. The font is
a file the project names (``READMIT_PDF_FONT_DIR``, DejaVu Sans from Debian's
``fonts-dejavu-core`` by default), embedded with ``@font-face``; before rendering, every
character printed is checked against the font's character map. A missing font file, or a
character the font lacks, refuses the PDF with a message naming the font and the package,
instead of printing boxes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import ClassVar

from django.conf import settings

from readmit.cases.models import TravelDocument
from readmit.core.errors import ApplicationError

FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"


class PdfFontMissing(ApplicationError):
    """The PDF cannot be printed faithfully: a font is missing or lacks a character."""

    status: ClassVar[int] = 503
    default_type: ClassVar[str] = "pdf-font-missing"
    title: ClassVar[str] = "Travel document cannot be printed"


def font_paths() -> dict[str, Path]:
    directory = Path(settings.READMIT_PDF_FONT_DIR)
    paths = {weight: directory / name for weight, name in FONT_FILES.items()}
    for path in paths.values():
        if not path.is_file():
            raise PdfFontMissing(
                f"The font {path.name} is missing at {path} (Debian package {FONT_PACKAGE}, "
                "or set READMIT_PDF_FONT_DIR): the travel document is not printed rather "
                "than printed with boxes for names."
            )
    return paths


@cache
def _cmap(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_coverage(texts: Iterable[str], path: Path) -> None:
    """Refuse a character the font cannot draw (it would print as a box)."""
    cmap = _cmap(str(path), path.stat().st_mtime)
    missing = sorted(
        {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap}
    )
    if missing:
        named = ", ".join(f"U+{ord(ch):04X} {ch!r}" for ch in missing)
        raise PdfFontMissing(
            f"The font {path.name} has no glyph for {named}: install a font that covers it "
            "and point READMIT_PDF_FONT_DIR at it; the travel document is not printed with "
            "boxes for names."
        )


def _row(label: str, value: str, *, auto_dir: bool = False) -> str:
    direction = ' dir="auto"' if auto_dir else ""
    return f"<tr><th>{html.escape(label)}</th><td{direction}>{html.escape(value)}</td></tr>"


def travel_document_pdf(document: TravelDocument, person: Mapping[str, str]) -> bytes:
    """The PDF of ``document`` for the person's fields (``travel.person_fields``)."""
    from weasyprint import HTML

    fonts = font_paths()
    case = document.case
    rows = [
        ("Name as written", person["name"], True),
        ("Name (Latin)", person["name_latin"], False),
        ("Date of birth", person["birth_date"], False),
        ("Place of birth", person["place_of_birth"] or "-", True),
        ("Sex", person["sex"], False),
        ("Nationality", person["nationality"] or "-", False),
        ("Document type", document.get_type_display(), False),
        ("Document number", document.number, False),
        ("Issued by", document.issuing_mission.name, False),
        ("Valid from", document.valid_from.isoformat(), False),
        ("Valid until", document.valid_until.isoformat(), False),
        ("Journeys", "Single journey" if document.single_journey else "Multiple journeys", False),
        ("Case", case.reference, False),
    ]
    if document.consent_reference:
        consent = f"{document.consent_reference} ({document.consent_given_on})"
        rows.append(("Prior consent of the requested state", consent, False))
    if document.revoked_at is not None:
        rows.append(("REVOKED", document.revocation_reason, True))
    check_coverage([label for label, _, _ in rows], fonts["bold"])
    check_coverage([value for _, value, _ in rows], fonts["regular"])
    body = "\n".join(_row(label, value, auto_dir=auto) for label, value, auto in rows)
    title = html.escape(document.get_type_display())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>
@font-face {{ font-family: "Readmit Print"; src: url("{fonts["regular"].as_uri()}"); }}
@font-face {{ font-family: "Readmit Print"; font-weight: bold;
  src: url("{fonts["bold"].as_uri()}"); }}
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "Readmit Print"; font-size: 11pt; }}
h1 {{ font-size: 16pt; }}
th {{ text-align: start; padding-right: 8mm; vertical-align: top; }}
td[dir="auto"] {{ unicode-bidi: plaintext; }}
</style></head><body>
<h1>{title}</h1>
<table>{body}</table>
</body></html>"""
    return HTML(string=page).write_pdf()  # type: ignore[no-any-return]
