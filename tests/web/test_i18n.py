"""Interface languages (issue #14 items 1-3): every template sentence is marked, every shipped
catalogue is complete, pages follow the chosen language (per user, or chosen on the login page),
dates and numbers follow the locale while the API and exports stay ISO, and people's names are
marked with their direction and, where known, their language."""

from __future__ import annotations

import csv
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from readmit.accounts.models import User
from readmit.accounts.services import user_set_language
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.cyrillic import to_cyrillic
from readmit.core.errors import Forbidden, ValidationFailed
from readmit.web.i18n import catalogues
from readmit.web.i18n.languages import language_name, name_language
from readmit.web.i18n.markup import mark, unmarked
from readmit.web.templatetags.readmit_web import person_name
from tests.exchange.conftest import api  # noqa: F401 (the fixture)
from tests.factories import audit_rows, log_in, make_case
from tests.web.test_time_zones import schedule_on_the_page, scheduled_case

TEMPLATES = Path(settings.BASE_DIR) / "readmit" / "web" / "templates"
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
# A word of the case page and its translation in each interface language.
CASES = {
    "cnr": "Predmeti",
    "cnr-cyrl": "Предмети",
    "sq": "Çështjet",
    "sr-latn": "Predmeti",
    "sr": "Предмети",
    "it": "Pratiche",
}


def _locale(code: str) -> str:
    return translation.to_locale(code)


# (a) Every sentence of every template is marked ---------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_every_visible_sentence_of_a_template_is_marked_for_translation(path):
    found = unmarked(path.read_text(encoding="utf-8"))
    assert found == [], "\n".join(f"{path}:{f.line}: {f.text!r}" for f in found)


def test_the_markup_check_finds_text_attributes_and_literals_outside_the_translation_tags():
    source = (
        '{% load i18n %}<p title="Open cases">Due {{ day }}</p>{{ x|default:"not known" }}'
        '{% translate "Fine" %}<b>Readmit</b><code>family_name</code>'
    )
    assert [f.text for f in unmarked(source)] == ["Open cases", "Due", "not known"]


def test_marking_a_template_wraps_its_sentences_and_leaves_nothing_unmarked():
    source = '<h1>Time zone of {{ org.name }}</h1><p aria-label="Main">{{ a|default:"none" }}</p>'
    marked = mark(source)
    assert "{% blocktranslate with name=org.name %}Time zone of {{ name }}" in marked
    assert '{% translate "Main" %}' in marked and '_("none")' in marked
    assert marked.startswith("{% load i18n %}")
    assert unmarked(marked) == []


# (b) The shipped catalogues are complete and compiled ---------------------------------------


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_catalogue_has_no_untranslated_or_fuzzy_entry(code):
    header, entries = catalogues.read(catalogues.po_path(_locale(code)))
    assert "fuzzy" not in header.flags
    bad = [e.msgid for e in entries if e.fuzzy or not e.translated]
    assert bad == [], f"{code}: {len(bad)} untranslated, e.g. {bad[:5]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_the_code_marks_is_in_each_shipped_catalogue(code):
    _header, entries = catalogues.read(catalogues.po_path(_locale(code)))
    missing = catalogues.marked_messages(Path(settings.BASE_DIR) / "readmit") - {
        e.msgid for e in entries
    }
    assert missing == set(), f"run `make messages` and translate: {sorted(missing)[:5]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_the_committed_compiled_catalogue_matches_its_source(code):
    path = catalogues.po_path(_locale(code))
    _header, entries = catalogues.read(path)
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        context = entry.msgctxt
        if entry.msgid_plural:
            one = (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
                if context is None
                else compiled.npgettext(context, entry.msgid, entry.msgid_plural, 1)
            )
            assert one == entry.msgstr[0]
        elif context is not None:  # Django's month names: "May" alone and as "abbrev. month"
            assert compiled.pgettext(context, entry.msgid) == entry.msgstr[0], entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], entry.msgid


@pytest.mark.parametrize(("cyrillic", "latin"), sorted(catalogues.CYRILLIC_FROM_LATIN.items()))
def test_a_cyrillic_catalogue_is_the_transliteration_of_its_latin_one(cyrillic, latin):
    _h, latin_entries = catalogues.read(catalogues.po_path(latin))
    _h, cyrillic_entries = catalogues.read(catalogues.po_path(cyrillic))
    assert [e.msgid for e in cyrillic_entries] == [e.msgid for e in latin_entries]
    for lat, cyr in zip(latin_entries, cyrillic_entries, strict=True):
        assert cyr.msgstr == [to_cyrillic(s) for s in lat.msgstr]


def test_transliteration_keeps_placeholders_markup_and_foreign_words_in_latin():
    text = 'Ljiljana Njegoš: %(name)s <strong id="x">džep</strong> PDF &rarr; Readmit kôd'
    assert to_cyrillic(text) == (
        'Љиљана Његош: %(name)s <strong id="x">џеп</strong> PDF &rarr; Readmit ко̂д'
    )


# (c) Pages in each language -----------------------------------------------------------------


