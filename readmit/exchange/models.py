"""What the exchange API keeps of its own: the answers to creating requests sent with an
``Idempotency-Key``, so that a repeat answers the same (``readmit.exchange.idempotency``)."""

from __future__ import annotations

from django.db import models

from readmit.accounts.models import User
from readmit.core.models import BaseModel


class IdempotentRequest(BaseModel):
    """One creating request under an ``Idempotency-Key`` of one user, and its answer.

    ``status`` is null while the first request is running. Kept for
    ``idempotency.KEEP_FOR`` (24 hours), then the key may be used again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_key_once")
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
