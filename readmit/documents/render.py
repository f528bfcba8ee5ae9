"""A letter's HTML from its facts and its language's wording (pure: no Django).

The page carries the language and its direction (``<html lang dir>``: Arabic is ``rtl``);
the person's name is printed exactly as written, never translated, in an element of its own
with ``dir="auto"`` so a Cyrillic or Arabic name keeps its own order inside any letter.
Values that come from data (names, reasons, references) are escaped and never looked up in
the wording.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from readmit.documents.wording import Language

# The font stack's families (readmit.documents.fonts.STACK), then the generic fallback.
FAMILIES = '"Readmit Sans", "Readmit Arabic", "Readmit Bengali", sans-serif'


@dataclass(frozen=True)
class LetterFacts:
    kind: str
    name: str  # as written, in any script
    case_reference: str
    agreement: str
    receiving: str
    issued_by: str
    issued_on: str  # ISO date
    reason: str = ""
    planned_for: str = ""
    notice_hours: int | None = None
    arrived_on: str = ""
    max_stay_days: int | None = None


def _fill(sentence: str, facts: LetterFacts) -> str:
    values = {
        "agreement": facts.agreement,
        "planned_for": facts.planned_for,
        "notice_hours": "" if facts.notice_hours is None else str(facts.notice_hours),
        "arrived_on": facts.arrived_on,
        "max_stay_days": "" if facts.max_stay_days is None else str(facts.max_stay_days),
    }
    escaped = html.escape(sentence)
    for key, value in values.items():
        escaped = escaped.replace("{" + key + "}", f"<bdi>{html.escape(value)}</bdi>")
    return escaped


def sentences(facts: LetterFacts, language: Language) -> list[str]:
    """The letter's sentences as HTML, the optional one only where the agreement sets its
    number (the notice period, the longest stay)."""
    text = language.letters[facts.kind]
    body = [_fill(s, facts) for s in text.body]
    if text.optional and (
        (facts.kind == "transfer_notice" and facts.notice_hours is not None)
        or (facts.kind == "reception_stay" and facts.max_stay_days is not None)
    ):
        body.append(_fill(text.optional, facts))
    return body


def _row(label: str, value: str, *, auto: bool = True) -> str:
    direction = ' dir="auto"' if auto else ""
    return (
        f"<tr><th>{html.escape(label)}</th>"
        f'<td><span class="data"{direction}>{html.escape(value)}</span></td></tr>'
    )


def letter_html(facts: LetterFacts, language: Language, *, font_css: str = "") -> str:
    """The whole page WeasyPrint prints; ``font_css`` is the font stack's ``@font-face``."""
    labels = language.labels
    text = language.letters[facts.kind]
    rows = [
        _row(labels["to"], facts.name),
        _row(labels["case"], facts.case_reference),
        _row(labels["date"], facts.issued_on, auto=False),
        _row(labels["agreement"], facts.agreement),
        _row(labels["receiving"], facts.receiving),
        _row(labels["issued_by"], facts.issued_by),
    ]
    paragraphs = "\n".join(f"<p>{s}</p>" for s in sentences(facts, language))
    reason = ""
    if facts.reason:
        reason = (
            f'<p class="reason"><strong>{html.escape(labels["reason"])}:</strong> '
            f'<span dir="auto">{html.escape(facts.reason)}</span></p>'
        )
    return f"""<!doctype html>
<html lang="{language.code}" dir="{language.direction}"><head><meta charset="utf-8">
<title>{html.escape(text.title)}</title><style>
{font_css}
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: {FAMILIES}; font-size: 11pt; line-height: 1.5; }}
h1 {{ font-size: 16pt; }}
th {{ text-align: start; padding-inline-end: 8mm; vertical-align: top; font-weight: bold; }}
.footer {{ margin-top: 12mm; font-size: 9pt; }}
</style></head><body>
<table>{"".join(rows)}</table>
<h1>{html.escape(text.title)}</h1>
{paragraphs}
{reason}
<p class="footer">{html.escape(labels["footer"])}</p>
</body></html>"""


def texts_printed(facts: LetterFacts, language: Language) -> Iterable[str]:
    """Every string the letter prints, for the font coverage check."""
    text = language.letters[facts.kind]
    yield from language.labels.values()
    yield text.title
    yield from text.body
    yield text.optional
    yield from (
        facts.name,
        facts.case_reference,
        facts.agreement,
        facts.receiving,
        facts.issued_by,
        facts.reason,
        facts.planned_for,
        facts.arrived_on,
    )
