"""Every letter in every language, printed with a Latin, a Cyrillic and an Arabic name: the
name appears exactly as written and the language's own wording appears (read back with
pypdf). The wording lives in one TOML file per language; each is complete."""

from __future__ import annotations

import pytest

from readmit.documents.render import LetterFacts, letter_html
from readmit.documents.wording import LANGUAGE_ORDER, LETTER_KINDS, languages
from tests.documents.pdftext import has_wording, pdf_text

# Fictional people.
NAMES = {
    "latin": "Ana María Quintero Núñez",
    "cyrillic": "Милица Вукотић",
    "arabic": "فاطمة الزهراء",
}


def facts(kind: str, name: str) -> LetterFacts:
    return LetterFacts(
        kind=kind,
        name=name,
        case_reference="RLC-2027-0042",
        agreement="Relocation agreement USA-Kosovo",
        receiving="Ministry of Internal Affairs of Kosovo",
        issued_by="Department of Homeland Security",
        issued_on="2027-02-20",
        reason="Outside the agreed criteria"
        if kind in {"declined", "readmission_rejected"}
        else "",
        planned_for="2027-03-01 09:00 UTC-05:00" if kind == "transfer_notice" else "",
        notice_hours=24 if kind == "transfer_notice" else None,
        arrived_on="2027-03-02" if kind == "reception_stay" else "",
        max_stay_days=365 if kind == "reception_stay" else None,
    )


@pytest.mark.parametrize("script", sorted(NAMES))
@pytest.mark.parametrize("language", LANGUAGE_ORDER)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_each_letter_in_each_language_prints_the_name_as_written_and_its_own_wording(
    kind, language, script
):
    from readmit.documents.letters import letter_pdf

    name = NAMES[script]
    _, pdf = letter_pdf(facts(kind, name), language)
    text = pdf_text(pdf)
    assert name in text
    wording = languages()[language]
    assert has_wording(wording.letters[kind].title, text)
    assert has_wording(wording.labels["case"], text)


@pytest.mark.parametrize("language", LANGUAGE_ORDER)
def test_the_notice_period_and_longest_stay_from_the_terms_are_printed(language):
    from readmit.documents.letters import letter_pdf

    _, notice = letter_pdf(facts("transfer_notice", NAMES["latin"]), language)
    _, stay = letter_pdf(facts("reception_stay", NAMES["latin"]), language)
    assert "24" in pdf_text(notice)
    assert "365" in pdf_text(stay)


def test_a_letter_without_a_notice_period_in_the_terms_leaves_the_sentence_out():
    wording = languages()["en"]
    with_period = letter_html(facts("transfer_notice", "Ana"), wording)
    without = letter_html(
        LetterFacts(**{**facts("transfer_notice", "Ana").__dict__, "notice_hours": None}), wording
    )
    assert "hours before the transfer" in with_period
    assert "hours before the transfer" not in without


def test_the_arabic_letter_is_right_to_left_and_the_name_keeps_its_own_direction():
    page = letter_html(facts("selected", NAMES["arabic"]), languages()["ar"])
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<span class="data" dir="auto">{NAMES["arabic"]}</span>' in page
    english = letter_html(facts("selected", NAMES["arabic"]), languages()["en"])
    assert '<html lang="en" dir="ltr">' in english


def test_a_name_is_escaped_never_read_as_markup():
    page = letter_html(facts("selected", "<b>Ana</b> & Co"), languages()["en"])
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; Co" in page
    assert "<b>Ana</b>" not in page


def test_every_language_file_has_every_letter_and_label_in_its_own_words():
    shipped = languages()
    assert list(shipped) == list(LANGUAGE_ORDER)
    english = shipped["en"]
    for code, language in shipped.items():
        assert set(language.letters) == set(LETTER_KINDS)
        if code != "en":
            # Written in the language, not English left in place.
            same = [
                k for k in LETTER_KINDS if language.letters[k].title == english.letters[k].title
            ]
            assert same == [], (code, same)


def test_languages_are_offered_by_name_never_by_code():
    from readmit.documents.wording import language_choices

    labels = dict(language_choices())
    assert labels["cnr"] == "Crnogorski (Montenegrin)"
    assert labels["ht"] == "Kreyòl ayisyen (Haitian Creole)"
    assert labels["ar"] == "العربية (Arabic)"
    assert all(code not in label for code, label in labels.items() if code != "en")
