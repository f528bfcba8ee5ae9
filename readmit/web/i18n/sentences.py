"""Criteria explanations in the reader's language (issue #14; docs/adr/0027-translated-refusals.md).

The criteria engine is a pure core: it writes each explanation in English from fragments it
marks with ``N_`` (``readmit.agreements.criteria``, ``readmit.agreements.sharing``), and the
stored results, the API and the audit keep that English. A page reads a stored explanation
back against those fragments, so an explanation stored before this change, or redacted by the
data-sharing policy, is translated alike: the values read back (ages, dates, codes, offences)
are filled into the translated fragment as they are, and a value that is itself a fragment
(a conviction, an age range) is translated in turn. Text that matches no fragment (an
agreement's own label, a rule nobody marked) stays as it was written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

from readmit.agreements import criteria, sharing
from readmit.web.i18n.catalogues import python_messages

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# What a value of each kind looks like when it is read back; any other is any text but
# ``;``, which joins the fragments of one explanation.
_VALUE = {
    "day": r"\d{4}-\d{2}-\d{2}",
    "years": r"\d+",
    "more": r"\d+",
    "low": r"\d+",
    "high": r"\d+",
    "conviction": r"conviction for .+?",
}
SOURCES = (criteria, sharing)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each marked fragment with a placeholder, as a pattern that reads its values back; the
    ones with the most fixed text first, so the most specific fragment wins."""
    templates: set[str] = set()
    for module in SOURCES:
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        templates |= {t for t in python_messages(source) if _PLACEHOLDER.search(t)}
    out = []
    for template in sorted(templates, key=lambda t: (-len(_PLACEHOLDER.sub("", t)), t)):
        parts = _PLACEHOLDER.split(template)
        regex = "".join(
            f"(?P<{part}>{_VALUE.get(part, '[^;]+?')})" if index % 2 else re.escape(part)
            for index, part in enumerate(parts)
        )
        out.append((re.compile(regex, re.DOTALL), template))
    return tuple(out)


def _value(text: str) -> str:
    translated = fragment(text)
    if translated != text:
        return translated
    if ", " in text:  # a list of fragments (the excluded groups): each item as it reads
        return ", ".join(gettext(item) for item in text.split(", "))
    return text


def fragment(text: str) -> str:
    """One fragment of an explanation in the reader's language (as it is if none matches)."""
    local = gettext(text)
    if local != text or not text:
        return local
    for pattern, template in _patterns():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = {name: _value(value) for name, value in found.groupdict().items()}
        try:
            return gettext(template) % values
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
            return text
    return text


def explanation(text: str) -> str:
    """A stored criteria explanation (a sentence: capital, full stop, fragments joined by
    ``; ``) in the reader's language."""
    whole = fragment(text)
    if whole != text or not text:
        return whole
    body = text[:-1] if text.endswith(".") else text
    body = body[:1].lower() + body[1:]
    translated = fragment(body)
    if translated == body and "; " in body:
        translated = "; ".join(fragment(part) for part in body.split("; "))
    if translated == body:
        return text
    return translated[:1].upper() + translated[1:] + ("" if translated.endswith(".") else ".")
