"""The data-sharing policy: which personal data of a person one viewer may read (no Django).

An agreement's ``data_sharing`` terms say which categories of personal data the parties
share. Every interface (pages, the API, exports, criteria explanations, decision messages)
asks a :class:`SharingPolicy` before a personal field leaves the organisation that recorded
the person (its *owner*, ``Person.owner``):

- the owner always reads everything it recorded;
- the other party reads a category only if ``data_sharing.categories`` lists it;
- criminal data (convictions, pending criminal cases) reaches the other party only if
  ``data_sharing.criminal_data_allowed`` is true, and a criteria explanation that would
  quote it is replaced by a redacted one that keeps the outcome;
- the other party's people leave Readmit (exports) without their personal data while
  ``data_sharing.onward_sharing_needs_consent`` is true.

``identity`` and ``nationality`` are always shared: the other party cannot act on a person
it cannot identify, nor tell which state is responsible for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readmit.core.errors import N_

if TYPE_CHECKING:
    from readmit.agreements.terms import AgreementTerms

# Each category and the personal fields in it.
CATEGORIES: Mapping[str, str] = {
    "identity": "names, other names, birth date and place, sex",
    "nationality": "nationalities",
    "documents": "identity and travel documents",
    "languages": "languages spoken",
    "vulnerabilities": "vulnerabilities (pregnancy, unaccompanied minor, medical, ...)",
    "photo": "the person's photograph (a facial image)",
}
ALWAYS_SHARED = frozenset({"identity", "nationality"})
# The criminal-data switch, not a category: convictions and pending criminal cases.
CRIMINAL = "criminal_data"

# Criteria whose explanation quotes a category, so the other party may read a redacted one.
RULE_CATEGORY: Mapping[str, str] = {
    "no_conviction_within_years": CRIMINAL,
    "no_pending_criminal_case": CRIMINAL,
    "not_excluded_group": "vulnerabilities",
}
_OUTCOME_WORDS = {"pass": N_("passes"), "fail": N_("fails"), "unknown": N_("unknown")}
NOT_SHARED = "details not shared under this agreement"
# The redacted explanation of each category, as a fragment (pages translate it at the edge:
# readmit.web.i18n.sentences).
_REDACTED = {
    CRIMINAL: N_("criminal record: %(outcome)s (details not shared under this agreement)"),
    "vulnerabilities": N_("vulnerabilities: %(outcome)s (details not shared under this agreement)"),
}


@dataclass(frozen=True)
class SharingPolicy:
    """What one viewer may read of one person's data under one agreement."""

    categories: frozenset[str]
    criminal_data_allowed: bool
    is_owner: bool
    onward_sharing_needs_consent: bool = True

    @property
    def may_pass_on(self) -> bool:
        """Whether the viewer may take the person's data out of Readmit (an export): the
        owner may; the other party only where the agreement needs no consent for that."""
        return self.is_owner or not self.onward_sharing_needs_consent

    def shows(self, category: str) -> bool:
        """Whether the viewer reads ``category`` (a key of CATEGORIES, or CRIMINAL)."""
        if self.is_owner:
            return True
        if category == CRIMINAL:
            return self.criminal_data_allowed
        return category in self.categories

    @property
    def criminal(self) -> bool:
        return self.shows(CRIMINAL)

    @property
    def shown(self) -> dict[str, bool]:
        """Every category (and CRIMINAL) with whether this viewer reads it (for templates)."""
        return {c: self.shows(c) for c in (*CATEGORIES, CRIMINAL)}

    def explanation(self, rule: str, outcome: str, explanation: str) -> str:
        """A criterion's explanation as this viewer may read it: redacted when it would
        quote a category the viewer does not read (the outcome stays)."""
        category = RULE_CATEGORY.get(rule)
        if category is None or self.shows(category):
            return explanation
        text = _REDACTED[category] % {"outcome": _OUTCOME_WORDS.get(outcome, outcome)}
        return f"{text[:1].upper()}{text[1:]}."

    def results(self, results: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
        """Stored criteria results ({rule, label, outcome, explanation}) for this viewer."""
        return [
            {
                **r,
                "explanation": self.explanation(
                    r.get("rule", ""), r.get("outcome", ""), r.get("explanation", "")
                ),
            }
            for r in results
        ]


def sharing_policy(terms: AgreementTerms, *, is_owner: bool) -> SharingPolicy:
    sharing = terms.data_sharing
    return SharingPolicy(
        categories=frozenset(sharing.categories) | ALWAYS_SHARED,
        criminal_data_allowed=sharing.criminal_data_allowed,
        is_owner=is_owner,
        onward_sharing_needs_consent=sharing.onward_sharing_needs_consent,
    )
