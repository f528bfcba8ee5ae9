"""The search page (``/search/?q=``) and the user's saved searches. Thin: the search
selector decides what is found and who may search; the services write and audit."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.models import User
from readmit.audit.reads import personal_data_read
from readmit.core.errors import ValidationFailed
from readmit.search.selectors import (
    SearchResult,
    access_saved_search,
    saved_searches,
    search_gate,
    search_people,
)
from readmit.search.services import NAME_MAX, QUERY_MAX, saved_search_create, saved_search_delete
from readmit.web.errors import application_errors, field_message
from readmit.web.forms import StrictForm

# How each way of meeting a name reads on the page.
HOW = {
    "same letters": gettext_lazy("same letters"),
    "sounds alike": gettext_lazy("sounds alike"),
    "same consonants in another script": gettext_lazy("same consonants in another script"),
    "starts with": gettext_lazy("starts with"),
}
FIELDS = {
    "name": gettext_lazy("name as written"),
    "latin": gettext_lazy("Latin form"),
    "alias": gettext_lazy("alias"),
    "former": gettext_lazy("former name"),
    "birth": gettext_lazy("name at birth"),
    "script": gettext_lazy("name in another script"),
    "case reference": gettext_lazy("case reference"),
    "sending state's id": gettext_lazy("sending state's id"),
    "identity document number": gettext_lazy("identity document number"),
}


class SearchForm(StrictForm):
    q = forms.CharField(
        label=gettext_lazy("Find a person"),
        required=False,
        max_length=QUERY_MAX,
        help_text=gettext_lazy(
            "A name in any script or Latin form, an alias, a case reference or a document number"
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SavedSearchForm(StrictForm):
    name = forms.CharField(label=gettext_lazy("Save this search as"), max_length=NAME_MAX)
    query = forms.CharField(max_length=QUERY_MAX, widget=forms.HiddenInput)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _reasons(result: SearchResult) -> list[tuple[object, list[str]]]:
    rows: list[tuple[object, list[str]]] = []
    for hit in result.hits:
        lines = []
        for why in hit.why:
            field = FIELDS.get(why["field"], why["field"])
            if "word" in why:
                lines.append(
                    _("“%(word)s”: %(how)s as “%(part)s” (%(field)s)")
                    % {
                        "word": why["word"],
                        "how": HOW[why["how"]],
                        "part": why["part"],
                        "field": field,
                    }
                )
            else:
                lines.append(str(field))
        rows.append((hit, lines))
    return rows


def _page(
    request: HttpRequest, form: SearchForm, save_form: SavedSearchForm | None = None
) -> HttpResponse:
    user = _user(request)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    result = search_people(user, query) if query else None
    if result is not None:
        personal_data_read(user=user, cases=[h.case for h in result.hits], channel="page-search")
    context = {
        "form": form,
        "result": result,
        "rows": _reasons(result) if result is not None else [],
        "saved": saved_searches(user),
        "save_form": save_form or SavedSearchForm(initial={"query": query}),
    }
    return render(request, "web/search.html", context, status=422 if save_form else 200)


@require_GET
@login_required
@application_errors
def search(request: HttpRequest) -> HttpResponse:
    search_gate(_user(request))
    return _page(request, SearchForm(request.GET or None))


@require_POST
@login_required
@application_errors
def saved_search_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    search_gate(user)
    form = SavedSearchForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            saved = saved_search_create(
                acting_user=user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except ValidationFailed as exc:
            for error in exc.errors:
                form.add_error(str(error["loc"][0]), field_message(error))
        else:
            messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
            return redirect(f"{reverse('web:search')}?{urlencode({'q': saved.query})}")
    return _page(request, SearchForm({"q": query}), form)


@require_GET
@login_required
@application_errors
def saved_search_run(request: HttpRequest, saved_search_id: uuid.UUID) -> HttpResponse:
    saved = access_saved_search(_user(request), saved_search_id)
    return redirect(f"{reverse('web:search')}?{urlencode({'q': saved.query})}")


@require_POST
@login_required
@application_errors
def saved_search_delete_view(request: HttpRequest, saved_search_id: uuid.UUID) -> HttpResponse:
    saved_search_delete(acting_user=_user(request), saved_search_id=saved_search_id)
    messages.success(request, _("The saved search is deleted."))
    return redirect(reverse("web:search"))


urlpatterns = [
    path("search/", search, name="search"),
    path("search/saved/", saved_search_create_view, name="saved_search_create"),
    path("search/saved/<uuid:saved_search_id>/", saved_search_run, name="saved_search"),
    path(
        "search/saved/<uuid:saved_search_id>/delete/",
        saved_search_delete_view,
        name="saved_search_delete",
    ),
]
