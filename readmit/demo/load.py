"""Load the fictional demo: the four arrangements of the seed article, through the services.

``readmit demo`` (and ``make demo``) call :func:`demo_load` and print :func:`format_logins`.

- Everything goes through the services (``organisation_create``, ``user_create``,
  ``agreement_create`` ... ``case_transition``), so the audit log holds every step and
  ``readmit audit verify`` passes after loading. The whole load is one transaction: it
  happens completely or not at all, and ends with one ``DEMO_LOADED`` audit event.
- Idempotent: when that event exists, nothing is loaded and the logins are answered again.
- Deterministic: the people come from ``random.Random(people.SEED)``; dates are relative to
  ``clock.today()``, so ages, quota periods and deadlines stay live whenever it is loaded.
- Production safety: refuses unless ``settings.DEBUG`` is on or ``READMIT_ALLOW_DEMO=1``.
- ``reset=True`` wipes the WHOLE database (``flush``: every table, the audit log included,
  whose chain then restarts from its genesis), reloads the country reference data the
  migration loaded, and loads the demo again. Only with ``settings.DEBUG`` on: the
  environment variable does not unlock it.

All people are fictional (see :mod:`readmit.demo.people`). The diplomatic record paraphrases
the seed article (Vijesti, quoting RFE/RL and Bloomberg); the article carries no date, so
its statements are placed on the demo's timeline relative to today and each source says so.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction

from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.services import organisation_create, user_create
from readmit.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    ContactChannel,
    Site,
    Stance,
)
from readmit.agreements.services import (
    agreement_create,
    agreement_party_add,
    contact_record,
    position_record,
    site_create,
)
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_record
from readmit.cases.deadlines import calendar_for
from readmit.cases.models import Case, Deadline, Person
from readmit.cases.services import (
    DocumentInput,
    PersonInput,
    case_open,
    case_transition,
    person_create,
)
from readmit.core import clock
from readmit.core.countries import all_countries
from readmit.core.errors import ApplicationError
from readmit.core.models import Country
from readmit.deadlines import TimeLimit, Unit, due
from readmit.demo import people
from readmit.demo.people import DemoPerson
from readmit.relocation.services import stay_record_return_plan

DEMO_PASSWORD = "readmit-demo"
ALLOW_ENV = "READMIT_ALLOW_DEMO"


class DemoRefused(ApplicationError):
    status = 409
    default_type = "demo-refused"
    title = "Demo data refused"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organisation: str
    country: str
    role: str


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    country: str
    kind: str = "ministry"
    parent: str = ""
    roles: tuple[Role, ...] = tuple(Role)


# Consular missions act for their ministry as liaison officers (consular assistance,
# acknowledging applications, issuing travel documents); decisions, audit and user
# administration stay with the ministries, so missions get only the liaison login.
ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("us-dhs", "Department of Homeland Security", "US"),
    OrgSpec("us-state", "Department of State", "US"),
    OrgSpec("xk-mia", "Ministry of Internal Affairs", "XK"),
    OrgSpec("me-mup", "Ministry of Interior", "ME"),
    OrgSpec("me-mfa", "Ministry of Foreign Affairs", "ME"),
    OrgSpec(
        "me-consulate-ny",
        "Consulate General of Montenegro in New York",
        "ME",
        kind="mission",
        parent="me-mfa",
        roles=(Role.LIAISON,),
    ),
    OrgSpec(
        "me-embassy-dc",
        "Embassy of Montenegro in Washington",
        "ME",
        kind="mission",
        parent="me-mfa",
        roles=(Role.LIAISON,),
    ),
    OrgSpec("it-interior", "Ministry of the Interior", "IT"),
    OrgSpec("al-interior", "Ministry of Interior", "AL"),
    OrgSpec("rs-mup", "Ministry of Interior", "RS"),
)

KOSOVO_SOURCE = (
    'Kosovo Government spokesperson to RFE/RL, as reported by Vijesti: "Over a one-year '
    "period, up to 50 individuals may be temporarily relocated, with the aim of facilitating "
    "their safe return to their country of origin. The government has expressed its "
    "readiness to engage, with the possibility of selecting individuals from a proposed "
    "list, provided that they meet certain criteria related to the rule of law and public "
    'order." Terms beyond the statement are fictional demo settings.'
)


def demo_logins() -> list[DemoLogin]:
    """Every demo login: one per organisation and role, all with the shared demo password."""
    return [
        DemoLogin(
            username=f"{org.slug}-{role.value}",
            password=DEMO_PASSWORD,
            organisation=org.name,
            country=org.country,
            role=role.value,
        )
        for org in ORGANISATIONS
        for role in org.roles
    ]


def format_logins(logins: Sequence[DemoLogin]) -> str:
    """A plain-text table: one header line, then one aligned line per login."""
    header = ("USERNAME", "PASSWORD", "ORGANISATION", "COUNTRY", "ROLE")
    rows = [header] + [(x.username, x.password, x.organisation, x.country, x.role) for x in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def demo_loaded() -> bool:
    return AuditEvent.objects.filter(event_type=AuditEventType.DEMO_LOADED).exists()


def demo_load(*, reset: bool = False) -> list[DemoLogin]:
    """Load the demo once and answer its logins (see the module docstring for the rules)."""
    _check_allowed()
    if reset:
        _reset_database()
    if demo_loaded():
        return demo_logins()
    existing = sorted(
        Organisation.objects.filter(slug__in=[o.slug for o in ORGANISATIONS]).values_list(
            "slug", flat=True
        )
    )
    if existing:
        raise DemoRefused(
            f"Organisations with demo slugs already exist ({', '.join(existing)}) but the demo "
            "was never loaded here: refusing to mix demo data with real records. Use a fresh "
            "database, or `readmit demo --reset` on a development database."
        )
    with transaction.atomic():
        _Loader(clock.today()).run()
    return demo_logins()


def _check_allowed() -> None:
    if settings.DEBUG or os.environ.get(ALLOW_ENV) == "1":
        return
    raise DemoRefused(
        "Refusing to load the demo data: DEBUG is off, so this may be a production database, "
        "and the demo adds users with a published password. Set READMIT_ALLOW_DEMO=1 to load "
        "it anyway."
    )


def _reset_database() -> None:
    if not settings.DEBUG:
        raise DemoRefused(
            "Refusing to reset: --reset wipes the whole database (audit log "
            "included) and is allowed only with DEBUG on."
        )
    call_command("flush", interactive=False, verbosity=0)
    # flush empties the country table the first migration filled; put it back.
    Country.objects.bulk_create(
        [
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        ],
        ignore_conflicts=True,
    )


def _demo_source(outlet: str, day: dt.date) -> str:
    return f"{outlet}, {day.isoformat()} (date on the demo timeline)"


class _Loader:
    """One pass over the demo content; call :meth:`run` inside a transaction."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(people.SEED)
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.agreements: dict[str, Agreement] = {}
        self.sites: dict[str, Site] = {}
        self.states: Counter[str] = Counter()
        # The seed article's day, placed on the demo timeline: before the Kosovo arrangement
        # (in force about four months ago) was negotiated.
        self.article_day = today - dt.timedelta(days=170)

    def user(self, slug: str, role: Role) -> User:
        return self.users[f"{slug}-{role.value}"]

    def run(self) -> None:
        self.load_organisations()
        self.load_kosovo()
        self.load_montenegro()
        self.load_italy_albania()
        self.load_serbia()
        audit_record(
            event_type=AuditEventType.DEMO_LOADED,
            acting_user=None,
            object_type="demo",
            object_id=str(people.SEED),
            data={
                "seed": people.SEED,
                "today": self.today.isoformat(),
                "organisations": len(self.orgs),
                "users": len(self.users),
                "agreements": sorted(self.agreements),
                "cases": dict(sorted(self.states.items())),
            },
        )

    # Organisations and users -----------------------------------------------------------

    def load_organisations(self) -> None:
        # Hash the shared password once: Argon2 for each of ~40 users would take seconds.
        # The users are created through user_create (audited) without a password, then given
        # this hash; the password itself never reaches the audit log.
        hashed = make_password(DEMO_PASSWORD)
        for spec in ORGANISATIONS:
            self.orgs[spec.slug] = organisation_create(
                name=spec.name,
                slug=spec.slug,
                country_code=spec.country,
                kind=spec.kind,
                parent=self.orgs[spec.parent] if spec.parent else None,
                acting_user=None,
            )
        for spec in ORGANISATIONS:
            for role in spec.roles:
                username = f"{spec.slug}-{role.value}"
                user = user_create(
                    username=username,
                    password=None,
                    organisation=self.orgs[spec.slug],
                    roles=[role],
                    display_name=f"Demo {role.label.lower()}, {spec.name}",
                    acting_user=None,
                )
                user.password = hashed
                user.save(update_fields=["password"])
                self.users[username] = user

    # Cases: shared helpers -------------------------------------------------------------

    def person(self, spec: DemoPerson, *, owner: Organisation, by: User) -> Person:
        year, month, day = spec.birth
        data = PersonInput(
            family_name=spec.family_name,
            given_names=spec.given_names,
            family_name_latin=spec.family_name_latin,
            given_names_latin=spec.given_names_latin,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            place_of_birth=spec.place_of_birth,
            sex=spec.sex,
            nationalities=spec.nationalities,
            languages=spec.languages,
            documents=tuple(
                DocumentInput(
                    type=d.type,
                    number=d.number,
                    issuing_country=d.country,
                    is_copy=d.is_copy,
                    flagged_false=d.flagged_false,
                )
                for d in spec.documents
            ),
            convictions=spec.convictions,
            pending_criminal_case=spec.pending_criminal_case,
            vulnerabilities=spec.vulnerabilities,
        )
        return person_create(data=data, owner=owner, acting_user=by)

    def open_case(self, agreement: Agreement, spec: DemoPerson, *, sender: str, by: User) -> Case:
        owner = self.orgs[sender]
        person = self.person(spec, owner=owner, by=by)
        return case_open(
            agreement=agreement,
            person=person,
            acting_user=by,
            organisation=owner,
            external_id=spec.external_id,
            family_group=spec.family_group,
        )

    def act(
        self,
        case: Case,
        steps: Sequence[tuple[str, User]],
        *,
        reason: str = "",
        payloads: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Case:
        """Take ``steps`` in order; ``reason`` goes with the last one (decline, hold ...)."""
        for n, (action, by) in enumerate(steps, start=1):
            case = case_transition(
                case_id=case.id,
                action=action,
                acting_user=by,
                reason=reason if n == len(steps) else "",
                payload=(payloads or {}).get(action),
            )
        return case

    def transfer_plan(self, spec: DemoPerson, *, route: str) -> dict[str, Any]:
        """What ``schedule_transfer`` needs: a date after the notice period, route, language."""
        planned_for = dt.datetime.combine(
            self.today + dt.timedelta(days=9), dt.time(9, 0), tzinfo=dt.UTC
        )
        return {
            "planned_for": planned_for.isoformat(),
            "route": route,
            "notice_language": (spec.languages or ("en",))[0],
        }

    # 1. USA → Kosovo relocation ----------------------------------------------------------

    def load_kosovo(self) -> None:
        in_force = self.today - dt.timedelta(days=122)
        agreement = agreement_create(
            reference="us-xk-relocation",
            title="USA–Kosovo temporary relocation of third-country nationals",
            kind=AgreementKind.RELOCATION,
            sending=self.orgs["us-dhs"],
            receiving=self.orgs["xk-mia"],
            status=AgreementStatus.IN_FORCE,
            signed_on=in_force - dt.timedelta(days=10),
            in_force_from=in_force,
            source=KOSOVO_SOURCE,
            acting_user=None,
            terms={
                "quota": {"limit": 50, "period": "rolling_year"},
                "max_stay_days": 365,
                "stay_alert_days": 30,
                "notice_hours": 24,
                "urgent_notice_hours": 6,
                "exclusions": {
                    "minors": True,
                    "unaccompanied_minors": True,
                    "pregnant": True,
                    "vulnerable": True,
                    "families_together": True,
                },
                "criteria": [
                    {
                        "rule": "no_conviction_within_years",
                        "params": {
                            "years": 10,
                            "categories": [
                                "violent",
                                "sexual",
                                "terrorism",
                                "trafficking",
                                "organised_crime",
                            ],
                        },
                        "label": "No conviction for serious crime within 10 years",
                    },
                    # {"rule": "no_watchlist_match"} belongs here too, but until screening
                    # records per-case results it evaluates to "unknown" and every
                    # selection is refused (relocation.services.watchlist_status_for).
                    {
                        "rule": "age_between",
                        "params": {"min": 18, "max": 65},
                        "label": "Adult between 18 and 65",
                    },
                    {
                        "rule": "nationality_in",
                        "params": {"codes": list(people.RELOCATION_NATIONALITIES)},
                        "label": "National of Cuba, Haiti, Nicaragua or Venezuela",
                    },
                    {"rule": "no_pending_criminal_case", "label": "No pending criminal case"},
                    {"rule": "not_excluded_group", "label": "Not in an excluded group"},
                ],
                "data_sharing": {"criminal_data_allowed": True},
            },
        )
        agreement_party_add(
            agreement=agreement,
            organisation=self.orgs["us-state"],
            side="sending",
            acting_user=None,
        )
        self.agreements[agreement.reference] = agreement
        self.kosovo_record(agreement, in_force)
        # The arrangement names no site; arrivals need one, so the demo invents one.
        kosovo_site = site_create(
            agreement=agreement,
            name="Reception facility (fictional)",
            country_code="XK",
            capacity=50,
            location="Pristina",
            acting_user=None,
        )

        dhs = self.user("us-dhs", Role.CASEWORKER)
        xk_worker = self.user("xk-mia", Role.CASEWORKER)
        xk_supervisor = self.user("xk-mia", Role.SUPERVISOR)
        selected = [("recommend", xk_worker), ("select", xk_supervisor)]
        plans: dict[str, list[tuple[str, User]]] = {
            "proposed": [],
            "recommended": [("recommend", xk_worker)],
            "selected": selected,
            "legal_hold": [*selected, ("place_legal_hold", dhs)],
            "transfer_scheduled": [*selected, ("schedule_transfer", dhs)],
            "in_reception": [*selected, ("schedule_transfer", dhs), ("record_arrival", xk_worker)],
            "declined": [("decline", xk_supervisor)],
            "withdrawn": [("withdraw", dhs)],
        }
        hold_reason = (
            "Court challenge: petition for review filed in a US federal court; "
            "transfer stayed until the court decides."
        )
        for spec in people.relocation_people(self.today, self.rng):
            case = self.open_case(agreement, spec, sender="us-dhs", by=dhs)
            reason = hold_reason if spec.story == "legal_hold" else spec.reason
            case = self.act(
                case,
                plans[spec.story],
                reason=reason,
                payloads={
                    "schedule_transfer": self.transfer_plan(
                        spec, route="Charter flight Washington Dulles (IAD) to Pristina (PRN)"
                    ),
                    "record_arrival": {"site": str(kosovo_site.id)},
                    "place_legal_hold": {
                        "kind": "court_challenge",
                        "reference": "Petition for review (fictional docket)",
                    },
                },
            )
            self.states[f"relocation:{case.state}"] += 1

    def kosovo_record(self, agreement: Agreement, in_force: dt.date) -> None:
        day = self.article_day
        article = _demo_source("Vijesti / RFE/RL", day)
        contacts = (
            (
                day - dt.timedelta(days=30),
                "US",
                "XK",
                ContactChannel.EMBASSY,
                "Approached: US State Department regional offices present the idea of "
                "temporarily relocating third-country nationals whose temporary legal status "
                "in the US was revoked.",
                _demo_source("Bloomberg via Vijesti / RFE/RL", day),
            ),
            (
                day - dt.timedelta(days=2),
                "XK",
                "US",
                ContactChannel.PUBLIC_STATEMENT,
                "The interim government says it is ready to cooperate: up to 50 people over "
                "one year, chosen from a proposed list against rule-of-law and public-order "
                "criteria, with the aim of their safe return to their country of origin.",
                article,
            ),
            (
                day + dt.timedelta(days=20),
                "XK",
                "US",
                ContactChannel.MEETING,
                "Negotiating: quota, criteria, maximum stay of one year and notice periods.",
                "Fictional demo step",
            ),
            (
                in_force - dt.timedelta(days=10),
                "US",
                "XK",
                ContactChannel.DIPLOMATIC_NOTE,
                "Signed: exchange of notes on the arrangement.",
                "Fictional demo step",
            ),
        )
        for occurred_on, from_country, to_country, channel, summary, source in contacts:
            contact_record(
                agreement=agreement,
                occurred_on=occurred_on,
                from_country=from_country,
                to_country=to_country,
                channel=channel,
                summary=summary,
                source=source,
                acting_user=None,
            )
        position_record(
            agreement=agreement,
            country="XK",
            stated_on=day - dt.timedelta(days=2),
            stance=Stance.READY,
            statement="Ready to accept and temporarily settle third-country nationals "
            '"in accordance with established conditions": up to 50 individuals '
            "over a one-year period, selected from a proposed list, provided they "
            "meet criteria related to the rule of law and public order.",
            source=article,
            acting_user=None,
        )

    # 2. USA → Montenegro readmission -----------------------------------------------------

    def load_montenegro(self) -> None:
        agreement = agreement_create(
            reference="us-me-readmission",
            title="USA–Montenegro readmission of own nationals",
            kind=AgreementKind.READMISSION,
            sending=self.orgs["us-dhs"],
            receiving=self.orgs["me-mup"],
            status=AgreementStatus.IN_FORCE,
            signed_on=self.today - dt.timedelta(days=800),
            in_force_from=self.today - dt.timedelta(days=730),
            acting_user=None,
            source="Fictional demo agreement; time limits follow the EU–Montenegro "
            "readmission agreement. Montenegro's Ministry of Foreign Affairs: \"all our "
            'citizens can always return to their country" (Vijesti).',
            terms={
                "time_limits": {
                    "reply": {
                        "amount": 12,
                        "unit": "calendar_days",
                        "start_event": "application received",
                    },
                    "extension": {"amount": 6, "unit": "calendar_days"},
                    "transfer": {"amount": 3, "unit": "months", "start_event": "acceptance"},
                    "interview": {
                        "amount": 7,
                        "unit": "working_days",
                        "start_event": "interview requested",
                    },
                },
                "silence_means_acceptance": False,
                "interview_provided": True,
            },
        )
        # Consular assistance through the missions; the ministry they belong to made the
        # statements; the State Department keeps the diplomatic contacts.
        for slug, side in (
            ("me-consulate-ny", "receiving"),
            ("me-embassy-dc", "receiving"),
            ("me-mfa", "receiving"),
            ("us-state", "sending"),
        ):
            agreement_party_add(
                agreement=agreement, organisation=self.orgs[slug], side=side, acting_user=None
            )
        self.agreements[agreement.reference] = agreement
        self.montenegro_record(agreement)

        dhs = self.user("us-dhs", Role.CASEWORKER)
        mup = self.user("me-mup", Role.CASEWORKER)
        mup_supervisor = self.user("me-mup", Role.SUPERVISOR)
        consulate = self.user("me-consulate-ny", Role.LIAISON)
        embassy = self.user("me-embassy-dc", Role.LIAISON)
        accepted = [("accept", mup_supervisor)]
        plans: dict[str, list[tuple[str, User]]] = {
            "submitted": [],
            "overdue": [],
            "due_soon": [],
            "acknowledged": [("acknowledge", mup)],
            "acknowledged_by_mission": [("acknowledge", consulate)],
            "interview_requested": [("request_interview", mup)],
            "extended": [("extend", mup)],
            "accepted": accepted,
            "rejected": [("reject", mup_supervisor)],
            "travel_document_issued": [*accepted, ("issue_travel_document", embassy)],
            "transfer_scheduled": [*accepted, ("schedule_transfer", dhs)],
            "transferred": [
                *accepted,
                ("issue_travel_document", consulate),
                ("schedule_transfer", dhs),
                ("record_transfer", dhs),
            ],
        }
        travel_document = {
            "type": "emergency_travel_document",
            "valid_until": (self.today + dt.timedelta(days=30)).isoformat(),
        }
        for n, spec in enumerate(people.readmission_people(self.today), start=1):
            spec = replace(spec, external_id=f"DHS-ME-{self.today.year}-{n:03d}")
            case = self.open_case(agreement, spec, sender="us-dhs", by=dhs)
            case = self.act(
                case,
                plans[spec.story],
                reason=spec.reason,
                payloads={
                    "issue_travel_document": travel_document,
                    "schedule_transfer": self.transfer_plan(
                        spec, route="Scheduled flight New York (JFK) to Podgorica (TGD), escorted"
                    ),
                },
            )
            if spec.story == "overdue":
                _backdate_application(case, days=15, acting_user=dhs)
            elif spec.story == "due_soon":
                _backdate_application(case, days=10, acting_user=dhs)
            self.states[f"readmission:{case.state}"] += 1

    def montenegro_record(self, agreement: Agreement) -> None:
        day = self.article_day
        article = _demo_source("Vijesti / RFE/RL", day)
        yesterday = day - dt.timedelta(days=1)
        last_friday = day - dt.timedelta(days=(day.weekday() - 4) % 7 or 7)
        positions = (
            (
                "ME",
                yesterday,
                Stance.NO_COMMUNICATION,
                "The Ministry of Foreign Affairs told Vijesti there has been no communication "
                "with the US so far about Montenegro accepting migrants expelled from the US.",
                article,
            ),
            (
                "ME",
                yesterday,
                Stance.OWN_NATIONALS_ONLY,
                "Montenegrin citizens without regular residence in the US can always return to "
                "Montenegro; the diplomatic and consular missions in New York and Washington "
                "are available for consular assistance and support.",
                article,
            ),
            (
                "US",
                last_friday,
                Stance.NO_COMMENT,
                "The US Embassy in Podgorica does not comment on the details of diplomatic "
                "communication with other countries; countries of the region are part of the "
                "contacts within a broader strategy against illegal and mass migration.",
                _demo_source("RFE/RL via Vijesti", last_friday),
            ),
        )
        for country, stated_on, stance, statement, source in positions:
            position_record(
                agreement=agreement,
                country=country,
                stated_on=stated_on,
                stance=stance,
                statement=statement,
                source=source,
                acting_user=None,
            )
        contact_record(
            agreement=agreement,
            occurred_on=last_friday,
            from_country="US",
            to_country="ME",
            channel=ContactChannel.MEDIA,
            summary="Asked by RFE/RL whether Montenegro was asked to accept migrants, the US "
            "Embassy gave no precise answer and recalled that every country must "
            "accept the return of its own citizens without a legal basis to stay.",
            source=_demo_source("RFE/RL via Vijesti", last_friday),
            acting_user=None,
        )

    # 3. Italy → Albania reception --------------------------------------------------------

    def load_italy_albania(self) -> None:
        in_force = self.today - dt.timedelta(days=400)
        agreement = agreement_create(
            reference="it-al-reception",
            title="Italy–Albania protocol on reception centres",
            kind=AgreementKind.RECEPTION,
            sending=self.orgs["it-interior"],
            receiving=self.orgs["al-interior"],
            status=AgreementStatus.IN_FORCE,
            signed_on=in_force - dt.timedelta(days=90),
            in_force_from=in_force,
            acting_user=None,
            source="Italy–Albania protocol: centres in Albania for people stopped at sea, "
            "funded by Italy (Bloomberg via Vijesti). Dates are fictional demo dates.",
            terms={
                "capacity": {"max_present": 3000, "max_per_year": 36000},
                "exclusions": {"minors": True, "pregnant": True, "vulnerable": True},
                "sending_state_pays": True,
            },
        )
        self.agreements[agreement.reference] = agreement
        for name, places, location in (
            ("Gjadër", 880, "Lezhë County"),
            ("Shëngjin", 144, "Port of Shëngjin"),
        ):
            self.sites[name] = site_create(
                agreement=agreement,
                name=name,
                country_code="AL",
                capacity=places,
                location=location,
                acting_user=None,
            )
        contact_record(
            agreement=agreement,
            occurred_on=self.article_day - dt.timedelta(days=7),
            from_country="IT",
            to_country="AL",
            channel=ContactChannel.MEDIA,
            summary="Bloomberg: Italy agreed with Albania on centres for people stopped at "
            "sea, funded by Italy; the arrangement has run into obstacles and battles "
            "in Italian courts.",
            source=_demo_source("Bloomberg via Vijesti / RFE/RL", self.article_day),
            acting_user=None,
        )

        it = self.user("it-interior", Role.CASEWORKER)
        al = self.user("al-interior", Role.CASEWORKER)
        al_supervisor = self.user("al-interior", Role.SUPERVISOR)
        arrive = [("schedule_transfer", it), ("record_arrival", al)]
        plans: dict[str, list[tuple[str, User]]] = {
            "proposed": [],
            "transfer_scheduled": [("schedule_transfer", it)],
            "in_reception": arrive,
            "legal_hold": [*arrive, ("place_legal_hold", it)],
            "departed": arrive,  # then a return plan, then record_departure (below)
            "declined": [("decline", al_supervisor)],
            "withdrawn": [("withdraw", it)],
        }
        for n, spec in enumerate(people.reception_people(self.today), start=1):
            story, _, site_name = spec.story.partition(":")
            site = self.sites[site_name or "Gjadër"]
            spec = replace(spec, external_id=f"IT-AL-{self.today.year}-{n:04d}")
            case = self.open_case(agreement, spec, sender="it-interior", by=it)
            case = self.act(
                case,
                plans[story],
                reason=spec.reason,
                payloads={
                    "schedule_transfer": self.transfer_plan(
                        spec, route="Italian navy vessel to the port of Shëngjin"
                    ),
                    "record_arrival": {"site": str(site.id)},
                    "place_legal_hold": {
                        "kind": "court_challenge",
                        "reference": "Court of Rome, detention not validated",
                    },
                },
            )
            if story == "departed":
                stay_record_return_plan(
                    case=case,
                    acting_user=al,
                    plan=f"Return flight to {spec.nationalities[0]} arranged with IOM "
                    "assistance (fictional).",
                )
                case = self.act(
                    case,
                    [("record_departure", al)],
                    payloads={"record_departure": {"outcome": "returned_to_origin"}},
                )
            self.states[f"reception:{case.state}"] += 1

    # 4. USA → Serbia: approached only ----------------------------------------------------

    def load_serbia(self) -> None:
        agreement = agreement_create(
            reference="us-rs-relocation",
            title="USA–Serbia relocation of third-country nationals (proposed)",
            kind=AgreementKind.RELOCATION,
            sending=self.orgs["us-dhs"],
            receiving=self.orgs["rs-mup"],
            status=AgreementStatus.APPROACHED,
            terms={},
            source="Bloomberg, as reported by Vijesti / RFE/RL.",
            acting_user=None,
        )
        agreement_party_add(
            agreement=agreement,
            organisation=self.orgs["us-state"],
            side="sending",
            acting_user=None,
        )
        self.agreements[agreement.reference] = agreement
        contact_record(
            agreement=agreement,
            occurred_on=self.article_day - dt.timedelta(days=7),
            from_country="US",
            to_country="RS",
            channel=ContactChannel.EMBASSY,
            summary="Bloomberg: the US administration is trying to convince Serbia and other "
            "Balkan countries to accept people, mostly from Cuba, Haiti, Nicaragua and "
            "Venezuela, whose temporary legal status in the US was revoked; regional "
            "offices of the State Department were tasked with presenting the idea.",
            source=_demo_source("Bloomberg via Vijesti / RFE/RL", self.article_day),
            acting_user=None,
        )


def _backdate_application(case: Case, *, days: int, acting_user: User) -> None:
    """DEMO ONLY: pretend a readmission application was received ``days`` ago.

    Services open cases at ``clock.now()``; to show reply deadlines that are due soon or
    overdue, the demo moves the case's opening back and recomputes its open reply deadline
    from that day with the agreement's own time limit and calendar. The change is audited
    (``DEADLINE_SET`` with ``demo_backdated_days``), so the log says what was done.
    """
    term = case.agreement.parsed_terms.time_limits["reply"]
    received = clock.now() - dt.timedelta(days=days)
    limit = TimeLimit(amount=term.amount, unit=Unit(term.unit), roll_forward=term.roll_forward)
    due_on = due(received.date(), limit, calendar_for(case.agreement))
    assert isinstance(due_on, dt.date)
    with transaction.atomic():
        Case.objects.filter(id=case.id).update(created_at=received)
        deadline = Deadline.objects.get(
            case=case, kind="reply", met_at__isnull=True, cancelled_at__isnull=True
        )
        deadline.due_on = due_on
        deadline.explanation = (
            f"{term.amount} {term.unit.replace('_', ' ')} from "
            f"{received.date().isoformat()} (demo: receipt backdated "
            f"{days} days)"
        )
        deadline.save(update_fields=["due_on", "explanation", "updated_at"])
        audit_record(
            event_type=AuditEventType.DEADLINE_SET,
            acting_user=acting_user,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="deadline",
            object_id=str(deadline.id),
            data={"kind": "reply", "due_on": due_on.isoformat(), "demo_backdated_days": days},
        )
