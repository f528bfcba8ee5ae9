"""Audit event types: stable numbers, one range per area (as Zulip's RealmAuditLog does)."""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class AuditEventType(IntEnum):
    # 100-199: accounts and access
    USER_LOGGED_IN = 100
    USER_LOGGED_OUT = 101
    USER_LOGIN_FAILED = 102
    USER_CREATED = 103
    MEMBERSHIP_CREATED = 110
    API_TOKEN_CREATED = 120
    API_TOKEN_REVOKED = 121
    ORGANISATION_CREATED = 130
    # 200-299: agreements
    AGREEMENT_CREATED = 200
    AGREEMENT_STATUS_CHANGED = 201
    AGREEMENT_SETTINGS_CHANGED = 202
    AGREEMENT_PARTY_ADDED = 203
    SITE_CREATED = 210
    DIPLOMATIC_CONTACT_RECORDED = 220
    PUBLIC_POSITION_RECORDED = 221
    # 300-399: people and cases
    PERSON_CREATED = 300
    PERSON_UPDATED = 301
    CASE_CREATED = 310
    CASE_TRANSITIONED = 311
    DEADLINE_SET = 320
    ATTACHMENT_ADDED = 330
    PROPOSAL_LIST_SUBMITTED = 340
    CASES_EXPORTED = 350
    # 400-499: screening
    SCREENING_RUN = 400
    WATCHLIST_CREATED = 410
    WATCHLIST_IMPORTED = 411
    AGREEMENT_WATCHLIST_ADDED = 412
    AGREEMENT_WATCHLIST_REMOVED = 413
    WATCHLIST_SHARING_CHANGED = 414
    SCREENING_RUN_STARTED = 420
    SCREENING_RUN_FINISHED = 421
    SCREENING_RUN_FAILED = 422
    SCREENING_MATCH_REVIEWED = 430
    DUPLICATES_FOUND = 440
    DUPLICATE_DISTINCT = 441
    PERSON_MERGED = 442
    # 500-599: relocation and reception (lists, criteria, transfer, stays)
    CRITERIA_EVALUATED = 500
    FAMILY_TRANSFER_SCHEDULED = 510
    RETURN_PLAN_RECORDED = 520
    # 900-999: system
    DEMO_LOADED = 900

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()
