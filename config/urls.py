from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from readmit.exchange.api import urls as exchange_urls

urlpatterns = [
    # One login for everything: the admin's own login form would bypass the throttle, the
    # second factor and the audit; it sends to ours (``next`` kept).
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("web:login"), query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", exchange_urls()),
    path("", include("readmit.web.urls")),
]
