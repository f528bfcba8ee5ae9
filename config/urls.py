from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from readmit.exchange.api import urls as exchange_urls
from readmit.web.auth import admin_login

urlpatterns = [
    # One login for everything: the admin's own login form would bypass the throttle, the
    # second factor and the audit; it sends to ours (``next`` kept).
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("api/v1/", exchange_urls()),
    # Probes and metrics (docs/operations.md "Monitor"): open without a login.
    path("", include("readmit.ops.urls")),
    path("", include("readmit.web.urls")),
]