@pytest.mark.parametrize("code", SHIPPED)
def test_login_home_and_case_pages_render_in_the_users_language(world, code):
    case = make_case(world.agreement, family_name="Ђурђевић", given_names="Милица")
    user = world.user("xk_caseworker")
    user_set_language(user=user, language=code, acting_user=user)
    client = Client()
    login_page = client.get("/login/", headers={"accept-language": code}).content.decode()
    assert f'<html lang="{code}"' in login_page
    log_in(client, user)
    home = client.get("/")
    assert home["Content-Language"] == code
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert CASES[code] in page
    assert "Ђурђевић" in page  # the name as written, never translated


def test_the_login_page_chooser_sets_the_language_without_an_account(db):
    client = Client()
    client.get("/login/")
    response = client.post(
        "/language/",
        {
            "language": "it",
            "next": "/login/",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert "Nome utente" in page and '<html lang="it"' in page


def test_a_language_the_interface_does_not_offer_is_refused_naming_the_field(world, login):
    client = login("us_caseworker")
    before = audit_rows()
    response = client.post("/language/", {"language": "xx", "next": "/profile/"})
    assert response.status_code == 422
    assert "language" in response.content.decode()
    assert audit_rows() == before
    assert User.objects.get(username="us_caseworker").language == ""


def test_a_user_chooses_their_own_language_on_the_profile_and_it_is_audited(world, login):
    client = login("us_caseworker")
    response = client.post("/language/", {"language": "sq", "next": "/profile/"})
    assert response.status_code == 302
    assert User.objects.get(username="us_caseworker").language == "sq"
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_LANGUAGE_CHANGED)
    assert event.data == {"from": "", "to": "sq"} and event.actor_username == "us_caseworker"
    page = Client().get("/profile/")  # another browser, not logged in: not the user's choice
    assert page.status_code == 302
    assert "Profili juaj" in client.get("/profile/").content.decode()


def test_nobody_sets_another_users_language(world):
    with pytest.raises(Forbidden):
        user_set_language(
            user=world.user("us_caseworker"),
            language="it",
            acting_user=world.user("us_administrator"),
        )
    with pytest.raises(ValidationFailed) as refused:
        user = world.user("us_caseworker")
        user_set_language(user=user, language="klingon", acting_user=user)
    assert refused.value.errors[0]["loc"] == ["language"]


# Locale formats: pages localised, the API and exports ISO -----------------------------------


def test_transfer_plans_show_both_parties_local_times_in_the_readers_format(world, login):
    case = scheduled_case(world)
    assert schedule_on_the_page(login("us_caseworker"), case, "2027-01-15T09:00").status_code == 302
    user = world.user("xk_caseworker")
    user_set_language(user=user, language="sr-latn", acting_user=user)
    page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    # Kosovo reads 15:00 in its own zone first, then Washington's 09:00, both written 15.01.2027.
    assert "15.01.2027. 15:00 Europe/Belgrade" in page
    assert "15.01.2027. 09:00 America/New_York" in page
    assert "2027-01-15" not in page.split('id="transfer-planned-for"')[1].split("</dd>")[0]


def test_the_api_and_the_csv_export_stay_iso_whatever_the_language(world, login, api):  # noqa: F811
    case = make_case(world.agreement)
    user = world.user("us_caseworker")
    user_set_language(user=user, language="it", acting_user=user)
    body = api.get(f"/api/v1/cases/{case.id}", user, HTTP_ACCEPT_LANGUAGE="it")
    assert body.status_code == 200
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.*", body.json()["created_at"])
    export = login("us_caseworker").get("/cases/export.csv")
    assert export["Content-Language"] == "it"  # the page around it is Italian ...
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[0]["opened_at"])  # ... the file is ISO


# Names and language names -------------------------------------------------------------------


def test_a_persons_name_is_marked_with_direction_and_with_language_only_where_known():
    assert (
        person_name("محمد", ["ar"]) == '<span class="person-name" dir="auto" lang="ar">محمد</span>'
    )
    assert person_name("محمد", []) == '<span class="person-name" dir="auto">محمد</span>'
    assert person_name("Ђурђевић", ["es", "sr"]).count('lang="sr"') == 1
    assert 'lang="es"' not in person_name("محمد", ["es"])
    assert person_name("<b>", None) == '<span class="person-name" dir="auto">&lt;b&gt;</span>'
    assert name_language("Ruiz", ["ht", "fr"]) == "ht"


def test_the_case_page_marks_names_with_the_persons_language_only_where_languages_are_shared(
    world, login
):
    case = make_case(world.agreement, family_name="حداد", given_names="سارة", languages=["ar"])
    page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert 'dir="auto"' in page and "حداد" in page
    shown = 'lang="ar">حداد' in page
    assert shown == ("Arabic" in page)  # the lang only where the languages are read


@pytest.mark.parametrize(
    ("code", "interface", "name"),
    [
        ("cnr", "en", "Montenegrin"),
        ("ht", "en", "Haitian Creole"),
        ("es", "it", "Spagnolo"),
        ("bn", "sr", "Бенгалски"),
        ("zz-unknown", "en", "zz-unknown"),
    ],
)
def test_languages_are_shown_by_name_in_the_interface_language(code, interface, name):
    assert language_name(code, interface) == name
