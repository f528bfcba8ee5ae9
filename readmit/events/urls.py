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

from readmit.core.errors import N_, ValidationFailed


def _refuse(sentence: str, message: str, host: str = "") -> ValidationFailed:
    """``url`` refused: ``sentence`` is the whole marked refusal (``url: ...``, with
    ``%(host)s`` where it names the host), ``message`` the field's."""
    params = {"host": host} if host else None
    return ValidationFailed(sentence, params=params, errors=[{"loc": ["url"], "msg": message}])


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
        raise _refuse(N_("url: at most 500 characters"), N_("at most 500 characters"))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(N_("url: not a valid URL"), N_("not a valid URL")) from None
    if parts.scheme not in ("http", "https"):
        raise _refuse(
            N_("url: must start with http:// or https://"),
            N_("must start with http:// or https://"),
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise _refuse(N_("url: names no host"), N_("names no host"))
    if parts.username or parts.password:
        raise _refuse(
            N_("url: must not carry a user name or password"),
            N_("must not carry a user name or password"),
        )
    allowed = [h.lower() for h in getattr(settings, "READMIT_WEBHOOK_ALLOWED_HOSTS", [])]
    if allowed:
        if host not in allowed:
            raise _refuse(
                N_("url: host '%(host)s' is not in READMIT_WEBHOOK_ALLOWED_HOSTS"),
                f"host '{host}' is not in READMIT_WEBHOOK_ALLOWED_HOSTS",
                host,
            )
        return url  # listed by the operator: trusted wherever it points
    if getattr(settings, "READMIT_WEBHOOK_ALLOW_PRIVATE", False) or not resolve:
        return url
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80))
    except OSError:
        raise _refuse(
            N_("url: host '%(host)s' does not resolve"), f"host '{host}' does not resolve", host
        ) from None
    if any(_internal(str(info[4][0])) for info in infos):
        raise _refuse(
            N_("url: host '%(host)s' is an internal address"),
            f"host '{host}' is an internal address",
            host,
        )

    return url
