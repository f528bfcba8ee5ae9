"""Django's own messages in Montenegrin (docs/adr/0027-translated-refusals.md).

Django ships no Montenegrin catalogue, so in ``cnr`` its form errors ("This field is
required."), password validators, pagination errors and date names were English. ``make
messages`` runs ``python -m readmit.web.i18n.catalogues django``: the messages listed here are
taken from Django's Serbian Latin catalogues (core and ``contrib.auth``), written ijekavian
(``readmit.web.i18n.ijekavian``) and added to ``locale/cnr`` (after ``makemessages``, which
drops them as unused, and before the Cyrillic catalogue is written from it). A message our
own code marks too keeps our translation.
"""

from __future__ import annotations

from pathlib import Path

import django

from readmit.web.i18n.catalogues import Entry, read
from readmit.web.i18n.ijekavian import to_ijekavian

DJANGO_DIR = Path(django.__file__).resolve().parent
SOURCES = (
    DJANGO_DIR / "conf" / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po",
    DJANGO_DIR / "contrib" / "auth" / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po",
)
MARK = "#. From Django's sr_Latn catalogue, ijekavian (readmit.web.i18n.django_messages)."

# The messages our pages show: form and field validation, file uploads, pagination, the
# password validators and password forms, and the names of months and weekdays.
MESSAGES = frozenset(
    {
        "This field is required.",
        "Enter a valid value.",
        "Enter a valid URL.",
        "Enter a valid integer.",
        "Enter a valid email address.",
        "Enter a number.",
        "Enter a whole number.",
        "Enter a valid date.",
        "Enter a valid time.",
        "Enter a valid date/time.",
        "Enter a valid duration.",
        "Enter a valid UUID.",
        "Enter a valid JSON.",
        "Enter a list of values.",
        "Enter a complete value.",
        "Ensure this value is less than or equal to %(limit_value)s.",
        "Ensure this value is greater than or equal to %(limit_value)s.",
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Select a valid choice. %(value)s is not one of the available choices.",
        "Select a valid choice. That choice is not one of the available choices.",
        "No file was submitted. Check the encoding type on the form.",
        "No file was submitted.",
        "The submitted file is empty.",
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
        "That page number is not an integer",
        "That page number is less than 1",
        "That page contains no results",
        "Invalid page (%(page_number)s): %(message)s",
        "The two password fields didn’t match.",
        "Your old password was entered incorrectly. Please enter it again.",
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive.",
        "This password is too short. It must contain at least %d character.",
        "Your password must contain at least %(min_length)d character.",
        "The password is too similar to the %(verbose_name)s.",
        "Your password can’t be too similar to your other personal information.",
        "This password is too common.",
        "Your password can’t be a commonly used password.",
        "This password is entirely numeric.",
        "Your password can’t be entirely numeric.",
        "Password changed successfully.",
        *[
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Mon",
            "Tue",
            "Wed",
            "Thu",
            "Fri",
            "Sat",
            "Sun",
            "jan",
            "feb",
            "mar",
            "apr",
            "may",
            "jun",
            "jul",
            "aug",
            "sep",
            "oct",
            "nov",
            "dec",
        ],
    }
)
# Month names in a context ("abbrev. month", "alt. month"): all of them.
CONTEXTS = frozenset({"abbrev. month", "alt. month"})


def wanted(entry: Entry) -> bool:
    return entry.translated and (entry.msgid in MESSAGES or (entry.msgctxt or "") in CONTEXTS)


def montenegrin(entry: Entry) -> Entry:
    return Entry(
        msgid=entry.msgid,
        msgstr=[to_ijekavian(s) for s in entry.msgstr],
        msgid_plural=entry.msgid_plural,
        msgctxt=entry.msgctxt,
        flags={f for f in entry.flags if f != "fuzzy"},
        comments=[MARK]
        + ([f"#, {', '.join(sorted(entry.flags - {'fuzzy'}))}"] if entry.flags - {"fuzzy"} else []),
    )


def merged(ours: list[Entry]) -> list[Entry]:
    """Our entries (earlier copies from Django left out) followed by Django's, converted."""
    kept = [e for e in ours if MARK not in e.comments]
    have = {(e.msgctxt, e.msgid) for e in kept}
    added: list[Entry] = []
    for source in SOURCES:
        _header, entries = read(source)
        for entry in entries:
            key = (entry.msgctxt, entry.msgid)
            if wanted(entry) and key not in have:
                have.add(key)
                added.append(montenegrin(entry))
    return kept + added
