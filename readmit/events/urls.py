"""Which webhook URLs Readmit may call: http/https, a host, and never an internal address.

``READMIT_WEBHOOK_ALLOWED_HOSTS`` (a list; empty: any public host) names the only hosts
allowed (the operator vouches for them); without it, unless ``READMIT_WEBHOOK_ALLOW_PRIVATE``
is true (tests and development), a host that resolves to a loopback, private, link-local,
multicast or reserved address is refused, at subscription time and again before every
delivery (a name may change where it points).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from readmit.core.errors import ValidationFailed


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(f"url: {message}", errors=[{"loc": ["url"], "msg": message}])


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str, *, resolve: bool = True) -> str:
    """The URL, stripped, if Readmit may post to it; else ``ValidationFailed`` on ``url``."""
    url = url.strip()
    if len(url) > 500:
        raise _refuse("at most 500 characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse("not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise _refuse("must start with http:// or https://")
    host = (parts.hostname or "").lower()
    if not host:
        raise _refuse("names no host")
    if parts.username or parts.password:
        raise _refuse("must not carry a user name or password")
    allowed = [h.lower() for h in getattr(settings, "READMIT_WEBHOOK_ALLOWED_HOSTS", [])]
    if allowed:
        if host not in allowed:
            raise _refuse(f"host '{host}' is not in READMIT_WEBHOOK_ALLOWED_HOSTS")
        return url  # listed by the operator: trusted wherever it points
    if getattr(settings, "READMIT_WEBHOOK_ALLOW_PRIVATE", False) or not resolve:
        return url
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80))
    except OSError:
        raise _refuse(f"host '{host}' does not resolve") from None
    if any(_internal(str(info[4][0])) for info in infos):
        raise _refuse(f"host '{host}' is an internal address")
    return url
