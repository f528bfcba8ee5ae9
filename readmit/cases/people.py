"""Changing a person's record after it was recorded: names, other names, birth, sex,
nationalities, languages and identity documents.

Only caseworkers and supervisors of the organisation that recorded the person (its owner,
the sending party) change it: the other party of the agreement is refused (``wrong-party``),
a caller who cannot see the case gets ``NotFound`` from the case gate. A person whose case is
closed, or whose personal data the retention purge removed, is not changed
(``case-closed``, ``anonymised``). Every change bumps the version of the person's cases (the
case's ETag) and is audited in the same transaction with the names of the fields that
changed, never their values (the audit log outlives the retention purge).

Names, other names, birth date, nationalities and documents are what screening and the
duplicate finder match on: a change of any of them screens the case again in the background
(``readmit.screening.services.case_screen_on_person_change``); the criteria are evaluated
again when that run finishes. The duplicate finder is run again for that person alone, in the
background once the change is committed (``readmit.screening.duplicates
.duplicates_find_for_person``): a new name or document can make them someone else's double.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from readmit.accounts.access import Standing, access_case, standing
from readmit.accounts.models import User
from readmit.agreements import vocabularies
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.applications import is_latin
from readmit.cases.models import (
    Case,
    EvidenceItem,
    IdentityDocument,
    NameKind,
    Person,
    PersonName,
    Sex,
)
from readmit.cases.workflow import WORKERS
from readmit.core.countries import normalise_code
from readmit.core.errors import (
    N_,
    Forbidden,
    NotFound,
    PreconditionFailed,
    TransitionRefused,
    ValidationFailed,
    field_error,
)
from readmit.core.models import Country
from readmit.relocation.lists import parse_birth_date
from readmit.search.services import search_terms_refresh

NAME_MAX = 200
DOCUMENT_NUMBER_MAX = 40
LANGUAGE_MAX = 80
LIST_MAX = 50

NAME_FIELDS = ("given_names", "family_name", "given_names_latin", "family_name_latin")
EDITABLE = (
    *NAME_FIELDS,
    "other_names",
    "birth_date",
    "place_of_birth",
    "sex",
    "nationalities",
    "languages",
)
# What screening and the duplicate finder match on: a change screens the case again.
MATCHED = frozenset({*NAME_FIELDS, "other_names", "birth_date", "nationalities"})


@dataclass(frozen=True)
class OtherNameInput:
    kind: str
    family_name: str
    given_names: str = ""


@dataclass(frozen=True)
class PersonChange:
    """The validated new values of the fields sent (a field not sent is not in ``fields``)."""

    fields: Mapping[str, Any]


def _text(value: Any, loc: Sequence[str | int], *, required: bool, limit: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(
            loc,
            N_("%(field)s: must be text; nothing was changed."),
            N_("must be text"),
        )
    value = value.strip()
    if required and not value:
        raise _invalid(
            loc,
            N_("%(field)s: is required; nothing was changed."),
            N_("is required"),
        )
    if len(value) > limit:
        raise _invalid(
            loc,
            N_("%(field)s: is longer than %(limit)s characters; nothing was changed."),
            N_("is longer than %(limit)s characters"),
            limit=limit,
        )
    return str(value)


def _invalid(loc: Sequence[str | int], detail: str, msg: str, **params: Any) -> ValidationFailed:
    """A refusal naming one field: ``detail`` the whole sentence (``%(field)s: ...``), ``msg``
    the field's own part; both marked ids filled with ``params``."""
    return ValidationFailed(
        detail,
        params={"field": ".".join(str(p) for p in loc), **params},
        errors=[field_error(loc, msg, **params)],
    )


