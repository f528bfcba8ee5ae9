"""No English left on a translated page (issue #14: "a test fails on any untranslated string of
a shipped language"; "every main journey can be done in each interface language").

A caseworker's main pages are rendered in English and in each interface language; a visible
text (a text node, or a ``title``/``aria-label``/``placeholder``/``alt``) is English left over
when it is on both renders and is a message id of our catalogues that the language translates
otherwise. Data is never a message id (names, references, codes, organisation and agreement
titles), and names sit in elements marked ``lang`` or ``dir="auto"``, which are skipped: so
there is no allowlist to keep.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from readmit.accounts.services import user_set_language
from readmit.cases.applications import ApplicationIn
from readmit.cases.intake import readmission_application_submit
from readmit.web.i18n.markup import VISIBLE_ATTRIBUTES
from tests.exchange.test_applications import TERMS, application
from tests.factories import log_in, make_agreement, make_case
from tests.relocation.conftest import SAMPLE_PATH

SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
_SKIPPED = frozenset({"script", "style", "code", "pre", "kbd", "samp", "template"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_LETTER = re.compile(r"[^\W\d_]")
_SPACE = re.compile(r"\s+")


class _Texts(HTMLParser):
    """The visible texts of a page, each whitespace-normalised, outside data-marked elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: set[str] = set()
        self._stack: list[bool] = []  # per open element: is its content skipped

    def _skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1]

    def _add(self, text: str) -> None:
        text = _SPACE.sub(" ", text).strip()
        if _LETTER.search(text):
            self.texts.add(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        skip = (
            self._skipping()
            or tag in _SKIPPED
            or ("lang" in named and tag != "html")
            or named.get("dir") == "auto"
        )
        if not skip:
            for name in VISIBLE_ATTRIBUTES:
                if named.get(name):
                    self._add(str(named[name]))
        if tag not in _VOID:
            self._stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping():
            named = dict(attrs)
            for name in VISIBLE_ATTRIBUTES:
                if named.get(name):
                    self._add(str(named[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._add(data)


def visible_texts(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    parser.close()
    return parser.texts


def english_left(page: str, english: str, code: str) -> list[str]:
    """The texts of ``page`` (in language ``code``) that are on the English render too and are
    a message id the language's catalogue gives otherwise."""
    same = visible_texts(page) & visible_texts(english)
    with translation.override(code):
        return sorted(t for t in same if translation.gettext(t) != t)


# The check itself -----------------------------------------------------------------------------


def test_the_check_finds_an_unmarked_english_sentence_and_leaves_data_and_names_alone():
    english = (
        '<p>Cases</p><p title="Cases">x</p><span lang="sr">Cases</span>'
        '<span dir="auto">Cases</span><code>Cases</code><td>US-2026-0001</td><p>Ana</p>'
    )
    translated = english.replace("<p>Cases</p>", "<p>Pratiche</p>")
    # The title is English left; the names and the code are data; "Pratiche" is translated.
    assert english_left(translated, english, "it") == ["Cases"]
    assert english_left(english, english, "it") == ["Cases"]
    fixed = translated.replace('title="Cases"', 'title="Pratiche"')
    assert english_left(fixed, english, "it") == []


# The pages of a caseworker's journey ------------------------------------------------------------


def _pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    """The main pages of the US caseworker: overview, inbox, lists, a case of each kind, a
    proposal list, search, notifications, dashboards."""
    user = world.user("us_caseworker")
    relocation = make_case(world.agreement, family_name="Ђурђевић", given_names="Милица")
    readmission = readmission_application_submit(
        agreement=make_agreement(world.us, world.me, kind="readmission", terms=TERMS),
        application=ApplicationIn.model_validate(application("DHS-I18N-1")),
        acting_user=user,
    ).case
    client = Client()
    log_in(client, user)
    upload = client.post(
        f"/agreements/{world.agreement.id}/lists/new/",
        {
            "reference": "US-XK-I18N-1",
            "file": SimpleUploadedFile("list.csv", SAMPLE_PATH.read_bytes()),
        },
    )
    assert upload.status_code == 302, upload.content.decode()[:500]
    return [
        "/",
        "/inbox/",
        "/cases/",
        f"/cases/{relocation.id}/",
        f"/cases/{readmission.id}/",
        upload["Location"],
        "/search/?q=Quintero",
        "/notifications/",
        "/dashboards/",
        f"/agreements/{world.agreement.id}/",
        "/profile/",
    ]


def _render(client: Client, user, code: str, paths: list[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user_set_language(user=user, language=code, acting_user=user)
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (code, path, response.status_code)
        assert response["Content-Language"] == code, (path, response["Content-Language"])
        pages[path] = response.content.decode()
    return pages


@pytest.mark.parametrize("code", SHIPPED)
def test_no_english_is_left_on_the_main_pages_of_a_caseworker(world, code):
    paths = _pages(world)
    found = {}
    # The sending side's caseworker walks every page; the receiving sides' (who decide) the
    # overview, the inbox, the case list and the cases and list they decide on.
    walks = (
        ("us_caseworker", paths),
        ("xk_caseworker", paths[:4] + paths[5:6]),
        ("me_caseworker", [*paths[:3], paths[4]]),
    )
    for key, theirs in walks:
        user = world.user(key)
        client = log_in(Client(), user)
        english = _render(client, user, "en", theirs)
        local = _render(client, user, code, theirs)
        for path in theirs:
            if left := english_left(local[path], english[path], code):
                found[f"{key} {path}"] = left
    assert found == {}, "\n".join(f"{path}: {left}" for path, left in found.items())


# Field messages with values -------------------------------------------------------------------


def test_a_field_message_with_values_is_english_for_the_api_and_translated_on_pages():
    from readmit.cases.people import EDITABLE, person_change_validate
    from readmit.core.errors import ValidationFailed
    from readmit.web.errors import field_message

    with pytest.raises(ValidationFailed) as refused:
        person_change_validate(None, {})  # type: ignore[arg-type]
    error = refused.value.errors[0]
    assert error["msg"] == f"send at least one of {', '.join(EDITABLE)}"
    with translation.override("it"):
        assert field_message(error) == f"inviare almeno uno tra: {', '.join(EDITABLE)}"
    with translation.override("sr"):
        assert field_message(error).startswith("пошаљите")
    # A message nobody marked stays as it was raised.
    assert field_message({"loc": ["x"], "msg": "not a marked message"}) == "not a marked message"
