"""The printable travel document (WeasyPrint; see docs/adr/0004-weasyprint-and-fonts.md).

The person's name is printed exactly as written, in any script (Latin, Cyrillic, Arabic,
Bengali; right-to-left text shaped and ordered by Pango/HarfBuzz), next to its Latin form.
The fonts are the Noto stack letters and pages use too (``readmit.documents.fonts``,
``READMIT_FONT_DIR``; ADR 0018), embedded with ``@font-face``; before rendering, every
character printed is checked against the stack's character maps. A missing font file, or a
character no font has, refuses the PDF with a message naming the font and the package,
instead of printing boxes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from readmit.cases.models import TravelDocument, TravelDocumentType
from readmit.core.labels import english
from readmit.documents import fonts
from readmit.documents.render import FAMILIES


def _row(label: str, value: str, *, auto_dir: bool = False) -> str:
    direction = ' dir="auto"' if auto_dir else ""
    return f"<tr><th>{html.escape(label)}</th><td{direction}>{html.escape(value)}</td></tr>"


def travel_document_pdf(document: TravelDocument, person: Mapping[str, str]) -> bytes:
    """The PDF of ``document`` for the person's fields (``travel.person_fields``)."""
    case = document.case
    document_type = TravelDocumentType(document.type).label  # the document is in English
    rows = [
        ("Name as written", person["name"], True),
        ("Name (Latin)", person["name_latin"], False),
        ("Date of birth", person["birth_date"], False),
        ("Place of birth", person["place_of_birth"] or "-", True),
        ("Sex", person["sex"], False),
        ("Nationality", person["nationality"] or "-", False),
        ("Document type", english(document_type), False),
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
    body = "\n".join(_row(label, value, auto_dir=auto) for label, value, auto in rows)
    title = html.escape(english(document_type))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>
{fonts.font_face_css()}
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: {FAMILIES}; font-size: 11pt; }}
h1 {{ font-size: 16pt; }}
th {{ text-align: start; padding-right: 8mm; vertical-align: top; }}
</style></head><body>
<h1>{title}</h1>
<table>{body}</table>
</body></html>"""
    texts = [text for label, value, _ in rows for text in (label, value)]
    return fonts.write_pdf(page, [title, *texts])
