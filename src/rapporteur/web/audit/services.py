"""The one write to the audit log: ``record``, called by the service of each act, inside its transaction.

An act and its entry land together or not at all: ``record`` runs inside the caller's
``transaction.atomic`` (and opens one when there is none), so an act that fails leaves no entry and an
entry that cannot be written undoes the act.

Each act writes exactly one entry, about the one thing acted on. A decision on several items at once
(the moderation queue's action bar) is several acts: one entry per item decided, none for an item
refused. A request that changes nothing (an ECOSOC status set to what it was, a round closed twice)
writes nothing.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import AuditEntry

Act = AuditEntry.Act
SYSTEM = "system"


def process_id_of(obj) -> int | None:
    """The process an object belongs to (for the log's filter), following session, phase and round."""
    from rapporteur.web.processes.models import Phase, Process

    if obj is None:
        return None
    if isinstance(obj, Process):
        return obj.pk
    if isinstance(obj, Phase):
        return obj.process_id
    for name in ("process", "phase", "session", "round"):
        if getattr(obj, f"{name}_id", None) is not None:
            return process_id_of(getattr(obj, name))
    return None


def record(actor, act: str, target, *, before: dict | None = None, after: dict | None = None, reason: str = "",
           process=None, actor_name: str = "", label: str = "") -> AuditEntry:
    """Add one entry: ``actor`` (a user, or None for the system) did ``act`` on ``target`` (a model
    instance), taking it from ``before`` to ``after``, for ``reason``.

    ``process`` is found from the target when not given; ``label`` is the target's name as it is now
    (``str(target)`` in the site's language when not given: the log is the same whoever reads it);
    ``actor_name`` names a system actor (e.g. "command line").
    """
    if act not in Act.values:
        raise ValueError(f"unknown act {act!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not label:
        with translation.override(settings.LANGUAGE_CODE):
            label = str(target)
    with transaction.atomic():
        return AuditEntry.objects.create(
            actor=user,
            actor_name=(user.get_username() if user is not None else actor_name or SYSTEM)[:150],
            act=act,
            target_type=target._meta.model_name,
            target_id=str(target.pk),
            target_label=label[:300],
            process_id=process.pk if process is not None else process_id_of(target),
            before=before or {},
            after=after or {},
            reason=reason or "",
        )