def _countries(values: Any, loc: str) -> list[str]:
    if not isinstance(values, list) or len(values) > LIST_MAX:
        raise _invalid(
            [loc],
            N_("%(field)s: must be a list of at most %(most)s country codes; nothing was changed."),
            N_("must be a list of at most %(most)s country codes"),
            most=LIST_MAX,
        )
    codes: list[str] = []
    for index, value in enumerate(values):
        try:
            codes.append(normalise_code(value if isinstance(value, str) else ""))
        except LookupError:
            raise _invalid(
                [loc, index],
                N_("%(field)s: '%(value)s' is not a country code; nothing was changed."),
                N_("'%(value)s' is not a country code"),
                value=value,
            ) from None
    return list(dict.fromkeys(codes))


def person_change_validate(person: Person, changes: Mapping[str, Any]) -> PersonChange:
    """Check every field sent against the rules a new record meets; ``ValidationFailed``
    naming the first bad field. Pure: reads ``person`` only to check the Latin forms."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise _invalid(
            [unknown[0]],
            N_("%(field)s: is not a field of the person (%(fields)s); nothing was changed."),
            N_("is not a field of the person (%(fields)s)"),
            fields=", ".join(EDITABLE),
        )
    if not changes:
        raise ValidationFailed(
            N_("Send at least one field to change; nothing was changed."),
            errors=[
                field_error([], N_("send at least one of %(fields)s"), fields=", ".join(EDITABLE))
            ],
        )
    out: dict[str, Any] = {}
    for name in NAME_FIELDS:
        if name in changes:
            out[name] = _text(changes[name], [name], required=name == "family_name", limit=NAME_MAX)
    for name in ("given_names", "family_name"):
        written = out.get(name, getattr(person, name))
        latin = out.get(f"{name}_latin", getattr(person, f"{name}_latin"))
        if latin and not is_latin(latin):
            raise _invalid(
                [f"{name}_latin"],
                N_(
                    "%(field)s: the Latin form must be written in Latin letters; nothing was "
                    "changed."
                ),
                N_("the Latin form must be written in Latin letters"),
            )
        if written and not latin and not is_latin(written):
            raise _invalid(
                [f"{name}_latin"],
                N_(
                    "%(field)s: is required: the name is not written in Latin script, so its "
                    "Latin form must be given; nothing was changed."
                ),
                N_(
                    "is required: the name is not written in Latin script, so its Latin form "
                    "must be given"
                ),
            )
    if "other_names" in changes:
        raw = changes["other_names"]
        if not isinstance(raw, list) or len(raw) > LIST_MAX:
            raise _invalid(
                ["other_names"],
                N_("%(field)s: must be a list of at most %(most)s names; nothing was changed."),
                N_("must be a list of at most %(most)s names"),
                most=LIST_MAX,
            )
        names: list[OtherNameInput] = []
        for index, item in enumerate(raw):
            if not isinstance(item, Mapping):
                raise _invalid(
                    ["other_names", index],
                    N_("%(field)s: must be {kind, given_names, family_name}; nothing was changed."),
                    N_("must be {kind, given_names, family_name}"),
                )
            kind = item.get("kind")
            if kind not in NameKind.values:
                raise _invalid(
                    ["other_names", index, "kind"],
                    N_("%(field)s: '%(value)s' is not one of %(choices)s; nothing was changed."),
                    N_("'%(value)s' is not one of %(choices)s"),
                    value=kind,
                    choices=", ".join(NameKind.values),
                )
            names.append(
                OtherNameInput(
                    kind=str(kind),
                    given_names=_text(
                        item.get("given_names"),
                        ["other_names", index, "given_names"],
                        required=False,
                        limit=NAME_MAX,
                    ),
                    family_name=_text(
                        item.get("family_name"),
                        ["other_names", index, "family_name"],
                        required=True,
                        limit=NAME_MAX,
                    ),
                )
            )
        out["other_names"] = names
    if "birth_date" in changes:
        value = changes["birth_date"]
        if value in (None, ""):
            out["birth_date"] = (None, None, None)
        elif not isinstance(value, str):
            raise _invalid(
                ["birth_date"],
                N_("%(field)s: must be text: YYYY, YYYY-MM or YYYY-MM-DD; nothing was changed."),
                N_("must be text: YYYY, YYYY-MM or YYYY-MM-DD"),
            )
        else:
            try:
                out["birth_date"] = parse_birth_date(value)
            except ValueError:
                # One whole sentence for every way the date can be wrong (parse_birth_date's
                # own reasons are English fragments).
                raise _invalid(
                    ["birth_date"],
                    N_(
                        "%(field)s: '%(value)s' is not a date of birth (YYYY, YYYY-MM or "
                        "YYYY-MM-DD, a real date from 1900 on); nothing was changed."
                    ),
                    N_(
                        "'%(value)s' is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD, a "
                        "real date from 1900 on)"
                    ),
                    value=value,
                ) from None
    if "place_of_birth" in changes:
        out["place_of_birth"] = _text(
            changes["place_of_birth"], ["place_of_birth"], required=False, limit=NAME_MAX
        )
    if "sex" in changes:
        if changes["sex"] not in Sex.values:
            raise _invalid(
                ["sex"],
                N_("%(field)s: '%(value)s' is not one of %(choices)s; nothing was changed."),
                N_("'%(value)s' is not one of %(choices)s"),
                value=changes["sex"],
                choices=", ".join(Sex.values),
            )
        out["sex"] = changes["sex"]
    if "nationalities" in changes:
        out["nationalities"] = _countries(changes["nationalities"], "nationalities")
    if "languages" in changes:
        raw = changes["languages"]
        if not isinstance(raw, list) or len(raw) > LIST_MAX:
            raise _invalid(
                ["languages"],
                N_("%(field)s: must be a list of at most %(most)s languages; nothing was changed."),
                N_("must be a list of at most %(most)s languages"),
                most=LIST_MAX,
            )
        out["languages"] = list(
            dict.fromkeys(
                _text(v, ["languages", i], required=True, limit=LANGUAGE_MAX)
                for i, v in enumerate(raw)
            )
        )
    return PersonChange(fields=out)


# What the gate refuses, by what the caller is doing: one whole sentence each (wrong party,
# wrong role), so that each reads naturally in every language.
_GATE = {
    "changes their record": (
        N_("Only the party that recorded the person changes their record."),
        N_("Only a caseworker or supervisor changes their record."),
    ),
    "adds their documents": (
        N_("Only the party that recorded the person adds their documents."),
        N_("Only a caseworker or supervisor adds their documents."),
    ),
    "removes their documents": (
        N_("Only the party that recorded the person removes their documents."),
        N_("Only a caseworker or supervisor removes their documents."),
    ),
}


def person_edit_gate(acting_user: User, case: Case, what: str = "changes their record") -> Standing:
    """Who may change the case's person, and whether it may still change: ``Forbidden``
    (``wrong-party``, ``wrong-role``) or ``TransitionRefused`` (``anonymised``,
    ``case-closed``). The caller has passed the case gate."""
    position = standing(acting_user, case.agreement)
    if position.organisation_id != case.person.owner_id:
        raise Forbidden(_GATE[what][0], type="wrong-party")
    if not position.roles & WORKERS:
        raise Forbidden(_GATE[what][1], type="wrong-role")
    if case.person.anonymised_at is not None:
        raise TransitionRefused(
            N_("The retention purge removed this person's personal data: it cannot be changed."),
            rule="anonymised",
        )
    if case.closed_at is not None:
        raise TransitionRefused(
            N_("Case %(case)s is closed: its person's record is no longer changed."),
            params={"case": case.reference},
            rule="case-closed",
        )
    return position


def person_editable(acting_user: User, case: Case) -> bool:
    """Whether ``person_edit_gate`` lets the caller change the case's person now (to offer
    the form or not)."""
    try:
        person_edit_gate(acting_user, case)
    except (Forbidden, TransitionRefused):
        return False
    return True


def _touch(person: Person, case: Case, fields: Sequence[str]) -> None:
    """Save the person (its ``updated_at`` is its ETag) and bump the version of every case of
    theirs: each shows the person."""
    person.save(update_fields=[*fields, "updated_at"])
    for other in Case.objects.select_for_update().filter(person=person).order_by("id"):
        other.version += 1
        other.save(update_fields=["version", "updated_at"])
    case.refresh_from_db(fields=["version", "updated_at"])


def _screen_again(case: Case, acting_user: User, organisation_id: uuid.UUID | None) -> None:
    from readmit.screening.services import case_screen_on_person_change

    case_screen_on_person_change(
        case=case, acting_user=acting_user, organisation_id=organisation_id
    )


def _find_duplicates_again(person: Person, acting_user: User) -> None:
    from readmit.screening.tasks import duplicates_person_task

    person_id, user_id = str(person.id), acting_user.pk
    transaction.on_commit(lambda: duplicates_person_task.enqueue(person_id, user_id))


def _other_names(person: Person) -> list[tuple[str, str, str]]:
    return [
        (n.kind, n.given_names, n.family_name)
        for n in person.other_names.order_by("created_at", "id")
    ]


def person_update(*, case: Case, changes: Mapping[str, Any], acting_user: User) -> Person:
    """Change the fields sent of the case's person; ``changes`` maps field names
    (``EDITABLE``) to raw values, validated here (``ValidationFailed`` naming the field,
    nothing written). Answers the person as saved. Fields sent with the value they have are
    not counted as changed; a change of a matched field screens the case again."""
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        position = person_edit_gate(acting_user, case, "changes their record")
        person = Person.objects.select_for_update().get(id=case.person_id)
        case.person = person
        change = person_change_validate(person, changes)
        changed: list[str] = []
        saved: list[str] = []
        for name, value in change.fields.items():
            if name in (*NAME_FIELDS, "place_of_birth", "sex", "languages"):
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    changed.append(name)
                    saved.append(name)
            elif name == "birth_date":
                before = (person.birth_year, person.birth_month, person.birth_day)
                if before != value:
                    person.birth_year, person.birth_month, person.birth_day = value
                    changed.append(name)
                    saved.extend(["birth_year", "birth_month", "birth_day"])
            elif name == "nationalities":
                before_codes = sorted(c.code for c in person.nationalities.all())
                if before_codes != sorted(value):
                    person.nationalities.set(Country.objects.filter(code__in=value))
                    changed.append(name)
            elif name == "other_names":
                wanted = [(n.kind, n.given_names, n.family_name) for n in value]
                if _other_names(person) != wanted:
                    person.other_names.all().delete()
                    PersonName.objects.bulk_create(
                        PersonName(person=person, kind=k, given_names=g, family_name=f)
                        for k, g, f in wanted
                    )
                    changed.append(name)
        if not changed:
            return person
        _touch(person, case, saved)
        if {*NAME_FIELDS, "other_names"} & set(changed):
            search_terms_refresh(person_ids=[person.id])
        audit_record(
            event_type=AuditEventType.PERSON_UPDATED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="person",
            object_id=str(person.id),
            # Field names only: the audit log outlives the retention purge, so it names no one.
            data={"changed": sorted(changed)},
        )
        if MATCHED & set(changed):
            _screen_again(case, acting_user, position.organisation_id)
            _find_duplicates_again(person, acting_user)
    return person


@dataclass(frozen=True)
class DocumentAdd:
    type: str
    number: str
    issuing_country: str
    issued_on: Any = None
    expires_on: Any = None
    is_copy: bool = False


def person_document_add(
    *, case: Case, document: DocumentAdd, acting_user: User
) -> IdentityDocument:
    """Add an identity document to the case's person (its number is encrypted at rest and
    found by its blind index); the case is screened again."""
    if document.type not in vocabularies.DOCUMENT_TYPES:
        raise _invalid(
            ["type"],
            N_("%(field)s: '%(value)s' is not one of %(choices)s; nothing was changed."),
            N_("'%(value)s' is not one of %(choices)s"),
            value=document.type,
            choices=", ".join(vocabularies.DOCUMENT_TYPES),
        )
    number = _text(document.number, ["number"], required=True, limit=DOCUMENT_NUMBER_MAX)
    try:
        country = normalise_code(document.issuing_country)
    except LookupError:
        raise _invalid(
            ["issuing_country"],
            N_("%(field)s: '%(value)s' is not a country code; nothing was changed."),
            N_("'%(value)s' is not a country code"),
            value=document.issuing_country,
        ) from None
    if document.issued_on and document.expires_on and document.expires_on < document.issued_on:
        raise _invalid(
            ["expires_on"],
            N_("%(field)s: is before issued_on; nothing was changed."),
            N_("is before issued_on"),
        )
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        position = person_edit_gate(acting_user, case, "adds their documents")
        person = Person.objects.select_for_update().get(id=case.person_id)
        added = IdentityDocument(
            person=person,
            type=document.type,
            number=number,
            issuing_country_id=country,
            issued_on=document.issued_on,
            expires_on=document.expires_on,
            is_copy=document.is_copy,
        )
        added.save()
        _touch(person, case, [])
        audit_record(
            event_type=AuditEventType.PERSON_DOCUMENT_ADDED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="identity_document",
            object_id=str(added.id),
            data={"type": added.type, "documents": person.documents.count()},
        )
        _screen_again(case, acting_user, position.organisation_id)
        _find_duplicates_again(person, acting_user)
    return added


def person_document_remove(*, case: Case, document_id: uuid.UUID | str, acting_user: User) -> None:
    """Remove an identity document of the case's person (one recorded in error). A document
    used as evidence of nationality is kept: flag it false instead (``document-in-use``)."""
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        position = person_edit_gate(acting_user, case, "removes their documents")
        person = Person.objects.select_for_update().get(id=case.person_id)
        try:
            pk = uuid.UUID(str(document_id))
        except ValueError:
            raise NotFound(N_("No such document.")) from None
        document = IdentityDocument.objects.filter(person=person, id=pk).first()
        if document is None:
            raise NotFound(N_("No such document."))
        if EvidenceItem.objects.filter(document=document).exists():
            raise TransitionRefused(
                N_("The document is evidence of nationality on a case: it is kept."),
                rule="document-in-use",
            )
        kind = document.type
        document.delete()
        _touch(person, case, [])
        audit_record(
            event_type=AuditEventType.PERSON_DOCUMENT_REMOVED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="identity_document",
            object_id=str(pk),
            data={"type": kind, "documents": person.documents.count()},
        )
        _screen_again(case, acting_user, position.organisation_id)


def person_version(person: Person) -> str:
    """The person's version as a form carries it: the microsecond of its last change (the
    same stamp as its API ``ETag``)."""
    return str(int(person.updated_at.timestamp() * 1_000_000))


def person_edit(
    *,
    case: Case,
    changes: Mapping[str, Any],
    acting_user: User,
    expected_version: str,
    add_document: DocumentAdd | None = None,
    remove_documents: Sequence[uuid.UUID | str] = (),
) -> Person:
    """The person form of the web: ``person_update`` with ``changes`` (validated as the API
    PATCH validates them), then the documents removed and the one added, all in one
    transaction (a refusal of any part writes nothing). ``expected_version`` is the
    ``person_version`` the form was loaded with: a person changed since is refused
    (``PreconditionFailed``) and nothing is written, as a stale ``If-Match`` is."""
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        person_edit_gate(acting_user, case, "changes their record")
        person = Person.objects.select_for_update().get(id=case.person_id)
        if person_version(person) != expected_version:
            raise PreconditionFailed(
                N_(
                    "This person's record was changed by someone else since you opened the "
                    "form; nothing was saved. Your changes are still in the form: check the "
                    "record as it is now, then save again."
                )
            )
        if changes:
            person = person_update(case=case, changes=changes, acting_user=acting_user)
        for document_id in remove_documents:
            person_document_remove(case=case, document_id=document_id, acting_user=acting_user)
        if add_document is not None:
            person_document_add(case=case, document=add_document, acting_user=acting_user)
        person.refresh_from_db()
    return person
