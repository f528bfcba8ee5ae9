"""The criteria engine: an agreement's declarative rules evaluated for one person.

Pure Python (pydantic for the settings, no Django), so the relocation workflow, the CLI and
tests all run the same code. Every rule answers ``pass``, ``fail`` or ``unknown`` with one
sentence a caseworker can read. **Unknown never counts as a pass**: a person is eligible
only when every rule passes.

Missing facts are unknown, never assumed: a criminal record that was not shared, a
screening still pending, a birth date too imprecise to decide, vulnerabilities not assessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from readmit.agreements.terms import (
    CRITERION_PARAMS,
    AgeParams,
    ConvictionParams,
    Criterion,
    Exclusions,
    NationalityParams,
)
from readmit.agreements.vocabularies import category_label, offence_category
from readmit.core.errors import N_

ADULT_AGE = 18

# Vulnerabilities with their own switch in ``Exclusions``; every other recorded vulnerability
# (medical, disability, trafficking_victim, ...) counts under ``vulnerable``.
PREGNANT = "pregnant"
UNACCOMPANIED_MINOR = "unaccompanied_minor"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Conviction:
    offence: str
    category: str
    date: dt.date | None
    country: str | None


@dataclass(frozen=True)
class PersonFacts:
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    sex: str  # F M X U
    nationalities: frozenset[str]  # alpha-2 codes
    convictions: tuple[Conviction, ...] | None  # None: not known (e.g. not shared)
    pending_criminal_case: bool | None  # None: not known
    vulnerabilities: frozenset[str] | None  # None: not assessed
    watchlist_status: str | None  # confirmed_match | no_match | pending_review | None


@dataclass(frozen=True)
class RuleResult:
    rule: str
    label: str
    outcome: Outcome
    explanation: str


@dataclass(frozen=True)
class Evaluation:
    results: tuple[RuleResult, ...]

    @property
    def outcome(self) -> Outcome:
        """FAIL if any rule fails; else UNKNOWN if any is unknown; else PASS."""
        outcomes = {r.outcome for r in self.results}
        if Outcome.FAIL in outcomes:
            return Outcome.FAIL
        if Outcome.UNKNOWN in outcomes:
            return Outcome.UNKNOWN
        return Outcome.PASS

    @property
    def eligible(self) -> bool:
        return self.outcome == Outcome.PASS

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome == Outcome.FAIL)

    @property
    def unknown(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome == Outcome.UNKNOWN)


DEFAULT_LABELS: dict[str, str] = {
    "no_conviction_within_years": N_("No recent conviction"),
    "no_watchlist_match": N_("No watchlist match"),
    "age_between": N_("Age"),
    "nationality_in": N_("Nationality"),
    "no_pending_criminal_case": N_("No pending criminal case"),
    "not_excluded_group": N_("Not in an excluded group"),
}

# The explanations are built from these English fragments (``N_``: the catalogues have
# them); pages give a stored explanation in the reader's language by reading it back
# against them (``readmit.web.i18n.sentences``), so the stored results and the API stay
# English. Each is a fragment as an evaluator returns it (``_sentence`` adds the capital and
# the full stop; ``; `` joins several).


# Partial birth dates -------------------------------------------------------------------


@dataclass(frozen=True)
class AgeRange:
    """The youngest and oldest age a (possibly partial) birth date allows on a day."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        return self.low == self.high


def _age(birth: tuple[int, int, int], on: dt.date) -> int:
    # Tuple comparison: someone born on 29 February turns a year older on 1 March in a
    # common year.
    year, month, day = birth
    return on.year - year - ((on.month, on.day) < (month, day))


