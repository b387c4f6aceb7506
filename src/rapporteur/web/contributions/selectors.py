from __future__ import annotations

from django.db.models import QuerySet

from .models import Contribution

S = Contribution.State


def _base() -> QuerySet[Contribution]:
    return Contribution.objects.select_related("organisation", "session__phase__process", "submitted_by")


def published_for_session(session) -> QuerySet[Contribution]:
    return _base().filter(session=session, state=S.PUBLISHED).order_by("organisation__name", "pk")


def published_for_phase(phase) -> QuerySet[Contribution]:
    return _base().filter(session__phase=phase, state=S.PUBLISHED).order_by("session__pk", "organisation__name", "pk")


def contributions_of(user) -> QuerySet[Contribution]:
    """Every contribution of the organisations the user is a delegate of, drafts included."""
    if not user.is_authenticated:
        return Contribution.objects.none()
    return _base().filter(organisation__delegates__user=user).distinct().order_by("-updated_at")


def moderation_queue() -> QuerySet[Contribution]:
    return _base().filter(state=S.SUBMITTED).order_by("submitted_at", "pk")


def contribution_detail(pk: int) -> Contribution:
    return _base().get(pk=pk)
