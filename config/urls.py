from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from readmit.exchange.api import urls as exchange_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", exchange_urls()),
    path("", include("readmit.web.urls")),
]
