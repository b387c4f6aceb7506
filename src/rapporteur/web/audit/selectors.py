"""Reads of the audit log: the entries, newest first, filtered by act, actor and process."""
from __future__ import annotations

from django.db.models import QuerySet

from rapporteur.web.processes.models import Process

from .models import AuditEntry


def entries(*, act: str = "", actor: str = "", process: str = "") -> QuerySet[AuditEntry]:
    """Newest first. ``actor`` is a user name as recorded; ``process`` a process's slug."""
    qs = AuditEntry.objects.select_related("process").order_by("-at", "-pk")
    if act:
        qs = qs.filter(act=act)
    if actor:
        qs = qs.filter(actor_name=actor)
    if process:
        qs = qs.filter(process__slug=process)
    return qs


def actor_names() -> list[str]:
    return list(AuditEntry.objects.order_by("actor_name").values_list("actor_name", flat=True).distinct())


def processes() -> QuerySet[Process]:
    return Process.objects.order_by("name")
