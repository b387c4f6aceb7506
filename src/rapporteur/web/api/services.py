"""API tokens: made and revoked by their owner (or the ``rapporteur api-token`` command)."""
from django.utils import timezone

from .models import ApiToken


def issue_token(user, name: str = "") -> str:
    """A new token for the user; the only time the token itself is available."""
    _, token = ApiToken.issue(user, name)
    return token


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