def age_range(facts: PersonFacts, on: dt.date) -> AgeRange | str:
    """The possible ages on ``on``, or the reason no age can be given."""
    year, month, day = facts.birth_year, facts.birth_month, facts.birth_day
    if year is None:
        return N_("the birth date is not known")
    if (month is None and day is not None) or (month is not None and not 1 <= month <= 12):
        return N_("the birth date is not a valid date")
    if month is not None and day is not None:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return N_("the birth date is not a valid date")
        earliest = latest = (year, month, day)
    elif month is not None:
        earliest, latest = (year, month, 1), (year, month, calendar.monthrange(year, month)[1])
    else:
        earliest, latest = (year, 1, 1), (year, 12, 31)
    if earliest > (on.year, on.month, on.day):
        return N_("the birth date is after %(day)s") % {"day": on.isoformat()}
    # The person exists on ``on``: a birth later than that day is not a possibility.
    latest = min(latest, (on.year, on.month, on.day))
    return AgeRange(low=_age(latest, on), high=_age(earliest, on))


def _birth_text(facts: PersonFacts) -> str:
    parts = [f"{facts.birth_year:04d}"] if facts.birth_year is not None else ["unknown"]
    if facts.birth_month is not None:
        parts.append(f"{facts.birth_month:02d}")
        if facts.birth_day is not None:
            parts.append(f"{facts.birth_day:02d}")
    return "-".join(parts)


def _age_text(ages: AgeRange) -> str:
    if ages.exact:
        return str(ages.low)
    return N_("%(low)s to %(high)s") % {"low": ages.low, "high": ages.high}


def minor_outcome(facts: PersonFacts, on: dt.date) -> tuple[Outcome, str]:
    """Whether the person is a minor (under 18) on ``on``: FAIL = is a minor."""
    ages = age_range(facts, on)
    if isinstance(ages, str):
        return Outcome.UNKNOWN, N_("cannot tell whether the person is a minor: %(why)s") % {
            "why": ages
        }
    aged = {"age": _age_text(ages), "day": on.isoformat()}
    if ages.high < ADULT_AGE:
        return Outcome.FAIL, N_("is a minor (aged %(age)s on %(day)s)") % aged
    if ages.low >= ADULT_AGE:
        return Outcome.PASS, N_("is an adult (aged %(age)s on %(day)s)") % aged
    return Outcome.UNKNOWN, N_(
        "birth date too imprecise (%(birth)s): the person may be 17 or 18 on %(day)s"
    ) % {"birth": _birth_text(facts), "day": on.isoformat()}


# The rules ------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _conviction_text(c: Conviction) -> str:
    code = offence_category(c.category)
    values = {
        "offence": c.offence or N_("an unnamed offence"),
        "category": category_label(code) if code else c.category,
        "day": c.date.isoformat() if c.date is not None else "",
    }
    dated = c.date is not None
    if code:
        text = (
            N_("conviction for %(offence)s (%(category)s) on %(day)s")
            if dated
            else N_("conviction for %(offence)s (%(category)s)")
        )
    elif c.category:
        text = (
            N_("conviction for %(offence)s (category '%(category)s') on %(day)s")
            if dated
            else N_("conviction for %(offence)s (category '%(category)s')")
        )
    else:
        text = (
            N_("conviction for %(offence)s on %(day)s")
            if dated
            else N_("conviction for %(offence)s")
        )
    return text % values


