"""API tokens: a delegate's key for the vote endpoint (``Authorization: Bearer <token>``).

Only a SHA-256 digest of the token is stored; the token itself is shown once, when made.
"""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

PREFIX = "rpt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for ``user``: (the stored record, the token to hand over once)."""
        token = PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name[:100], key_digest=digest(token), prefix=token[:10]), token
