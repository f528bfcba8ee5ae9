"""Serbian (ekavian) to Montenegrin (ijekavian) for the words of Django's own messages.

Django has no Montenegrin catalogue; ``readmit.web.i18n.django_messages`` takes the messages
our pages show from its Serbian Latin one and writes them ijekavian with this map: whole
words, the first letter's case kept. Only the words those messages use are listed (a test
checks that no ekavian word of the map is left in the Montenegrin catalogue); the
catalogues Readmit writes itself are written ijekavian by hand (docs/adr/0017).
"""

from __future__ import annotations

import re

# ekavian -> ijekavian (and the few Montenegrin word choices Django's Serbian does not share).
WORDS = {
    "vrednost": "vrijednost",
    "vrednosti": "vrijednosti",
    "vrednostima": "vrijednostima",
    "ceo": "cijeli",
    "vreme": "vrijeme",
    "proverite": "provjerite",
    "uverite": "uvjerite",
    "sme": "smije",
    "uneta": "unijeta",
    "uspešno": "uspješno",
    "neuspešno": "neuspješno",
    "izmenjena": "izmijenjena",
    "izmeni": "izmijeni",
    "izmena": "izmjena",
    "zahtev": "zahtjev",
    "malopre": "malo prije",
    "ponedeljak": "ponedjeljak",
    "sreda": "srijeda",
    "nedelja": "nedjelja",
    "sre": "sri",
    "primer": "primjer",
    "delova": "djelova",
    "deo": "dio",
    "pre": "prije",
    "posle": "poslije",
    "mesto": "mjesto",
    "mesec": "mjesec",
    "loznka": "lozinka",  # a typo of Django's Serbian catalogue
    "isrpavan": "ispravan",  # idem
    "cirtica": "crtica",  # idem
}
_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True)) + r")\b", re.I
)


def _replace(match: re.Match[str]) -> str:
    word = match.group(1)
    new = WORDS[word.lower()]
    return new[:1].upper() + new[1:] if word[:1].isupper() else new


def to_ijekavian(text: str) -> str:
    """``Unesite ispravno vreme`` -> ``Unesite ispravno vrijeme``."""
    return _WORD.sub(_replace, text)