def _no_conviction_within_years(
    params: ConvictionParams, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    """Counts convictions whose category is one of the agreement's ICCS codes. A category
    outside the vocabulary (a state's own words, a misspelling, nothing) cannot be placed, so
    it answers unknown when only some categories count: never pass."""
    years, categories = params.years, frozenset(params.categories)
    listed = ", ".join(category_label(c) for c in sorted(categories))
    if facts.convictions is None:
        return Outcome.UNKNOWN, N_("criminal record not shared or not known")
    cutoff = _years_before(on, years)
    recent: list[Conviction] = []
    undated: list[Conviction] = []
    uncategorised: list[Conviction] = []
    for conviction in facts.convictions:
        if categories:
            code = offence_category(conviction.category)
            if code is None:
                uncategorised.append(conviction)
                continue
            if code not in categories:
                continue
        if conviction.date is None:
            undated.append(conviction)
        elif conviction.date >= cutoff:  # within N years, the anniversary included
            recent.append(conviction)
    if recent:
        latest = max(recent, key=lambda c: c.date or dt.date.min)
        found = {"conviction": _conviction_text(latest), "years": years, "more": len(recent) - 1}
        if len(recent) > 1:
            return Outcome.FAIL, N_("%(conviction)s is within %(years)s years (%(more)s more)") % (
                found
            )
        return Outcome.FAIL, N_("%(conviction)s is within %(years)s years") % found
    if undated:
        return Outcome.UNKNOWN, N_(
            "%(conviction)s has no date: cannot tell whether it is within %(years)s years"
        ) % {"conviction": _conviction_text(undated[0]), "years": years}
    if uncategorised:
        first = uncategorised[0]
        why = (
            N_("%(conviction)s has no category: cannot tell whether it is in %(categories)s")
            if not first.category.strip()
            else N_(
                "%(conviction)s has no ICCS category: cannot tell whether it is in %(categories)s"
            )
        )
        return Outcome.UNKNOWN, why % {"conviction": _conviction_text(first), "categories": listed}
    since = {"years": years, "day": cutoff.isoformat(), "categories": listed}
    if listed:
        return Outcome.PASS, N_(
            "no conviction in %(categories)s within %(years)s years (since %(day)s)"
        ) % since
    return Outcome.PASS, N_("no conviction within %(years)s years (since %(day)s)") % since


WATCHLIST_STATUSES = frozenset({"confirmed_match", "no_match", "pending_review", "not_screenable"})


def _no_watchlist_match(
    params: Any, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    status = facts.watchlist_status
    if status == "confirmed_match":
        return Outcome.FAIL, N_("a watchlist match was confirmed")
    if status == "no_match":
        return Outcome.PASS, N_("screened against the watchlists: no match")
    if status == "pending_review":
        return Outcome.UNKNOWN, N_("screening pending: a possible match awaits review")
    if status == "not_screenable":
        return Outcome.UNKNOWN, N_(
            "not screenable: the person's names are in a script the matcher cannot read;"
            " add a Latin-script name and screen again"
        )
    if status is None:
        return Outcome.UNKNOWN, N_("screening pending: not screened against the watchlists yet")
    return Outcome.UNKNOWN, N_("screening status '%(status)s' is not recognised") % {
        "status": status
    }


def _age_between(
    params: AgeParams, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    low = params.min if params.min is not None else 0
    high = params.max
    wanted = (
        N_("between %(low)s and %(high)s")
        if params.min is not None and high is not None
        else N_("at least %(low)s")
        if high is None
        else N_("at most %(high)s")
    ) % {"low": low, "high": high}
    ages = age_range(facts, on)
    if isinstance(ages, str):
        return Outcome.UNKNOWN, N_("cannot tell the age: %(why)s") % {"why": ages}
    inside = ages.low >= low and (high is None or ages.high <= high)
    outside = ages.high < low or (high is not None and ages.low > high)
    at = {"age": _age_text(ages), "day": on.isoformat(), "wanted": wanted}
    if inside:
        return Outcome.PASS, N_("aged %(age)s on %(day)s, %(wanted)s") % at
    if outside:
        return Outcome.FAIL, N_("aged %(age)s on %(day)s, not %(wanted)s") % at
    return Outcome.UNKNOWN, N_(
        "birth date too imprecise (%(birth)s): aged %(age)s on %(day)s, "
        "which may or may not be %(wanted)s"
    ) % {**at, "birth": _birth_text(facts)}


def _nationality_in(
    params: NationalityParams, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    accepted = frozenset(params.codes)
    held = frozenset(n.strip().upper() for n in facts.nationalities if n.strip())
    if not held:
        return Outcome.UNKNOWN, N_("no nationality is recorded")
    matching = sorted(held & accepted)
    if matching:
        return Outcome.PASS, N_("nationality %(held)s is among those accepted") % {
            "held": ", ".join(matching)
        }
    return Outcome.FAIL, N_("nationality %(held)s is not among those accepted (%(accepted)s)") % {
        "held": ", ".join(sorted(held)),
        "accepted": ", ".join(sorted(accepted)),
    }


def _no_pending_criminal_case(
    params: Any, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    if facts.pending_criminal_case is None:
        return Outcome.UNKNOWN, N_("not known whether a criminal case is pending")
    if facts.pending_criminal_case:
        return Outcome.FAIL, N_("a criminal case is pending")
    return Outcome.PASS, N_("no criminal case is pending")


def excluded_group_check(
    facts: PersonFacts, exclusions: Exclusions | None, on: dt.date
) -> tuple[Outcome, str]:
    """Whether the person belongs to a group the agreement excludes: FAIL = excluded."""
    if exclusions is None:
        return Outcome.UNKNOWN, N_("the agreement's exclusions were not given")
    excluded: list[str] = []
    unknown: list[str] = []
    checked: list[str] = []
    if exclusions.minors:
        checked.append(N_("minors"))
        outcome, text = minor_outcome(facts, on)
        if outcome == Outcome.FAIL:
            excluded.append(N_("minors are excluded and the person %(text)s") % {"text": text})
        elif outcome == Outcome.UNKNOWN:
            unknown.append(N_("minors are excluded and %(text)s") % {"text": text})
    switches = (
        (exclusions.unaccompanied_minors, UNACCOMPANIED_MINOR, N_("unaccompanied minors")),
        (exclusions.pregnant, PREGNANT, N_("pregnant women")),
    )
    wants_vulnerabilities = exclusions.vulnerable or any(on_ for on_, _, _ in switches)
    vulnerabilities = (
        None
        if facts.vulnerabilities is None
        else frozenset(v.strip().lower() for v in facts.vulnerabilities)
    )
    if wants_vulnerabilities and vulnerabilities is None:
        unknown.append(
            N_("vulnerabilities have not been assessed (a vulnerability assessment is missing)")
        )
    for switched_on, flag, group in switches:
        if switched_on:
            checked.append(group)
            if vulnerabilities is not None and flag in vulnerabilities:
                excluded.append(
                    N_("%(group)s are excluded and the person is recorded as %(flag)s")
                    % {"group": group, "flag": flag.replace("_", " ")}
                )
    if exclusions.vulnerable:
        checked.append(N_("vulnerable people"))
        if vulnerabilities is not None:
            other = sorted(vulnerabilities - {PREGNANT, UNACCOMPANIED_MINOR})
            if other:
                excluded.append(
                    N_("vulnerable people are excluded and the person is recorded with: %(list)s")
                    % {"list": ", ".join(v.replace("_", " ") for v in other)}
                )
    if excluded:
        return Outcome.FAIL, "; ".join(excluded)
    if unknown:
        return Outcome.UNKNOWN, "; ".join(unknown)
    if not checked:
        return Outcome.PASS, N_("the agreement excludes no group")
    return Outcome.PASS, N_("not in an excluded group (%(groups)s)") % {
        "groups": ", ".join(checked)
    }


def _not_excluded_group(
    params: Any, facts: PersonFacts, on: dt.date, exclusions: Exclusions | None
) -> tuple[Outcome, str]:
    return excluded_group_check(facts, exclusions, on)


Evaluator = Callable[[Any, PersonFacts, dt.date, Exclusions | None], tuple[Outcome, str]]

EVALUATORS: Mapping[str, Evaluator] = {
    "no_conviction_within_years": _no_conviction_within_years,
    "no_watchlist_match": _no_watchlist_match,
    "age_between": _age_between,
    "nationality_in": _nationality_in,
    "no_pending_criminal_case": _no_pending_criminal_case,
    "not_excluded_group": _not_excluded_group,
}


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _prepared(
    criterion: Criterion,
) -> Callable[[PersonFacts, dt.date, Exclusions | None], RuleResult]:
    """The criterion ready to apply: its label found and its parameters checked once, so a
    list of people costs one check per criterion, not one per person (``evaluate_many``)."""
    rule = str(criterion.rule)
    label = criterion.label or DEFAULT_LABELS.get(rule, rule.replace("_", " ").capitalize())
    evaluator = EVALUATORS.get(rule)
    params_model = CRITERION_PARAMS.get(rule)
    if evaluator is None or params_model is None:  # pydantic refuses these; guard anyway
        unknown_rule = RuleResult(
            rule,
            label,
            Outcome.UNKNOWN,
            N_("Rule '%(rule)s' is not known to this version of Readmit.") % {"rule": rule},
        )
        return lambda facts, on, exclusions: unknown_rule
    try:
        params = params_model.model_validate(criterion.params)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) or rule for e in exc.errors())
        misconfigured = RuleResult(
            rule,
            label,
            Outcome.UNKNOWN,
            N_("Rule '%(rule)s' is misconfigured (%(fields)s); ask an administrator.")
            % {"rule": rule, "fields": fields},
        )
        return lambda facts, on, exclusions: misconfigured

    def apply(facts: PersonFacts, on: dt.date, exclusions: Exclusions | None) -> RuleResult:
        outcome, explanation = evaluator(params, facts, on, exclusions)
        return RuleResult(rule, label, outcome, _sentence(explanation))

    return apply


def evaluate_one(
    criterion: Criterion, facts: PersonFacts, *, on: dt.date, exclusions: Exclusions | None = None
) -> RuleResult:
    return _prepared(criterion)(facts, on, exclusions)


def evaluate(
    criteria: Sequence[Criterion],
    facts: PersonFacts,
    *,
    on: dt.date,
    exclusions: Exclusions | None = None,
) -> Evaluation:
    """Every criterion for one person on the decision date ``on``, in the agreement's order."""
    return Evaluation(tuple(evaluate_one(c, facts, on=on, exclusions=exclusions) for c in criteria))


def evaluate_many(
    criteria: Sequence[Criterion],
    people: Iterable[PersonFacts],
    *,
    on: dt.date,
    exclusions: Exclusions | None = None,
) -> list[Evaluation]:
    """:func:`evaluate` for each of many people, in their order, with the same results: the
    terms are read once (each criterion's parameters checked once) for the whole list."""
    rules = [_prepared(c) for c in criteria]
    return [Evaluation(tuple(apply(facts, on, exclusions) for apply in rules)) for facts in people]


def excluded_group_reason(facts: PersonFacts, exclusions: Exclusions, on: dt.date) -> str | None:
    """Why the person is in a group the agreement excludes, or None if they are not.

    Only a definite exclusion gives a reason; "cannot tell" (e.g. vulnerabilities not
    assessed) gives None here. Use ``excluded_group_check`` to see that case too.
    """
    outcome, explanation = excluded_group_check(facts, exclusions, on)
    if outcome != Outcome.FAIL:
        return None
    return f"Excluded group (not_excluded_group): {_sentence(explanation)}"


def facts_read(criteria: Sequence[Criterion], exclusions: Exclusions) -> dict[str, str]:
    """The person facts the terms read, each with the first rule that reads it: a list must
    send these (an upload without the column is refused), or they are unknown."""
    read: dict[str, str] = {}
    for criterion in criteria:
        for fact in _RULE_FACTS.get(str(criterion.rule), ()):
            read.setdefault(fact, str(criterion.rule))
    if exclusions.unaccompanied_minors or exclusions.pregnant or exclusions.vulnerable:
        read.setdefault("vulnerabilities", "exclusions")
    if exclusions.minors:
        read.setdefault("birth_date", "exclusions.minors")
    return read


_RULE_FACTS: Mapping[str, tuple[str, ...]] = {
    "no_conviction_within_years": ("convictions",),
    "no_pending_criminal_case": ("pending_criminal_case",),
    "age_between": ("birth_date",),
    "nationality_in": ("nationalities",),
    "not_excluded_group": (),  # the exclusions say which facts
}


# Building facts from stored records --------------------------------------------------------


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None  # partial ("2019") or malformed: the date is not known exactly
    return None


def convictions_from_records(
    records: Iterable[Mapping[str, Any]] | None,
) -> tuple[Conviction, ...] | None:
    """``[{offence, category, date, country}]`` as stored on a person, into ``Conviction``s.

    ``None`` stays ``None`` (record not known). A date that is not a full ISO date becomes
    ``None``, so the rule answers unknown rather than guessing.
    """
    if records is None:
        return None
    return tuple(
        Conviction(
            offence=str(r.get("offence") or ""),
            category=str(r.get("category") or ""),
            date=_parse_date(r.get("date")),
            country=(str(r["country"]) if r.get("country") else None),
        )
        for r in records
    )
