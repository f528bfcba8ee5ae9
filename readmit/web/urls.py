from __future__ import annotations

from django.urls import path

from readmit.web import (
    auth,
    views,
    views_agreements,
    views_attachments,
    views_audit,
    views_consular,
    views_dashboards,
    views_decisions,
    views_documents,
    views_export,
    views_intake,
    views_lists,
    views_person,
    views_profile,
    views_screening,
    views_search,
    views_tokens,
    views_travel,
    views_users,
    views_webhooks,
    views_work,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("login/verify/", auth.login_verify, name="login_verify"),
    path("login/enrol/", auth.login_enrol, name="login_enrol"),
    path("cases/", views.cases, name="cases"),
    path("cases/export.csv", views_export.cases_csv, name="cases_csv"),
    path("cases/export.xlsx", views_export.cases_xlsx, name="cases_xlsx"),
    path("cases/export.pdf", views_export.cases_pdf, name="cases_pdf"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/transitions/", views.case_transition_view, name="case_transition"),
    path("cases/<uuid:case_id>/criteria/", views.case_criteria_check, name="case_criteria_check"),
    path("cases/<uuid:case_id>/person/", views_person.person_edit_view, name="person_edit"),
    path(
        "cases/<uuid:case_id>/travel-document.pdf",
        views_travel.travel_document_pdf,
        name="travel_document_pdf",
    ),
    path(
        "cases/<uuid:case_id>/transfer-costs/",
        views_travel.transfer_cost_create,
        name="transfer_cost_create",
    ),
    path("agreements/<uuid:agreement_id>/", views.agreement_detail, name="agreement"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/export.csv", views_audit.audit_log_csv, name="audit_log_csv"),
    path("audit/export.xlsx", views_audit.audit_log_xlsx, name="audit_log_xlsx"),
    path(
        "audit/checkpoints.json",
        views_audit.audit_checkpoints_download,
        name="audit_checkpoints",
    ),
    path(
        "agreements/<uuid:agreement_id>/status/",
        views_agreements.agreement_status,
        name="agreement_status",
    ),
    path(
        "agreements/<uuid:agreement_id>/terms/",
        views_agreements.agreement_terms,
        name="agreement_terms",
    ),
    path(
        "agreements/<uuid:agreement_id>/terms/amend/",
        views_agreements.agreement_amend_view,
        name="agreement_amend",
    ),
    path(
        "agreements/<uuid:agreement_id>/terms/proposals/<uuid:proposal_id>/",
        views_agreements.agreement_proposal_decide,
        name="agreement_proposal",
    ),
    path(
        "agreements/<uuid:agreement_id>/termination/",
        views_agreements.agreement_termination,
        name="agreement_termination",
    ),
    path(
        "agreements/<uuid:agreement_id>/contacts/new/",
        views_agreements.agreement_contact_new,
        name="agreement_contact_new",
    ),
    path(
        "agreements/<uuid:agreement_id>/positions/new/",
        views_agreements.agreement_position_new,
        name="agreement_position_new",
    ),
    path(
        "cases/<uuid:case_id>/attachments/",
        views_attachments.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "cases/<uuid:case_id>/attachments/<uuid:attachment_id>/",
        views_attachments.attachment_download,
        name="attachment_download",
    ),
]
urlpatterns += views_screening.urlpatterns
urlpatterns += views_lists.urlpatterns
urlpatterns += views_decisions.urlpatterns
urlpatterns += views_intake.urlpatterns
urlpatterns += views_profile.urlpatterns
urlpatterns += views_consular.urlpatterns
urlpatterns += views_webhooks.urlpatterns
urlpatterns += views_tokens.urlpatterns
urlpatterns += views_users.urlpatterns
urlpatterns += views_search.urlpatterns
urlpatterns += views_documents.urlpatterns
urlpatterns += views_work.urlpatterns
urlpatterns += views_dashboards.urlpatterns
