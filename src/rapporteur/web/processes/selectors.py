from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from .models import Phase, Process, Session


def process_list() -> QuerySet[Process]:
    return Process.objects.all()


def process_with_timeline(slug: str) -> Process:
    """A process with its phases and their sessions, in order (raises Process.DoesNotExist)."""
    sessions = Session.objects.order_by(F("start_date").asc(nulls_last=True), "number", "pk")
    phases = Phase.objects.prefetch_related(Prefetch("sessions", queryset=sessions))
    return (
        Process.objects.prefetch_related(Prefetch("phases", queryset=phases), "taxonomies__terms")
        .get(slug=slug)
    )


def session_detail(pk: int) -> Session:
    return Session.objects.select_related("phase__process").get(pk=pk)


def sessions_open_for_contributions() -> list[Session]:
    qs = Session.objects.select_related("phase__process").filter(status=Session.Status.OPEN)
    return [s for s in qs if s.accepts_contributions]


def sessions_for_secretariat() -> QuerySet[Session]:
    published = Count("contributions", filter=Q(contributions__state="published"))
    pending = Count("contributions", filter=Q(contributions__state="submitted"))
    qs = Session.objects.select_related("phase__process").annotate(published_count=published, pending_count=pending)
    return qs.order_by(
        "phase__process__name", "phase__number", F("start_date").asc(nulls_last=True), "number", "pk"
    )
