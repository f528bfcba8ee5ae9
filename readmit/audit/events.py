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
    USER_TIME_ZONE_CHANGED = 104
    MEMBERSHIP_CREATED = 110
    API_TOKEN_CREATED = 120
    API_TOKEN_REVOKED = 121
    ORGANISATION_CREATED = 130
    ORGANISATION_TIME_ZONE_CHANGED = 131
    API_TOKEN_ROTATED = 170
    PERSONAL_DATA_READ = 171
    # 1060-1079: interface languages
    USER_LANGUAGE_CHANGED = 1060
    # 150-169: logins (throttling, second factor, sessions)
    LOGIN_REFUSED_LOCKED = 150
    LOGIN_UNLOCKED = 151
    SECOND_FACTOR_ENROLLED = 152
    SECOND_FACTOR_FAILED = 153
    RECOVERY_CODE_USED = 154
    SECOND_FACTOR_RESET = 155
    SESSION_EXPIRED = 156
    LOGIN_REFUSED_BUSY = 157
    LOGIN_PASSWORD_ACCEPTED = 158
    # 180-199: keys of the encrypted fields
    DATA_KEYS_REWRAPPED = 180
    BLIND_INDEX_RECOMPUTED = 181
    # 200-299: agreements
    AGREEMENT_CREATED = 200
    AGREEMENT_STATUS_CHANGED = 201
    AGREEMENT_SETTINGS_CHANGED = 202
    AGREEMENT_PARTY_ADDED = 203
    SITE_CREATED = 210
    DIPLOMATIC_CONTACT_RECORDED = 220
    PUBLIC_POSITION_RECORDED = 221
    AMENDMENT_PROPOSED = 230
    AMENDMENT_CONFIRMED = 231
    AMENDMENT_WITHDRAWN = 232
    AMENDMENT_REJECTED = 233
    TERMINATION_NOTICE_GIVEN = 240
    TERMINATION_NOTICE_WITHDRAWN = 241
    # 300-399: people and cases
    PERSON_CREATED = 300
    PERSON_UPDATED = 301
    CASE_CREATED = 310
    CASE_TRANSITIONED = 311
    DEADLINE_SET = 320
    ATTACHMENT_ADDED = 330
    PROPOSAL_LIST_SUBMITTED = 340
    CASES_EXPORTED = 350
    PERSONAL_DATA_PURGED = 390
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
    VULNERABILITY_ASSESSED = 530
    # 640-659: consular assistance (districts, requests)
    CONSULAR_DISTRICT_SET = 640
    CONSULAR_REQUEST_CREATED = 641
    CONSULAR_REQUEST_TRANSITIONED = 642
    # 620-639: readmission travel documents, transfer and costs
    TRAVEL_DOCUMENT_DOWNLOADED = 620
    TRANSFER_COST_RECORDED = 621
    # 700-719: events (webhook subscriptions and deliveries)
    WEBHOOK_SUBSCRIPTION_CREATED = 700
    WEBHOOK_SUBSCRIPTION_UPDATED = 701
    WEBHOOK_SUBSCRIPTION_DELETED = 702
    WEBHOOK_DELIVERY_REPLAYED = 710
    # 820-829: people changed through the API (PERSON_UPDATED is 301)
    PERSON_DOCUMENT_ADDED = 820
    PERSON_DOCUMENT_REMOVED = 821
    LIST_IMPORT_QUEUED = 540
    LIST_IMPORT_FINISHED = 541
    LIST_IMPORT_FAILED = 542
    # 600-619: readmission intake and evidence
    READMISSION_APPLICATION_SUBMITTED = 600
    EVIDENCE_ADDED = 601
    # 680-699: the person's photo on a readmission application
    PHOTO_ADDED = 680
    # 1020-1039: search (saved searches)
    SAVED_SEARCH_CREATED = 1020
    SAVED_SEARCH_DELETED = 1021
    # 1100-1119: background tasks
    TASK_REQUEUED = 1100
    # 1040-1059: decision support on proposal lists (one row per bulk request; each case's
    # own transition is audited as ``case_transitioned``)
    LIST_BULK_ACTION = 1040
    # 1080-1099: documents to the person and printouts (readmit.documents)
    LETTER_GENERATED = 1080
    CASE_SUMMARY_PRINTED = 1081
    # 1000-1019: assignment and notifications
    ASSIGNMENT_SET = 1000
    TEAM_CREATED = 1001
    DEADLINE_NOTIFICATIONS_SENT = 1002
    NOTIFICATIONS_READ = 1003
    NOTIFICATION_PREFERENCE_SET = 1004
    # 1260-1279: administration of users (invitations, deactivation, roles) and the
    # audit log's export
    USER_INVITED = 1260
    USER_INVITATION_ACCEPTED = 1261
    USER_DEACTIVATED = 1262
    USER_REACTIVATED = 1263
    MEMBERSHIP_ROLE_CHANGED = 1264
    AUDIT_LOG_EXPORTED = 1265
    # 1240-1259: dashboards (readmit.reporting.dashboards)
    DASHBOARD_EXPORTED = 1240
    # 900-999: system
    DEMO_LOADED = 900
    AUDIT_CHECKPOINT_SIGNED = 910

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()
