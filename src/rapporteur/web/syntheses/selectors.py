from __future__ import annotations

from django.db.models import QuerySet

from .models import Synthesis

S = Synthesis.Status


def _base() -> QuerySet[Synthesis]:
    return Synthesis.objects.select_related("session__phase__process", "phase__process", "process")


def latest_published_for_session(session) -> Synthesis | None:
    return _base().filter(session=session, status=S.PUBLISHED).order_by("-version").first()


def published_for_session(session) -> QuerySet[Synthesis]:
    return _base().filter(session=session, status=S.PUBLISHED).order_by("-version")


def published_for_phase(phase) -> QuerySet[Synthesis]:
    return _base().filter(phase=phase, status=S.PUBLISHED).order_by("-version")


def runs_for_session(session) -> QuerySet[Synthesis]:
    return _base().filter(session=session).order_by("-version")


def recent_runs(limit: int = 20) -> QuerySet[Synthesis]:
    return _base().order_by("-created_at", "-pk")[:limit]


def synthesis_detail(pk: int) -> Synthesis:
    return _base().get(pk=pk)


def latest_published_by_phase(process) -> dict[int, Synthesis]:
    """{phase id: its latest published synthesis} for the phases of a process."""
    latest: dict[int, Synthesis] = {}
    for synthesis in _base().filter(phase__process=process, status=S.PUBLISHED).order_by("version"):
        latest[synthesis.phase_id] = synthesis
    return latest


def latest_published_for_process(process) -> Synthesis | None:
    """The latest published stocktaking of the whole process (not of one of its phases)."""
    return _base().filter(process=process, status=S.PUBLISHED).order_by("-version").first()


def has_finished_synthesis(session) -> bool:
    """Whether the session has a synthesis a rating round can be opened on (a draft or published version)."""
    return Synthesis.objects.filter(session=session, status__in=[S.DRAFT, S.PUBLISHED]).exists()
