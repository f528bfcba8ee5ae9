"""The admin never changes domain records: changes must go through audited services."""

from __future__ import annotations

from django.contrib import admin

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case


def test_every_registered_admin_refuses_add_change_and_delete(rf, django_user_model, db):
    superuser = django_user_model.objects.create_superuser("support", password="x" * 16)
    request = rf.get("/admin/")
    request.user = superuser
    registered = admin.site._registry
    assert Case in registered and AuditEvent in registered
    for model, model_admin in registered.items():
        if model._meta.app_label not in {
            "core",
            "accounts",
            "audit",
            "agreements",
            "cases",
            "screening",
            "relocation",
        }:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model


def test_second_factor_devices_have_no_admin_that_shows_or_edits_them():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
